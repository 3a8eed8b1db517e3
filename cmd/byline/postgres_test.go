package main

import (
	"slices"
	"strings"
	"testing"

	"github.com/byline-news/byline/retrieval/postgres/pgtest"
)

// pgArticles are two articles written for these tests.
func pgArticles(t *testing.T) string {
	return jsonLines(t,
		map[string]any{"id": "ferry-fares", "title": "Island ferry fares rise", "outlet": "Harbour Wire", "published": "2026-10-02T08:00:00Z",
			"body": "Fares on the island ferry will rise by a tenth in November, the operator said on Friday.\n\nThe operator, Calder Lines, blamed the price of fuel and a new crew agreement."},
		map[string]any{"id": "bridge-repairs", "title": "Old bridge closes for repairs", "outlet": "Civic Times", "published": "2026-10-05T08:00:00Z",
			"body": "The old stone bridge over the Arlen will close for six weeks of repairs from Monday.\n\nEngineer Nadia Okafor said the arches had been weakened by the spring floods."},
	)
}

// TestPostgresCommands runs the commands over PostgreSQL, chosen once
// by BYLINE_DATABASE_URL and once by --db.
func TestPostgresCommands(t *testing.T) {
	url := pgtest.URL(t)
	t.Parallel()
	e := newEnv(t)
	input := writeFiles(t, e.path("in"), map[string]string{"news.jsonl": pgArticles(t)})
	e.vars["BYLINE_DATABASE_URL"] = url

	r := e.mustRun(0, "index", input)
	if !strings.Contains(r.out, "2 new") {
		t.Errorf("index output:\n%s%s", r.out, r.err)
	}
	doc := e.askJSON("who blamed the price of fuel?")
	if doc.Abstained || !slices.Contains(cited(doc), "ferry-fares") {
		t.Errorf("ask over PostgreSQL = %+v, want an answer citing ferry-fares", doc)
	}
	if ids := e.listIDs(url); !slices.Equal(ids, []string{"bridge-repairs", "ferry-fares"}) {
		t.Errorf("list = %v, want both, newest first", ids)
	}
	if a, p := e.stats(url); a != 2 || p != 4 {
		t.Errorf("stats = %d articles, %d paragraphs; want 2, 4", a, p)
	}
	// A feed whose first poll fails is not kept; one that answers is
	// subscribed and its article indexed.
	feed := newsSite(t).URL + "/feed.xml"
	if r := e.run("feeds", "add", feed); r.code != 1 || !strings.Contains(r.err, "not subscribed") {
		t.Errorf("feeds add of a refused address: exit %d\n%s%s", r.code, r.out, r.err)
	}
	e.vars["BYLINE_FETCH_ALLOW"] = "127.0.0.1"
	if r := e.mustRun(0, "feeds", "add", "--every", "30m", feed); !strings.Contains(r.out, "Subscribed") || !strings.Contains(r.out, "1 indexed") {
		t.Errorf("feeds add:\n%s%s", r.out, r.err)
	}
	if r := e.mustRun(0, "feeds", "list"); !strings.Contains(r.out, feed) {
		t.Errorf("feeds list:\n%s", r.out)
	}
	e.mustRun(0, "feeds", "remove", feed)
	e.mustRun(0, "feedback")
	e.mustRun(0, "delete", "bridge-repairs")

	// --db takes a URL too, and wins over the environment.
	delete(e.vars, "BYLINE_DATABASE_URL")
	if ids := e.listIDs(url); len(ids) != 2 || !slices.Contains(ids, "ferry-fares") || slices.Contains(ids, "bridge-repairs") {
		t.Errorf("list --db URL after delete = %v, want ferry-fares and the feed's article", ids)
	}
	if r := e.run("ask", "--db", strings.Replace(url, "search_path=", "search_path=no_such_", 1), "anything"); r.code == 0 ||
		!strings.Contains(r.err, "does not exist") && !strings.Contains(r.err, "no such schema") {
		t.Errorf("ask on a missing schema: exit %d, %s", r.code, r.err)
	}
}

// TestMigrateCommand copies a SQLite file into PostgreSQL with byline
// migrate, runs it again, and asks both the same question.
func TestMigrateCommand(t *testing.T) {
	url := pgtest.URL(t)
	t.Parallel()
	e := newEnv(t)
	input := writeFiles(t, e.path("in"), map[string]string{"news.jsonl": pgArticles(t)})
	file := e.path("news.db")
	e.mustRun(0, "index", "--db", file, input)
	e.vars["BYLINE_FETCH_ALLOW"] = "127.0.0.1"
	e.mustRun(0, "feeds", "add", "--db", file, newsSite(t).URL+"/feed.xml") // a feed row to copy

	r := e.mustRun(0, "migrate", "--from", file, "--to", url)
	for _, want := range []string{"every table checked", "articles", "paragraphs", "postings", "feeds"} {
		if !strings.Contains(r.out, want) {
			t.Errorf("migrate output lacks %q:\n%s", want, r.out)
		}
	}
	if r := e.mustRun(0, "migrate", "--from", file, "--to", url); !strings.Contains(r.out, "nothing to do") {
		t.Errorf("second migrate:\n%s", r.out)
	}
	q := "what weakened the arches of the bridge?"
	lite, pg := e.askJSON("--db", file, q), e.askJSON("--db", url, q)
	if lite.Answer == "" || lite.Answer != pg.Answer || !slices.Equal(cited(lite), cited(pg)) {
		t.Errorf("answers differ:\nSQLite     %+v\nPostgreSQL %+v", lite, pg)
	}
	e.mustRun(0, "index", "--db", file, writeFiles(t, e.path("more"), map[string]string{"more.jsonl": jsonLines(t,
		map[string]any{"id": "extra", "title": "Market day moves", "body": "The Saturday market moves to the quay from next week."})}))
	if r := e.run("migrate", "--from", file, "--to", url); r.code == 0 || !strings.Contains(r.err, "--replace") {
		t.Errorf("migrate onto an older copy: exit %d, %s; want a refusal naming --replace", r.code, r.err)
	}
	e.mustRun(0, "migrate", "--from", file, "--to", url, "--replace")
	if r := e.mustRun(0, "feeds", "list", "--db", url); !strings.Contains(r.out, "/feed.xml") {
		t.Errorf("feeds after migrate:\n%s", r.out)
	}
	if ids := e.listIDs(url); !slices.Contains(ids, "extra") {
		t.Errorf("after --replace: %v, want the new article too", ids)
	}
	if r := e.run("migrate", "--from", file); r.code != 2 {
		t.Errorf("migrate without --to: exit %d, want 2 (usage)", r.code)
	}
}
