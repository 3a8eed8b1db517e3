package crawl

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"strconv"
	"testing"
	"time"

	"github.com/byline-news/byline/eval/bench"
	"github.com/byline-news/byline/ingest/fetch"
	"github.com/byline-news/byline/retrieval/sqlite"
)

// Ingest benchmarks (issue #6): a poll of a local feed, from the HTTP
// fetch through parsing or page extraction to the committed index write,
// into a fresh index each iteration. The site is an httptest server on
// 127.0.0.1 serving bytes generated once, before the clock starts.
//
//	go test ./crawl/ -run XXX -bench . -benchtime 1x
//
// peak_rss_MB is the process's VmHWM, reset (Linux clear_refs) at the
// start of each benchmark so that one benchmark's peak is not carried
// into the next; base_rss_MB is the resident size at that reset, which
// already includes the generated site the local server holds.

const (
	fullTextItems = 10_000
	pageItems     = 1_000
	benchSite     = "Kestrel Bay Courier"
	benchSeed     = 2026
)

// benchNow is the crawler's clock: after every generated date, so that
// extract keeps the pages' published times.
var benchNow = time.Date(2026, 11, 26, 12, 0, 0, 0, time.UTC)

// BenchmarkPollFullTextFeed polls an RSS 2.0 feed of 10,000 items that
// carry their full text in content:encoded (~2.5 KB each, ~25 MB in all):
// nothing but the feed is fetched. The feed is larger than
// fetch.DefaultMaxBytes (5 MB), so the Fetcher's MaxBytes is 64 MB.
func BenchmarkPollFullTextFeed(b *testing.B) {
	var body []byte
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/feed.xml" {
			http.NotFound(w, r)
			return
		}
		serveBytes(w, "application/rss+xml; charset=utf-8", body)
	}))
	base := "http://" + srv.Listener.Addr().String()
	body = fullTextFeed(base, fullTextItems)
	srv.Start()
	b.Cleanup(srv.Close)
	b.SetBytes(int64(len(body)))
	runPolls(b, base+"/feed.xml", fullTextItems, "articles/s")
}

// BenchmarkPollPagesFeed polls a feed of 1,000 teaser-only items, so each
// item's page is fetched and extracted: 1,000 distinct HTML articles
// with navigation, a "most read" box and a footer around the story.
// The pages are on one local host, so the per-host pause is off
// (PerHostInterval -1); requests are still one at a time.
func BenchmarkPollPagesFeed(b *testing.B) {
	var feedBody []byte
	pages := map[string][]byte{}
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/feed.xml" {
			serveBytes(w, "application/rss+xml; charset=utf-8", feedBody)
			return
		}
		p, ok := pages[r.URL.Path]
		if !ok {
			http.NotFound(w, r)
			return
		}
		serveBytes(w, "text/html; charset=utf-8", p)
	}))
	base := "http://" + srv.Listener.Addr().String()
	feedBody = pagesSite(base, pageItems, pages)
	srv.Start()
	b.Cleanup(srv.Close)
	runPolls(b, base+"/feed.xml", pageItems, "pages/s")
}

// runPolls polls feedURL once per iteration into a fresh index, timing
// only the poll, and checks every poll indexed want articles.
func runPolls(b *testing.B, feedURL string, want int, unit string) {
	ctx := context.Background()
	fetcher := fetch.New(fetch.Options{
		Allow:           []string{"127.0.0.1"},
		PerHostInterval: -1,
		MaxBytes:        64 << 20,
		Timeout:         2 * time.Minute,
	})
	dir := b.TempDir()
	baseRSS := resetPeakRSS()
	b.ReportAllocs()
	b.ResetTimer()
	b.StopTimer()
	for i := range b.N {
		path := filepath.Join(dir, "poll"+strconv.Itoa(i)+".db")
		ix, err := sqlite.Open(ctx, path, sqlite.Options{Create: true})
		if err != nil {
			b.Fatal(err)
		}
		if err := ix.AddFeed(ctx, feedURL, time.Hour, benchNow); err != nil {
			b.Fatal(err)
		}
		c := New(Options{Index: ix, Fetcher: fetcher, Now: func() time.Time { return benchNow }})

		b.StartTimer()
		res, err := c.Poll(ctx, feedURL)
		b.StopTimer()

		if err != nil || res.Err != nil || res.Items != want || res.Indexed != want || res.Failed != 0 {
			b.Fatalf("poll %d = %+v, %v; want %d items indexed", i, res, err, want)
		}
		if i == 0 {
			st, err := ix.Stats(ctx)
			if err != nil {
				b.Fatal(err)
			}
			if st.Articles != want {
				b.Fatalf("after the first poll the index has %d articles, want %d", st.Articles, want)
			}
		}
		if err := ix.Close(); err != nil {
			b.Fatal(err)
		}
		for _, suffix := range []string{"", "-wal", "-shm"} {
			os.Remove(path + suffix)
		}
	}
	if secs := b.Elapsed().Seconds(); secs > 0 {
		b.ReportMetric(float64(want*b.N)/secs, unit)
	}
	b.ReportMetric(bench.PeakRSSMB(), "peak_rss_MB")
	b.ReportMetric(baseRSS, "base_rss_MB")
}

// resetPeakRSS returns memory the previous benchmark left to the OS,
// resets VmHWM to the current RSS where Linux allows it, and returns
// that RSS in MB.
func resetPeakRSS() float64 {
	runtime.GC()
	debug.FreeOSMemory()
	_ = os.WriteFile("/proc/self/clear_refs", []byte("5"), 0)
	return bench.PeakRSSMB()
}

func serveBytes(w http.ResponseWriter, contentType string, body []byte) {
	w.Header().Set("Content-Type", contentType)
	w.Header().Set("Content-Length", strconv.Itoa(len(body)))
	w.Write(body)
}

func rssHead(w io.Writer, base string) {
	fmt.Fprintf(w, `<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:dc="http://purl.org/dc/elements/1.1/">
<channel><title>%s</title><link>%s/</link><description>News from Kestrel Bay and the coast</description><language>en-gb</language>
`, benchSite, base)
}

const rssTail = "</channel></rss>\n"

// fullTextFeed returns an RSS 2.0 feed of n items with full text,
// written straight into one buffer.
func fullTextFeed(base string, n int) []byte {
	g := newStoryGen(1)
	var buf bytes.Buffer
	buf.Grow(n * 2800)
	rssHead(&buf, base)
	for i := range n {
		link := fmt.Sprintf("%s/news/2026/story-%05d", base, i)
		author := g.person()
		fmt.Fprintf(&buf, "<item><title>%s</title><link>%s</link><guid isPermaLink=\"true\">%s</guid><pubDate>%s</pubDate><dc:creator>%s</dc:creator>\n",
			g.title(), link, link, itemTime(i).Format(time.RFC1123Z), author)
		buf.WriteString("<description>")
		g.sentence(&buf)
		buf.WriteString("</description>\n<content:encoded><![CDATA[")
		g.paragraphs(&buf)
		buf.WriteString("]]></content:encoded></item>\n")
	}
	buf.WriteString(rssTail)
	return buf.Bytes()
}

// pagesSite fills pages with n article pages and returns a feed of
// teaser-only items linking to them.
func pagesSite(base string, n int, pages map[string][]byte) []byte {
	g := newStoryGen(2)
	var feed, page bytes.Buffer
	feed.Grow(n * 400)
	rssHead(&feed, base)
	for i := range n {
		path := fmt.Sprintf("/news/2026/page-%04d", i)
		link := base + path
		title, author, when := g.title(), g.person(), itemTime(i)
		fmt.Fprintf(&feed, "<item><title>%s</title><link>%s</link><guid isPermaLink=\"true\">%s</guid><pubDate>%s</pubDate>\n<description>",
			title, link, link, when.Format(time.RFC1123Z))
		g.sentence(&feed)
		feed.WriteString("</description></item>\n")

		page.Reset()
		fmt.Fprintf(&page, pageHead, title, benchSite, benchSite, title, when.Format(time.RFC3339), author, link)
		fmt.Fprintf(&page, `<main><article><h1>%s</h1><p class="byline">By %s, %s</p><time datetime="%s">%s</time>`+"\n",
			title, author, g.pick(roles), when.Format(time.RFC3339), when.Format("2 January 2006"))
		g.paragraphs(&page)
		page.WriteString(pageTail)
		pages[path] = bytes.Clone(page.Bytes())
	}
	feed.WriteString(rssTail)
	return feed.Bytes()
}

const pageHead = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>%s | %s</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta property="og:site_name" content="%s"><meta property="og:type" content="article"><meta property="og:title" content="%s">
<meta property="article:published_time" content="%s"><meta name="author" content="%s">
<link rel="canonical" href="%s"><link rel="stylesheet" href="/static/site.css">
</head><body>
<div class="cookie-banner">We use cookies to improve your experience. <button>Accept</button></div>
<header><a class="logo" href="/">Kestrel Bay Courier</a>
<nav><ul><li><a href="/news">News</a></li><li><a href="/sport">Sport</a></li><li><a href="/business">Business</a></li><li><a href="/what-s-on">What's on</a></li><li><a href="/opinion">Opinion</a></li><li><a href="/weather">Weather</a></li></ul></nav>
<form action="/search"><input name="q" placeholder="Search"></form></header>
`

const pageTail = `<div class="share">Share this story: <a href="#">Facebook</a> <a href="#">Email</a></div></article>
<aside><h2>Most read</h2><ol>
<li><a href="/news/2026/most-read-1">Lifeboat crew called out twice in one night</a></li>
<li><a href="/news/2026/most-read-2">New bakery opens on the old fish market site</a></li>
<li><a href="/news/2026/most-read-3">Roadworks on the coast road to last until spring</a></li>
<li><a href="/news/2026/most-read-4">School choir wins regional competition</a></li>
<li><a href="/news/2026/most-read-5">Planning row over seafront flats goes to appeal</a></li>
</ol></aside></main>
<footer><p>© 2026 Kestrel Bay Courier. All rights reserved.</p><ul><li><a href="/about">About us</a></li><li><a href="/contact">Contact</a></li><li><a href="/privacy">Privacy</a></li><li><a href="/terms">Terms</a></li></ul></footer>
</body></html>
`

// itemTime is item i's date: newest first, eleven minutes apart.
func itemTime(i int) time.Time {
	return benchNow.Add(-time.Hour - time.Duration(i)*11*time.Minute)
}

// storyGen writes invented local news, deterministically.
type storyGen struct{ r *rand.Rand }

func newStoryGen(stream uint64) *storyGen {
	return &storyGen{r: rand.New(rand.NewPCG(benchSeed, stream))}
}

func (g *storyGen) pick(xs []string) string { return xs[g.r.IntN(len(xs))] }
func (g *storyGen) n(lo, hi int) int        { return lo + g.r.IntN(hi-lo+1) }
func (g *storyGen) person() string          { return g.pick(firstNames) + " " + g.pick(surnames) }

func (g *storyGen) title() string { return capital(g.rawTitle()) }

func (g *storyGen) rawTitle() string {
	switch g.r.IntN(4) {
	case 0:
		return g.pick(towns) + " council " + g.pick(decisions) + " " + g.pick(projects)
	case 1:
		return g.pick(orgs) + " " + g.pick(decisions) + " " + g.pick(projects)
	case 2:
		return fmt.Sprintf("%d complaints over %s in %s", g.n(12, 900), g.pick(projects), g.pick(towns))
	default:
		return fmt.Sprintf("%s: %s %s after %d-week review", g.pick(towns), g.pick(projects), g.pick(outcomes), g.n(2, 30))
	}
}

// paragraphs writes 4–6 HTML paragraphs of 2–4 sentences each.
func (g *storyGen) paragraphs(w *bytes.Buffer) {
	for range g.n(4, 6) {
		w.WriteString("<p>")
		for s := range g.n(2, 4) {
			if s > 0 {
				w.WriteByte(' ')
			}
			g.sentence(w)
		}
		w.WriteString("</p>\n")
	}
}

// sentence writes one sentence from a random template.
func (g *storyGen) sentence(w io.Writer) {
	switch g.r.IntN(16) {
	case 0:
		fmt.Fprintf(w, "%s %s said on %s that %s would %s by %s.",
			capital(g.pick(roles)), g.person(), g.pick(days), g.pick(projects), g.pick(futures), g.pick(months))
	case 1:
		fmt.Fprintf(w, "The plan for %s, which has been debated in %s since %d, is expected to cost £%d.%d million, according to figures published by %s.",
			g.pick(projects), g.pick(towns), g.n(2009, 2025), g.n(1, 90), g.n(0, 9), g.pick(orgs))
	case 2:
		fmt.Fprintf(w, "\"We have listened to %s and we think this is the right decision for %s,\" said %s, %s of %s.",
			g.pick(groups), g.pick(towns), g.person(), g.pick(posts), g.pick(orgs))
	case 3:
		fmt.Fprintf(w, "About %d people attended a public meeting at %s on %s evening, where several speakers questioned the timetable for %s.",
			g.n(30, 600), g.pick(venues), g.pick(days), g.pick(projects))
	case 4:
		fmt.Fprintf(w, "%s recorded %d complaints about %s in the year to %s, up from %d the year before.",
			capital(g.pick(orgs)), g.n(40, 2000), g.pick(projects), g.pick(months), g.n(10, 900))
	case 5:
		fmt.Fprintf(w, "Work on %s is due to begin in %s and last about %d weeks, during which %s will be closed to traffic.",
			g.pick(projects), g.pick(months), g.n(3, 60), g.pick(streets))
	case 6:
		fmt.Fprintf(w, "Opponents, led by %s, have collected %d signatures on a petition asking %s to reconsider.",
			g.person(), g.n(200, 15000), g.pick(orgs))
	case 7:
		fmt.Fprintf(w, "The decision follows a %d-page report by %s which found that %s had been %s.",
			g.n(12, 400), g.pick(orgs), g.pick(projects), g.pick(findings))
	case 8:
		fmt.Fprintf(w, "%s said the money would come from %s, and that no other scheme in %s would be delayed as a result.",
			g.person(), g.pick(funds), g.pick(towns))
	case 9:
		fmt.Fprintf(w, "A spokeswoman for %s declined to comment on %s, saying talks with %s were continuing.",
			g.pick(orgs), g.pick(projects), g.pick(orgs))
	case 10:
		fmt.Fprintf(w, "Traders on %s said the number of shoppers had fallen by %d per cent since %s, and %d shops had closed.",
			g.pick(streets), g.n(3, 45), g.pick(months), g.n(1, 12))
	case 11:
		fmt.Fprintf(w, "The vote at %s was %d to %d, with %d abstentions, after a debate lasting %d hours.",
			g.pick(venues), g.n(8, 30), g.n(2, 20), g.n(0, 6), g.n(2, 7))
	case 12:
		fmt.Fprintf(w, "%s, who has lived in %s for %d years, said the change would make it easier to %s.",
			g.person(), g.pick(towns), g.n(2, 70), g.pick(errands))
	case 13:
		fmt.Fprintf(w, "Police said a %d-year-old man from %s had been arrested on suspicion of %s and released on bail until %s.",
			g.n(17, 80), g.pick(towns), g.pick(offences), g.pick(months))
	case 14:
		fmt.Fprintf(w, "Temperatures in %s fell to minus %d degrees on %s night, and %s warned drivers of ice on %s.",
			g.pick(towns), g.n(2, 14), g.pick(days), g.pick(orgs), g.pick(streets))
	default:
		fmt.Fprintf(w, "%s will be reviewed again in %s, when %s is due to publish accounts showing a surplus of £%d,%03d.",
			capital(g.pick(projects)), g.pick(months), g.pick(orgs), g.n(1, 900), g.n(0, 999))
	}
}

func capital(s string) string {
	if s == "" || s[0] < 'a' || s[0] > 'z' {
		return s
	}
	return string(s[0]-'a'+'A') + s[1:]
}

var (
	firstNames = []string{"Ines", "Tomas", "Maren", "Oskar", "Lidia", "Pavel", "Aurélie", "Kofi", "Saoirse", "Dmitri",
		"Hana", "Rafael", "Yusuf", "Greta", "Emeka", "Linnea", "Matteo", "Priya", "Anselm", "Odile", "Bram", "Nuala",
		"Søren", "Imogen", "Tariq", "Wilhelmina", "Caspar", "Leonie", "Ewan", "Zofia"}
	surnames = []string{"Varga", "Brenner", "Lindqvist", "Okafor", "Castellan", "Moravec", "Haddad", "Sorensen", "Quill",
		"Abernethy", "Ferreira", "Nakamura", "Osei", "Petrakis", "Delacroix", "Kowal", "Maddox", "Thorne", "Iversen",
		"Achterberg", "Munro", "Baptiste", "Halloran", "Vasquez", "Eklund", "Pryce", "Adeyemi", "Strand", "Goldberg", "Rourke"}
	roles = []string{"councillor", "harbour master", "head teacher", "union organiser", "local historian",
		"project manager", "council leader", "shop owner", "ward councillor", "engineer", "parish clerk", "hospital manager"}
	posts = []string{"chair", "chief executive", "spokesman", "director of operations", "treasurer", "head of planning", "secretary"}
	towns = []string{"Kestrel Bay", "Aldmouth", "Port Sabine", "Wrenford", "Greyhaven", "Millbrook Cross", "Saltmarsh",
		"Eastholm", "Corran Ferry", "Brackwater", "Lowenthal", "Fenby", "Ashcombe", "Rookhaven", "Tollgate", "Westerly"}
	orgs = []string{"Tidewater Lines", "the Northshore Water Board", "Aldmouth District Council", "Harrow and Lyle Construction",
		"the Fenby Rail Company", "Brightwell Energy", "the County Museum Trust", "St Agatha's Hospital",
		"the Kestrel Bay Chamber of Commerce", "Greyhaven University", "the Coastal Wildlife Society", "Saltmarsh Housing Partnership",
		"the regional transport authority", "Westerly Fire and Rescue", "the Port Sabine Fishermen's Cooperative"}
	projects = []string{"the new footbridge", "the ferry timetable", "the library extension", "the flood barrier",
		"a proposed wind farm", "the hospital car park", "the tram line extension", "a school merger", "the heritage railway",
		"the harbour dredging contract", "the recycling scheme", "the market square redesign", "the seafront cycle lane",
		"the leisure centre roof", "the night bus service", "the sea wall repairs", "a new primary school", "the museum's east wing"}
	decisions = []string{"approves", "delays", "rejects", "postpones", "backs", "scraps", "reviews", "funds"}
	outcomes  = []string{"approved", "put on hold", "cut back", "expanded", "sent back for consultation", "given extra funding"}
	futures   = []string{"be finished", "open to the public", "be put out to tender", "go before the planning committee",
		"receive its first payment", "be reviewed by inspectors", "start a six-month trial"}
	findings = []string{"poorly planned", "underfunded for a decade", "badly managed", "delayed by supplier problems",
		"good value for money", "more popular than expected", "ignored by the previous administration"}
	groups = []string{"residents", "parents", "local businesses", "commuters", "fishermen", "nurses", "pensioners", "students"}
	funds  = []string{"the regional growth fund", "a national lottery grant", "reserves built up since 2019",
		"a loan from the county", "parking revenue", "a private donation"}
	venues  = []string{"the town hall", "the Anchor Inn", "the community centre", "St Brendan's church hall", "the lifeboat station", "the old corn exchange"}
	streets = []string{"Marsh Lane", "the coast road", "Harbour Street", "Quarry Hill", "the High Street", "Station Approach", "Fenwick Road", "the promenade"}
	errands = []string{"get to the hospital", "reach the station before the first train", "take the children to school",
		"visit family on the island", "open the shop on time", "carry shopping up the hill"}
	offences = []string{"criminal damage", "theft from a vehicle", "dangerous driving", "burglary", "arson", "fraud"}
	days     = []string{"Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"}
	months   = []string{"January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"}
)
