package storetest

import (
	"fmt"
	"testing"

	"github.com/byline-news/byline/retrieval"
	"github.com/byline-news/byline/retrieval/analysis"
)

// testReanalyze opens an index whose terms an older analysis wrote: the
// paragraphs are read again, once, so that "US" finds "U.S.", and
// nothing else changes.
func testReanalyze(t *testing.T, b Backend) {
	addr := b.Fresh(t)
	ix := b.openAt(t, addr, Options{})
	c := NewCorpus(7)
	arts := c.Articles("gen", 12, 3)
	embassy := retrieval.Article{ID: "embassy", Title: "Embassy reopens", Published: date(2026, 3, 2), Paragraphs: []string{
		"The U.S. embassy in Vell reopened on Monday after a year.",
		"Staff returned to the compound by the river.",
	}}
	MustPut(t, ix, append(arts, embassy)...)
	if err := ix.Delete(t.Context(), "gen-3"); err != nil {
		t.Fatal(err)
	}
	// The index rebuilt ranks as one built afresh from the live articles.
	fresh := b.open(t)
	MustPut(t, fresh, append(append(arts[:3:3], arts[4:]...), embassy)...)
	queries := c.Queries()[:6]
	want := map[string][]string{}
	for _, q := range queries {
		want[q] = HitIDs(MustSearch(t, fresh, retrieval.Query{Text: q, K: 10}))
	}
	ix.Close()

	// What an index written before version 2 holds: "U.S." as "u" (and
	// the stop word "s"), and no record of its analysis.
	b.Exec(t, addr, `UPDATE postings SET term = 'u' WHERE term = 'us'; DELETE FROM meta WHERE key = 'analysis'`)
	usEmbassy := retrieval.Query{Text: "US", K: 3}
	if hits := MustSearch(t, b.openAt(t, addr, Options{ReadOnly: true}), usEmbassy); len(hits) > 0 {
		t.Fatalf("the old index found %v for %q read-only: the test does not make an old index", HitIDs(hits), usEmbassy.Text)
	}
	segments := b.QueryInt(t, addr, `SELECT count(*) FROM segments`)

	ix = b.openAt(t, addr, Options{})
	hits := MustSearch(t, ix, usEmbassy)
	if len(hits) == 0 || hits[0].Article.ID != "embassy" || hits[0].Paragraph != 0 {
		t.Errorf("Search(%q) after reopening = %v, want embassy#0 first", usEmbassy.Text, HitIDs(hits))
	}
	for _, q := range queries {
		if got := HitIDs(MustSearch(t, ix, retrieval.Query{Text: q, K: 10})); fmt.Sprint(got) != fmt.Sprint(want[q]) {
			t.Errorf("Search(%q) = %v after reanalysis, want %v as a new index gives", q, got, want[q])
		}
	}
	if v := b.QueryInt(t, addr, `SELECT value FROM meta WHERE key = 'analysis'`); v != analysis.Version {
		t.Errorf("meta analysis = %d, want %d", v, analysis.Version)
	}
	if n := b.QueryInt(t, addr, `SELECT count(*) FROM segments`); n != segments {
		t.Errorf("%d segments after reanalysis, want %d as before", n, segments)
	}
	if n := b.QueryInt(t, addr, `SELECT count(*) FROM tombstones`); n != 0 {
		t.Errorf("%d tombstones after reanalysis, want 0: the deleted article is left out", n)
	}
	if n := b.QueryInt(t, addr, `SELECT count(*) FROM postings WHERE term = 'u'`); n != 0 {
		t.Errorf("%d posting lists of the old term left", n)
	}

	// Current now: opening again rewrites nothing.
	last := b.QueryInt(t, addr, `SELECT max(id) FROM segments`)
	ix.Close()
	b.openAt(t, addr, Options{}).Close()
	if got := b.QueryInt(t, addr, `SELECT max(id) FROM segments`); got != last {
		t.Errorf("reopening a current index rewrote segment %d as %d", last, got)
	}
}
