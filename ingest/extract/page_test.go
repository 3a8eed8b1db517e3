package extract_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/byline-news/byline/ingest"
	"github.com/byline-news/byline/ingest/extract"
	"github.com/byline-news/byline/retrieval"
)

func TestArticleMetadata(t *testing.T) {
	d := func(s string) time.Time { return ingest.ParseDate(s) }
	tests := []struct {
		file, url, title, outlet, author string
		published, updated               time.Time
	}{
		{"news.html", "https://www.harborledger.example/city/2024/03/05/eastside-tram-approved",
			"Council approves Eastside tram line after six-hour debate", "The Harbor Ledger", "Priya Okonkwo",
			d("2024-03-05T17:40:00Z"), d("2024-03-06T08:15:00Z")},
		{"obfuscated.html", "https://coastalcourier.example/harbour/2024/02/12/cod-quota",
			"Fishing fleet gets a bigger cod quota for the first time in years", "The Coastal Courier", "Tomasz Wren",
			d("2024-02-12"), time.Time{}},
		{"jsonld_graph.html", "https://valleygazette.example/news/wildfire-season-early",
			"Wildfire season starts early in the hill country", "Valley Gazette", "Ana Ruiz, Tom Baker",
			d("2024-04-18T04:30:00Z"), d("2024-04-18T12:05:00Z")},
		{"og_only.html", "https://northside.example/local/library-reopens",
			"Library reopens after two-year refurbishment", "Northside Weekly", "",
			d("2023-09-02T10:00:00Z"), d("2023-09-02T16:30:00Z")},
		{"canonical_utm.html", "https://news.example.com/world/2024/ceasefire-talks-resume?a=1&b=2",
			"Ceasefire talks resume in lakeside town", "news.example.com", "Sam Adeyemi",
			d("2024-06-11"), time.Time{}},
		{"cp1252.html", "https://estuaire.example/region/cafe-du-port",
			"Le café du port ferme ses portes", "Journal de l’Estuaire", "",
			d("2024-01-20T06:00:00Z"), time.Time{}},
		{"brief.html", "https://www.harborledger.example/city/2024/03/07/mill-road-closed",
			"Mill Road closed after water main burst", "The Harbor Ledger", "",
			d("2024-03-07T06:10:00Z"), time.Time{}},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			tp := pageByFile(t, tt.file)
			a, err := ingest.ReadPage(ingest.Page{URL: tp.url, HTML: tp.html(t)})
			if err != nil {
				t.Fatal(err)
			}
			for _, f := range []struct{ name, got, want string }{
				{"URL", a.URL, tt.url}, {"Title", a.Title, tt.title}, {"Outlet", a.Outlet, tt.outlet},
				{"Author", a.Author, tt.author}, {"ID", a.ID, sha16(tt.url)},
			} {
				if f.got != f.want {
					t.Errorf("%s = %q, want %q", f.name, f.got, f.want)
				}
			}
			if !a.Published.Equal(tt.published) || a.Published.Location() != time.UTC {
				t.Errorf("Published = %v, want %v in UTC", a.Published, tt.published)
			}
			if !a.Updated.Equal(tt.updated) {
				t.Errorf("Updated = %v, want %v", a.Updated, tt.updated)
			}
		})
	}
}

// sha16 is the ID scheme written out independently of retrieval.URLID.
func sha16(u string) string {
	sum := sha256.Sum256([]byte(u))
	return "u-" + hex.EncodeToString(sum[:])[:16]
}

func pageByFile(t *testing.T, file string) testPage {
	for _, tp := range testPages {
		if tp.file == file {
			return tp
		}
	}
	t.Fatalf("no test page %s", file)
	return testPage{}
}

// TestCharsetAlreadyConverted: a page that declares windows-1252 but was
// converted to UTF-8 by the fetcher must not be decoded a second time,
// as a charset-sniffing parser would (go-readability's FromReader does).
func TestCharsetAlreadyConverted(t *testing.T) {
	tp := pageByFile(t, "cp1252.html")
	a, err := ingest.ReadPage(ingest.Page{URL: tp.url, HTML: tp.html(t)})
	if err != nil {
		t.Fatal(err)
	}
	text := strings.Join(a.Paragraphs, " ")
	for _, want := range []string{"Café de l’Ancre", "« petit noir »", "Mercœur", "1,20 €", "pêcheurs, dockers, retraités — promettent"} {
		if !strings.Contains(text, want) {
			t.Errorf("missing %q in %q", want, text)
		}
	}
	if strings.Contains(text, "Ã") || strings.Contains(text, "â€") {
		t.Errorf("mojibake: %q", text)
	}
}

// TestIDMatchesIngest: a page saved to disk with a rel=canonical link and
// the same page fetched from the web get the same ID.
func TestIDMatchesIngest(t *testing.T) {
	const canonical = "https://harborledger.example/city/story?id=4&page=2"
	src := `<html><head><link rel="canonical" href="` + canonical + `"></head><body><article><p>` +
		strings.Repeat("The council met on Tuesday and voted for the tram line. ", 5) + `</p></article></body></html>`
	var fromFile string
	err := ingest.Read(context.Background(), "saved.html", strings.NewReader(src), ingest.Options{},
		func(it ingest.Item) error { fromFile = it.Article.ID; return it.Err })
	if err != nil {
		t.Fatal(err)
	}
	a, err := ingest.ReadPage(ingest.Page{URL: canonical + "&utm_source=x#top", HTML: []byte(src)})
	if err != nil {
		t.Fatal(err)
	}
	if a.ID != fromFile || a.ID != retrieval.URLID(canonical) {
		t.Errorf("extract ID %s, ingest ID %s, URLID %s", a.ID, fromFile, retrieval.URLID(canonical))
	}
}

func TestFutureDatesDropped(t *testing.T) {
	src := `<html><head><meta property="article:published_time" content="2031-01-01T00:00:00Z">
<meta property="article:modified_time" content="2023-12-31T00:00:00Z"></head><body><article><p>` +
		strings.Repeat("A long enough paragraph of article text for the test. ", 5) + `</p></article></body></html>`
	fetched := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	a, err := ingest.ReadPage(ingest.Page{URL: "https://a.example/x", HTML: []byte(src), FetchedAt: fetched})
	if err != nil {
		t.Fatal(err)
	}
	if !a.Published.IsZero() {
		t.Errorf("Published = %v, want zero (after the fetch)", a.Published)
	}
	if want := time.Date(2023, 12, 31, 0, 0, 0, 0, time.UTC); !a.Updated.Equal(want) {
		t.Errorf("Updated = %v, want %v", a.Updated, want)
	}
}

func TestParseErrors(t *testing.T) {
	body := []byte(`<html><body><p>` + strings.Repeat("Some article text goes here. ", 10) + `</p></body></html>`)
	if _, err := ingest.ReadPage(ingest.Page{URL: "/relative/only", HTML: body}); err == nil || errors.Is(err, extract.ErrNoArticle) {
		t.Errorf("relative URL: err = %v, want a URL error", err)
	}
	for name, html := range map[string][]byte{
		"empty":   nil,
		"binary":  {0xff, 0xfe, 0x00, 0x01, '<', 'p', '>'},
		"no body": []byte("<html><head><title>Just a title</title></head></html>"),
	} {
		if _, err := ingest.ReadPage(ingest.Page{URL: "https://a.example/x", HTML: html}); !errors.Is(err, extract.ErrNoArticle) {
			t.Errorf("%s: err = %v, want ErrNoArticle", name, err)
		}
	}
}

// TestInvalidUTF8 keeps the text around a stray byte readable.
func TestInvalidUTF8(t *testing.T) {
	body := []byte("<p>" + strings.Repeat("Fishermen welcomed the news on Monday. ", 5) + "Price: 5\x80 a kilo.</p>")
	a, err := ingest.ReadPage(ingest.Page{URL: "https://a.example/x", HTML: body})
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(a.Paragraphs, " "); !strings.Contains(got, "Price: 5\uFFFD a kilo.") {
		t.Errorf("got %q", got)
	}
}

// TestLargePage: pages over MaxElements skip readability and still give
// the story, in bounded time.
func TestLargePage(t *testing.T) {
	var b bytes.Buffer
	b.WriteString(`<html><body><nav>` + strings.Repeat(`<a href="/x">Section</a>`, extract.MaxElements) + `</nav><article>`)
	for i := range 5 {
		fmt.Fprintf(&b, `<p>The harbour authority said quay %d would open in spring, after two years of work and a long delay caused by storms./p>`, i)
	}
	b.WriteString(`</article></body></html>`)
	start := time.Now()
	a, err := ingest.ReadPage(ingest.Page{URL: "https://a.example/x", HTML: b.Bytes()})
	if err != nil {
		t.Fatal(err)
	}
	if len(a.Paragraphs) != 5 || strings.Contains(strings.Join(a.Paragraphs, " "), "Section") {
		t.Errorf("paragraphs %q", a.Paragraphs)
	}
	if d := time.Since(start); d > 3*time.Second {
		t.Errorf("took %v", d)
	}
}

func BenchmarkArticle(b *testing.B) {
	data, err := os.ReadFile(filepath.Join("testdata", "news.html"))
	if err != nil {
		b.Fatal(err)
	}
	p := ingest.Page{URL: "https://www.harborledger.example/city/a", HTML: data}
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		if _, err := ingest.ReadPage(p); err != nil {
			b.Fatal(err)
		}
	}
}

// TestShortParagraphs: a story written in one-sentence paragraphs, none
// of 100 characters, is still a story.
func TestShortParagraphs(t *testing.T) {
	var b strings.Builder
	for i := range 6 {
		fmt.Fprintf(&b, "<p>Councillor %d said the tram would change the east of the city for good.</p>", i)
	}
	a, err := ingest.ReadPage(ingest.Page{URL: "https://a.example/x", HTML: []byte(b.String())})
	if err != nil || len(a.Paragraphs) != 6 {
		t.Errorf("err %v, paragraphs %q", err, a.Paragraphs)
	}
}

// TestNoiseWordInClassName: ingest's furniture filter matches words
// inside class names; a site that wraps every paragraph in a
// "para-nav-anchor" div must not lose its story to it.
func TestNoiseWordInClassName(t *testing.T) {
	var b strings.Builder
	b.WriteString(`<html><body><article><h1>Tram line approved</h1><div class="story sidebar-layout">`)
	for i := range 5 {
		fmt.Fprintf(&b, `<div class="para-nav-anchor"><p>Paragraph %d: councillors voted on Tuesday night to build the tram line to the estates.</p></div>`, i)
	}
	b.WriteString(`</div></article></body></html>`)
	a, err := ingest.ReadPage(ingest.Page{URL: "https://a.example/x", HTML: []byte(b.String())})
	if err != nil || len(a.Paragraphs) != 5 {
		t.Errorf("err %v, paragraphs %q", err, a.Paragraphs)
	}
}

// TestDeeplyNested: HTML nested deeper than the parser accepts (512 open
// elements) is a clear error by both paths, not a crash or a silent skip.
func TestDeeplyNested(t *testing.T) {
	page := []byte(strings.Repeat("<div>", 600) + "<p>" + strings.Repeat("The council voted for the tram line on Tuesday night. ", 5) + "</p>")
	for _, p := range paths {
		_, err := p.read(t, "https://a.example/x", page)
		if err == nil || errors.Is(err, extract.ErrNoArticle) || !strings.Contains(err.Error(), "parse HTML: ") {
			t.Errorf("%s: err = %v, want a parse error", p.name, err)
		}
	}
}
