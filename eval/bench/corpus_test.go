package bench

import (
	"strings"
	"testing"

	"github.com/byline-news/byline/retrieval"
)

func TestCopies(t *testing.T) {
	base := []retrieval.Article{
		{ID: "a", Title: "Ferry fares", URL: "https://example.com/a", Paragraphs: []string{"one", "two", "three"}},
		{ID: "b", Title: "Bridge opens", Paragraphs: []string{"four", "five"}},
	}
	for _, n := range []int{1, 4, 5, 12} {
		total := 0
		ids := map[string]bool{}
		texts := map[string]bool{}
		for a := range Copies(base, n) {
			if ids[a.ID] {
				t.Fatalf("n=%d: duplicate ID %s", n, a.ID)
			}
			ids[a.ID] = true
			for _, p := range a.Paragraphs {
				if texts[p] {
					t.Fatalf("n=%d: paragraph %q repeated: copies must be distinct", n, p)
				}
				texts[p] = true
			}
			total += len(a.Paragraphs)
		}
		if total != n {
			t.Errorf("Copies(base, %d) yielded %d paragraphs", n, total)
		}
	}
	var second retrieval.Article
	i := 0
	for a := range Copies(base, 12) {
		if i == 2 {
			second = a
		}
		i++
	}
	name := copyName(1)
	if !strings.HasSuffix(second.Title, "("+name+")") || !strings.HasSuffix(second.Paragraphs[0], " "+name) || second.URL != "https://example.com/a?copy=1" {
		t.Errorf("copy 1 = %+v, want the made-up name %q in title and paragraphs and a distinct URL", second, name)
	}
}
