package ingest

import (
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"
)

// readAll parses data as the file name, through the same path as index.
func readAll(t *testing.T, name string, data []byte) []Item {
	t.Helper()
	var items []Item
	err := Read(context.Background(), name, strings.NewReader(string(data)), Options{MaxLineSize: 1 << 16}, func(it Item) error {
		items = append(items, it)
		return nil
	})
	if err != nil {
		t.Fatalf("Read: %v", err)
	}
	return items
}

// checkItem holds every item to what the index needs: an error that
// says something, a skip with a reason, or an article with a printable
// ID, valid UTF-8 without invisible characters in every field, only an
// http(s) URL, and non-empty paragraphs.
func checkItem(t *testing.T, it Item) {
	t.Helper()
	switch {
	case it.Err != nil:
		if it.Err.Error() == "" {
			t.Fatalf("%s: an error without a message", it.Source)
		}
		return
	case it.Skip != "":
		return
	}
	a := it.Article
	if a.ID == "" || checkID(a.ID) != nil {
		t.Fatalf("%s: bad ID %q", it.Source, a.ID)
	}
	if a.URL != "" && webURL(a.URL) != a.URL {
		t.Fatalf("%s: URL %q is no http(s) URL", it.Source, a.URL)
	}
	if len(a.Paragraphs) == 0 {
		t.Fatalf("%s: an article without paragraphs", it.Source)
	}
	for what, s := range map[string]string{"title": a.Title, "outlet": a.Outlet, "author": a.Author, "category": a.Category} {
		checkClean(t, it.Source+" "+what, s)
		if strings.ContainsAny(s, "\n\r") {
			t.Fatalf("%s: %s %q spans lines", it.Source, what, s)
		}
	}
	for _, p := range a.Paragraphs {
		if strings.TrimSpace(p) == "" {
			t.Fatalf("%s: empty paragraph in %q", it.Source, a.Paragraphs)
		}
		checkClean(t, it.Source+" paragraph", p)
	}
}

func checkClean(t *testing.T, what, s string) {
	t.Helper()
	if !utf8.ValidString(s) {
		t.Fatalf("%s %q is not valid UTF-8", what, s)
	}
	if i := strings.IndexFunc(s, invisible); i >= 0 && s[i] != '\n' {
		t.Fatalf("%s %q holds an invisible character at %d", what, s, i)
	}
}

// FuzzJSONL: every non-blank line of a JSON Lines input is one item (an
// error is never silent), every item is checked, and a record byline
// writes itself reads back as the same article.
func FuzzJSONL(f *testing.F) {
	if data, err := os.ReadFile("testdata/news.jsonl"); err == nil {
		f.Add(data, "id", "Title", "https://example.com/a", "Body text.\n\nMore text.")
	}
	f.Add([]byte(`{"id":"a\u0000b","title":"T","body":"B","url":"n/a"}`), "x\u200by", "T\u202e", "n/a", "Gr\u200bimbald won.")
	f.Add([]byte("{\"id\": 12, \"author\": [\"A\", null, 3], \"published\": 1700000000, \"text\": \"x\"}\n\n{"), "", "", "", "")
	f.Fuzz(func(t *testing.T, data []byte, id, title, url, body string) {
		items := readAll(t, "in.jsonl", data)
		for _, it := range items {
			checkItem(t, it)
		}
		lines := 0
		for _, l := range strings.Split(strings.ReplaceAll(string(data), "\r", ""), "\n") {
			if strings.TrimSpace(l) != "" {
				lines++
			}
		}
		wholeSkipped := len(items) == 1 && items[0].Skip != "" // an empty or binary input
		if len(items) != lines && !wholeSkipped {
			t.Fatalf("%d non-blank lines gave %d items", lines, len(items))
		}
		roundTrip(t, id, title, url, body)
	})
}

// roundTrip writes one record as an exporter would and reads it back.
func roundTrip(t *testing.T, id, title, url, body string) {
	t.Helper()
	if !utf8.ValidString(id) || !utf8.ValidString(title) || !utf8.ValidString(url) || !utf8.ValidString(body) {
		return // Marshal would replace the bytes with U+FFFD: nothing to compare
	}
	line, err := json.Marshal(map[string]string{"id": id, "title": title, "url": url, "body": body})
	if err != nil {
		t.Fatal(err)
	}
	items := readAll(t, "rt.jsonl", line)
	if len(items) != 1 {
		t.Fatalf("one record gave %d items", len(items))
	}
	it := items[0]
	checkItem(t, it)
	if it.Err != nil {
		if !errors.Is(it.Err, ErrMalformed) {
			t.Fatalf("record %s: error %v is not ErrMalformed", line, it.Err)
		}
		return
	}
	a := it.Article
	if want := strings.TrimSpace(id); want != "" && a.ID != want {
		t.Fatalf("record %s: ID %q, want %q", line, a.ID, want)
	}
	if want := field(title); want != "" && a.Title != want {
		t.Fatalf("record %s: title %q, want %q", line, a.Title, want)
	}
	if a.URL != webURL(url) {
		t.Fatalf("record %s: URL %q, want %q", line, a.URL, webURL(url))
	}
}

// FuzzText parses text and Markdown files, front matter included, and
// checks that metadata written as YAML or TOML front matter reads back.
func FuzzText(f *testing.F) {
	seeds, _ := filepath.Glob("testdata/text/*")
	for _, p := range seeds {
		if data, err := os.ReadFile(p); err == nil {
			f.Add(data, "Ferries run late", "Ana Ruiz")
		}
	}
	f.Add([]byte("+++\ntitle = \"T\"\ndate = 2024-03-05\nauthors = [\"a\", \"b\"]\n+++\nBody."), "A: b", "- x")
	f.Add([]byte("---\na: &x [*x]\nb: *x\n---\ntext"), "'quoted'", "\"")
	f.Add([]byte("---\n---\n---\n\n# T\n\nBody \u200b text.\x00"), "#", "")
	f.Fuzz(func(t *testing.T, data []byte, title, author string) {
		for _, name := range []string{"in.md", "in.txt"} {
			for _, it := range readAll(t, name, data) {
				checkItem(t, it)
			}
		}
		frontMatterRoundTrip(t, title, author)
	})
}

// frontMatterRoundTrip writes title and author as YAML and as TOML front
// matter, escaped as a careful exporter would, and reads them back.
func frontMatterRoundTrip(t *testing.T, title, author string) {
	t.Helper()
	if !utf8.ValidString(title) || !utf8.ValidString(author) {
		return
	}
	q := func(s string) string { b, _ := json.Marshal(s); return string(b) } // a JSON string is YAML and, mostly, TOML
	body := "\nThe story itself is here, in a sentence or two."
	docs := map[string]string{
		"YAML": "---\ntitle: " + q(title) + "\nauthor: [" + q(author) + "]\n---\n" + body,
		"TOML": "+++\ntitle = " + q(title) + "\nauthor = [" + q(author) + "]\n+++\n" + body,
	}
	for lang, doc := range docs {
		a, err := parseText(doc)
		if err != nil {
			if strings.ContainsFunc(title+author, func(r rune) bool { return unicode.IsControl(r) || r > 0xfffd }) {
				// YAML allows no raw DEL or C1 controls, TOML wants \UXXXXXXXX
				// beyond the BMP, and JSON escapes neither: not this quoting's text.
				continue
			}
			t.Fatalf("%s %q: %v", lang, doc, err)
		}
		if want := cleanLine(title, false); want != "" && a.Title != want {
			t.Fatalf("%s: title %q, want %q", lang, a.Title, want)
		}
		if want := field(author); a.Author != want {
			t.Fatalf("%s: author %q, want %q", lang, a.Author, want)
		}
	}
}
