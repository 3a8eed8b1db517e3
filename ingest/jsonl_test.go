package ingest

import (
	"bufio"
	"context"
	"errors"
	"github.com/byline-news/byline/retrieval"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// collect runs Walk and returns every item.
func collect(t *testing.T, paths []string, opt Options) []Item {
	t.Helper()
	var items []Item
	err := Walk(context.Background(), paths, opt, func(it Item) error {
		items = append(items, it)
		return nil
	})
	if err != nil {
		t.Fatalf("Walk: %v", err)
	}
	return items
}

func TestJSONL(t *testing.T) {
	items := collect(t, []string{"testdata/news.jsonl"}, Options{})
	type want struct {
		id, title, outlet, author string
		published                 time.Time
		err                       string // substring of Err; "" for an article
	}
	const f = "testdata/news.jsonl:"
	wants := map[string]want{
		f + "1":  {id: "n1", title: "Grain prices climb on dry weather", outlet: "Farm Wire", author: "Lena Ford", published: time.Date(2005, 3, 7, 14, 30, 0, 0, time.UTC)},
		f + "3":  {err: f + "3: malformed record: unexpected end of JSON input"},
		f + "4":  {id: retrieval.URLID("https://wire.example/tunnel"), title: "Tunnel boring machine breaks through"},
		f + "5":  {err: f + "5: malformed record: empty body"},
		f + "6":  {err: "empty body"},
		f + "7":  {err: "cannot unmarshal array"},
		f + "8":  {id: textID("Choir tour raises funds\nA village choir raised 12,000 pounds for the hospice on a ten-day tour of the coast."), title: "Choir tour raises funds", published: time.Date(2005, 2, 14, 0, 0, 0, 0, time.UTC)},
		f + "9":  {id: "12345", title: "Ferry timetable changes", outlet: "Island Wire", author: "Ana Ruiz, Tom Baker", published: time.Date(2005, 2, 14, 10, 0, 0, 0, time.UTC)},
		f + "10": {id: "ctx-01", title: "Lakes"},
		f + "11": {err: "empty body"},
	}
	if len(items) != len(wants) {
		t.Errorf("got %d items, want %d (the blank line 2 is no item)", len(items), len(wants))
	}
	for _, it := range items {
		w, ok := wants[it.Source]
		if !ok {
			t.Errorf("unexpected item %q", it.Source)
			continue
		}
		if w.err != "" {
			if it.Err == nil || !strings.Contains(it.Err.Error(), w.err) || !errors.Is(it.Err, ErrMalformed) {
				t.Errorf("%s: Err = %v, want ErrMalformed containing %q", it.Source, it.Err, w.err)
			}
			continue
		}
		a := it.Article
		if it.Err != nil || a.ID != w.id || a.Title != w.title || a.Outlet != w.outlet ||
			a.Author != w.author || !a.Published.Equal(w.published) || len(a.Paragraphs) == 0 {
			t.Errorf("%s: got %+v (err %v), want %+v", it.Source, a, it.Err, w)
		}
	}
}

// TestJSONLLongLine feeds a line over the 8 MiB default between two good
// lines: it is reported with its line number and reading goes on.
func TestJSONLLongLine(t *testing.T) {
	path := filepath.Join(t.TempDir(), "big.jsonl")
	good := `{"id":"%s","title":"Short","body":"A short body that is long enough to be a real paragraph of text."}` + "\n"
	huge := `{"id":"big","title":"Huge","body":"` + strings.Repeat("word ", DefaultMaxLineSize/5+10) + "\"}\n"
	content := strings.Replace(good, "%s", "a", 1) + huge + strings.Replace(good, "%s", "b", 1)
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	items := collect(t, []string{path}, Options{})
	if len(items) != 3 {
		t.Fatalf("got %d items, want 3", len(items))
	}
	if items[0].Article.ID != "a" || items[2].Article.ID != "b" || items[2].Source != path+":3" {
		t.Errorf("good lines around the long one: %+v / %+v", items[0], items[2])
	}
	if it := items[1]; !errors.Is(it.Err, ErrLineTooLong) || it.Source != path+":2" ||
		!strings.Contains(it.Err.Error(), path+":2") {
		t.Errorf("long line: Source %q Err %v, want ErrLineTooLong at %s:2", it.Source, it.Err, path)
	}
}

func TestLineReader(t *testing.T) {
	tests := []struct {
		name, in string
		max      int
		want     []string // "!" marks a too-long line
	}{
		{"plain", "a\nbb\n", 5, []string{"a", "bb"}},
		{"no final newline", "a\nbb", 5, []string{"a", "bb"}},
		{"crlf", "a\r\nbb\r\n", 2, []string{"a", "bb"}},
		{"exactly max", "abcde\n", 5, []string{"abcde"}},
		{"over max", "abcdef\nok\n", 5, []string{"!", "ok"}},
		{"over max at end", "ok\nabcdef", 5, []string{"ok", "!"}},
		{"blank lines count", "\n\nx\n", 5, []string{"", "", "x"}},
		{"longer than buffer", strings.Repeat("x", 40) + "\nok\n", 50, []string{strings.Repeat("x", 40), "ok"}},
		{"longer than buffer and max", strings.Repeat("x", 40) + "\nok\n", 20, []string{"!", "ok"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			lr := lineReader{br: newSmallReader(tt.in), limit: tt.max}
			var got []string
			for {
				line, tooLong, err := lr.next()
				if err != nil {
					break
				}
				if tooLong {
					got = append(got, "!")
				} else {
					got = append(got, string(line))
				}
			}
			if strings.Join(got, "|") != strings.Join(tt.want, "|") {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
}

// newSmallReader uses bufio's smallest buffer, so lines span chunks.
func newSmallReader(s string) *bufio.Reader {
	return bufio.NewReaderSize(strings.NewReader(s), 16)
}

// TestBBC reads the whole evaluation set: every line must parse, and the
// paragraph count must stay near the 10,139 blank-line paragraphs of the
// source (splitting long ones and merging line-up fragments moves it).
func TestBBC(t *testing.T) {
	const path = "../../shared/data/news/articles.jsonl"
	if _, err := os.Stat(path); errors.Is(err, fs.ErrNotExist) {
		t.Skip("../shared not present: " + path)
	}
	articles, paras := 0, 0
	for _, it := range collect(t, []string{path}, Options{}) {
		if it.Err != nil || it.Skip != "" {
			t.Errorf("%s: err %v, skip %q", it.Source, it.Err, it.Skip)
			continue
		}
		articles++
		paras += len(it.Article.Paragraphs)
		if it.Article.Title == "" || it.Article.ID == "" || it.Article.Outlet == "" {
			t.Errorf("%s: missing title, id or outlet", it.Source)
		}
	}
	t.Logf("BBC: %d articles, %d paragraphs", articles, paras)
	if articles != 2127 {
		t.Errorf("got %d articles, want 2127", articles)
	}
	if paras < 9500 || paras > 11500 {
		t.Errorf("got %d paragraphs, want 9,500..11,500", paras)
	}
}
