package sqlite_test

import (
	"context"
	"fmt"
	"math"
	"testing"

	"github.com/byline-news/byline/retrieval"
	"github.com/byline-news/byline/retrieval/sqlite"
)

const maxSegments = 8 // the merge policy's limit (merge.go)

// genArticles returns n generated articles with IDs prefix-0, prefix-1, ...
func genArticles(c *corpus, prefix string, n, paragraphs int) []retrieval.Article {
	out := make([]retrieval.Article, n)
	for i := range out {
		out[i] = c.article(fmt.Sprintf("%s-%d", prefix, i), paragraphs)
	}
	return out
}

// queriesFor picks query texts from the corpus's own words: a frequent
// word, rarer ones, and pairs, so that scores depend on every statistic.
func queriesFor(c *corpus) []string {
	v := c.vocab
	return []string{v[0], v[5], v[40], v[300], v[1] + " " + v[90], v[3] + " " + v[4] + " " + v[700], v[12] + " " + v[13]}
}

// sameHits compares two result lists: the same paragraphs with the same
// scores (to 1e-6); paragraphs with equal scores may come in either order.
func sameHits(t *testing.T, query string, got, want []retrieval.Hit) {
	t.Helper()
	if len(got) != len(want) {
		t.Errorf("Search(%q): %d hits, want %d\ngot  %v\nwant %v", query, len(got), len(want), hitIDs(got), hitIDs(want))
		return
	}
	wantScore := map[string]float64{}
	for i, h := range hitIDs(want) {
		wantScore[h] = want[i].Score
	}
	for i, h := range hitIDs(got) {
		ws, ok := wantScore[h]
		if !ok {
			t.Errorf("Search(%q): hit %d is %s, which the reference index does not return", query, i, h)
			continue
		}
		if math.Abs(got[i].Score-ws) > 1e-6 || math.Abs(got[i].Score-want[i].Score) > 1e-6 {
			t.Errorf("Search(%q): hit %d %s scores %v, want %v (rank %d scores %v)", query, i, h, got[i].Score, ws, i, want[i].Score)
		}
	}
}

func TestManySmallPutsMatchOneBigPut(t *testing.T) {
	ctx := context.Background()
	articles := genArticles(newCorpus(1), "gen", 60, 4)

	big := MustOpen(t)
	MustPut(t, big, articles...)

	small := MustOpen(t)
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
	for _, q := range queriesFor(newCorpus(1)) {
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
			sameHits(t, q, got, want)
		}
	}
}

func TestMergeDropsTombstones(t *testing.T) {
	ctx := context.Background()
	c := newCorpus(2)
	ix := MustOpen(t)
	orig := genArticles(c, "doc", 20, 3)
	for i := range orig {
		// A word only the first versions contain.
		orig[i].Paragraphs[1] += " obsoletium"
	}
	MustPut(t, ix, orig...)

	// Replace 15 of the 20 with new text under the same IDs.
	repl := genArticles(c, "doc", 15, 3)
	res := MustPut(t, ix, repl...)
	if res.Replaced != 15 {
		t.Fatalf("PutResult = %+v, want 15 replaced", res)
	}
	db := rawDB(t, ix.Path())
	var tombstones, obsolete int
	if err := db.QueryRow(`SELECT count(*) FROM tombstones`).Scan(&tombstones); err != nil {
		t.Fatal(err)
	}
	if tombstones != 0 {
		t.Errorf("%d tombstones left after the merge, want 0", tombstones)
	}
	// The rewritten segment keeps the posting list of the five remaining
	// first versions only.
	if err := db.QueryRow(`SELECT coalesce(sum(df), 0) FROM postings WHERE term = 'obsoletium'`).Scan(&obsolete); err != nil {
		t.Fatal(err)
	}
	if obsolete != 5 {
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
	for _, q := range queriesFor(c) {
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

func TestDeleteManyThenMerge(t *testing.T) {
	ctx := context.Background()
	c := newCorpus(3)
	ix := MustOpen(t)
	articles := genArticles(c, "del", 40, 2)
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
	ref := MustOpen(t)
	var keep []retrieval.Article
	for i := 1; i < len(articles); i += 2 {
		keep = append(keep, articles[i])
	}
	MustPut(t, ref, keep...)
	for _, q := range queriesFor(c) {
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

func TestReopenKeepsIndex(t *testing.T) {
	ctx := context.Background()
	path := t.TempDir() + "/reopen.db"
	ix, err := sqlite.Open(ctx, path, sqlite.Options{Create: true})
	if err != nil {
		t.Fatal(err)
	}
	articles := genArticles(newCorpus(4), "re", 30, 3)
	for i := 0; i < len(articles); i += 3 {
		if _, err := ix.Put(ctx, articles[i:i+3]); err != nil {
			t.Fatal(err)
		}
	}
	queries := queriesFor(newCorpus(4))
	before := map[string][]retrieval.Hit{}
	for _, q := range queries {
		before[q] = MustSearch(t, ix, retrieval.Query{Text: q, K: 50})
	}
	if err := ix.Close(); err != nil {
		t.Fatal(err)
	}
	for _, opt := range []sqlite.Options{{}, {ReadOnly: true}} {
		ix := MustOpenPath(t, path, opt)
		for _, q := range queries {
			sameHits(t, q, MustSearch(t, ix, retrieval.Query{Text: q, K: 50}), before[q])
		}
	}
}
