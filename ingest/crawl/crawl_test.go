package crawl

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/byline-news/byline/ingest/fetch"
	"github.com/byline-news/byline/retrieval"
	"github.com/byline-news/byline/retrieval/sqlite"
)

// site is a local news site: pages and feeds we write, changeable
// between polls, honouring conditional GET.
type site struct {
	mu    sync.Mutex
	pages map[string]string // path -> body
	etags map[string]int    // path -> version
	hits  map[string]int
	srv   *httptest.Server
}

func newSite(t *testing.T) *site {
	s := &site{pages: map[string]string{}, etags: map[string]int{}, hits: map[string]int{}}
	s.srv = httptest.NewServer(http.HandlerFunc(s.serve))
	t.Cleanup(s.srv.Close)
	return s
}

func (s *site) set(path, body string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.pages[path] = body
	s.etags[path]++
}

func (s *site) serve(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	body, ok := s.pages[r.URL.Path]
	etag := fmt.Sprintf(`"v%d"`, s.etags[r.URL.Path])
	s.hits[r.URL.Path]++
	s.mu.Unlock()
	if !ok {
		http.NotFound(w, r)
		return
	}
	if r.Header.Get("If-None-Match") == etag {
		w.WriteHeader(http.StatusNotModified)
		return
	}
	w.Header().Set("ETag", etag)
	if strings.HasSuffix(r.URL.Path, ".xml") {
		w.Header().Set("Content-Type", "application/rss+xml")
	} else {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
	}
	fmt.Fprint(w, body)
}

func (s *site) count(path string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.hits[path]
}

func page(title, date string, paras ...string) string {
	var b strings.Builder
	fmt.Fprintf(&b, `<html><head><title>%s</title><meta property="og:site_name" content="Harbour Herald">
<meta property="article:published_time" content="%s"></head><body><nav>Home | World | Sport</nav><article><h1>%s</h1>`, title, date, title)
	for _, p := range paras {
		fmt.Fprintf(&b, "<p>%s</p>", p)
	}
	b.WriteString(`</article><footer>© Harbour Herald</footer></body></html>`)
	return b.String()
}

func rss(items ...string) string {
	return `<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>Harbour Herald</title><link>/</link>` +
		strings.Join(items, "") + `</channel></rss>`
}

func item(title, link, date string) string {
	return fmt.Sprintf(`<item><title>%s</title><link>%s</link><pubDate>%s</pubDate><description>Teaser.</description></item>`, title, link, date)
}

type fixture struct {
	ix   *sqlite.Index
	c    *Crawler
	site *site
	now  time.Time
}

func newFixture(t *testing.T) *fixture {
	t.Helper()
	ctx := context.Background()
	f := &fixture{site: newSite(t), now: time.Date(2026, 11, 26, 9, 0, 0, 0, time.UTC)}
	ix, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "crawl.db"), sqlite.Options{Create: true, Now: func() time.Time { return f.now }})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ix.Close() })
	f.ix = ix
	fetcher := fetch.New(fetch.Options{Allow: []string{"127.0.0.1"}, PerHostInterval: -1, Timeout: 5 * time.Second})
	f.c = New(Options{Index: ix, Fetcher: fetcher, Now: func() time.Time { return f.now }})
	return f
}

func (f *fixture) url(path string) string { return f.site.srv.URL + path }

func (f *fixture) ask(t *testing.T, q string) []retrieval.Hit {
	t.Helper()
	hits, err := f.ix.Search(context.Background(), retrieval.Query{Text: q, K: 3})
	if err != nil {
		t.Fatal(err)
	}
	return hits
}

const (
	ferryA = "The island ferry will run every twenty minutes from Monday, the operator Tidewater Lines said on Tuesday."
	ferryB = "Councillor Ines Varga said the new timetable answered years of complaints from commuters on the west shore."
	kilnA  = "A pottery kiln dating from the twelfth century was uncovered by builders digging foundations in Marsh Lane."
	kilnB  = "Archaeologist Tomas Brenner said the kiln was the best preserved of its kind found in the county."
)

func TestPollIndexesItemsAndHonours304(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t)
	f.site.set("/ferry", page("Ferry to run every twenty minutes", "2026-11-25T08:00:00Z", ferryA, ferryB))
	f.site.set("/kiln", page("Medieval kiln found in Marsh Lane", "2026-11-25T10:00:00Z", kilnA, kilnB))
	f.site.set("/rss.xml", rss(item("Ferry", f.url("/ferry?utm_source=rss"), "Wed, 25 Nov 2026 08:00:00 GMT"),
		item("Kiln", f.url("/kiln"), "Wed, 25 Nov 2026 10:00:00 GMT")))
	if err := f.ix.AddFeed(ctx, f.url("/rss.xml"), 15*time.Minute, f.now); err != nil {
		t.Fatal(err)
	}
	res, err := f.c.PollDue(ctx)
	if err != nil || len(res) != 1 || res[0].Err != nil {
		t.Fatalf("PollDue = %+v, %v", res, err)
	}
	if res[0].Indexed != 2 || res[0].Items != 2 || res[0].Title != "Harbour Herald" {
		t.Errorf("first poll = %+v, want 2 items indexed", res[0])
	}
	if hits := f.ask(t, "who found the medieval kiln?"); len(hits) == 0 || !strings.Contains(hits[0].Text+hits[0].After+hits[0].Before, "Brenner") {
		t.Errorf("kiln question hits = %+v", hits)
	}
	if hits := f.ask(t, "who found the medieval kiln?"); len(hits) == 0 || hits[0].Article.Feed != f.url("/rss.xml") {
		t.Errorf("kiln article's feed = %+v, want %s", hits, f.url("/rss.xml"))
	}
	if hits := f.ask(t, "Home World Sport"); len(hits) != 0 && strings.Contains(hits[0].Text, "Home |") {
		t.Errorf("navigation was indexed: %q", hits[0].Text)
	}

	st, _ := f.ix.Feed(ctx, f.url("/rss.xml"))
	if st.ETag == "" || st.Articles != 2 || st.Failures != 0 || !st.NextPoll.After(f.now) {
		t.Errorf("feed state after poll = %+v", st)
	}
	f.now = st.NextPoll
	pages := f.site.count("/ferry")
	res, _ = f.c.PollDue(ctx)
	if len(res) != 1 || !res[0].NotModified || res[0].Indexed != 0 {
		t.Errorf("second poll = %+v, want 304 and nothing indexed", res)
	}
	if f.site.count("/ferry") != pages {
		t.Errorf("a 304 feed still fetched its pages")
	}
}

func TestPollUpdatedArticleReplaces(t *testing.T) {
	// Whether a story changed is decided by the publisher's times alone:
	// the same result whether we indexed the first version before the
	// update (as usual) or, by our clock, long after it (a slow or
	// skewed machine; or the test suite run in a later year).
	for _, firstPoll := range []time.Time{
		time.Date(2026, 11, 26, 9, 0, 0, 0, time.UTC),
		time.Date(2031, 1, 1, 0, 0, 0, 0, time.UTC),
	} {
		t.Run(firstPoll.Format("2006-01-02"), func(t *testing.T) {
			testPollUpdatedArticleReplaces(t, firstPoll)
		})
	}
}

func testPollUpdatedArticleReplaces(t *testing.T, firstPoll time.Time) {
	ctx := context.Background()
	f := newFixture(t)
	f.now = firstPoll
	f.site.set("/ferry", page("Ferry to run every twenty minutes", "2026-11-25T08:00:00Z", ferryA, ferryB))
	f.site.set("/rss.xml", rss(item("Ferry", f.url("/ferry"), "Wed, 25 Nov 2026 08:00:00 GMT")))
	f.ix.AddFeed(ctx, f.url("/rss.xml"), 15*time.Minute, f.now)
	if res, _ := f.c.Poll(ctx, f.url("/rss.xml")); res.Indexed != 1 {
		t.Fatalf("first poll = %+v", res)
	}
	// Unchanged feed body but a new version: the page is not refetched.
	f.site.set("/rss.xml", rss(item("Ferry", f.url("/ferry"), "Wed, 25 Nov 2026 08:00:00 GMT")))
	f.now = f.now.Add(time.Hour)
	pages := f.site.count("/ferry")
	if res, _ := f.c.Poll(ctx, f.url("/rss.xml")); res.Indexed != 0 || res.Skipped != 1 || f.site.count("/ferry") != pages {
		t.Errorf("re-poll of an unchanged item = %+v, page fetched %d more times", res, f.site.count("/ferry")-pages)
	}
	// The story is updated: new text, and the feed says so.
	f.site.set("/ferry", page("Ferry timetable delayed", "2026-11-25T08:00:00Z", "The island ferry timetable change is delayed until January because two crew posts are unfilled, Tidewater Lines said.", ferryB))
	f.site.set("/rss.xml", rss(item("Ferry", f.url("/ferry"), "Thu, 26 Nov 2026 12:00:00 GMT")))
	f.now = f.now.Add(time.Hour)
	if res, _ := f.c.Poll(ctx, f.url("/rss.xml")); res.Indexed != 1 {
		t.Fatalf("poll after update = %+v", res)
	}
	// The update is held now: polling the same feed again fetches nothing.
	pages = f.site.count("/ferry")
	if res, _ := f.c.Poll(ctx, f.url("/rss.xml")); res.Indexed != 0 || f.site.count("/ferry") != pages {
		t.Errorf("re-poll after the update = %+v, page fetched %d more times", res, f.site.count("/ferry")-pages)
	}
	stats, _ := f.ix.Stats(ctx)
	if stats.Articles != 1 {
		t.Errorf("%d articles after an update, want 1 (replaced, not duplicated)", stats.Articles)
	}
	if hits := f.ask(t, "why is the ferry timetable delayed?"); len(hits) == 0 || !strings.Contains(hits[0].Text, "crew posts") {
		t.Errorf("updated text not found: %+v", hits)
	}
}

func TestPollFailuresBackOffAndOthersContinue(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t)
	f.site.set("/bad.xml", `<rss><channel><title>Broken<item></channel>`)
	f.site.set("/kiln", page("Medieval kiln found in Marsh Lane", "2026-11-25T10:00:00Z", kilnA, kilnB))
	f.site.set("/good.xml", rss(item("Kiln", f.url("/kiln"), "Wed, 25 Nov 2026 10:00:00 GMT")))
	for _, p := range []string{"/bad.xml", "/good.xml", "/missing.xml"} {
		f.ix.AddFeed(ctx, f.url(p), 10*time.Minute, f.now)
	}
	var observed []PollResult
	f.c.onPoll = func(r PollResult) { observed = append(observed, r) }
	res, err := f.c.PollDue(ctx)
	if err != nil || len(res) != 3 {
		t.Fatalf("PollDue = %+v, %v", res, err)
	}
	if fmt.Sprint(observed) != fmt.Sprint(res) {
		t.Errorf("OnPoll was told %+v, want every result %+v", observed, res)
	}
	byURL := map[string]PollResult{}
	for _, r := range res {
		byURL[r.Feed] = r
	}
	if r := byURL[f.url("/good.xml")]; r.Err != nil || r.Indexed != 1 {
		t.Errorf("good feed = %+v, want indexed despite the broken ones", r)
	}
	for _, p := range []string{"/bad.xml", "/missing.xml"} {
		if byURL[f.url(p)].Err == nil {
			t.Errorf("%s: no error", p)
		}
		st, _ := f.ix.Feed(ctx, f.url(p))
		if st.Failures != 1 || st.LastError == "" || st.NextPoll.Sub(f.now) < 20*time.Minute {
			t.Errorf("%s state = %+v, want 1 failure, its error, and a backed-off next poll", p, st)
		}
	}
	st, _ := f.ix.Feed(ctx, f.url("/missing.xml"))
	if !strings.Contains(st.LastError, "404") {
		t.Errorf("missing feed error = %q, want the 404", st.LastError)
	}
}

func TestRunPicksUpNewItem(t *testing.T) {
	f := newFixture(t)
	f.site.set("/rss.xml", rss())
	f.ix.AddFeed(context.Background(), f.url("/rss.xml"), time.Minute, f.now)
	f.c.tick = 10 * time.Millisecond
	var mu sync.Mutex
	f.c.now = func() time.Time { mu.Lock(); defer mu.Unlock(); return f.now }
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- f.c.Run(ctx) }()
	// A story is published; the clock passes the next poll.
	f.site.set("/kiln", page("Medieval kiln found in Marsh Lane", "2026-11-26T10:00:00Z", kilnA, kilnB))
	f.site.set("/rss.xml", rss(item("Kiln", f.url("/kiln"), "Thu, 26 Nov 2026 10:00:00 GMT")))
	mu.Lock()
	f.now = f.now.Add(2 * time.Minute)
	mu.Unlock()
	var hits []retrieval.Hit
	for range 500 {
		if hits = f.ask(t, "kiln Marsh Lane"); len(hits) > 0 {
			break
		}
		time.Sleep(10 * time.Millisecond)
	}
	cancel()
	if err := <-done; err != nil {
		t.Errorf("Run: %v", err)
	}
	if len(hits) == 0 {
		t.Fatal("the scheduled poll never made the new story answerable")
	}
}

func TestAddURL(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t)
	f.site.set("/ferry", page("Ferry to run every twenty minutes", "2026-11-25T08:00:00Z", ferryA, ferryB))
	a, res, err := f.c.AddURL(ctx, f.url("/ferry"))
	if err != nil || res.Added != 1 || a.Title != "Ferry to run every twenty minutes" || a.Outlet != "Harbour Herald" || len(a.Paragraphs) != 2 {
		t.Fatalf("AddURL = %+v, %+v, %v", a, res, err)
	}
	if _, _, err := f.c.AddURL(ctx, f.url("/nowhere")); err == nil || !strings.Contains(err.Error(), "404") {
		t.Errorf("missing page: %v, want a 404 error", err)
	}
	blocked := New(Options{Index: f.ix, Fetcher: fetch.New(fetch.Options{})})
	if _, _, err := blocked.AddURL(ctx, f.url("/ferry")); err == nil || !strings.Contains(err.Error(), "refusing") {
		t.Errorf("loopback without BYLINE_FETCH_ALLOW: %v, want a refusal", err)
	}
}
