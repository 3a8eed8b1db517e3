package config

import (
	"strings"
	"testing"
)

func TestWatchRate(t *testing.T) {
	tests := []struct {
		val  string
		want int
		err  string
	}{
		{"", 0, ""},
		{" 12 ", 12, ""},
		{"0", 0, "invalid BYLINE_WATCH_RATE \"0\": want a whole number from 1 to 600"},
		{"6/h", 0, "invalid BYLINE_WATCH_RATE"},
		{"601", 0, "invalid BYLINE_WATCH_RATE"},
	}
	for _, tt := range tests {
		c, err := Load(env(map[string]string{"HOME": "/home/u", "BYLINE_WATCH_RATE": tt.val}))
		if tt.err != "" {
			if err == nil || !strings.Contains(err.Error(), tt.err) {
				t.Errorf("%q: err %v, want %q", tt.val, err, tt.err)
			}
			continue
		}
		if err != nil || c.WatchRate != tt.want {
			t.Errorf("%q: WatchRate %d, %v; want %d", tt.val, c.WatchRate, err, tt.want)
		}
	}
}
