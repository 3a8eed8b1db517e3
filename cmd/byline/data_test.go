package main

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"runtime/debug"
	"slices"
	"strings"
	"testing"

	"github.com/byline-news/byline/ingest/samples"
	"github.com/byline-news/byline/retrieval"
	"github.com/byline-news/byline/retrieval/sqlite"
)

// realStory is an article of the user's own, as a text file.
const realStory = "# Council approves new cycle lanes\n\nThe city council voted 31 to 9 on Wednesday to build protected cycle lanes on three main roads.\n"

// TestSamplesGoWhenRealArticlesArrive: the samples answer the first
// question on the default database, and the first real index run
// removes them, saying so; they never come back.
func TestSamplesGoWhenRealArticlesArrive(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.mustRun(0, "ask", "what did Liang deny?")
	if n, _ := e.stats(e.defaultDB()); n != len(samples.Names()) {
		t.Fatalf("after the first ask: %d articles, want the %d samples", n, len(samples.Names()))
	}
	dir := writeFiles(t, e.path("news"), map[string]string{"lanes.md": realStory})
	r := e.mustRun(0, "index", dir)
	want := fmt.Sprintf("removed the %d built-in sample articles from %s, now that it holds your own articles", len(samples.Names()), e.defaultDB())
	if !strings.Contains(r.err, want) {
		t.Errorf("index stderr lacks %q:\n%s", want, r.err)
	}
	ids := e.listIDs(e.defaultDB())
	if len(ids) != 1 || strings.HasPrefix(ids[0], "sample-") {
		t.Errorf("after indexing one real article: %v", ids)
	}
	doc := e.askJSON("what did Liang deny?")
	if !doc.Abstained {
		t.Errorf("a sample still answers: %+v", doc)
	}
	// Indexing more says nothing about samples; deleting every real
	// article does not bring them back.
	if r := e.mustRun(0, "index", dir); strings.Contains(r.err, "sample") {
		t.Errorf("second index mentions samples:\n%s", r.err)
	}
	e.mustRun(0, "delete", ids[0])
	r = e.mustRun(0, "ask", "what did Liang deny?")
	if !strings.Contains(r.err, "holds no articles yet") || strings.Contains(r.err, "sample") {
		t.Errorf("ask on an emptied database: stderr %q", r.err)
	}
	if n, _ := e.stats(e.defaultDB()); n != 0 {
		t.Errorf("samples came back: %d articles", n)
	}
}

// TestSamplesGoOnAdd: an article added from the web removes them too.
func TestSamplesGoOnAdd(t *testing.T) {
	t.Parallel()
	site := newsSite(t)
	e := newEnv(t)
	e.vars["BYLINE_FETCH_ALLOW"] = "127.0.0.1"
	e.mustRun(0, "ask", "who won the Coastal Cup?")
	r := e.mustRun(0, "add", site.URL+"/quay")
	if !strings.Contains(r.err, "removed the") {
		t.Errorf("add stderr: %q", r.err)
	}
	if n, _ := e.stats(e.defaultDB()); n != 1 {
		t.Errorf("after add: %d articles, want 1", n)
	}
}

// TestFeedsAddRefused: a feed whose first poll fails is not subscribed,
// and the reason is printed once.
func TestFeedsAddRefused(t *testing.T) {
	t.Parallel()
	site := newsSite(t)
	e := newEnv(t)
	db := e.path("feeds.db")
	feed := site.URL + "/feed.xml"
	r := e.run("feeds", "add", "--db", db, feed) // loopback, not allowed
	if r.code != 1 {
		t.Fatalf("exit %d, want 1; stderr %q", r.code, r.err)
	}
	if lines := strings.Split(strings.TrimSpace(r.err), "\n"); len(lines) != 1 ||
		!strings.Contains(lines[0], "refusing") || !strings.Contains(lines[0], "not subscribed") || strings.Count(lines[0], feed) != 1 {
		t.Errorf("stderr should be one line that names the feed once:\n%s", r.err)
	}
	if r.out != "" {
		t.Errorf("stdout %q, want nothing", r.out)
	}
	if r := e.mustRun(0, "feeds", "list", "--db", db); strings.Contains(r.out, feed) {
		t.Errorf("refused feed is listed:\n%s", r.out)
	}
	// A feed already subscribed stays when adding it again fails.
	e.vars["BYLINE_FETCH_ALLOW"] = "127.0.0.1"
	e.mustRun(0, "feeds", "add", "--db", db, feed)
	delete(e.vars, "BYLINE_FETCH_ALLOW")
	if r := e.run("feeds", "add", "--db", db, feed, "--every", "1h"); r.code != 1 || !strings.Contains(r.err, "still subscribed") {
		t.Errorf("re-add that fails: exit %d, %q", r.code, r.err)
	}
	if r := e.mustRun(0, "feeds", "list", "--db", db); !strings.Contains(r.out, feed) {
		t.Errorf("subscribed feed lost:\n%s", r.out)
	}
}

func TestListLimit(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	db := e.path("list.db")
	var recs []map[string]any
	for i := 1; i <= 5; i++ {
		recs = append(recs, map[string]any{"id": fmt.Sprintf("a%d", i), "title": fmt.Sprintf("Story %d", i),
			"body": fmt.Sprintf("Story number %d is about the harbour.", i), "published": fmt.Sprintf("2024-01-0%dT00:00:00Z", i)})
	}
	e.mustRun(0, "index", "--db", db, writeFiles(t, e.path("in"), map[string]string{"a.jsonl": jsonLines(t, recs...)}))

	r := e.mustRun(0, "list", "--db", db, "--limit", "2")
	if rows := strings.Count(r.out, "\n"); rows != 3 || !strings.Contains(r.out, "a5") || !strings.Contains(r.out, "a4") {
		t.Errorf("--limit 2 printed:\n%s", r.out)
	}
	if want := "showing the newest 2 of 5 articles; 3 more (--limit 0 lists all)"; !strings.Contains(r.err, want) {
		t.Errorf("stderr lacks %q: %q", want, r.err)
	}
	for _, args := range [][]string{{"--limit", "0"}, {}, {"--limit", "5"}} {
		r := e.mustRun(0, append([]string{"list", "--db", db}, args...)...)
		if rows := strings.Count(r.out, "\n"); rows != 6 || r.err != "" {
			t.Errorf("list %v: %d lines, stderr %q", args, rows, r.err)
		}
	}
	if r := e.mustRun(0, "list", "--json", "--db", db, "--limit", "1"); strings.Count(r.out, "\n") != 1 {
		t.Errorf("--json --limit 1: %q", r.out)
	}
	if r := e.run("list", "--db", db, "--limit", "-1"); r.code != 2 {
		t.Errorf("--limit -1: exit %d", r.code)
	}
}

// TestIndexSameRunReplacement: records with placeholder URLs stay apart,
// and a record that replaces another of the same run is reported.
func TestIndexSameRunReplacement(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	db := e.path("dup.db")
	in := jsonLines(t,
		map[string]any{"id": "a", "title": "One", "body": "The first story is about ferries.", "url": "n/a"},
		map[string]any{"id": "b", "title": "Two", "body": "The second story is about trains.", "url": "n/a"},
		map[string]any{"id": "c", "title": "Three", "body": "The third story is about buses.", "url": "n/a"},
		map[string]any{"id": "c", "title": "Three again", "body": "The third story, corrected, is about buses.", "url": "n/a"},
	)
	r := e.runIn(in, "index", "--db", db, "-")
	if r.code != 0 {
		t.Fatalf("exit %d: %s", r.code, r.err)
	}
	if !strings.Contains(r.out, "Indexed 3 articles") || !strings.Contains(r.out, "3 new, 0 replaced") {
		t.Errorf("summary: %q", r.out)
	}
	if want := "warning: stdin:4 (ID c) replaces stdin:3 (ID c) from this same run (same ID); only the later is kept"; !strings.Contains(r.err, want) {
		t.Errorf("stderr lacks %q:\n%s", want, r.err)
	}
	if !strings.Contains(r.out, "1 input record replaced another from this run") {
		t.Errorf("summary does not count the replacement: %q", r.out)
	}
	if ids := e.listIDs(db); !slices.Equal(ids, []string{"a", "b", "c"}) {
		t.Errorf("IDs %v", ids)
	}
}

// TestErrorsNamePathOnce: "stat /x: stat /x: …" said the path twice.
func TestErrorsNamePathOnce(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	missing := e.path("no-such-dir")
	r := e.run("index", "--db", e.path("x.db"), missing)
	if r.code != 1 || strings.Count(r.err, missing) != 1 || !strings.Contains(r.err, "no such file") {
		t.Errorf("exit %d, stderr %q: want the path once", r.code, r.err)
	}
}

func TestHealthcheck(t *testing.T) {
	t.Parallel()
	healthy := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/healthz" || r.Method != http.MethodGet {
			http.NotFound(w, r)
			return
		}
		fmt.Fprintln(w, "ok")
	}))
	defer healthy.Close()
	sick := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Error(w, "database unreachable", http.StatusServiceUnavailable)
	}))
	defer sick.Close()
	closed := httptest.NewServer(http.NotFoundHandler())
	closedAddr := closed.Listener.Addr().String()
	closed.Close()

	addr := func(s *httptest.Server) string { return s.Listener.Addr().String() }
	_, port, _ := net.SplitHostPort(addr(healthy))
	tests := []struct {
		name   string
		env    string // BYLINE_HTTP_ADDR
		args   []string
		code   int
		stream string // what stdout (code 0) or stderr says
	}{
		{"from BYLINE_HTTP_ADDR", addr(healthy), nil, 0, "ok: http://" + addr(healthy) + "/healthz"},
		{"any-host address", ":" + port, nil, 0, "ok: http://127.0.0.1:" + port + "/healthz"},
		{"--addr", "", []string{"--addr", addr(healthy)}, 0, "ok:"},
		{"503", addr(sick), nil, 1, "unhealthy: http://" + addr(sick) + "/healthz answered 503 Service Unavailable: database unreachable"},
		{"nothing listening", closedAddr, nil, 1, "connection refused"},
		{"bad address", "", []string{"--addr", "8080"}, 2, "want host:port"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnv(t)
			if tt.env != "" {
				e.vars["BYLINE_HTTP_ADDR"] = tt.env
			}
			r := e.run(append([]string{"healthcheck"}, tt.args...)...)
			out := r.out
			if tt.code != 0 {
				out = r.err
			}
			if r.code != tt.code || !strings.Contains(out, tt.stream) {
				t.Errorf("exit %d, stdout %q, stderr %q; want %d and %q", r.code, r.out, r.err, tt.code, tt.stream)
			}
		})
	}
}

func TestHealthURL(t *testing.T) {
	for addr, want := range map[string]string{
		":8080": "http://127.0.0.1:8080/healthz", "0.0.0.0:8080": "http://127.0.0.1:8080/healthz",
		"[::]:8080": "http://[::1]:8080/healthz", "10.1.2.3:80": "http://10.1.2.3:80/healthz", "bot.internal:9000": "http://bot.internal:9000/healthz",
	} {
		if got, err := healthURL(addr); err != nil || got != want {
			t.Errorf("healthURL(%q) = %q, %v; want %q", addr, got, err, want)
		}
	}
}

func TestVersionLine(t *testing.T) {
	info := &debug.BuildInfo{Main: debug.Module{Path: "github.com/byline-news/byline", Version: "v1.4.0"},
		Settings: []debug.BuildSetting{{Key: "vcs.revision", Value: "0123456789abcdef0123"}, {Key: "vcs.time", Value: "2026-11-09T08:30:00Z"}, {Key: "vcs.modified", Value: "true"}}}
	if got := versionLine(info, true); !strings.HasPrefix(got, "byline v1.4.0 (0123456789ab, 2026-11-09T08:30:00Z, modified) go") {
		t.Errorf("versionLine = %q", got)
	}
	if got := versionLine(&debug.BuildInfo{Main: debug.Module{Version: "(devel)"}}, true); !strings.HasPrefix(got, "byline (devel) go") {
		t.Errorf("devel build: %q", got)
	}
	if got := versionLine(nil, false); !strings.HasPrefix(got, "byline (unknown version) go") {
		t.Errorf("no build info: %q", got)
	}
}

// TestTerminalOutputNeutralised: an article can carry a bidirectional
// override or an escape sequence (here, put straight into the index, as
// a web page or an older byline could have): neither reaches the
// terminal, in the answer, the sources or list.
func TestTerminalOutputNeutralised(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	db := e.path("bidi.db")
	ix, err := sqlite.Open(context.Background(), db, sqlite.Options{Create: true})
	if err != nil {
		t.Fatal(err)
	}
	_, err = ix.Put(context.Background(), []retrieval.Article{{ID: "evil", Title: "Harbour \u202eevael\u202c news\x1b]0;pwned\x07",
		Outlet: "Wire\x1b[31m", Paragraphs: []string{"The harbour master \u2066resigned\u2069 on Monday after the \x1b[2Jstorm damage."}}})
	ix.Close()
	if err != nil {
		t.Fatal(err)
	}
	for _, args := range [][]string{{"ask", "--db", db, "when did the harbour master resign?"}, {"list", "--db", db}} {
		r := e.mustRun(0, args...)
		if strings.ContainsAny(r.out, "\u202e\u202c\u2066\u2069\x1b\x07") {
			t.Errorf("%v printed a control: %q", args, r.out)
		}
		if !strings.Contains(r.out, "Harbour evael news") {
			t.Errorf("%v lost the title: %q", args, r.out)
		}
	}
}

// TestAskFallbackReasonRedactsKey: an endpoint that echoes the API key in
// its error text does not put it into ask --json's fallback_reason or
// the log.
func TestAskFallbackReasonRedactsKey(t *testing.T) {
	t.Parallel()
	const key = "sk-live-0123456789abcdefSECRET"
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusUnauthorized)
		fmt.Fprintf(w, `{"error":{"message":"Incorrect API key provided: %s","type":"invalid_request_error"}}`,
			strings.TrimPrefix(r.Header.Get("Authorization"), "Bearer "))
	}))
	defer srv.Close()
	e := newEnv(t)
	e.vars["OPENAI_BASE_URL"] = srv.URL
	e.vars["OPENAI_API_KEY"] = key
	e.vars["BYLINE_CHAT_MODEL"] = "gpt-4o-mini"
	e.vars["BYLINE_LOG_LEVEL"] = "debug"
	r := e.mustRun(0, "ask", "--json", "what did Liang deny?")
	doc, _ := decodeAsk(t, r.out)
	if doc.Mode != "extractive" || !strings.Contains(doc.FallbackReason, "401") || !strings.Contains(doc.FallbackReason, "[redacted API key]") {
		t.Errorf("mode %q, fallback_reason %q: want the extractive answer and the redacted 401", doc.Mode, doc.FallbackReason)
	}
	if strings.Contains(r.out+r.err, key) {
		t.Errorf("the key was printed:\nstdout %s\nstderr %s", r.out, r.err)
	}
}

func TestCount(t *testing.T) {
	for _, tt := range []struct {
		n    int
		noun string
		want string
	}{{0, "article", "0 articles"}, {1, "article", "1 article"}, {2127, "paragraph", "2,127 paragraphs"}, {1, "entry", "1 entry"}, {3, "entry", "3 entries"}} {
		if got := count(tt.n, tt.noun); got != tt.want {
			t.Errorf("count(%d, %q) = %q, want %q", tt.n, tt.noun, got, tt.want)
		}
	}
}
