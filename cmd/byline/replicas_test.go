package main

import (
	"context"
	"crypto/ed25519"
	"fmt"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/byline-news/byline/llm/fakeai"
	"github.com/byline-news/byline/retrieval"
	"github.com/byline-news/byline/retrieval/postgres"
	"github.com/byline-news/byline/retrieval/postgres/pgtest"
)

// countingSite serves a feed with one story and a page to add from
// chat, written for these tests, and counts the fetches of each path.
type countingSite struct {
	srv  *httptest.Server
	mu   sync.Mutex
	hits map[string]int
}

func newCountingSite(t *testing.T) *countingSite {
	s := &countingSite{hits: map[string]int{}}
	pages := map[string]string{
		"/kiln": `<html><head><title>Medieval kiln found in Marsh Lane</title><meta property="og:site_name" content="Harbour Herald">
<meta property="article:published_time" content="2026-11-25T10:00:00Z"></head><body><article><h1>Medieval kiln found in Marsh Lane</h1>
<p>A pottery kiln dating from the twelfth century was uncovered by builders digging foundations in Marsh Lane.</p>
<p>Archaeologist Tomas Brenner said the kiln was the best preserved of its kind found in the county.</p></article></body></html>`,
		"/quay": `<html><head><title>Quay wall repairs begin</title><meta property="og:site_name" content="Lakeside Courier">
<meta property="article:published_time" content="2026-11-24T09:00:00Z"></head><body><article><h1>Quay wall repairs begin</h1>
<p>Repairs to the crumbling north quay wall began on Monday and will close the harbour car park until March, the port authority said.</p>
<p>Harbour master Aled Pryce said divers had found three cracked foundation blocks during an inspection in October.</p></article></body></html>`,
	}
	s.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.mu.Lock()
		s.hits[r.URL.Path]++
		s.mu.Unlock()
		if r.URL.Path == "/feed.xml" {
			w.Header().Set("Content-Type", "application/rss+xml")
			fmt.Fprintf(w, `<?xml version="1.0"?><rss version="2.0"><channel><title>Harbour Herald</title><link>http://%s/</link>
<item><title>Medieval kiln found</title><link>http://%s/kiln</link><pubDate>Wed, 25 Nov 2026 10:00:00 GMT</pubDate><description>Teaser.</description></item>
</channel></rss>`, r.Host, r.Host)
			return
		}
		page, ok := pages[r.URL.Path]
		if !ok {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprint(w, page)
	}))
	t.Cleanup(s.srv.Close)
	return s
}

func (s *countingSite) count(path string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.hits[path]
}

// openPG opens a handle of the test's own on the database at url, for
// seeding and checking what the replicas did.
func openPG(t *testing.T, url string) *postgres.Index {
	t.Helper()
	ix, err := postgres.Open(context.Background(), url, postgres.Options{Create: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ix.Close() })
	return ix
}

// stored reports whether ns/key of the chat state is in the database:
// a replica's state writer saves within half a second.
func stored(t *testing.T, db *postgres.Index, ns, key string) bool {
	_, _, ok, err := db.LoadState(context.Background(), ns, key, time.Now())
	if err != nil {
		t.Fatalf("LoadState %s/%s: %v", ns, key, err)
	}
	return ok
}

// TestReplicasStartTogether starts two replicas at the same moment on
// a schema that does not exist yet: one creates and migrates it while
// the other waits, and both serve.
func TestReplicasStartTogether(t *testing.T) {
	url := pgtest.URL(t)
	t.Parallel()
	pub, _, _ := ed25519.GenerateKey(nil)
	env := replicaEnv(url+"&pool_max_conns=3", newFakePlatforms(t), pub)
	rs := startReplicas(t, withToken(env, "a"), "a", "b")
	waitReady(t, rs...)
	if n := pgtest.QueryInt(t, url, `SELECT count(*) FROM byline_schema`); n != 1 {
		t.Errorf("byline_schema holds %d rows, want 1", n)
	}
	for _, r := range rs {
		if _, status := r.ready(t); status["database"] != "ok" {
			t.Errorf("replica %s: database %q", r.name, status["database"])
		}
	}
}

// TestReplicasCooperate runs two replicas, A and B, on one PostgreSQL
// database, as separate processes would (each its own store handle),
// and checks what the issue asks of replicas behind a load balancer:
// deliveries retried to the other replica are answered once; a thread
// follow-up and a 👍 work on the replica that did not give the answer;
// a due feed is polled by one of them; and an article added through A
// is answerable on B at once.
func TestReplicasCooperate(t *testing.T) {
	url := pgtest.URL(t)
	t.Parallel()
	e := newEnv(t)
	e.vars["BYLINE_DATABASE_URL"] = url
	e.mustRun(0, "index", writeFiles(t, e.path("in"), map[string]string{"news.jsonl": pgArticles(t)}))
	db := openPG(t, url)
	site := newCountingSite(t)
	if err := db.AddFeed(context.Background(), site.srv.URL+"/feed.xml", time.Hour, time.Now()); err != nil {
		t.Fatal(err)
	}
	fake := newFakePlatforms(t)
	pub, priv, _ := ed25519.GenerateKey(nil)
	env := replicaEnv(url+"&pool_max_conns=4", fake, pub)
	var a, b *replica
	var wg sync.WaitGroup
	wg.Go(func() { a = startReplica(t, "a", withToken(env, "a")) })
	wg.Go(func() { b = startReplica(t, "b", withToken(env, "b")) })
	wg.Wait()
	if a == nil || b == nil {
		t.FailNow()
	}
	waitReady(t, a, b)

	// Both polled the due feed at start; one fetched it.
	eventually(t, "the feed's story indexed", func() bool { n, _ := db.Count(context.Background()); return n == 3 })

	// A mention Slack delivered to A and retried to B.
	const ts1 = "1700000001.000100"
	mention := slackMention("Ev1", "U1", ts1, "", "who blamed the price of fuel?")
	if code, _ := slackRequest(t, a, "/slack/events", "application/json", mention, nil); code != http.StatusOK {
		t.Fatalf("mention to A: %d", code)
	}
	retry := map[string]string{"X-Slack-Retry-Num": "1", "X-Slack-Retry-Reason": "http_timeout"}
	if code, _ := slackRequest(t, b, "/slack/events", "application/json", mention, retry); code != http.StatusOK {
		t.Fatalf("retried mention to B: %d", code)
	}
	eventually(t, "the mention's answer", func() bool { return len(fake.threadPosts(ts1)) > 0 })
	first := fake.threadPosts(ts1)[0]
	if first.token != "xoxb-a" || !strings.Contains(first.text+first.blocks, "Calder Lines") {
		t.Errorf("the mention was answered by %s with %q; want A's answer naming Calder Lines", first.token, first.text)
	}

	// A slash command delivered to both.
	cmd := slackCommand("trigger-1", "U2", "what will close for six weeks?", fake.respondURL("cmd1"))
	if code, ack := slackRequest(t, a, "/slack/commands", "application/x-www-form-urlencoded", cmd, nil); code != http.StatusOK || !strings.Contains(ack, "Looking into") {
		t.Errorf("command to A: %d %q", code, ack)
	}
	if code, ack := slackRequest(t, b, "/slack/commands", "application/x-www-form-urlencoded", cmd, nil); code != http.StatusOK || strings.Contains(ack, "Looking into") {
		t.Errorf("the same command to B: %d %q; want an empty acknowledgement", code, ack)
	}
	eventually(t, "the command's answer", func() bool { return len(fake.responded("cmd1")) > 0 })
	if got := fake.responded("cmd1")[0]; !strings.Contains(got, "bridge") {
		t.Errorf("command answered %s; want the bridge story", got)
	}

	// A Discord interaction delivered to both: B refuses the replay.
	ia := discordCommand("7001", "itok-1", "6001", "who blamed the price of fuel?")
	code, resp := discordRequest(t, a, priv, ia)
	if code != http.StatusOK {
		t.Fatalf("interaction to A: %d %s", code, resp)
	}
	discordAns := discordAnswer(t, fake, "itok-1", resp)
	if !strings.Contains(discordAns, "Calder Lines") {
		t.Errorf("Discord answer %s; want Calder Lines", discordAns)
	}
	if code, body := discordRequest(t, b, priv, ia); code != http.StatusConflict {
		t.Errorf("the same interaction to B: %d %s; want 409, not a second answer", code, body)
	}

	// A follow-up in A's thread, delivered to B: B reads the thread
	// from the database and answers without a mention.
	eventually(t, "A's thread saved", func() bool { return stored(t, db, "slack.threads", "C1:"+ts1) })
	reply := slackReply("Ev3", "U1", "1700000001.000300", ts1, "and what did the operator blame besides fuel?")
	if code, _ := slackRequest(t, b, "/slack/events", "application/json", reply, nil); code != http.StatusOK {
		t.Fatalf("follow-up to B: %d", code)
	}
	eventually(t, "B's answer to the follow-up", func() bool { return len(fake.threadPosts(ts1)) >= 2 })
	if p := fake.threadPosts(ts1)[1]; p.token != "xoxb-b" || !strings.Contains(p.text+p.blocks, "crew agreement") {
		t.Errorf("follow-up answered by %s with %q; want B, citing the crew agreement", p.token, p.text)
	}

	// 👍 on A's Slack answer, clicked through B.
	id := findValue(first.blocks, "action_id", "byline_helpful")
	if id == "" {
		t.Fatalf("A's answer has no 👍 button: %s", first.blocks)
	}
	eventually(t, "A's answer saved for its buttons", func() bool { return stored(t, db, "slack.answers", id) })
	click := slackClick("U4", "byline_helpful", id, "1700000002.000001", fake.respondURL("click1"))
	if code, _ := slackRequest(t, b, "/slack/interactions", "application/x-www-form-urlencoded", click, nil); code != http.StatusOK {
		t.Fatalf("click to B: %d", code)
	}
	eventually(t, "the click acknowledged", func() bool { return len(fake.responded("click1")) > 0 })
	if got := fake.responded("click1")[0]; !strings.Contains(got, "Thanks for the feedback") {
		t.Errorf("click through B answered %s", got)
	}

	// 👍 on A's Discord answer, clicked through B.
	up := regexp.MustCompile(`byline:up:[A-Za-z0-9_-]+`).FindString(discordAns)
	if up == "" {
		t.Fatalf("A's Discord answer has no 👍 button: %s", discordAns)
	}
	eventually(t, "A's Discord answer saved", func() bool { return stored(t, db, "discord.answers", strings.TrimPrefix(up, "byline:up:")) })
	code, resp = discordRequest(t, b, priv, discordClick("7002", "itok-2", "6002", up))
	if got := discordAnswer(t, fake, "itok-2", resp); code != http.StatusOK || !strings.Contains(got, "Thanks for the feedback") {
		t.Errorf("Discord click through B: %d %s", code, got)
	}
	var votes []retrieval.Feedback
	db.ListFeedback(context.Background(), func(f retrieval.Feedback) error { votes = append(votes, f); return nil })
	if len(votes) != 2 || !votes[0].Helpful || !votes[1].Helpful || votes[0].Question != "who blamed the price of fuel?" {
		t.Errorf("feedback saved = %+v; want the two 👍 on the fuel question", votes)
	}

	// An article added through A is answerable on B, which had already
	// loaded the index, at its next question.
	ask := func(r *replica, trigger, user, text string) string {
		t.Helper()
		slackRequest(t, r, "/slack/commands", "application/x-www-form-urlencoded", slackCommand(trigger, user, text, fake.respondURL(trigger)), nil)
		eventually(t, "the answer to "+trigger, func() bool { return len(fake.responded(trigger)) > 0 })
		return fake.responded(trigger)[0]
	}
	if got := ask(b, "t-before", "U5", "who is the harbour master?"); strings.Contains(got, "Aled Pryce") {
		t.Fatalf("B knew the harbour master before the article was added: %s", got)
	}
	if got := ask(a, "t-add", "UADMIN", "add "+site.srv.URL+"/quay"); !strings.Contains(got, "Quay wall repairs begin") {
		t.Fatalf("add through A answered %s", got)
	}
	if got := ask(b, "t-after", "U6", "who is the harbour master?"); !strings.Contains(got, "Aled Pryce") {
		t.Errorf("B after the add through A answered %s; want Aled Pryce", got)
	}

	// Once both have stopped (answers in flight finish first), nothing
	// was done twice.
	a.stop()
	b.stop()
	if n := len(fake.threadPosts(ts1)); n != 2 {
		t.Errorf("%d posts in the thread, want 2 (the mention answered once, then the follow-up)", n)
	}
	if n := len(fake.responded("cmd1")); n != 1 {
		t.Errorf("the command was answered %d times, want once", n)
	}
	if f, k := site.count("/feed.xml"), site.count("/kiln"); f != 1 || k != 1 {
		t.Errorf("feed fetched %d times and its story %d; want once each", f, k)
	}
	if n, err := db.Count(context.Background()); n != 4 || err != nil {
		t.Errorf("%d articles, %v; want 4, each once", n, err)
	}
}

// TestReplicasEmbedOnce: two replicas with an embedding model start on
// a database whose paragraphs have no vectors; one embeds them (each
// text sent to the model once), and both end up answering with them.
func TestReplicasEmbedOnce(t *testing.T) {
	url := pgtest.URL(t)
	t.Parallel()
	srv := fakeai.Start(t, &fakeai.Handler{Embed: func(_ int, req fakeai.EmbedRequest) fakeai.EmbedReply {
		time.Sleep(50 * time.Millisecond) // a model takes a while: replicas would overlap
		var vs [][]float32
		for _, in := range req.Input {
			vs = append(vs, fakeai.HashEmbed(in, 64))
		}
		return fakeai.EmbedReply{Vectors: vs}
	}})
	e := newEnv(t)
	e.vars["BYLINE_DATABASE_URL"] = url
	e.mustRun(0, "index", writeFiles(t, e.path("news"), embedArticles))
	pub, _, _ := ed25519.GenerateKey(nil)
	env := replicaEnv(url+"&pool_max_conns=3", newFakePlatforms(t), pub)
	env["OPENAI_BASE_URL"], env["BYLINE_EMBED_MODEL"], env["BYLINE_EMBED_BATCH"] = srv.URL, "embed-a", "2"
	rs := startReplicas(t, withToken(env, "a"), "a", "b")
	e.vars["OPENAI_BASE_URL"], e.vars["BYLINE_EMBED_MODEL"] = srv.URL, "embed-a"
	eventually(t, "every paragraph embedded", func() bool { _, missing := e.vectorStats(url); return missing == 0 })
	for _, r := range rs {
		r.stop()
	}
	seen := map[string]int{}
	for _, req := range srv.EmbedRequests() {
		for _, in := range req.Input {
			seen[in]++
		}
	}
	for text, n := range seen {
		if n > 1 {
			t.Errorf("%q sent to the model %d times, want once", text, n)
		}
	}
	if len(seen) == 0 {
		t.Error("nothing was embedded")
	}
}
