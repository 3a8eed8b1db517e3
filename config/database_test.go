package config

import (
	"strings"
	"testing"
)

func TestDatabaseURL(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		vars    map[string]string
		want    string
		wantErr string
	}{
		{"unset", map[string]string{"HOME": "/home/u"}, "", ""},
		{"postgres", map[string]string{"HOME": "/home/u", envDatabaseURL: "postgres://byline:pw@db:5432/news?search_path=byline"},
			"postgres://byline:pw@db:5432/news?search_path=byline", ""},
		{"postgresql scheme", map[string]string{"HOME": "/home/u", envDatabaseURL: " postgresql://db/news "}, "postgresql://db/news", ""},
		{"not a URL", map[string]string{"HOME": "/home/u", envDatabaseURL: "news.db"}, "", "invalid BYLINE_DATABASE_URL"},
		{"other scheme", map[string]string{"HOME": "/home/u", envDatabaseURL: "mysql://db/news"}, "", "invalid BYLINE_DATABASE_URL"},
		{"no host", map[string]string{"HOME": "/home/u", envDatabaseURL: "postgres:///news"}, "", "invalid BYLINE_DATABASE_URL"},
		// An image's BYLINE_DB default must not stand in the URL's way.
		{"wins over BYLINE_DB", map[string]string{"HOME": "/home/u", envDatabaseURL: "postgres://db/news", envDB: "/data/byline.db"},
			"postgres://db/news", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := Load(env(tt.vars))
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("Load = %v, want an error containing %q", err, tt.wantErr)
				}
				if strings.Contains(err.Error(), "pw") {
					t.Errorf("error shows the password: %v", err)
				}
				return
			}
			if err != nil || c.DatabaseURL != tt.want {
				t.Errorf("DatabaseURL = %q, %v; want %q", c.DatabaseURL, err, tt.want)
			}
		})
	}
	c, err := Load(env(map[string]string{"HOME": "/home/u", envDatabaseURL: "postgres://byline:secret@db:5432/news"}))
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range c.Redacted() {
		if s.Name != envDatabaseURL {
			continue
		}
		if strings.Contains(s.Value, "secret") || !strings.Contains(s.Value, "byline:") || !strings.Contains(s.Value, "db:5432/news") ||
			s.Source != envDatabaseURL {
			t.Errorf("Redacted() shows %s = %q from %s, want the URL without its password, from the variable", envDatabaseURL, s.Value, s.Source)
		}
		return
	}
	t.Errorf("Redacted() has no %s", envDatabaseURL)
}
