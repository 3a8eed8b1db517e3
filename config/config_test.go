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
	"time"
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
		name    string
		env     map[string]string
		want    Config
		wantErr []string // substrings of the error; nil means no error
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
			want: Config{DBPath: "/srv/news.db", DBExplicit: true, LogLevel: slog.LevelInfo},
		},
		{
			name: "BYLINE_DB needs no HOME",
			env:  map[string]string{"BYLINE_DB": "news.db"},
			want: Config{DBPath: "news.db", DBExplicit: true, LogLevel: slog.LevelInfo},
		},
		{
			name: "BYLINE_DB passes through unchanged",
			env:  map[string]string{"BYLINE_DB": ":memory:"},
			want: Config{DBPath: ":memory:", DBExplicit: true, LogLevel: slog.LevelInfo},
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
			name:    "every problem is reported",
			env:     map[string]string{"BYLINE_LOG_LEVEL": "loud"},
			wantErr: []string{"database path", "BYLINE_LOG_LEVEL"},
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
			// Serve settings have their own test; compare the rest.
			got.HTTPAddr, got.Slack, got.Discord = "", Slack{}, Discord{}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("Load() = %+v, want %+v", got, tt.want)
			}
		})
	}
}

func TestRedacted(t *testing.T) {
	t.Parallel()
	c := Config{DBPath: "/srv/news.db", DBExplicit: true, LogLevel: slog.LevelWarn, HTTPAddr: ":8080", Slack: Slack{Command: "/news", Admins: []string{"U1AAA", "W2BBB"}},
		Discord: Discord{Admins: []string{"123456789012345678"}},
		LLM:     LLM{BaseURL: "http://localhost:11434/v1", ChatModel: "llama3.1", Timeout: 20 * time.Second, EmbedModel: "nomic-embed-text", EmbedBatch: 32}}
	got := c.Redacted()
	want := map[string]string{"BYLINE_DB": "/srv/news.db", "BYLINE_DATABASE_URL": "", "BYLINE_LOG_LEVEL": "warn", "BYLINE_HTTP_ADDR": ":8080",
		"SLACK_BOT_TOKEN": "", "SLACK_APP_TOKEN": "", "SLACK_SIGNING_SECRET": "", "SLACK_API_URL": "", "SLACK_COMMAND": "/news",
		"DISCORD_BOT_TOKEN": "", "DISCORD_APP_ID": "", "DISCORD_PUBLIC_KEY": "", "DISCORD_GUILD_ID": "",
		"SLACK_ADMINS": "U1AAA,W2BBB", "SLACK_EPHEMERAL": "true", "DISCORD_ADMINS": "123456789012345678",
		"OPENAI_BASE_URL": "http://localhost:11434/v1", "OPENAI_API_KEY": "", "BYLINE_CHAT_MODEL": "llama3.1", "BYLINE_LLM_TIMEOUT": "20s",
		"BYLINE_EMBED_MODEL": "nomic-embed-text", "BYLINE_EMBED_BATCH": "32", "BYLINE_CHAT_CONTEXT": ""}
	if len(got) != len(want) {
		t.Errorf("Redacted() = %v, want %v", got, want)
	}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("Redacted()[%q] = %q, want %q", k, got[k], v)
		}
	}
	// The dump must read back as the same configuration.
	back, err := Load(env(got))
	if err != nil {
		t.Fatalf("Load(Redacted()): %v", err)
	}
	if !reflect.DeepEqual(back, c) {
		t.Errorf("Load(Redacted()) = %+v, want %+v", back, c)
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
