package main

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// newsSite serves one article page and an RSS feed linking to it.
func newsSite(t *testing.T) *httptest.Server {
	t.Helper()
	mux := http.NewServeMux()
	mux.HandleFunc("/quay", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, `<html><head><title>Quay wall repairs begin | Lakeside Courier</title>
<meta property="og:site_name" content="Lakeside Courier"><meta property="article:published_time" content="2026-11-24T09:00:00Z"></head>
<body><nav>News | Sport | Weather</nav><article><h1>Quay wall repairs begin</h1>
<p>Repairs to the crumbling north quay wall began on Monday and will close the harbour car park until March, the port authority said.</p>
<p>Harbour master Aled Pryce said divers had found three cracked foundation blocks during an inspection in October.</p>
</article><footer>Lakeside Courier</footer></body></html>`)
	})
	mux.HandleFunc("/feed.xml", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/rss+xml")
		fmt.Fprintf(w, `<?xml version="1.0"?><rss version="2.0"><channel><title>Lakeside Courier</title><link>http://%s/</link>
<item><title>Quay wall repairs begin</title><link>http://%s/quay</link><pubDate>Tue, 24 Nov 2026 09:00:00 GMT</pubDate><description>Teaser.</description></item>
</channel></rss>`, r.Host, r.Host)
	})
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	return srv
}

func TestAddURLCommand(t *testing.T) {
	site := newsSite(t)
	e := newEnv(t)
	db := e.path("web.db")
	// Without the allow list, a loopback address is refused (SSRF guard).
	r := e.run("add", "--db", db, site.URL+"/quay")
	if r.code != 1 || !strings.Contains(r.err, "refusing to connect (BYLINE_FETCH_ALLOW can allow it)") {
		t.Fatalf("add without BYLINE_FETCH_ALLOW: exit %d, stderr %q; want 1 and a refusal naming the setting", r.code, r.err)
	}
	e.vars["BYLINE_FETCH_ALLOW"] = "127.0.0.1"
	r = e.mustRun(0, "add", "--db", db, site.URL+"/quay")
	if !strings.Contains(r.out, `"Quay wall repairs begin"`) || !strings.Contains(r.out, "Lakeside Courier") || !strings.Contains(r.out, "2 paragraphs") {
		t.Errorf("add output = %q", r.out)
	}
	r = e.mustRun(0, "ask", "--db", db, "who is the harbour master?")
	if !strings.Contains(r.out, "Aled Pryce") {
		t.Errorf("ask after add = %q", r.out)
	}
	if r := e.run("add", "--db", db, "ftp://example.com/x"); r.code != 1 || !strings.Contains(r.err, "scheme") {
		t.Errorf("ftp URL: exit %d, stderr %q", r.code, r.err)
	}
}

func TestFeedsCommands(t *testing.T) {
	site := newsSite(t)
	e := newEnv(t)
	e.vars["BYLINE_FETCH_ALLOW"] = "127.0.0.1"
	db := e.path("feeds.db")
	feed := site.URL + "/feed.xml"
	r := e.mustRun(0, "feeds", "add", "--db", db, feed, "--every", "30m")
	if !strings.Contains(r.out, "Subscribed") || !strings.Contains(r.out, "1 indexed") {
		t.Errorf("feeds add = %q", r.out)
	}
	r = e.mustRun(0, "feeds", "list", "--db", db)
	if !strings.Contains(r.out, feed) || !strings.Contains(r.out, "Lakeside Courier") || !strings.Contains(r.out, "30m0s") {
		t.Errorf("feeds list = %q", r.out)
	}
	r = e.mustRun(0, "feeds", "poll", "--db", db)
	if !strings.Contains(r.out, "1 already indexed") && !strings.Contains(r.out, "not modified") {
		t.Errorf("second poll = %q, want nothing new", r.out)
	}
	if r := e.mustRun(0, "stats", "--db", db); !strings.Contains(r.out, "articles    1") {
		t.Errorf("stats after two polls = %q, want 1 article", r.out)
	}
	e.mustRun(0, "feeds", "remove", "--db", db, feed)
	if r := e.run("feeds", "remove", "--db", db, feed); r.code != 1 || !strings.Contains(r.err, "not found") {
		t.Errorf("removing twice: exit %d, %q", r.code, r.err)
	}
	for _, args := range [][]string{{"feeds"}, {"feeds", "frob"}, {"feeds", "add"}, {"feeds", "add", "not a url"}, {"feeds", "add", feed, "--every", "5s"}} {
		if r := e.run(append(args, "--db", db)...); r.code != 2 {
			t.Errorf("%v: exit %d, want 2 (usage); stderr %q", args, r.code, r.err)
		}
	}
}
