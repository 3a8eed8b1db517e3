package config

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

func TestLoadServe(t *testing.T) {
	t.Parallel()
	tokenFile := filepath.Join(t.TempDir(), "bot-token")
	if err := os.WriteFile(tokenFile, []byte("xoxb-from-file\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name    string
		env     map[string]string
		want    Slack
		addr    string
		wantErr []string
	}{
		{name: "defaults, Slack off", env: map[string]string{}, want: Slack{Command: "/news"}, addr: ":8080"},
		{name: "socket mode", env: map[string]string{"SLACK_BOT_TOKEN": "xoxb-1", "SLACK_APP_TOKEN": "xapp-1", "BYLINE_HTTP_ADDR": "127.0.0.1:9000"},
			want: Slack{BotToken: "xoxb-1", AppToken: "xapp-1", Command: "/news"}, addr: "127.0.0.1:9000"},
		{name: "http mode, token from file, custom command and API URL",
			env:  map[string]string{"SLACK_BOT_TOKEN_FILE": tokenFile, "SLACK_SIGNING_SECRET": "s3", "SLACK_COMMAND": "/ask", "SLACK_API_URL": "http://127.0.0.1:1/api"},
			want: Slack{BotToken: "xoxb-from-file", SigningSecret: "s3", Command: "/ask", APIURL: "http://127.0.0.1:1/api/"}, addr: ":8080"},
		{name: "bot token missing", env: map[string]string{"SLACK_APP_TOKEN": "xapp-1"}, wantErr: []string{"SLACK_BOT_TOKEN is required"}},
		{name: "user token instead of bot token", env: map[string]string{"SLACK_BOT_TOKEN": "xoxp-1", "SLACK_SIGNING_SECRET": "s"}, wantErr: []string{"xoxb-"}},
		{name: "bot token as app token", env: map[string]string{"SLACK_BOT_TOKEN": "xoxb-1", "SLACK_APP_TOKEN": "xoxb-2"}, wantErr: []string{"xapp-"}},
		{name: "no transport", env: map[string]string{"SLACK_BOT_TOKEN": "xoxb-1"}, wantErr: []string{"SLACK_APP_TOKEN", "SLACK_SIGNING_SECRET"}},
		{name: "bad address", env: map[string]string{"BYLINE_HTTP_ADDR": "8080"}, wantErr: []string{"BYLINE_HTTP_ADDR"}},
		{name: "bad API URL", env: map[string]string{"SLACK_API_URL": "slack.com/api"}, wantErr: []string{"SLACK_API_URL"}},
		{name: "admins", env: map[string]string{"SLACK_BOT_TOKEN": "xoxb-1", "SLACK_APP_TOKEN": "xapp-1", "SLACK_ADMINS": " U024BE7LH, W0ENT01 ,"},
			want: Slack{BotToken: "xoxb-1", AppToken: "xapp-1", Command: "/news", Admins: []string{"U024BE7LH", "W0ENT01"}}, addr: ":8080"},
		{name: "bad admin ID", env: map[string]string{"SLACK_ADMINS": "U024BE7LH,@alice"}, wantErr: []string{"SLACK_ADMINS", "@alice"}},
		{name: "channel ID as admin", env: map[string]string{"SLACK_ADMINS": "C024BE91L"}, wantErr: []string{"SLACK_ADMINS", "C024BE91L"}},
		{name: "bad command", env: map[string]string{"SLACK_COMMAND": "news"}, wantErr: []string{"SLACK_COMMAND"}},
		{name: "public answers", env: map[string]string{"SLACK_BOT_TOKEN": "xoxb-1", "SLACK_APP_TOKEN": "xapp-1", "SLACK_EPHEMERAL": "false"},
			want: Slack{BotToken: "xoxb-1", AppToken: "xapp-1", Command: "/news", Public: true}, addr: ":8080"},
		{name: "ephemeral answers", env: map[string]string{"SLACK_BOT_TOKEN": "xoxb-1", "SLACK_APP_TOKEN": "xapp-1", "SLACK_EPHEMERAL": "true"},
			want: Slack{BotToken: "xoxb-1", AppToken: "xapp-1", Command: "/news"}, addr: ":8080"},
		{name: "bad ephemeral", env: map[string]string{"SLACK_EPHEMERAL": "sometimes"}, wantErr: []string{"SLACK_EPHEMERAL"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			tt.env["HOME"] = "/home/ann"
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
				return
			}
			if err != nil {
				t.Fatalf("Load(): %v", err)
			}
			if !reflect.DeepEqual(got.Slack, tt.want) || got.HTTPAddr != tt.addr {
				t.Errorf("Slack = %+v, addr %q; want %+v, %q", got.Slack, got.HTTPAddr, tt.want, tt.addr)
			}
		})
	}
}

func TestLoadMetricsAddr(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, http, metrics, want, wantErr string
	}{
		{name: "unset: on the public listener", want: ""},
		{name: "loopback", metrics: "127.0.0.1:9090", want: "127.0.0.1:9090"},
		{name: "spaces trimmed", metrics: " :9090 ", want: ":9090"},
		{name: "no port", metrics: "9090", wantErr: "BYLINE_METRICS_ADDR"},
		{name: "same as the public listener", http: "127.0.0.1:9000", metrics: "127.0.0.1:9000", wantErr: "BYLINE_HTTP_ADDR too"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, err := Load(env(map[string]string{"HOME": "/home/ann", "BYLINE_HTTP_ADDR": tt.http, "BYLINE_METRICS_ADDR": tt.metrics}))
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("Load() error = %v, want one mentioning %q", err, tt.wantErr)
				}
				return
			}
			if err != nil || got.MetricsAddr != tt.want {
				t.Errorf("MetricsAddr = %q, %v; want %q", got.MetricsAddr, err, tt.want)
			}
		})
	}
}
