package feed

import (
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"
)

// FuzzParse feeds arbitrary bytes to the feed parser, seeded with every
// feed in testdata. Whatever the bytes, Parse must not panic, must say
// why it refused a document, and what it returns must be safe to index:
// links absolute http(s), text valid UTF-8, and an article built from an
// item must have an ID and paragraphs.
func FuzzParse(f *testing.F) {
	seeds, _ := filepath.Glob("testdata/*")
	for _, p := range seeds {
		if data, err := os.ReadFile(p); err == nil {
			f.Add(data)
		}
	}
	f.Add([]byte(`<rss version="2.0"><channel><title>T</title><item><title>a</title><link>/rel</link><guid>x</guid></item></channel></rss>`))
	f.Add([]byte(`{"version":"https://jsonfeed.org/version/1.1","title":"J","items":[{"id":"1","url":"https://e.com/a","content_text":"a\n\nb\n\nc"}]}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		fd, err := ParseFrom(data, "https://feeds.example.com/world/rss.xml")
		if err != nil {
			if err.Error() == "" {
				t.Fatal("an error without a message")
			}
			return
		}
		if fd.SiteURL != "" {
			checkHTTP(t, "site URL", fd.SiteURL)
		}
		checkText(t, "feed title", fd.Title)
		for i, it := range fd.Items {
			if it.URL != "" {
				checkHTTP(t, "item URL", it.URL)
			}
			checkText(t, "item title", it.Title)
			checkText(t, "item author", it.Author)
			a, ok := ItemArticle(fd, it)
			if !ok {
				continue
			}
			if a.ID == "" || a.URL == "" || len(a.Paragraphs) == 0 {
				t.Fatalf("item %d: article without ID, URL or paragraphs: %+v", i, a)
			}
			checkHTTP(t, "article URL", a.URL)
			for _, p := range a.Paragraphs {
				if strings.TrimSpace(p) == "" {
					t.Fatalf("item %d: empty paragraph in %q", i, a.Paragraphs)
				}
				checkText(t, "paragraph", p)
			}
		}
	})
}

func checkHTTP(t *testing.T, what, s string) {
	t.Helper()
	u, err := url.Parse(s)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		t.Fatalf("%s %q is not an absolute http(s) URL", what, s)
	}
}

func checkText(t *testing.T, what, s string) {
	t.Helper()
	if !utf8.ValidString(s) {
		t.Fatalf("%s %q is not valid UTF-8", what, s)
	}
	if strings.ContainsRune(s, 0) {
		t.Fatalf("%s %q holds a NUL", what, s)
	}
}
