package main

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/byline-news/byline/bot"
	"github.com/byline-news/byline/retrieval/sqlite"
)

// postingPlatform is a platform that can post, recording where.
type postingPlatform struct{ posted []bot.Channel }

func (p *postingPlatform) Run(context.Context) error { return nil }
func (p *postingPlatform) Ready() bool               { return true }
func (p *postingPlatform) Post(_ context.Context, ch bot.Channel, _ bot.Reply) error {
	p.posted = append(p.posted, ch)
	return nil
}

// silentPlatform cannot post.
type silentPlatform struct{}

func (silentPlatform) Run(context.Context) error { return nil }
func (silentPlatform) Ready() bool               { return true }

func TestPostersRouteByPlatform(t *testing.T) {
	slackP, discordP := &postingPlatform{}, &postingPlatform{}
	p := postersOf(map[string]platform{"slack": slackP, "discord": discordP, "other": silentPlatform{}})
	if len(p) != 2 {
		t.Fatalf("posters = %v, want slack and discord", p)
	}
	ctx := context.Background()
	for _, ch := range []bot.Channel{{Platform: "slack", ID: "C1"}, {Platform: "discord", ID: "4000"}, {Platform: "slack", ID: "C2"}} {
		if err := p.Post(ctx, ch, bot.Reply{Kind: bot.KindBriefing}); err != nil {
			t.Fatal(err)
		}
	}
	if len(slackP.posted) != 2 || len(discordP.posted) != 1 || discordP.posted[0].ID != "4000" {
		t.Errorf("slack got %v, discord %v", slackP.posted, discordP.posted)
	}
	for _, platform := range []string{"other", "teams"} {
		if err := p.Post(ctx, bot.Channel{Platform: platform, ID: "x"}, bot.Reply{}); err == nil {
			t.Errorf("post to %s: no error", platform)
		}
	}
}

// TestServeWiresBriefings: serve gives the bot the briefing commands
// over its database: a mention scheduling the channel's daily briefing
// is confirmed to the asker, and the schedule is stored.
func TestServeWiresBriefings(t *testing.T) {
	var mu sync.Mutex
	calls := map[string][]url.Values{}
	api := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		r.ParseForm()
		mu.Lock()
		calls[path.Base(r.URL.Path)] = append(calls[path.Base(r.URL.Path)], r.PostForm)
		mu.Unlock()
		w.Header().Set("Content-Type", "application/json")
		if strings.HasSuffix(r.URL.Path, "auth.test") {
			fmt.Fprint(w, `{"ok":true,"team_id":"T1","user_id":"UBOT","bot_id":"BBOT"}`)
			return
		}
		fmt.Fprint(w, `{"ok":true,"ts":"1700000200.000100","messages":[]}`)
	}))
	defer api.Close()
	const secret = "test-signing-secret"
	db := filepath.Join(t.TempDir(), "serve.db")
	s := startServe(t, map[string]string{"SLACK_BOT_TOKEN": "xoxb-test", "SLACK_SIGNING_SECRET": secret,
		"SLACK_API_URL": api.URL + "/api/"}, defaultLimits, "--db", db)
	body, _ := json.Marshal(map[string]any{"type": "event_callback", "team_id": "T1", "event_id": "Ev1", "event_time": 1700000000,
		"event": map[string]any{"type": "app_mention", "user": "U024BE7LH", "channel": "C0NEWS001", "ts": "1700000100.000100",
			"event_ts": "1700000100.000100", "text": "<@UBOT> brief daily 08:00 Europe/London"}})
	ts := fmt.Sprint(time.Now().Unix()) // Slack's signatures hold for five minutes of the real clock
	if got := postSlack(t, s.addr, string(body), ts, sign(secret, ts, string(body))); got.code != http.StatusOK {
		t.Fatalf("event: %d %s", got.code, got.body)
	}
	var text string
	for i := 0; text == ""; i++ {
		mu.Lock()
		if eph := calls["chat.postEphemeral"]; len(eph) > 0 {
			text = eph[0].Get("blocks") + eph[0].Get("text")
		}
		mu.Unlock()
		if i == 400 {
			t.Fatalf("no private reply; calls: %v\n%s", calls, s.logs.String())
		}
		time.Sleep(25 * time.Millisecond)
	}
	if !strings.Contains(text, "Daily briefing scheduled: 08:00 Europe/London") {
		t.Errorf("reply %q, want the schedule confirmed", text)
	}
	ix, err := sqlite.Open(context.Background(), db, sqlite.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	br, err := ix.Briefing(context.Background(), "slack", "T1", "C0NEWS001")
	if err != nil || br.Minute != 8*60 || br.Zone != "Europe/London" || br.By != "U024BE7LH" {
		t.Errorf("stored briefing %+v, %v", br, err)
	}
}
