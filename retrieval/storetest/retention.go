package storetest

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/byline-news/byline/retrieval"
)

// testRemoveByIDOrURL: an admin's delete names an article by its ID or
// its URL; either removes it, and says what it removed.
func testRemoveByIDOrURL(t *testing.T, b Backend) {
	ctx := context.Background()
	ix := b.open(t)
	a := art("ferry-1", "https://news.example/ferries", "The harbour ferries stopped at noon.")
	c := art("tram-2", "https://news.example/trams", "The city trams ran late all week.")
	a.Outlet = "Harbour Times"
	MustPut(t, ix, a, c, art("bus-3", "", "The night buses are back."))
	for _, tc := range []struct{ ref, wantID, gone string }{
		{"https://news.example/ferries", "ferry-1", "ferries"},
		{"tram-2", "tram-2", "trams"},
	} {
		gen0, _ := ix.Generation(ctx)
		got, err := ix.Remove(ctx, tc.ref)
		if err != nil || len(got) != 1 || got[0].ID != tc.wantID {
			t.Fatalf("Remove(%s) = %+v, %v; want %s", tc.ref, got, err, tc.wantID)
		}
		if hits := MustSearch(t, ix, retrieval.Query{Text: tc.gone}); len(hits) != 0 {
			t.Errorf("after Remove(%s): %v, want nothing", tc.ref, hitIDs(hits))
		}
		if gen1, _ := ix.Generation(ctx); gen1 == gen0 {
			t.Errorf("Remove(%s) left the generation at %d", tc.ref, gen1)
		}
	}
	if got, _ := ix.Remove(ctx, "bus-3"); len(got) != 1 || got[0].Title != "Story bus-3" {
		t.Errorf("Remove(bus-3) = %+v, want its title", got)
	}
	for _, ref := range []string{"tram-2", "https://news.example/none", "", "Story bus-3"} {
		if _, err := ix.Remove(ctx, ref); !errors.Is(err, retrieval.ErrNotFound) {
			t.Errorf("Remove(%q) = %v, want ErrNotFound", ref, err)
		}
	}
	if n, _ := ix.Count(ctx); n != 0 {
		t.Errorf("%d articles left, want 0", n)
	}
}

// testDeleteOlder: retention deletes what was published before the
// cutoff (undated articles by when they were indexed), oldest first, a
// batch at a time, and nothing else.
func testDeleteOlder(t *testing.T, b Backend) {
	ctx := context.Background()
	addr := b.Fresh(t)
	ix := b.openAt(t, addr, Options{})
	long := b.openAt(t, addr, Options{Now: func() time.Time { return date(2020, time.March, 1) }})
	dated := func(id string, pub time.Time, text string) retrieval.Article {
		a := art(id, "", text)
		a.Published = pub
		return a
	}
	MustPut(t, long, art("old-undated", "", "An undated notice about the lighthouse keepers."))
	MustPut(t, ix,
		dated("old-2020", date(2020, time.January, 1), "The lighthouse keepers went on strike."),
		dated("old-2024", date(2024, time.June, 1), "The lighthouse reopened to visitors."),
		dated("new-2026", date(2026, time.November, 1), "The lighthouse got a new lamp."),
		art("new-undated", "", "An undated notice about the lighthouse lamp."))
	cutoff := date(2025, time.January, 1)
	if n, err := ix.DeleteOlder(ctx, cutoff, 2); n != 2 || err != nil {
		t.Fatalf("first batch = %d, %v; want 2", n, err)
	}
	if _, err := ix.Article(ctx, "old-2024"); err != nil {
		t.Errorf("old-2024 gone in the first batch (%v): the oldest two (2020) go first", err)
	}
	if n, err := ix.DeleteOlder(ctx, cutoff, 2); n != 1 || err != nil {
		t.Fatalf("second batch = %d, %v; want 1", n, err)
	}
	hits := MustSearch(t, ix, retrieval.Query{Text: "lighthouse", K: 10})
	if got := hitIDsOnly(hits); !slices.Equal(got, []string{"new-2026", "new-undated"}) {
		t.Errorf("left after retention: %v, want new-2026 and new-undated", got)
	}
	if n, err := ix.DeleteOlder(ctx, cutoff, 100); n != 0 || err != nil {
		t.Errorf("again = %d, %v; want nothing to delete", n, err)
	}
}

func hitIDsOnly(hits []retrieval.Hit) []string {
	var out []string
	for _, h := range hits {
		out = append(out, h.Article.ID)
	}
	slices.Sort(out)
	return out
}

// BenchRetention times deleting retainBench old articles (5 paragraphs
// each) from an index that also holds as many recent ones: with
// DeleteOlder, one transaction for the lot, and with one Delete per
// article, as a loop over "byline delete" would. It reports the time per
// article deleted. Backends' BenchmarkRetention call it.
func BenchRetention(b *testing.B, s Store) {
	ctx := context.Background()
	const retainBench = 1000
	c := NewCorpus(300)
	cutoff := date(2025, time.January, 1)
	recent := c.Articles("recent", retainBench, 5)
	for i := range recent {
		recent[i].Published = cutoff.AddDate(0, 0, 1+i%300)
	}
	MustPut(b, s, recent...)
	round := 0
	putOld := func() []retrieval.Article {
		b.StopTimer()
		defer b.StartTimer()
		round++
		old := c.Articles(fmt.Sprintf("old%d", round), retainBench, 5)
		for i := range old {
			old[i].Published = cutoff.AddDate(0, 0, -1-i%300)
		}
		MustPut(b, s, old...)
		return old
	}
	b.Run("DeleteOlder", func(b *testing.B) {
		for b.Loop() {
			putOld()
			if n, err := s.DeleteOlder(ctx, cutoff, retainBench); err != nil || n != retainBench {
				b.Fatalf("DeleteOlder = %d, %v", n, err)
			}
		}
		b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*retainBench), "ns/article")
	})
	b.Run("DeleteEach", func(b *testing.B) {
		for b.Loop() {
			for _, a := range putOld() {
				if err := s.Delete(ctx, a.ID); err != nil {
					b.Fatal(err)
				}
			}
		}
		b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*retainBench), "ns/article")
	})
}
