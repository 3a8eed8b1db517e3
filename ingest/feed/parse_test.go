package feed

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestParseErrors(t *testing.T) {
	read := func(name string) []byte {
		data, err := os.ReadFile(filepath.Join("testdata", name))
		if err != nil {
			t.Fatal(err)
		}
		return data
	}
	tests := []struct {
		name string
		data []byte
		want string // in the error
		is   error
	}{
		{"malformed XML", read("malformed.xml"), "parse feed: XML syntax error on line 10", nil},
		{"truncated XML", []byte(`<?xml version="1.0"?><rss version="2.0"><channel><title>T</title><item>`), "parse feed: XML syntax error", nil},
		{"truncated JSON", read("truncated.json"), "parse feed: invalid JSON Feed: unexpected end of JSON input", nil},
		{"web page", []byte("<!DOCTYPE html><html><body><p>Hello</p></body></html>"), "parse feed: not an RSS, Atom or JSON feed", ErrNotFeed},
		{"empty", nil, "parse feed: not an RSS", ErrNotFeed},
	}
	for _, tt := range tests {
		f, err := Parse(tt.data)
		if err == nil || !strings.Contains(err.Error(), tt.want) || tt.is != nil && !errors.Is(err, tt.is) {
			t.Errorf("%s: feed %v, err %v; want %q", tt.name, f, err, tt.want)
		}
	}
}

// TestLenientXML: gofeed reads the common kinds of broken feeds (a bare
// "&", an unknown entity) rather than failing the whole feed.
func TestLenientXML(t *testing.T) {
	f, err := Parse([]byte(`<rss version="2.0"><channel><title>Fish & Ships</title><item><title>A &bogus; B</title></item></channel></rss>`))
	if err != nil || f.Title != "Fish & Ships" || len(f.Items) != 1 {
		t.Errorf("feed %+v, err %v", f, err)
	}
}

func TestParseFrom(t *testing.T) {
	const src = `<rss version="2.0"><channel><title>T</title><link>/news/</link>
<item><title>A</title><link>a.html</link></item></channel></rss>`
	f, err := ParseFrom([]byte(src), "https://site.example/feeds/rss.xml")
	if err != nil {
		t.Fatal(err)
	}
	if f.SiteURL != "https://site.example/news/" || f.Items[0].URL != "https://site.example/news/a.html" {
		t.Errorf("site %q item %q", f.SiteURL, f.Items[0].URL)
	}
	// No site link: items resolve against the feed URL.
	f, _ = ParseFrom([]byte(strings.Replace(src, "<link>/news/</link>", "", 1)), "https://site.example/feeds/rss.xml")
	if f.SiteURL != "" || f.Items[0].URL != "https://site.example/feeds/a.html" {
		t.Errorf("site %q item %q", f.SiteURL, f.Items[0].URL)
	}
	// Neither: a relative link cannot be used.
	f, _ = Parse([]byte(strings.Replace(src, "<link>/news/</link>", "", 1)))
	if f.Items[0].URL != "" {
		t.Errorf("item URL %q, want none", f.Items[0].URL)
	}
}

// TestEncoding: a Latin-1 feed is decoded by its declaration, and one
// already converted to UTF-8 by the fetcher is not decoded twice.
func TestEncoding(t *testing.T) {
	const decl = `<?xml version="1.0" encoding="ISO-8859-1"?>`
	latin1 := []byte(decl + "<rss version=\"2.0\"><channel><title>Caf\xe9 du port</title></channel></rss>")
	converted := []byte(decl + "<rss version=\"2.0\"><channel><title>Café du port</title></channel></rss>")
	withBOM := append([]byte("\xef\xbb\xbf"), converted...)
	for name, data := range map[string][]byte{"latin-1": latin1, "converted": converted, "BOM": withBOM} {
		f, err := Parse(data)
		if err != nil || f.Title != "Café du port" {
			t.Errorf("%s: title %q, err %v", name, f.Title, err)
		}
	}
}
