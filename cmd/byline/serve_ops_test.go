package main

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/byline-news/byline/retrieval/sqlite"
)

// get fetches url and returns its status and body.
func get(t *testing.T, url string) (int, string) {
	t.Helper()
	res, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res.StatusCode, string(b)
}

// TestServeCreatesItsDatabase: a feeds-only deployment starts on a
// database that does not exist yet, and serve never fills it with the
// sample articles, named or default.
func TestServeCreatesItsDatabase(t *testing.T) {
	t.Parallel()
	named := filepath.Join(t.TempDir(), "new", "byline.db")
	for _, tt := range []struct {
		name string
		args []string
		path func(home string) string
	}{
		{"--db new.db", []string{"--db", named}, func(string) string { return named }},
		{"default database", nil, func(home string) string { return filepath.Join(home, "byline", "byline.db") }},
	} {
		t.Run(tt.name, func(t *testing.T) {
			s := startServe(t, map[string]string{}, defaultLimits, tt.args...)
			if code, body := get(t, "http://"+s.addr+"/readyz"); code != http.StatusOK || !strings.Contains(body, `"database":"ok"`) {
				t.Errorf("/readyz = %d %s, want the new database ok", code, body)
			}
			if !strings.Contains(s.logs.String(), "the index is empty") {
				t.Errorf("no warning that the index is empty:\n%s", s.logs)
			}
			ix, err := sqlite.Open(context.Background(), tt.path(s.home), sqlite.Options{})
			if err != nil {
				t.Fatalf("the database serve created: %v", err)
			}
			defer ix.Close()
			if n, err := ix.Count(context.Background()); err != nil || n != 0 {
				t.Errorf("%d articles, %v; want an empty index, never the samples", n, err)
			}
		})
	}
}

// TestServeMetrics polls a working and a broken feed at start-up and
// checks the exposition: Go and process metrics, the bot's, the index's
// size and the feed polls, on the public listener by default and only on
// BYLINE_METRICS_ADDR when that is set.
func TestServeMetrics(t *testing.T) {
	t.Parallel()
	site := newsSite(t)
	for _, separate := range []bool{false, true} {
		t.Run(fmt.Sprintf("separate=%v", separate), func(t *testing.T) {
			db := filepath.Join(t.TempDir(), "feeds.db")
			ix, err := sqlite.Open(context.Background(), db, sqlite.Options{Create: true})
			if err != nil {
				t.Fatal(err)
			}
			for _, u := range []string{site.URL + "/feed.xml", site.URL + "/gone.xml"} {
				if err := ix.AddFeed(context.Background(), u, time.Hour, time.Now()); err != nil {
					t.Fatal(err)
				}
			}
			ix.Close()
			env := map[string]string{"BYLINE_FETCH_ALLOW": "127.0.0.1"}
			metricsAddr := ""
			if separate {
				metricsAddr = freeAddr(t)
				env["BYLINE_METRICS_ADDR"] = metricsAddr
			}
			s := startServe(t, env, defaultLimits, "--db", db)
			public := "http://" + s.addr + "/metrics"
			url := public
			if separate {
				url = "http://" + metricsAddr + "/metrics"
				if code, _ := get(t, public); code != http.StatusNotFound {
					t.Errorf("/metrics on the public listener: %d, want 404 with BYLINE_METRICS_ADDR set", code)
				}
			}
			var body string
			for i := 0; ; i++ { // the first polls run as serve starts
				_, body = get(t, url)
				if strings.Contains(body, `byline_feed_polls_total{result="failed"} 1`) && strings.Contains(body, `byline_feed_polls_total{result="ok"} 1`) {
					break
				}
				if i == 400 {
					t.Fatalf("the feed polls never showed:\n%s", body)
				}
				time.Sleep(25 * time.Millisecond)
			}
			for _, want := range []string{
				`byline_feed_items_total{outcome="indexed"} 1`,
				"byline_index_articles 1", "byline_index_paragraphs 2",
				`byline_replies_total{kind="answer"} 0`, `byline_abstentions_total{date_filter="true"} 0`,
				`byline_feedback_total{vote="up"} 0`, `byline_feedback_total{vote="down"} 0`,
				"# TYPE byline_reply_seconds histogram", "# TYPE go_goroutines gauge", "# TYPE process_resident_memory_bytes gauge",
			} {
				if !strings.Contains(body, want+"\n") {
					t.Errorf("/metrics lacks %q", want)
				}
			}
			newest := regexp.MustCompile(`(?m)^byline_index_newest_published_timestamp_seconds (\S+)$`).FindStringSubmatch(body)
			if want := time.Date(2026, 11, 24, 9, 0, 0, 0, time.UTC).Unix(); newest == nil || newest[1] != fmt.Sprintf("%g", float64(want)) {
				t.Errorf("newest article timestamp %v, want %d", newest, want)
			}
			if t.Failed() {
				t.Logf("/metrics:\n%s", body)
			}
		})
	}
}

// TestServeLogsPlatformOnce: every Slack log line says platform=slack
// once.
func TestServeLogsPlatformOnce(t *testing.T) {
	t.Parallel()
	api := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, `{"ok":true,"team_id":"T1","user_id":"UBOT","bot_id":"BBOT"}`)
	}))
	defer api.Close()
	s := startServe(t, map[string]string{"BYLINE_LOG_LEVEL": "debug", "SLACK_BOT_TOKEN": "xoxb-test",
		"SLACK_SIGNING_SECRET": "secret", "SLACK_API_URL": api.URL + "/api/"}, defaultLimits)
	for i := 0; !strings.Contains(s.logs.String(), "slack authenticated"); i++ {
		if i == 400 {
			t.Fatalf("Slack never authenticated:\n%s", s.logs)
		}
		time.Sleep(10 * time.Millisecond)
	}
	slackLines := 0
	for _, line := range strings.Split(s.logs.String(), "\n") {
		switch strings.Count(line, "platform=slack") {
		case 0:
		case 1:
			slackLines++
		default:
			t.Errorf("platform=slack more than once: %s", line)
		}
	}
	if slackLines == 0 {
		t.Errorf("no log line says platform=slack:\n%s", s.logs)
	}
}

// TestServeRefusesSmallOrderDiscordKey: a public key anyone can forge
// signatures for stops serve at start-up, naming the setting.
func TestServeRefusesSmallOrderDiscordKey(t *testing.T) {
	t.Parallel()
	for _, key := range []string{strings.Repeat("00", 32), "01" + strings.Repeat("00", 31)} {
		home := t.TempDir()
		env := map[string]string{"HOME": home, "XDG_DATA_HOME": home, "BYLINE_HTTP_ADDR": freeAddr(t),
			"DISCORD_PUBLIC_KEY": key, "DISCORD_APP_ID": "123456789"}
		var errb strings.Builder
		code := run(context.Background(), []string{"serve"}, stdio{in: strings.NewReader(""), out: io.Discard, err: &errb},
			func(k string) string { return env[k] })
		if code == 0 || !strings.Contains(errb.String(), "DISCORD_PUBLIC_KEY") || !strings.Contains(errb.String(), "small-order") {
			t.Errorf("key %s…: exit %d, stderr %q; want a refusal naming DISCORD_PUBLIC_KEY", key[:4], code, errb.String())
		}
	}
}

// TestServeUsesDiscordAPIURL points DISCORD_API_URL at a fake that
// refuses the token: the bot's first REST call reaches it, with the bot
// token, and serve stops with the clear invalid-token error.
func TestServeUsesDiscordAPIURL(t *testing.T) {
	t.Parallel()
	seen := make(chan string, 10)
	fake := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		seen <- r.Method + " " + r.URL.Path + " " + r.Header.Get("Authorization")
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusUnauthorized)
		fmt.Fprint(w, `{"message":"401: Unauthorized","code":0}`)
	}))
	defer fake.Close()
	home := t.TempDir()
	env := map[string]string{"HOME": home, "XDG_DATA_HOME": home, "BYLINE_HTTP_ADDR": freeAddr(t),
		"DISCORD_BOT_TOKEN": "test-token", "DISCORD_API_URL": fake.URL + "/api/v9"}
	var errb strings.Builder
	code := run(context.Background(), []string{"serve"}, stdio{in: strings.NewReader(""), out: io.Discard, err: &lockedWriter{b: &errb}},
		func(k string) string { return env[k] })
	if code != 1 || !strings.Contains(errb.String(), "401") {
		t.Errorf("exit %d, stderr %q; want 1 and the refused token", code, errb.String())
	}
	select {
	case req := <-seen:
		if req != "GET /api/v9/users/@me Bot test-token" {
			t.Errorf("the fake got %q, want the token check at DISCORD_API_URL", req)
		}
	default:
		t.Error("no request reached DISCORD_API_URL")
	}
}
