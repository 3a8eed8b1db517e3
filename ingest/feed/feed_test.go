package feed

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/byline-news/byline/retrieval"
)

func mustParse(t *testing.T, file string) *Feed {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", file))
	if err != nil {
		t.Fatal(err)
	}
	f, err := Parse(data)
	if err != nil {
		t.Fatalf("Parse(%s): %v", file, err)
	}
	return f
}

func utc(s string) time.Time {
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		panic(err)
	}
	return t.UTC()
}

// wantItem lists the fields of Item checked by checkItems.
type wantItem struct {
	guid, url, title, author string
	published, updated       time.Time
	full                     bool
}

func checkItems(t *testing.T, f *Feed, want []wantItem) {
	t.Helper()
	if len(f.Items) != len(want) {
		t.Fatalf("%d items, want %d", len(f.Items), len(want))
	}
	for i, w := range want {
		it := f.Items[i]
		got := wantItem{it.GUID, it.URL, it.Title, it.Author, it.Published, it.Updated, it.HasFullText()}
		if !got.published.Equal(w.published) || !got.updated.Equal(w.updated) {
			t.Errorf("item %d: published %v updated %v, want %v %v", i, got.published, got.updated, w.published, w.updated)
		}
		got.published, got.updated, w.published, w.updated = time.Time{}, time.Time{}, time.Time{}, time.Time{}
		if got != w {
			t.Errorf("item %d:\n got %+v\nwant %+v", i, got, w)
		}
	}
}

func TestRSS2FullText(t *testing.T) {
	f := mustParse(t, "rss2_full.xml")
	if f.Title != "The Harbor Ledger – City" || f.SiteURL != "https://www.harborledger.example/city/" {
		t.Errorf("feed %q %q", f.Title, f.SiteURL)
	}
	checkItems(t, f, []wantItem{
		{"ledger-20240305-0042", "https://www.harborledger.example/city/2024/03/05/eastside-tram-approved?utm_source=rss&utm_medium=feed",
			"Council approves Eastside tram line after six-hour debate", "Priya Okonkwo",
			utc("2024-03-05T17:40:00Z"), time.Time{}, true},
		{"https://www.harborledger.example/city/2024/03/07/mill-road-closed", "https://www.harborledger.example/city/2024/03/07/mill-road-closed",
			"Mill Road closed after water main burst", "", utc("2024-03-07T06:10:00Z"), time.Time{}, true},
		{"", "https://www.harborledger.example/business/2024/03/05/shipyard-orders",
			"Shipyard wins two new ferry orders", "", utc("2024-03-05T08:00:00Z"), time.Time{}, false}, // ends in [&#8230;]
	})
	if !strings.Contains(f.Items[0].Summary, "voted 31 to 18") || !strings.Contains(f.Items[0].Content, "<p>") {
		t.Errorf("summary %q / content %.40q", f.Items[0].Summary, f.Items[0].Content)
	}

	a, ok := ItemArticle(f, f.Items[0])
	if !ok {
		t.Fatal("ItemArticle: false for a full-text item")
	}
	const canon = "https://www.harborledger.example/city/2024/03/05/eastside-tram-approved"
	if a.URL != canon || a.ID != retrieval.URLID(canon) || a.Outlet != f.Title || a.Author != "Priya Okonkwo" ||
		a.Title != f.Items[0].Title || !a.Published.Equal(f.Items[0].Published) {
		t.Errorf("article %+v", a)
	}
	text := strings.Join(a.Paragraphs, "\n")
	if len(a.Paragraphs) != 5 || strings.Contains(text, "Share this story") || strings.Contains(text, "appeared first on") {
		t.Errorf("paragraphs %q", a.Paragraphs)
	}
	if _, ok := ItemArticle(f, f.Items[2]); ok {
		t.Error("ItemArticle: true for a teaser")
	}
}

func TestRSS2Teasers(t *testing.T) {
	f := mustParse(t, "rss2_teaser.xml")
	checkItems(t, f, []wantItem{
		// a relative link, resolved against the channel link; "email (Name)" author
		{"", "https://coastalcourier.example/harbour/2024/02/12/cod-quota.html", "Fishing fleet gets a bigger cod quota",
			"Tomasz Wren", utc("2024-02-12T09:15:00Z"), time.Time{}, false},
		// no <link>: the permalink guid is the URL
		{"https://coastalcourier.example/harbour/2024/02/10/lifeboat", "https://coastalcourier.example/harbour/2024/02/10/lifeboat",
			"New lifeboat named after retired coxswain", "", utc("2024-02-10T16:00:00Z"), time.Time{}, false},
		// protocol-relative link
		{"", "https://coastalcourier.example/harbour/2024/02/08/ferry", "Winter ferry timetable extended to April",
			"", utc("2024-02-08T09:30:00Z"), time.Time{}, false},
		// javascript: link dropped, unreadable date zero
		{"", "", "Pier repairs finished", "", time.Time{}, time.Time{}, false},
	})
}

func TestAtom(t *testing.T) {
	f := mustParse(t, "atom_full.xml")
	if f.Title != "Valley Gazette" || f.SiteURL != "https://valleygazette.example/" {
		t.Errorf("feed %q %q", f.Title, f.SiteURL)
	}
	checkItems(t, f, []wantItem{
		{"tag:valleygazette.example,2024:news/881", "https://valleygazette.example/news/wildfire-season-early",
			"Wildfire season starts early in the hill country", "Ana Ruiz, Tom Baker",
			utc("2024-04-18T04:30:00Z"), utc("2024-04-18T12:05:00Z"), true},
		// xhtml content; no <published>, so the update time
		{"tag:valleygazette.example,2024:news/879", "https://valleygazette.example/news/orchard-record",
			"Orchard growers expect a record harvest", "Ana Ruiz",
			utc("2024-04-16T09:00:00Z"), utc("2024-04-16T09:00:00Z"), true},
		{"tag:valleygazette.example,2024:news/877", "https://valleygazette.example/news/road-closed",
			"Road closed for resurfacing", "", utc("2024-04-15T07:00:00Z"), utc("2024-04-15T07:00:00Z"), false},
	})
	a, ok := ItemArticle(f, f.Items[1])
	if !ok || len(a.Paragraphs) != 3 || !strings.HasPrefix(a.Paragraphs[0], "Apple growers") {
		t.Errorf("xhtml article: %v %q", ok, a.Paragraphs)
	}
}

func TestJSONFeed(t *testing.T) {
	f := mustParse(t, "feed.json")
	if f.Title != "Northside Weekly" || f.SiteURL != "https://northside.example/" {
		t.Errorf("feed %q %q", f.Title, f.SiteURL)
	}
	checkItems(t, f, []wantItem{
		{"https://northside.example/local/library-reopens", "https://northside.example/local/library-reopens?utm_source=jsonfeed",
			"Library reopens after two-year refurbishment", "Lena Hart",
			utc("2023-09-02T10:00:00Z"), utc("2023-09-02T16:30:00Z"), true},
		// content_text and a relative url
		{"nw-2023-0831", "https://northside.example/local/market-hall", "Market hall gets a new roof", "",
			utc("2023-08-31T12:00:00Z"), time.Time{}, true},
		{"nw-2023-0830", "https://northside.example/local/bus-route", "Bus route 7 to be extended", "",
			utc("2023-08-30T00:00:00Z"), time.Time{}, false},
	})
	a, ok := ItemArticle(f, f.Items[1])
	if !ok || len(a.Paragraphs) != 3 || a.Paragraphs[1] != "Traders will move to a temporary site on Dock Street while the work is done." {
		t.Errorf("content_text article: %v %q", ok, a.Paragraphs)
	}
	if a, _ := ItemArticle(f, f.Items[0]); a.URL != "https://northside.example/local/library-reopens" {
		t.Errorf("URL not canonical: %s", a.URL)
	}
}

func TestRSS1AndRSS091(t *testing.T) {
	f := mustParse(t, "rss1.rdf")
	checkItems(t, f, []wantItem{{"", "https://worlddesk.example/world/2024/ceasefire-talks-resume",
		"Ceasefire talks resume in lakeside town", "Sam Adeyemi", utc("2024-06-11T06:00:00Z"), utc("2024-06-11T06:00:00Z"), false}})
	f = mustParse(t, "rss091.xml")
	checkItems(t, f, []wantItem{{"", "https://estuaire.example/notes/ferry", "Ferry back in service", "",
		time.Time{}, time.Time{}, false}})
}

// TestDates covers RFC 822 with numeric and named zones, RFC 3339, and
// formats gofeed does not read, which ingest.ParseDate does.
func TestDates(t *testing.T) {
	tests := []struct {
		raw  string
		want time.Time
	}{
		{"Tue, 05 Mar 2024 17:40:00 GMT", utc("2024-03-05T17:40:00Z")},
		{"Tue, 05 Mar 2024 12:40:00 -0500", utc("2024-03-05T17:40:00Z")},
		{"Tue, 05 Mar 2024 12:40:00 EST", utc("2024-03-05T17:40:00Z")},
		{"2024-03-05T18:40:00+01:00", utc("2024-03-05T17:40:00Z")},
		{"2024-03-05T17:40:00.5Z", time.Date(2024, 3, 5, 17, 40, 0, 5e8, time.UTC)},
		{"2024-03-05T17:40", utc("2024-03-05T17:40:00Z")},
		{"20240305", utc("2024-03-05T00:00:00Z")},
		{"1709660400", utc("2024-03-05T17:40:00Z")},
		{"5 March 2024", utc("2024-03-05T00:00:00Z")},
		{"not a date", time.Time{}},
	}
	var b strings.Builder
	b.WriteString(`<rss version="2.0"><channel><title>Dates</title><link>https://d.example/</link>`)
	for _, tt := range tests {
		b.WriteString("<item><title>x</title><pubDate>" + tt.raw + "</pubDate></item>")
	}
	b.WriteString("</channel></rss>")
	f, err := Parse([]byte(b.String()))
	if err != nil {
		t.Fatal(err)
	}
	for i, tt := range tests {
		if got := f.Items[i].Published; !got.Equal(tt.want) || got.Location() != time.UTC {
			t.Errorf("%q: got %v, want %v", tt.raw, got, tt.want)
		}
	}
}
