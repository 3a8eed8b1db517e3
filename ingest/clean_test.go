package ingest

import (
	"context"
	"errors"
	"strings"
	"testing"
)

// readJSONL parses JSONL text through Read, as `byline index -` would.
func readJSONL(t *testing.T, text string) []Item {
	t.Helper()
	var items []Item
	err := Read(context.Background(), "in.jsonl", strings.NewReader(text), Options{}, func(it Item) error {
		items = append(items, it)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return items
}

// TestJSONLPlaceholderURL: exports write "n/a" or "-" where a story has
// no URL; only an http(s) URL is kept, so three stories stay three.
func TestJSONLPlaceholderURL(t *testing.T) {
	items := readJSONL(t, `{"id":"a","title":"One","body":"The first story is about ferries.","url":"n/a"}
{"id":"b","title":"Two","body":"The second story is about trains.","url":"n/a"}
{"id":"c","title":"Three","body":"The third story is about buses.","url":"-"}
{"title":"Four","body":"The fourth story is about bicycles.","url":"none"}
{"id":"e","title":"Five","body":"The fifth story is about trams.","url":"HTTPS://Example.com/trams"}
`)
	ids := map[string]bool{}
	for _, it := range items {
		if it.Err != nil {
			t.Fatalf("%s: %v", it.Source, it.Err)
		}
		ids[it.Article.ID] = true
		want := ""
		if it.Article.ID == "e" {
			want = "HTTPS://Example.com/trams"
		}
		if it.Article.URL != want {
			t.Errorf("%s: URL = %q, want %q", it.Source, it.Article.URL, want)
		}
	}
	if len(ids) != 5 {
		t.Errorf("IDs = %v, want 5 different ones", ids)
	}
}

// TestJSONLNul: a NUL written as \u0000 is refused in an ID (with a
// message that says so) and removed from text fields.
func TestJSONLNul(t *testing.T) {
	items := readJSONL(t, `{"id":"a\u0000b","title":"One","body":"The first story is about ferries."}
{"id":"ok","title":"Fer\u0000ries\u200b late","author":"Ana\u0000","body":"The ferries\u0000 ran late\u001b[31m on Sunday, the operator said."}
`)
	if len(items) != 2 {
		t.Fatalf("got %d items, want 2", len(items))
	}
	if err := items[0].Err; err == nil || !errors.Is(err, ErrMalformed) || !strings.Contains(err.Error(), "in.jsonl:1") ||
		!strings.Contains(err.Error(), `id "a\x00b" holds the invisible character U+0000`) {
		t.Errorf("NUL in id: Err = %v", err)
	}
	a := items[1].Article
	if items[1].Err != nil || a.Title != "Ferries late" || a.Author != "Ana" ||
		len(a.Paragraphs) != 1 || a.Paragraphs[0] != "The ferries ran late[31m on Sunday, the operator said." {
		t.Errorf("text fields: %+v (err %v)", a, items[1].Err)
	}
}

func TestCheckID(t *testing.T) {
	for id, ok := range map[string]bool{
		"n1": true, "sample-herons-cup": true, "u-0123abcd": true, "Zoë’s story": true,
		"a\x00b": false, "a\u200bb": false, "a\u202eb": false, "a\nb": false, "\xff": false,
	} {
		if err := checkID(id); (err == nil) != ok {
			t.Errorf("checkID(%q) = %v", id, err)
		}
	}
}
