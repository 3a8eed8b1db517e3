package config

import (
	"errors"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

// env returns a getenv backed by m, so tests never read or change the
// process environment and can run in parallel.
func env(m map[string]string) func(string) string {
	return func(key string) string { return m[key] }
}

func TestLoad(t *testing.T) {
	t.Parallel()
	const home = "/home/ann"
	homeDB := filepath.Join(home, ".local", "share", "byline", "byline.db")
	tests := []struct {
		name     string
		env      map[string]string
		want     Config
		explicit bool     // want DBExplicit
		wantErr  []string // substrings of the error; nil means no error
	}{
		{
			name: "defaults",
			env:  map[string]string{"HOME": home},
			want: Config{DBPath: homeDB, LogLevel: slog.LevelInfo},
		},
		{
			name: "absolute XDG_DATA_HOME",
			env:  map[string]string{"HOME": home, "XDG_DATA_HOME": "/data"},
			want: Config{DBPath: filepath.Join("/data", "byline", "byline.db"), LogLevel: slog.LevelInfo},
		},
		{
			name: "relative XDG_DATA_HOME is ignored",
			env:  map[string]string{"HOME": home, "XDG_DATA_HOME": "data"},
			want: Config{DBPath: homeDB, LogLevel: slog.LevelInfo},
		},
		{
			name: "BYLINE_DB overrides XDG_DATA_HOME",
			env:  map[string]string{"HOME": home, "XDG_DATA_HOME": "/data", "BYLINE_DB": "/srv/news.db"},
			want: Config{DBPath: "/srv/news.db", LogLevel: slog.LevelInfo}, explicit: true,
		},
		{
			name: "BYLINE_DB needs no HOME",
			env:  map[string]string{"BYLINE_DB": "news.db"},
			want: Config{DBPath: "news.db", LogLevel: slog.LevelInfo}, explicit: true,
		},
		{
			name: "BYLINE_DB passes through unchanged",
			env:  map[string]string{"BYLINE_DB": ":memory:"},
			want: Config{DBPath: ":memory:", LogLevel: slog.LevelInfo}, explicit: true,
		},
		{
			name:    "no HOME and no XDG_DATA_HOME",
			env:     map[string]string{},
			wantErr: []string{"BYLINE_DB", "HOME", "XDG_DATA_HOME"},
		},
		{
			name:    "no HOME and relative XDG_DATA_HOME",
			env:     map[string]string{"XDG_DATA_HOME": "data"},
			wantErr: []string{"not an absolute path"},
		},
		{
			name: "log level debug",
			env:  map[string]string{"HOME": home, "BYLINE_LOG_LEVEL": "debug"},
			want: Config{DBPath: homeDB, LogLevel: slog.LevelDebug},
		},
		{
			name: "log level ignores case and space",
			env:  map[string]string{"HOME": home, "BYLINE_LOG_LEVEL": " WARN "},
			want: Config{DBPath: homeDB, LogLevel: slog.LevelWarn},
		},
		{
			name: "log level error",
			env:  map[string]string{"HOME": home, "BYLINE_LOG_LEVEL": "error"},
			want: Config{DBPath: homeDB, LogLevel: slog.LevelError},
		},
		{
			name:    "invalid log level",
			env:     map[string]string{"HOME": home, "BYLINE_LOG_LEVEL": "verbose"},
			wantErr: []string{`BYLINE_LOG_LEVEL "verbose"`, "debug, info, warn, error"},
		},
		{
			name:    "slog offsets are not accepted",
			env:     map[string]string{"HOME": home, "BYLINE_LOG_LEVEL": "info+2"},
			wantErr: []string{"BYLINE_LOG_LEVEL"},
		},
		{
			name: "BYLINE_DB of spaces is unset",
			env:  map[string]string{"HOME": home, "BYLINE_DB": "  "},
			want: Config{DBPath: homeDB, LogLevel: slog.LevelInfo},
		},
		{
			name: "fetch allow list in canonical form",
			env:  map[string]string{"HOME": home, "BYLINE_FETCH_ALLOW": " Intranet.Example., 10.1.2.3/8,::ffff:192.168.1.7"},
			want: Config{DBPath: homeDB, LogLevel: slog.LevelInfo, FetchAllow: []string{"intranet.example", "10.0.0.0/8", "192.168.1.7"}},
		},
		{
			name:    "bad fetch allow entry",
			env:     map[string]string{"HOME": home, "BYLINE_FETCH_ALLOW": "10.0.0.1,http://intranet"},
			wantErr: []string{"invalid BYLINE_FETCH_ALLOW", `"http://intranet" is not a host name`},
		},
		{
			name:    "every problem is reported",
			env:     map[string]string{"BYLINE_LOG_LEVEL": "loud", "BYLINE_FETCH_ALLOW": "*.example"},
			wantErr: []string{"database path", "BYLINE_LOG_LEVEL", "BYLINE_FETCH_ALLOW"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, err := Load(env(tt.env))
			if tt.wantErr != nil {
				if err == nil {
					t.Fatalf("Load() = %+v, want an error", got)
				}
				for _, s := range tt.wantErr {
					if !strings.Contains(err.Error(), s) {
						t.Errorf("error %q does not mention %q", err, s)
					}
				}
				if !reflect.DeepEqual(got, Config{}) {
					t.Errorf("Load() = %+v with an error, want the zero Config", got)
				}
				return
			}
			if err != nil {
				t.Fatalf("Load(): %v", err)
			}
			if got.DBExplicit() != tt.explicit {
				t.Errorf("DBExplicit() = %v, want %v", got.DBExplicit(), tt.explicit)
			}
			// Serve settings have their own test; compare the rest.
			got.HTTPAddr, got.Slack, got.Discord, got.from = "", Slack{}, Discord{}, nil
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("Load() = %+v, want %+v", got, tt.want)
			}
		})
	}
}

func TestSecret(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	write := func(name, content string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(content), 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	tokenFile := write("token", "  xoxb-from-file\n")
	emptyFile := write("empty", "\n")
	missing := filepath.Join(dir, "missing")

	tests := []struct {
		name    string
		env     map[string]string
		want    string
		wantErr string // substring; "" means no error
	}{
		{name: "neither set", env: map[string]string{}, want: ""},
		{name: "value", env: map[string]string{"TOKEN": "xoxb-env"}, want: "xoxb-env"},
		{name: "value is trimmed", env: map[string]string{"TOKEN": " xoxb-env\n"}, want: "xoxb-env"},
		{name: "file is trimmed", env: map[string]string{"TOKEN_FILE": tokenFile}, want: "xoxb-from-file"},
		{name: "both set", env: map[string]string{"TOKEN": "a", "TOKEN_FILE": tokenFile}, wantErr: "both TOKEN and TOKEN_FILE"},
		{name: "missing file", env: map[string]string{"TOKEN_FILE": missing}, wantErr: "read TOKEN_FILE"},
		{name: "empty file", env: map[string]string{"TOKEN_FILE": emptyFile}, wantErr: "is empty"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, err := secret(env(tt.env), "TOKEN")
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("secret() = %q, %v; want error containing %q", got, err, tt.wantErr)
				}
				if strings.Contains(err.Error(), "xoxb") {
					t.Errorf("error %q leaks the secret", err)
				}
				return
			}
			if err != nil {
				t.Fatalf("secret(): %v", err)
			}
			if got != tt.want {
				t.Errorf("secret() = %q, want %q", got, tt.want)
			}
		})
	}

	// A missing file keeps its cause, so callers can tell it apart.
	_, err := secret(env(map[string]string{"TOKEN_FILE": missing}), "TOKEN")
	if !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("secret() error %v, want one wrapping fs.ErrNotExist", err)
	}
}
