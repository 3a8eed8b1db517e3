package config

import (
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
)

// byName indexes Redacted's settings.
func byName(t *testing.T, c Config) map[string]Setting {
	t.Helper()
	m := map[string]Setting{}
	for _, s := range c.Redacted() {
		if _, dup := m[s.Name]; dup {
			t.Fatalf("Redacted lists %s twice", s.Name)
		}
		m[s.Name] = s
	}
	return m
}

func TestRedacted(t *testing.T) {
	t.Parallel()
	keyFile := filepath.Join(t.TempDir(), "key")
	if err := os.WriteFile(keyFile, []byte("sk-from-file\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		env  map[string]string
		want []Setting // the settings to check; the rest are not compared
	}{
		{
			name: "defaults",
			env:  map[string]string{},
			want: []Setting{
				{Name: "BYLINE_DB", Value: "/home/ann/.local/share/byline/byline.db", Source: "default"},
				{Name: "BYLINE_DATABASE_URL", Value: "(off: SQLite at BYLINE_DB)", Source: "default"},
				{Name: "BYLINE_LOG_LEVEL", Value: "info", Source: "default"},
				{Name: "BYLINE_HTTP_ADDR", Value: ":8080", Source: "default"},
				{Name: "BYLINE_FETCH_ALLOW", Value: "(none)", Source: "default"},
				{Name: "OPENAI_BASE_URL", Value: "(OpenAI's: https://api.openai.com/v1)", Source: "default"},
				{Name: "OPENAI_API_KEY", Value: "(unset)", Source: "default", Secret: true},
				{Name: "BYLINE_CHAT_MODEL", Value: "(off)", Source: "default"},
				{Name: "BYLINE_LLM_TIMEOUT", Value: "(30s per model call; chat answers get 20s)", Source: "default"},
				{Name: "BYLINE_EMBED_BATCH", Value: "(64)", Source: "default"},
				{Name: "SLACK_COMMAND", Value: "/news", Source: "default"},
				{Name: "SLACK_EPHEMERAL", Value: "true", Source: "default"},
				{Name: "DISCORD_SHARD_COUNT", Value: "1", Source: "default"},
			},
		},
		{
			name: "from the environment",
			env: map[string]string{"BYLINE_DB": "/srv/news.db", "BYLINE_LOG_LEVEL": "WARN", "BYLINE_FETCH_ALLOW": "10.1.2.3/8, intranet",
				"BYLINE_CHAT_MODEL": "llama3.1", "BYLINE_LLM_TIMEOUT": "45s", "SLACK_EPHEMERAL": "false", "SLACK_ADMINS": "U1AAA, W2BBB",
				"DISCORD_SHARD_ID": "1", "DISCORD_SHARD_COUNT": "2", "DISCORD_BOT_TOKEN": "tok"},
			want: []Setting{
				{Name: "BYLINE_DB", Value: "/srv/news.db", Source: "BYLINE_DB"},
				{Name: "BYLINE_LOG_LEVEL", Value: "warn", Source: "BYLINE_LOG_LEVEL"},
				{Name: "BYLINE_FETCH_ALLOW", Value: "10.0.0.0/8,intranet", Source: "BYLINE_FETCH_ALLOW"},
				{Name: "BYLINE_CHAT_MODEL", Value: "llama3.1", Source: "BYLINE_CHAT_MODEL"},
				{Name: "BYLINE_LLM_TIMEOUT", Value: "45s", Source: "BYLINE_LLM_TIMEOUT"},
				{Name: "SLACK_EPHEMERAL", Value: "false", Source: "SLACK_EPHEMERAL"},
				{Name: "SLACK_ADMINS", Value: "U1AAA,W2BBB", Source: "SLACK_ADMINS"},
				{Name: "DISCORD_SHARD_ID", Value: "1", Source: "DISCORD_SHARD_ID"},
				{Name: "DISCORD_SHARD_COUNT", Value: "2", Source: "DISCORD_SHARD_COUNT"},
				{Name: "DISCORD_BOT_TOKEN", Value: Masked, Source: "DISCORD_BOT_TOKEN", Secret: true},
			},
		},
		{
			name: "explicit default still counts as set",
			env:  map[string]string{"BYLINE_HTTP_ADDR": ":8080", "SLACK_COMMAND": " /news "},
			want: []Setting{
				{Name: "BYLINE_HTTP_ADDR", Value: ":8080", Source: "BYLINE_HTTP_ADDR"},
				{Name: "SLACK_COMMAND", Value: "/news", Source: "SLACK_COMMAND"},
			},
		},
		{
			name: "blank is unset",
			env:  map[string]string{"BYLINE_CHAT_MODEL": "  ", "OPENAI_API_KEY": " "},
			want: []Setting{
				{Name: "BYLINE_CHAT_MODEL", Value: "(off)", Source: "default"},
				{Name: "OPENAI_API_KEY", Value: "(unset)", Source: "default", Secret: true},
			},
		},
		{
			name: "secret from a file",
			env:  map[string]string{"OPENAI_API_KEY_FILE": keyFile},
			want: []Setting{{Name: "OPENAI_API_KEY", Value: Masked, Source: "OPENAI_API_KEY_FILE", Secret: true}},
		},
		{
			name: "password in a URL",
			env:  map[string]string{"OPENAI_BASE_URL": "https://bob:hunter2@proxy.example/v1"},
			want: []Setting{{Name: "OPENAI_BASE_URL", Value: "https://bob:xxxxx@proxy.example/v1", Source: "OPENAI_BASE_URL"}},
		},
		{
			name: "PostgreSQL",
			env:  map[string]string{"BYLINE_DATABASE_URL": "postgres://byline:hunter2@db:5432/news?search_path=byline"},
			want: []Setting{
				{Name: "BYLINE_DATABASE_URL", Value: "postgres://byline:xxxxx@db:5432/news?search_path=byline", Source: "BYLINE_DATABASE_URL"},
				{Name: "BYLINE_DB", Value: "(not used: BYLINE_DATABASE_URL is set)", Source: "default"},
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			tt.env["HOME"] = "/home/ann"
			c, err := Load(env(tt.env))
			if err != nil {
				t.Fatal(err)
			}
			got := byName(t, c)
			for _, w := range tt.want {
				if got[w.Name] != w {
					t.Errorf("%s: got %+v, want %+v", w.Name, got[w.Name], w)
				}
			}
			if c.DBExplicit() != (got["BYLINE_DB"].Source != SourceDefault) {
				t.Errorf("DBExplicit() = %v, but BYLINE_DB came from %s", c.DBExplicit(), got["BYLINE_DB"].Source)
			}
		})
	}
}

// TestRedactedMasksSecrets sets every secret, by value and by file, and
// checks that none of them, nor a URL's password, appears anywhere in
// the output, in any form that gets printed.
func TestRedactedMasksSecrets(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	file := func(name, content string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(content), 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	secrets := []string{"xoxb-SECRET1", "xapp-SECRET2", "SECRET3sign", "SECRET4discord", "sk-SECRET5", "SECRET6pass", "SECRET7pg"}
	for _, byFile := range []bool{false, true} {
		vars := map[string]string{"HOME": "/home/ann", "OPENAI_BASE_URL": "http://u:SECRET6pass@127.0.0.1:1/v1",
			"BYLINE_DATABASE_URL": "postgres://byline:SECRET7pg@db/news"}
		for i, name := range []string{"SLACK_BOT_TOKEN", "SLACK_APP_TOKEN", "SLACK_SIGNING_SECRET", "DISCORD_BOT_TOKEN", "OPENAI_API_KEY"} {
			if byFile {
				vars[name+"_FILE"] = file(name, secrets[i]+"\n")
			} else {
				vars[name] = secrets[i]
			}
		}
		c, err := Load(env(vars))
		if err != nil {
			t.Fatal(err)
		}
		if c.Slack.BotToken != secrets[0] || c.LLM.APIKey != secrets[4] {
			t.Fatalf("secrets not loaded: %+v", c)
		}
		js, err := json.Marshal(c.Redacted())
		if err != nil {
			t.Fatal(err)
		}
		for _, s := range secrets {
			if strings.Contains(string(js), s) {
				t.Errorf("byFile=%v: Redacted() leaks %q: %s", byFile, s, js)
			}
		}
		masked := 0
		for _, s := range c.Redacted() {
			if s.Secret {
				masked++
				if s.Value != Masked {
					t.Errorf("byFile=%v: %s = %q, want %q", byFile, s.Name, s.Value, Masked)
				}
				if want := s.Name + map[bool]string{true: "_FILE"}[byFile]; s.Source != want {
					t.Errorf("byFile=%v: %s came from %q, want %q", byFile, s.Name, s.Source, want)
				}
			}
		}
		if masked != 5 {
			t.Errorf("%d secrets marked, want 5", masked)
		}
	}
}

// TestRedactedCoversEveryField changes each field of Config in turn and
// checks that Redacted shows the change, so that a field added without an
// entry in settings fails here rather than going missing from
// "byline config".
func TestRedactedCoversEveryField(t *testing.T) {
	t.Parallel()
	base, err := Load(env(map[string]string{"HOME": "/home/ann"}))
	if err != nil {
		t.Fatal(err)
	}
	want := base.Redacted()
	n := 0
	eachField(reflect.ValueOf(&base).Elem(), "Config", func(path string, f reflect.Value) {
		n++
		old := reflect.ValueOf(f.Interface()) // a copy
		perturb(t, path, f)
		if reflect.DeepEqual(base.Redacted(), want) {
			t.Errorf("changing %s changes nothing in Redacted(): add its variable to settings in dump.go", path)
		}
		f.Set(old)
	})
	if n < len(settings) {
		t.Errorf("visited %d fields for %d settings", n, len(settings))
	}
}

// eachField calls fn with every exported non-struct field under v,
// descending into structs.
func eachField(v reflect.Value, path string, fn func(string, reflect.Value)) {
	for i := range v.NumField() {
		sf := v.Type().Field(i)
		if !sf.IsExported() {
			continue
		}
		f, p := v.Field(i), path+"."+sf.Name
		if f.Kind() == reflect.Struct {
			eachField(f, p, fn)
			continue
		}
		fn(p, f)
	}
}

// perturb sets f to a different value of its kind.
func perturb(t *testing.T, path string, f reflect.Value) {
	switch f.Kind() {
	case reflect.String:
		f.SetString(f.String() + "7")
	case reflect.Bool:
		f.SetBool(!f.Bool())
	case reflect.Int, reflect.Int64:
		f.SetInt(f.Int() + 7)
	case reflect.Slice:
		f.Set(reflect.Append(f, reflect.ValueOf("7")))
	default:
		t.Fatalf("%s: perturb cannot change a %s; teach it", path, f.Kind())
	}
}

// TestSettingsListEveryVariableLoadReads records the variables Load asks
// for and checks each is in settings (or is a secret's _FILE twin, or
// one of the variables the default database path is built from).
func TestSettingsListEveryVariableLoadReads(t *testing.T) {
	t.Parallel()
	var asked []string
	Load(func(k string) string { asked = append(asked, k); return "" })
	names := map[string]bool{"HOME": true, "XDG_DATA_HOME": true}
	for _, s := range settings {
		names[s.name] = true
		if s.secret {
			names[s.name+"_FILE"] = true
		}
	}
	for _, k := range asked {
		if !names[k] {
			t.Errorf("Load reads %s, which settings does not list", k)
		}
	}
	for _, s := range settings {
		if !slices.Contains(asked, s.name) {
			t.Errorf("settings lists %s, which Load never reads", s.name)
		}
	}
}
