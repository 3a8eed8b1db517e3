package main

import (
	"context"
	"crypto/ed25519"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/byline-news/byline/retrieval/postgres/pgtest"
)

// recoveryBound is how soon replicas must serve again once PostgreSQL
// is back: the bound, not a speed measured here.
const recoveryBound = 10 * time.Second

// TestReplicasSurviveDatabaseOutage runs two replicas whose connections
// go through a proxy, then cuts it as if PostgreSQL had stopped: /readyz
// says not ready, questions and clicks get clear replies, nothing
// crashes; once it is restored, both replicas serve again by themselves,
// with every committed article there.
func TestReplicasSurviveDatabaseOutage(t *testing.T) {
	url := pgtest.URL(t)
	t.Parallel()
	e := newEnv(t)
	e.vars["BYLINE_DATABASE_URL"] = url
	e.mustRun(0, "index", writeFiles(t, e.path("in"), map[string]string{"news.jsonl": pgArticles(t)}))
	proxy := pgtest.NewProxy(t)
	fake := newFakePlatforms(t)
	pub, priv, _ := ed25519.GenerateKey(nil)
	env := replicaEnv(proxy.URL(t, url)+"&pool_max_conns=3", fake, pub)
	a, b := startReplica(t, "a", withToken(env, "a")), startReplica(t, "b", withToken(env, "b"))
	waitReady(t, a, b)
	ask := func(r *replica, trigger, text string) string {
		t.Helper()
		slackRequest(t, r, "/slack/commands", "application/x-www-form-urlencoded", slackCommand(trigger, "U-"+trigger, text, fake.respondURL(trigger)), nil)
		eventually(t, "the answer to "+trigger, func() bool { return len(fake.responded(trigger)) > 0 })
		return fake.responded(trigger)[0]
	}
	click := func(r *replica, id, actionTS, respond string) string {
		t.Helper()
		slackRequest(t, r, "/slack/interactions", "application/x-www-form-urlencoded", slackClick("U9", "byline_helpful", id, actionTS, fake.respondURL(respond)), nil)
		eventually(t, "the click "+respond+" acknowledged", func() bool { return len(fake.responded(respond)) > 0 })
		return fake.responded(respond)[0]
	}
	before := ask(a, "before", "who blamed the price of fuel?")
	if !strings.Contains(before, "Calder Lines") {
		t.Fatalf("answer before the outage: %s", before)
	}
	answerID := findValue(before, "action_id", "byline_helpful")

	proxy.Cut()
	for _, r := range []*replica{a, b} {
		eventually(t, "replica "+r.name+" not ready", func() bool { code, _ := r.ready(t); return code == http.StatusServiceUnavailable })
		if _, status := r.ready(t); status["database"] != "unreachable" {
			t.Errorf("replica %s /readyz says database %q; want unreachable", r.name, status["database"])
		}
		if logs := r.logs.String(); strings.Count(logs, "not ready: the database is unreachable") != 1 || !strings.Contains(logs, "cannot reach the database") {
			t.Errorf("replica %s logged the outage %d times, want once with its cause:\n%s", r.name, strings.Count(logs, "not ready"), logs)
		}
	}
	if got := ask(a, "during", "what will close for six weeks?"); !strings.Contains(got, "I can't reach my index right now") {
		t.Errorf("Slack question during the outage answered %s", got)
	}
	code, resp := discordRequest(t, b, priv, discordCommand("7101", "itok-out", "6101", "who blamed the price of fuel?"))
	if got := discordAnswer(t, fake, "itok-out", resp); code != http.StatusOK || !strings.Contains(got, "I can't reach my index right now") {
		t.Errorf("Discord question during the outage: %d %s", code, got)
	}
	if got := click(a, answerID, "1700000003.000001", "vote-during"); !strings.Contains(got, "couldn't record your feedback") {
		t.Errorf("👍 during the outage answered %s; want a clear failure", got)
	}

	proxy.Restore(t)
	restored := time.Now()
	for _, r := range []*replica{a, b} {
		for code, _ := r.ready(t); code != http.StatusOK; code, _ = r.ready(t) {
			if time.Since(restored) > recoveryBound {
				t.Fatalf("replica %s not ready %s after PostgreSQL came back", r.name, recoveryBound)
			}
			time.Sleep(20 * time.Millisecond)
		}
	}
	t.Logf("both replicas ready %s after PostgreSQL came back", time.Since(restored).Round(time.Millisecond))
	if got := ask(b, "after", "what will close for six weeks?"); !strings.Contains(got, "bridge") {
		t.Errorf("question after the outage answered %s", got)
	}
	if got := click(a, answerID, "1700000004.000001", "vote-after"); !strings.Contains(got, "Thanks for the feedback") {
		t.Errorf("👍 after the outage answered %s", got)
	}
	if ids := e.listIDs(url); !slices.Equal(ids, []string{"bridge-repairs", "ferry-fares"}) {
		t.Errorf("articles after the outage: %v", ids)
	}
	for _, r := range []*replica{a, b} {
		if logs := r.logs.String(); strings.Contains(logs, "panic") {
			t.Errorf("replica %s panicked:\n%s", r.name, logs)
		}
	}
}

// TestIndexInterruptedByLostConnection cuts the connection of a
// "byline index" run to PostgreSQL half-way through writing: the run
// fails with a clear error and the index is exactly as before (one
// transaction), and the next run succeeds.
func TestIndexInterruptedByLostConnection(t *testing.T) {
	url := pgtest.URL(t)
	t.Parallel()
	e := newEnv(t)
	e.vars["BYLINE_DATABASE_URL"] = url
	e.mustRun(0, "index", writeFiles(t, e.path("in"), map[string]string{"news.jsonl": pgArticles(t)}))
	before := e.askJSON("who blamed the price of fuel?")
	gen := pgtest.QueryInt(t, url, `SELECT value FROM meta WHERE key = 'generation'`)

	// A large run that also replaces one of the two articles.
	records := []map[string]any{{"id": "ferry-fares", "title": "Island ferry fares frozen", "outlet": "Harbour Wire",
		"published": "2026-10-09T08:00:00Z", "body": "Calder Lines froze ferry fares after the council stepped in."}}
	for i := range 400 {
		var body []string
		for p := range 5 {
			body = append(body, fmt.Sprintf("Paragraph %d of made-up report %d: the parish council of Ember Vale number %d met on Tuesday "+
				"to discuss the drainage of the lower meadow and the repair of the footbridge by the mill.", p, i, i))
		}
		records = append(records, map[string]any{"id": fmt.Sprintf("report-%d", i), "title": fmt.Sprintf("Ember Vale report %d", i),
			"body": strings.Join(body, "\n\n")})
	}
	big := writeFiles(t, e.path("big"), map[string]string{"big.jsonl": jsonLines(t, records...)})
	proxy := pgtest.NewProxy(t)
	proxy.CutAfter(256 << 10) // of about 690 kB the whole run sends
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	r := e.runCtx(ctx, "", "index", "--db", proxy.URL(t, url), big)
	if r.code == 0 || !strings.Contains(r.err, "cannot reach the database") || !strings.Contains(r.err, "the index is unchanged") {
		t.Errorf("interrupted index: exit %d\nstdout:\n%s\nstderr:\n%s\nwant a failure saying the database was lost and nothing changed", r.code, r.out, r.err)
	}
	if proxy.Accepted() == 0 {
		t.Fatal("the run never went through the proxy")
	}
	if ids := e.listIDs(url); !slices.Equal(ids, []string{"bridge-repairs", "ferry-fares"}) {
		t.Errorf("articles after the interrupted run: %v, want the two from before", ids)
	}
	if g := pgtest.QueryInt(t, url, `SELECT value FROM meta WHERE key = 'generation'`); g != gen {
		t.Errorf("generation %d after the interrupted run, want %d", g, gen)
	}
	for table, want := range map[string]int64{"articles": 2, "paragraphs": 4} {
		if n := pgtest.QueryInt(t, url, `SELECT count(*) FROM `+table); n != want {
			t.Errorf("%d rows in %s, want %d", n, table, want)
		}
	}
	if after := e.askJSON("who blamed the price of fuel?"); after.Answer != before.Answer {
		t.Errorf("answer changed by the interrupted run:\nbefore %q\nafter  %q", before.Answer, after.Answer)
	}
	// Nothing was left locked: the same run, straight to the server, works.
	if r := e.runCtx(ctx, "", "index", big); r.code != 0 || !strings.Contains(r.out, "400 new, 1 replaced") {
		t.Errorf("index after the interruption: exit %d\n%s%s", r.code, r.out, r.err)
	}
}
