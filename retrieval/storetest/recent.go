package storetest

import (
	"context"
	"math"
	"slices"
	"testing"
	"time"

	"github.com/byline-news/byline/retrieval"
	"github.com/byline-news/byline/retrieval/analysis"
)

// rarityArticles: paragraphs whose terms the test counts itself.
var rarityArticles = []retrieval.Article{
	{ID: "r1", Title: "Harbour dredging", Paragraphs: []string{
		"The harbour will be dredged in spring.", "Dredgers arrive from Rotterdam.", "Fishermen welcomed the news."}},
	{ID: "r2", Title: "Council budget", Paragraphs: []string{
		"The council approved the budget.", "The harbour master asked for more."}},
	{ID: "r3", Title: "Weather", Paragraphs: []string{"Storms are expected along the coast."}},
}

// docFreq counts the paragraphs whose text or article title has term.
func docFreq(arts []retrieval.Article, term string) int64 {
	var df int64
	for _, a := range arts {
		title := analysis.Terms(a.Title)
		for _, p := range a.Paragraphs {
			if slices.Contains(analysis.Terms(p), term) || slices.Contains(title, term) {
				df++
			}
		}
	}
	return df
}

func paragraphCount(arts []retrieval.Article) (n int64) {
	for _, a := range arts {
		n += int64(len(a.Paragraphs))
	}
	return n
}

func term(t *testing.T, word string) string {
	t.Helper()
	ts := analysis.Terms(word)
	if len(ts) != 1 {
		t.Fatalf("Terms(%q) = %q", word, ts)
	}
	return ts[0]
}

// testRarity: each term's rarity is retrieval.Rarity of its document
// frequency over every segment and the live paragraphs.
func testRarity(t *testing.T, b Backend) {
	ctx := context.Background()
	ix := b.open(t)
	if got, err := ix.Rarity(ctx, []string{term(t, "harbour")}); err != nil || got[term(t, "harbour")] != 1 {
		t.Errorf("Rarity on an empty index = %v, %v; want 1", got, err)
	}
	// One call per article, the last with others: three segments, whose
	// counts are summed.
	filler := NewCorpus(3).Articles("filler", 20, 1)
	arts := append(slices.Clone(rarityArticles), filler...)
	MustPut(t, ix, arts[0])
	MustPut(t, ix, arts[1])
	MustPut(t, ix, arts[2:]...)
	if st := MustStats(t, ix); st.Segments < 2 {
		t.Fatalf("%d segments; the test needs several", st.Segments)
	}
	words := []string{"harbour", "dredging", "council", "storms", "zeppelin", "harbour"}
	terms := make([]string, len(words))
	for i, w := range words {
		terms[i] = term(t, w)
	}
	check := func(terms []string, arts []retrieval.Article, docs int64) map[string]float64 {
		t.Helper()
		got, err := ix.Rarity(ctx, terms)
		if err != nil {
			t.Fatal(err)
		}
		distinct := slices.Compact(slices.Sorted(slices.Values(terms)))
		if len(got) != len(distinct) {
			t.Errorf("Rarity returned %d terms, want %d (one per distinct term): %v", len(got), len(distinct), got)
		}
		for _, tm := range terms {
			want := retrieval.Rarity(docFreq(arts, tm), docs)
			if math.Abs(got[tm]-want) > 1e-12 {
				t.Errorf("Rarity[%q] = %v, want %v (df %d of %d)", tm, got[tm], want, docFreq(arts, tm), docs)
			}
		}
		return got
	}
	got := check(terms, arts, paragraphCount(arts))
	if got[term(t, "zeppelin")] != 1 {
		t.Errorf("a term in no paragraph: %v, want 1", got[term(t, "zeppelin")])
	}
	if !(got[term(t, "storms")] > got[term(t, "harbour")]) {
		t.Errorf("storms (1 paragraph) %v not rarer than harbour (4) %v", got[term(t, "storms")], got[term(t, "harbour")])
	}
	if got, err := ix.Rarity(ctx, nil); err != nil || len(got) != 0 {
		t.Errorf("Rarity(nil) = %v, %v", got, err)
	}
	// n counts live paragraphs: r3 deleted (a tombstone in its segment),
	// the other terms' counts stay.
	if err := ix.Delete(ctx, "r3"); err != nil {
		t.Fatal(err)
	}
	live := slices.Delete(slices.Clone(arts), 2, 3)
	check(terms[:3], live, paragraphCount(live))
	// Every paragraph: close to 0.
	all := []retrieval.Article{{ID: "x", Title: "Harbour", Paragraphs: []string{"Harbour one.", "Harbour two."}}}
	ix2 := b.open(t)
	MustPut(t, ix2, all...)
	got, err := ix2.Rarity(ctx, []string{term(t, "harbour")})
	if err != nil || got[term(t, "harbour")] != retrieval.Rarity(2, 2) || got[term(t, "harbour")] > 0.3 {
		t.Errorf("a term in every paragraph: %v, %v; want %v", got, err, retrieval.Rarity(2, 2))
	}
}

// testRecent: the newest stories in a date range, newest first, each on
// its lead paragraph, syndicated copies folded, undated ones left out.
func testRecent(t *testing.T, b Backend) {
	ctx := context.Background()
	ix := b.open(t)
	at := func(d, h int) time.Time { return time.Date(2026, 11, d, h, 0, 0, 0, time.UTC) }
	story := func(id, outlet string, pub time.Time, paras ...string) retrieval.Article {
		return retrieval.Article{ID: id, URL: "https://example.com/" + id, Title: "Story " + id, Outlet: outlet,
			Published: pub, Paragraphs: paras}
	}
	arts := []retrieval.Article{
		story("a", "Post", at(10, 9), "A: the ferry timetable changes.", "A second paragraph.", "A third."),
		story("b", "Post", at(12, 9), "B: the council votes on the budget.", "B second paragraph."),
		story("c", "Post", at(14, 9), "C: a single paragraph about the lighthouse."),
		story("undated", "Post", time.Time{}, "An undated notice about parking.", "More parking."),
		// A wire story: carried by the Coast Post on the 16th, first by the
		// wire on the 15th; shown once, as the wire's copy.
		story("coast", "Coast Post", at(16, 9), slices.Clone(wire)...),
		story("wire", "Wire Service", at(15, 9), slices.Clone(wire)...),
		// Same second as b: ties go by ID.
		story("b0", "Post", at(12, 9), "B0: tied with b."),
	}
	MustPut(t, ix, arts...)
	ids := func(hits []retrieval.Hit) []string {
		out := make([]string, len(hits))
		for i, h := range hits {
			out[i] = h.Article.ID
		}
		return out
	}
	tests := []struct {
		name         string
		since, until time.Time
		n            int
		want         []string
	}{
		{"all", time.Time{}, time.Time{}, 10, []string{"wire", "c", "b", "b0", "a"}},
		{"at most n", time.Time{}, time.Time{}, 2, []string{"wire", "c"}},
		{"one, copies folded", time.Time{}, time.Time{}, 1, []string{"wire"}},
		{"since inclusive", at(12, 9), time.Time{}, 10, []string{"wire", "c", "b", "b0"}},
		{"until exclusive", time.Time{}, at(14, 9), 10, []string{"b", "b0", "a"}},
		{"both", at(11, 0), at(16, 9), 10, []string{"wire", "c", "b", "b0"}},
		{"since within a second", at(14, 9).Add(-time.Millisecond), at(14, 10), 10, []string{"c"}},
		{"since just after", at(14, 9).Add(time.Millisecond), at(14, 10), 10, nil},
		{"until just after", at(14, 0), at(14, 9).Add(time.Millisecond), 10, []string{"c"}},
		{"empty range", at(20, 0), at(21, 0), 10, nil},
		{"reversed range", at(16, 0), at(10, 0), 10, nil},
		{"n zero", time.Time{}, time.Time{}, 0, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			hits, err := ix.Recent(ctx, tt.since, tt.until, tt.n)
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(ids(hits), tt.want) {
				t.Errorf("Recent = %v, want %v", ids(hits), tt.want)
			}
		})
	}

	hits, err := ix.Recent(ctx, time.Time{}, time.Time{}, 10)
	if err != nil {
		t.Fatal(err)
	}
	byID := map[string]retrieval.Hit{}
	for _, h := range hits {
		byID[h.Article.ID] = h
	}
	if h := byID["wire"]; !slices.Equal(h.AlsoCarriedBy, []string{"Coast Post"}) || h.Article.Outlet != "Wire Service" {
		t.Errorf("folded story = %s from %q, also carried by %q; want the wire's copy, also carried by the Coast Post",
			h.Article.ID, h.Article.Outlet, h.AlsoCarriedBy)
	}
	if h := byID["a"]; h.Paragraph != 0 || h.Text != arts[0].Paragraphs[0] || h.After != arts[0].Paragraphs[1] || h.Before != "" {
		t.Errorf("hit on a = paragraph %d %q, before %q, after %q; want the lead with the second paragraph after",
			h.Paragraph, h.Text, h.Before, h.After)
	}
	if h := byID["c"]; h.Text != arts[2].Paragraphs[0] || h.After != "" {
		t.Errorf("hit on a one-paragraph article: %q, after %q", h.Text, h.After)
	}
	if h := byID["b"]; h.Article.Title != "Story b" || !h.Article.Published.Equal(at(12, 9)) || h.Article.URL != arts[1].URL ||
		h.Article.Indexed.IsZero() {
		t.Errorf("hit article = %+v", h.Article)
	}

	// A replaced article shows its new lead; a deleted one is gone.
	MustPut(t, ix, story("c", "Post", at(14, 9), "C: the lighthouse reopened.", "With a new lamp."))
	if err := ix.Delete(ctx, "b"); err != nil {
		t.Fatal(err)
	}
	hits, err = ix.Recent(ctx, at(12, 0), at(15, 0), 10)
	if err != nil {
		t.Fatal(err)
	}
	if got := ids(hits); !slices.Equal(got, []string{"c", "b0"}) || hits[0].Text != "C: the lighthouse reopened." {
		t.Errorf("after replace and delete: %v, lead %q", got, hits[0].Text)
	}
}
