package main

import (
	"encoding/json"
	"maps"
	"os"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/byline-news/byline/answer"
	"github.com/byline-news/byline/config"
	"github.com/byline-news/byline/llm"
	"github.com/byline-news/byline/retrieval/sqlite"
)

// TestConfigCommand runs "byline config" with every secret set, some in
// the environment and some through _FILE variables, and checks that
// every setting is printed with its value and source, and no secret is.
func TestConfigCommand(t *testing.T) {
	e := newEnv(t)
	secrets := map[string]string{
		"SLACK_BOT_TOKEN": "xoxb-SECRET-bot", "SLACK_APP_TOKEN": "xapp-SECRET-app", "SLACK_SIGNING_SECRET": "SECRET-signing",
		"DISCORD_BOT_TOKEN": "SECRET-discord", "OPENAI_API_KEY": "sk-SECRET-openai",
	}
	fromFile := map[string]bool{"SLACK_APP_TOKEN": true, "DISCORD_BOT_TOKEN": true, "OPENAI_API_KEY": true}
	for name, v := range secrets {
		if fromFile[name] {
			p := e.path(strings.ToLower(name))
			if err := os.WriteFile(p, []byte(v+"\n"), 0o600); err != nil {
				t.Fatal(err)
			}
			e.vars[name+"_FILE"] = p
		} else {
			e.vars[name] = v
		}
	}
	e.vars["BYLINE_CHAT_MODEL"] = "llama3.1"
	e.vars["OPENAI_BASE_URL"] = "http://ann:SECRET-url@127.0.0.1:11434/v1"

	r := e.mustRun(0, "config")
	for _, v := range append(slices.Collect(maps.Values(secrets)), "SECRET-url") {
		if strings.Contains(r.out+r.err, v) {
			t.Errorf("byline config printed the secret %q:\n%s", v, r.out)
		}
	}
	rows := map[string][]string{}
	for _, line := range strings.Split(strings.TrimSpace(r.out), "\n")[1:] {
		f := strings.Fields(line)
		rows[f[0]] = f[1:]
	}
	cfg, err := config.Load(e.getenv)
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range cfg.Redacted() {
		row, ok := rows[s.Name]
		if !ok {
			t.Errorf("byline config does not list %s", s.Name)
			continue
		}
		if got := strings.Join(row, " "); got != s.Value+" "+s.Source {
			t.Errorf("%s row = %q, want %q", s.Name, got, s.Value+" "+s.Source)
		}
	}
	if len(rows) != len(cfg.Redacted()) {
		t.Errorf("byline config printed %d rows, want %d", len(rows), len(cfg.Redacted()))
	}
	for name := range secrets {
		want := []string{config.Masked, name}
		if fromFile[name] {
			want[1] = name + "_FILE"
		}
		if !reflect.DeepEqual(rows[name], want) {
			t.Errorf("%s row = %q, want %q", name, rows[name], want)
		}
	}
	if want := []string{"llama3.1", "BYLINE_CHAT_MODEL"}; !reflect.DeepEqual(rows["BYLINE_CHAT_MODEL"], want) {
		t.Errorf("BYLINE_CHAT_MODEL row = %q, want %q", rows["BYLINE_CHAT_MODEL"], want)
	}

	// --json carries the same settings, secrets masked.
	r = e.mustRun(0, "config", "--json")
	var got []config.Setting
	if err := json.Unmarshal([]byte(r.out), &got); err != nil {
		t.Fatalf("config --json: %v\n%s", err, r.out)
	}
	if !reflect.DeepEqual(got, cfg.Redacted()) {
		t.Errorf("config --json = %+v, want %+v", got, cfg.Redacted())
	}
	for v := range maps.Values(secrets) {
		if strings.Contains(r.out, v) {
			t.Errorf("config --json printed the secret %q", v)
		}
	}
}

// TestConfigShowsPackageDefaults checks that the defaults "byline config"
// shows for unset variables are the ones the packages apply.
func TestConfigShowsPackageDefaults(t *testing.T) {
	r := newEnv(t).mustRun(0, "config", "--json")
	var got []config.Setting
	if err := json.Unmarshal([]byte(r.out), &got); err != nil {
		t.Fatal(err)
	}
	want := map[string][]string{
		"OPENAI_BASE_URL":     {llm.DefaultBaseURL},
		"BYLINE_LLM_TIMEOUT":  {llm.DefaultTimeout.String(), chatAnswerTimeout.String()},
		"BYLINE_EMBED_BATCH":  {strconv.Itoa(sqlite.DefaultEmbedBatch)},
		"BYLINE_CHAT_CONTEXT": {strconv.Itoa(answer.DefaultContextTokens)},
	}
	for _, s := range got {
		for _, w := range want[s.Name] {
			if s.Source != config.SourceDefault || !strings.Contains(s.Value, w) {
				t.Errorf("%s = %q from %s, want the default, mentioning %q", s.Name, s.Value, s.Source, w)
			}
		}
		delete(want, s.Name)
	}
	if len(want) > 0 {
		t.Errorf("not listed: %v", want)
	}
}

func TestConfigCommandErrors(t *testing.T) {
	tests := []struct {
		name string
		vars map[string]string
		args []string
		want []string
	}{
		{"bad settings, all named", map[string]string{"BYLINE_FETCH_ALLOW": "*.example", "SLACK_EPHEMERAL": "maybe"}, nil,
			[]string{"BYLINE_FETCH_ALLOW", "SLACK_EPHEMERAL"}},
		{"arguments", nil, []string{"extra"}, []string{"takes no arguments"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnv(t)
			for k, v := range tt.vars {
				e.vars[k] = v
			}
			r := e.run(append([]string{"config"}, tt.args...)...)
			if r.code != 2 {
				t.Errorf("exit %d, want 2", r.code)
			}
			for _, w := range tt.want {
				if !strings.Contains(r.err, w) {
					t.Errorf("stderr %q does not mention %q", r.err, w)
				}
			}
		})
	}
}
