package main

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/byline-news/byline/retrieval/postgres/pgtest"
)

// feedSite serves two RSS feeds, each of another outlet, whose items
// carry their full text; a test adds items as news comes in.
type feedSite struct {
	srv   *httptest.Server
	mu    sync.Mutex
	items map[string][]string // feed name -> <item> elements
}

func newFeedSite(t *testing.T) *feedSite {
	s := &feedSite{items: map[string][]string{}}
	s.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		name := strings.TrimSuffix(strings.TrimPrefix(r.URL.Path, "/"), ".xml")
		s.mu.Lock()
		items := strings.Join(s.items[name], "\n")
		s.mu.Unlock()
		w.Header().Set("Content-Type", "application/rss+xml")
		fmt.Fprintf(w, `<?xml version="1.0"?><rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/">
<channel><title>%s</title><link>%s/</link>%s</channel></rss>`, outletOf(name), s.srv.URL, items)
	}))
	t.Cleanup(s.srv.Close)
	return s
}

func outletOf(feed string) string {
	return map[string]string{"wire": "Harbour Wire", "daily": "Coast Daily"}[feed]
}

func (s *feedSite) url(feed string) string { return s.srv.URL + "/" + feed + ".xml" }

// publish adds a story to a feed: paragraphs as its full text.
func (s *feedSite) publish(feed, slug, title string, paragraphs ...string) {
	var body strings.Builder
	for _, p := range paragraphs {
		body.WriteString("<p>" + p + "</p>")
	}
	item := fmt.Sprintf(`<item><title>%s</title><link>%s/%s/%s</link><pubDate>Tue, 01 Dec 2026 09:00:00 GMT</pubDate>
<content:encoded><![CDATA[%s]]></content:encoded></item>`, title, s.srv.URL, feed, slug, body.String())
	s.mu.Lock()
	s.items[feed] = append(s.items[feed], item)
	s.mu.Unlock()
}

// grainParagraphs is a story on Ukraine's grain; syndicated copies
// differ in a word.
func grainParagraphs(port string) []string {
	return []string{
		"Ukraine sent a convoy of grain ships to sea from " + port + " on Monday under the new corridor agreement, the ministry said.",
		"Officials at the port said the ships carried maize and wheat bound for buyers in Egypt, Turkey and Spain, and that more departures were planned for the rest of the week if the weather held.",
		"Farmers have warned for months that their silos were full and that prices had fallen below the cost of planting next season.",
	}
}

// channelCommand is a /news command typed in channel.
func channelCommand(trigger, channel, text, responseURL string) string {
	return url.Values{"command": {"/news"}, "text": {text}, "team_id": {"T1"}, "channel_id": {channel}, "user_id": {"U7"},
		"user_name": {"ann"}, "response_url": {responseURL}, "trigger_id": {trigger}, "api_app_id": {"A1"}}.Encode()
}

// channelPosts are the messages posted to channel outside any thread.
func (f *fakePlatforms) channelPosts(channel string) []slackPost {
	f.mu.Lock()
	defer f.mu.Unlock()
	var out []slackPost
	for _, p := range f.posts {
		if p.channel == channel && p.thread == "" {
			out = append(out, p)
		}
	}
	return out
}

// TestServeWatchesEndToEnd runs serve with Slack (through slack-go,
// against the fake Web API) and a watch loop, and feeds news to it the
// ways byline gets news: feed polls and byline index from other
// processes. Each watch posts a story once in its own channel, a
// syndicated copy not again, survives a restart, and a burst over the
// rate limit becomes one digest.
func TestServeWatchesEndToEnd(t *testing.T) {
	site, fake := newFeedSite(t), newFakePlatforms(t)
	e := newEnv(t)
	db := e.path("watch.db")
	e.vars["BYLINE_DB"], e.vars["BYLINE_FETCH_ALLOW"] = db, "127.0.0.1"
	site.publish("wire", "old", "Quay repairs begin", "Repairs to the north quay wall began on Monday.", "The car park will close.", "Divers found cracked blocks.")
	e.mustRun(0, "feeds", "add", site.url("wire"))
	e.mustRun(0, "feeds", "add", site.url("daily"))
	env := map[string]string{"BYLINE_DB": db, "BYLINE_FETCH_ALLOW": "127.0.0.1", "BYLINE_WATCH_RATE": "4",
		"SLACK_SIGNING_SECRET": slackSecret, "SLACK_API_URL": fake.srv.URL + "/api/", "SLACK_BOT_TOKEN": "xoxb-w"}
	fast := func(a *app) { a.watchEvery = 20 * time.Millisecond }
	r := startReplicaWith(t, "watcher", env, fast)
	command := func(r *replica, trigger, channel, text string) string {
		t.Helper()
		slackRequest(t, r, "/slack/commands", "application/x-www-form-urlencoded", channelCommand(trigger, channel, text, fake.respondURL(trigger)), nil)
		eventually(t, "the answer to "+text, func() bool { return len(fake.responded(trigger)) > 0 })
		return fake.responded(trigger)[0]
	}
	if got := command(r, "w1", "CGRAIN", "watch Ukraine grain"); !strings.Contains(got, "Watching “Ukraine grain”") {
		t.Fatalf("watch answered %s", got)
	}
	if got := command(r, "w2", "CPORT", "watch quay repairs"); !strings.Contains(got, "Watching") {
		t.Fatalf("watch answered %s", got)
	}

	// A feed poll from another process brings the story, carried by two
	// outlets word for word but one.
	site.publish("wire", "grain", "Grain convoy leaves Odesa", grainParagraphs("Odesa")...)
	site.publish("daily", "grain", "Grain ships sail from Odesa", grainParagraphs("Odesa port")...)
	e.mustRun(0, "feeds", "poll")
	eventually(t, "the watch's post", func() bool { return len(fake.channelPosts("CGRAIN")) > 0 })
	waitRounds(t, db)
	grain := fake.channelPosts("CGRAIN")
	if len(grain) != 1 || !strings.Contains(grain[0].blocks, "New on “Ukraine grain”") || !strings.Contains(grain[0].blocks, "Ukraine sent a convoy of grain ships") {
		t.Fatalf("posts in CGRAIN: %+v; want one post of the story with its sentence", grain)
	}
	if p := fake.channelPosts("CPORT"); len(p) != 0 {
		t.Errorf("CPORT, which watches another topic, got %+v (the old quay story is not news)", p)
	}

	// A restart keeps the watches, and what was posted.
	r.stop()
	r = startReplicaWith(t, "restarted", env, fast)
	if got := command(r, "w3", "CGRAIN", "watches"); !strings.Contains(got, "1. Ukraine grain") {
		t.Errorf("watches after a restart: %s", got)
	}
	waitRounds(t, db)
	if n := len(fake.channelPosts("CGRAIN")); n != 1 {
		t.Errorf("%d posts in CGRAIN after the restart, want still 1", n)
	}

	// A burst of 6 indexed by byline index, with 3 of the 4 posts an hour
	// left: 2 stories, then the other 4 in one digest.
	var lines []map[string]any
	for i := range 6 {
		lines = append(lines, map[string]any{"id": fmt.Sprintf("burst-%d", i), "title": fmt.Sprintf("Grain price report %d", i),
			"source": "Farm Weekly", "body": fmt.Sprintf("Ukraine grain prices moved again in week %d. Report %s.", i, strings.Repeat(fmt.Sprintf("w%d ", i), 60))})
	}
	e.runIn(jsonLines(t, lines...), "index", "-")
	eventually(t, "the burst's posts", func() bool { return len(fake.channelPosts("CGRAIN")) >= 4 })
	waitRounds(t, db)
	posts := fake.channelPosts("CGRAIN")[1:]
	digests := 0
	for _, p := range posts {
		if strings.Contains(p.blocks, "more stories on this channel's watches") {
			digests++
		}
	}
	if len(posts) != 3 || digests != 1 || !strings.Contains(posts[2].blocks, "4 more stories") {
		t.Errorf("burst of 6 with 3 posts left this hour: %d posts, %d digests; want 2 stories then one digest of 4\n%+v", len(posts), digests, posts)
	}
}

// TestReplicasWatchOnce runs two replicas on one PostgreSQL database,
// both with a watch loop: a story is posted once, by whichever holds
// the loop's lease at the time.
func TestReplicasWatchOnce(t *testing.T) {
	url := pgtest.URL(t)
	fake := newFakePlatforms(t)
	env := replicaEnv(url, fake, nil)
	delete(env, "DISCORD_PUBLIC_KEY")
	delete(env, "DISCORD_APP_ID")
	env["SLACK_BOT_TOKEN"] = "xoxb-both"
	fast := func(a *app) { a.watchEvery = 10 * time.Millisecond }
	a, b := startReplicaWith(t, "a", env, fast), startReplicaWith(t, "b", env, fast)
	slackRequest(t, a, "/slack/commands", "application/x-www-form-urlencoded", channelCommand("rw1", "CGRAIN", "watch ukraine grain", fake.respondURL("rw1")), nil)
	eventually(t, "the watch set", func() bool { return len(fake.responded("rw1")) > 0 })
	e := newEnv(t)
	e.vars["BYLINE_DATABASE_URL"] = url
	for i, outlet := range []string{"Harbour Wire", "Coast Daily", "Farm Weekly"} {
		paras := grainParagraphs(fmt.Sprintf("Odesa (%d)", i))
		if i == 2 { // another story
			paras = []string{"Ukraine grain prices rose for a third week, traders said.", strings.Repeat("Wheat and maize futures climbed. ", 20)}
		}
		e.runIn(jsonLines(t, map[string]any{"id": fmt.Sprintf("rw-%d", i), "title": "Grain from Odesa", "source": outlet,
			"body": strings.Join(paras, "\n\n")}), "index", "-")
	}
	waitRounds(t, url)
	b.stop()
	a.stop()
	if p := fake.channelPosts("CGRAIN"); len(p) != 2 {
		t.Errorf("%d posts from two replicas, want 2 (a story carried twice, and another): %+v", len(p), p)
	}
}

// waitRounds waits until the watch loop has read every article indexed
// and posted what it found, so a test can assert what was not posted.
func waitRounds(t *testing.T, db string) {
	t.Helper()
	ctx := context.Background()
	ix, err := openStore(ctx, db, false)
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	eventually(t, "the watch loop to catch up", func() bool {
		cursor, err1 := ix.WatchCursor(ctx)
		after, err2 := ix.ArticlesAfter(ctx, cursor, 1)
		pending, err3 := ix.PendingWatchHits(ctx)
		return err1 == nil && err2 == nil && err3 == nil && len(after) == 0 && len(pending) == 0
	})
}
