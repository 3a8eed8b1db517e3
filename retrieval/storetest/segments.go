package storetest

import (
	"context"
	"fmt"
	"testing"

	"github.com/byline-news/byline/retrieval"
)

const maxSegments = 8 // the merge policy's limit (merge.go)

func testManySmallPutsMatchOneBigPut(t *testing.T, b Backend) {
	ctx := context.Background()
	articles := NewCorpus(1).Articles("gen", 60, 4)

	big := b.open(t)
	MustPut(t, big, articles...)

	small := b.open(t)
	maxSeen := 0
	for i := 0; i < len(articles); i += 3 {
		MustPut(t, small, articles[i:i+3]...)
		st := MustStats(t, small)
		maxSeen = max(maxSeen, st.Segments)
		if st.Segments > maxSegments {
			t.Fatalf("after Put %d: %d segments, want at most %d", i/3+1, st.Segments, maxSegments)
		}
	}
	if maxSeen != maxSegments {
		t.Errorf("at most %d segments seen over 20 Puts; want the limit %d to be reached (and merges to keep it there)", maxSeen, maxSegments)
	}

	sb, ss := MustStats(t, big), MustStats(t, small)
	if sb.Articles != ss.Articles || sb.Paragraphs != ss.Paragraphs || sb.Terms != ss.Terms {
		t.Errorf("Stats differ: one Put %+v, twenty Puts %+v", sb, ss)
	}
	for _, q := range NewCorpus(1).Queries() {
		for _, k := range []int{3, 1000} {
			want, err := big.Search(ctx, retrieval.Query{Text: q, K: k})
			if err != nil {
				t.Fatal(err)
			}
			got, err := small.Search(ctx, retrieval.Query{Text: q, K: k})
			if err != nil {
				t.Fatal(err)
			}
			if len(want) == 0 {
				t.Fatalf("Search(%q) found nothing; the test needs matching queries", q)
			}
			SameHits(t, q, got, want)
		}
	}
}

func testMergeDropsTombstones(t *testing.T, b Backend) {
	ctx := context.Background()
	c := NewCorpus(2)
	addr := b.Fresh(t)
	ix := b.openAt(t, addr, Options{})
	orig := c.Articles("doc", 20, 3)
	for i := range orig {
		// A word only the first versions contain.
		orig[i].Paragraphs[1] += " obsoletium"
	}
	MustPut(t, ix, orig...)

	// Replace 15 of the 20 with new text under the same IDs.
	repl := c.Articles("doc", 15, 3)
	res := MustPut(t, ix, repl...)
	if res.Replaced != 15 {
		t.Fatalf("PutResult = %+v, want 15 replaced", res)
	}
	if tombstones := b.QueryInt(t, addr, `SELECT count(*) FROM tombstones`); tombstones != 0 {
		t.Errorf("%d tombstones left after the merge, want 0", tombstones)
	}
	// The rewritten segment keeps the posting list of the five remaining
	// first versions only.
	if obsolete := b.QueryInt(t, addr, `SELECT coalesce(sum(df), 0) FROM postings WHERE term = 'obsoletium'`); obsolete != 5 {
		t.Errorf("'obsoletium' has %d postings, want 5 (the tombstoned ones dropped)", obsolete)
	}
	hits := MustSearch(t, ix, retrieval.Query{Text: "obsoletium", K: 100})
	if len(hits) != 5 {
		t.Errorf("Search(obsoletium) = %v, want the 5 articles not replaced", hitIDs(hits))
	}
	for _, h := range hits {
		var n int
		if _, err := fmt.Sscanf(h.Article.ID, "doc-%d", &n); err != nil || n < 15 {
			t.Errorf("Search(obsoletium) returned replaced article %s", h.Article.ID)
		}
	}

	// Every query returns each paragraph at most once, and only live text.
	live := map[string]string{}
	for _, a := range append(repl, orig[15:]...) {
		for i, p := range a.Paragraphs {
			live[fmt.Sprintf("%s#%d", a.ID, i)] = p
		}
	}
	for _, q := range c.Queries() {
		hits, err := ix.Search(ctx, retrieval.Query{Text: q, K: 1000})
		if err != nil {
			t.Fatal(err)
		}
		seen := map[string]bool{}
		for i, id := range hitIDs(hits) {
			if seen[id] {
				t.Errorf("Search(%q) returned %s twice", q, id)
			}
			seen[id] = true
			if live[id] != hits[i].Text {
				t.Errorf("Search(%q) returned %s with text %q, want %q", q, id, hits[i].Text, live[id])
			}
		}
	}
}

func testDeleteManyThenMerge(t *testing.T, b Backend) {
	ctx := context.Background()
	c := NewCorpus(3)
	ix := b.open(t)
	articles := c.Articles("del", 40, 2)
	for i := 0; i < len(articles); i += 4 {
		MustPut(t, ix, articles[i:i+4]...)
	}
	for i := 0; i < len(articles); i += 2 {
		if err := ix.Delete(ctx, articles[i].ID); err != nil {
			t.Fatalf("Delete(%s): %v", articles[i].ID, err)
		}
	}
	st := MustStats(t, ix)
	if st.Articles != 20 || st.Paragraphs != 40 || st.Segments > maxSegments {
		t.Errorf("Stats = %+v, want 20 articles, 40 paragraphs, at most %d segments", st, maxSegments)
	}
	// Compare with a fresh index holding only the survivors, put the same way.
	ref := b.open(t)
	var keep []retrieval.Article
	for i := 1; i < len(articles); i += 2 {
		keep = append(keep, articles[i])
	}
	MustPut(t, ref, keep...)
	for _, q := range c.Queries() {
		got, err := ix.Search(ctx, retrieval.Query{Text: q, K: 1000})
		if err != nil {
			t.Fatal(err)
		}
		want, err := ref.Search(ctx, retrieval.Query{Text: q, K: 1000})
		if err != nil {
			t.Fatal(err)
		}
		// Scores may differ while tombstones remain (BM25 statistics count
		// them), so compare the sets of paragraphs.
		gotIDs, wantIDs := map[string]bool{}, map[string]bool{}
		for _, id := range hitIDs(got) {
			gotIDs[id] = true
		}
		for _, id := range hitIDs(want) {
			wantIDs[id] = true
		}
		if fmt.Sprint(gotIDs) != fmt.Sprint(wantIDs) {
			t.Errorf("Search(%q) = %v, want %v", q, hitIDs(got), hitIDs(want))
		}
	}
}

func testReopenKeepsIndex(t *testing.T, b Backend) {
	ctx := context.Background()
	addr := b.Fresh(t)
	ix, err := b.Open(ctx, addr, Options{})
	if err != nil {
		t.Fatal(err)
	}
	articles := NewCorpus(4).Articles("re", 30, 3)
	for i := 0; i < len(articles); i += 3 {
		if _, err := ix.Put(ctx, articles[i:i+3]); err != nil {
			t.Fatal(err)
		}
	}
	queries := NewCorpus(4).Queries()
	before := map[string][]retrieval.Hit{}
	for _, q := range queries {
		before[q] = MustSearch(t, ix, retrieval.Query{Text: q, K: 50})
	}
	if err := ix.Close(); err != nil {
		t.Fatal(err)
	}
	for _, opt := range []Options{{}, {ReadOnly: true}} {
		ix := b.openAt(t, addr, opt)
		for _, q := range queries {
			SameHits(t, q, MustSearch(t, ix, retrieval.Query{Text: q, K: 50}), before[q])
		}
	}
}
