package storetest

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/byline-news/byline/retrieval"
)

// deadlock is how long a test waits for something that must not block
// before declaring a deadlock. It is a safety net, not a timing assertion.
const deadlock = 30 * time.Second

// searchAsync runs a search on another goroutine and returns an error if
// it has not returned within the deadlock limit. It may be called from any
// goroutine.
func searchAsync(ix Store, text string) ([]retrieval.Hit, error) {
	type result struct {
		hits []retrieval.Hit
		err  error
	}
	ctx, cancel := context.WithTimeout(context.Background(), deadlock)
	defer cancel()
	ch := make(chan result, 1)
	go func() {
		hits, err := ix.Search(ctx, retrieval.Query{Text: text, K: 1000})
		ch <- result{hits, err}
	}()
	select {
	case r := <-ch:
		return r.hits, r.err
	case <-time.After(deadlock + time.Second):
		return nil, fmt.Errorf("Search(%q) blocked while a writer was open", text)
	}
}

// pendingArticles are more than one writer batch, so some of them are
// written into the open transaction before Commit.
func pendingArticles(n int) []retrieval.Article {
	c := NewCorpus(9)
	out := make([]retrieval.Article, n)
	for i := range out {
		a := c.Article(fmt.Sprintf("pending-%d", i), 2)
		a.Paragraphs[0] += " Pendingword appears only in uncommitted articles."
		out[i] = a
	}
	return out
}

func testSearchDuringIndexCall(t *testing.T, b Backend) {
	ctx := context.Background()
	addr := b.Fresh(t)
	ix := b.openAt(t, addr, Options{})
	MustPut(t, ix, harbourStrike, orchardFrost)
	w, err := ix.Begin(ctx)
	if err != nil {
		t.Fatalf("Begin: %v", err)
	}
	defer w.Rollback()
	pending := pendingArticles(600)
	for _, a := range pending {
		if err := w.Add(a); err != nil {
			t.Fatalf("Add: %v", err)
		}
	}
	// Harbour strike replaced inside the open transaction.
	revised := harbourStrike
	revised.Paragraphs = []string{"Talks resumed and the Port of Haldane reopened on Friday."}
	if err := w.Add(revised); err != nil {
		t.Fatalf("Add: %v", err)
	}
	// Other handles open while the writer holds the write lock.
	other := b.openAt(t, addr, Options{LockTimeout: 100 * time.Millisecond})
	readOnly := b.openAt(t, addr, Options{ReadOnly: true, LockTimeout: 100 * time.Millisecond})

	for _, tt := range []struct {
		name string
		ix   Store
	}{{"same handle", ix}, {"second handle", other}, {"read-only handle", readOnly}} {
		t.Run(tt.name, func(t *testing.T) {
			var wg sync.WaitGroup
			for range 4 { // several readers at once
				wg.Go(func() {
					hits, err := searchAsync(tt.ix, "pendingword")
					if err != nil || len(hits) != 0 {
						t.Errorf("Search(pendingword) during index call = %v, %v; want no hits, no error", hitIDs(hits), err)
					}
					hits, err = searchAsync(tt.ix, "Vellacott")
					if err != nil || len(hits) == 0 || hits[0].Article.ID != harbourStrike.ID {
						t.Errorf("Search(Vellacott) during index call = %v, %v; want the committed version", hitIDs(hits), err)
					}
				})
			}
			wg.Wait()
			if n, err := tt.ix.Count(ctx); err != nil || n != 2 {
				t.Errorf("Count during index call = %d, %v; want 2", n, err)
			}
		})
	}

	res, err := w.Commit()
	if err != nil {
		t.Fatalf("Commit: %v", err)
	}
	if want := (retrieval.PutResult{Added: 600, Replaced: 1, Paragraphs: 1201}); res != want {
		t.Errorf("Commit = %+v, want %+v", res, want)
	}
	for _, r := range []Store{ix, other, readOnly} {
		hits, err := searchAsync(r, "pendingword")
		if err != nil || len(hits) != len(pending) {
			t.Errorf("Search(pendingword) after Commit: %d hits, %v; want %d", len(hits), err, len(pending))
		}
		hits, err = searchAsync(r, "Vellacott")
		if err != nil || len(hits) != 0 {
			t.Errorf("Search(Vellacott) after Commit = %v, %v; want nothing (replaced)", hitIDs(hits), err)
		}
		hits, err = searchAsync(r, "talks resumed reopened")
		if err != nil || len(hits) == 0 || hits[0].Article.ID != harbourStrike.ID {
			t.Errorf("Search(talks resumed) after Commit = %v, %v", hitIDs(hits), err)
		}
	}
}

func testRollbackDiscards(t *testing.T, b Backend) {
	ctx := context.Background()
	ix := b.open(t)
	MustPut(t, ix, orchardFrost)
	before := MustStats(t, ix)
	w, err := ix.Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, a := range pendingArticles(300) {
		if err := w.Add(a); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Rollback(); err != nil {
		t.Fatalf("Rollback: %v", err)
	}
	if err := w.Rollback(); err != nil {
		t.Errorf("second Rollback: %v", err)
	}
	if _, err := w.Commit(); err == nil {
		t.Error("Commit after Rollback succeeded")
	}
	after := MustStats(t, ix)
	if after.Articles != before.Articles || after.Paragraphs != before.Paragraphs || after.Segments != before.Segments || after.Terms != before.Terms {
		t.Errorf("Stats after Rollback = %+v, want %+v", after, before)
	}
	if hits := MustSearch(t, ix, retrieval.Query{Text: "pendingword"}); len(hits) != 0 {
		t.Errorf("Search after Rollback = %v", hitIDs(hits))
	}
	// The writer lock is released: another index call runs.
	MustPut(t, ix, bridgeVote)
}

func testSecondWriterWaits(t *testing.T, b Backend) {
	ctx := context.Background()
	addr := b.Fresh(t)
	ix := b.openAt(t, addr, Options{})
	MustPut(t, ix, orchardFrost)
	w, err := ix.Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer w.Rollback()

	other := b.openAt(t, addr, Options{LockTimeout: 100 * time.Millisecond})
	_, err = other.Put(ctx, []retrieval.Article{bridgeVote})
	if err == nil || !strings.Contains(err.Error(), "locked") {
		t.Fatalf("Put while another writer is open = %v, want a 'locked' error", err)
	}
	if err := other.Delete(ctx, orchardFrost.ID); err == nil || !strings.Contains(err.Error(), "locked") {
		t.Errorf("Delete while another writer is open = %v, want a 'locked' error", err)
	}
	// Reading still works from the blocked handle.
	if hits, err := searchAsync(other, "frost"); err != nil || len(hits) == 0 {
		t.Errorf("Search = %v, %v", hitIDs(hits), err)
	}

	// Once the first writer commits, the second can index.
	if err := w.Add(harbourStrike); err != nil {
		t.Fatal(err)
	}
	if _, err := w.Commit(); err != nil {
		t.Fatal(err)
	}
	MustPut(t, other, bridgeVote)
	if n, _ := ix.Count(ctx); n != 3 {
		t.Errorf("Count = %d, want 3", n)
	}
}

func testConcurrentSearchesAndPuts(t *testing.T, b Backend) {
	ctx := context.Background()
	ix := b.open(t)
	MustPut(t, ix, harbourStrike)
	c := NewCorpus(11)
	batches := make([][]retrieval.Article, 10)
	for i := range batches {
		batches[i] = c.Articles(fmt.Sprintf("batch%d", i), 5, 2)
	}
	queries := c.Queries()
	done := make(chan struct{})
	var wg sync.WaitGroup
	for r := range 3 {
		wg.Go(func() {
			for i := 0; ; i++ {
				select {
				case <-done:
					return
				default:
				}
				q := queries[(i+r)%len(queries)]
				if _, err := ix.Search(ctx, retrieval.Query{Text: q}); err != nil {
					t.Errorf("Search(%q): %v", q, err)
					return
				}
				hits, err := ix.Search(ctx, retrieval.Query{Text: "Vellacott"})
				if err != nil || len(hits) != 1 {
					t.Errorf("Search(Vellacott) = %v, %v; want 1 hit throughout", hitIDs(hits), err)
					return
				}
				// A scoped search sees the same, its document set rebuilt
				// as the index changes.
				scope := retrieval.Scope{Outlets: []string{harbourStrike.Outlet}}
				hits, err = ix.Search(ctx, retrieval.Query{Text: "Vellacott", Scope: scope})
				if err != nil || len(hits) != 1 {
					t.Errorf("scoped Search(Vellacott) = %v, %v; want 1 hit throughout", hitIDs(hits), err)
					return
				}
			}
		})
	}
	for _, b := range batches {
		if _, err := ix.Put(ctx, b); err != nil {
			t.Errorf("Put: %v", err)
		}
	}
	if err := ix.Delete(ctx, "batch0-0"); err != nil {
		t.Errorf("Delete: %v", err)
	}
	close(done)
	wg.Wait()
	if n, _ := ix.Count(ctx); n != 50 {
		t.Errorf("Count = %d, want 50", n)
	}
}

// testCancelledIndexCall: an index call whose context ends (a lost
// connection, Ctrl-C) leaves the previous state whole and the writer
// lock free.
func testCancelledIndexCall(t *testing.T, b Backend) {
	ix := b.open(t)
	MustPut(t, ix, orchardFrost)
	ctx, cancel := context.WithCancel(context.Background())
	w, err := ix.Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, a := range pendingArticles(600) { // two batches written into the transaction
		if err := w.Add(a); err != nil {
			t.Fatal(err)
		}
	}
	cancel()
	if _, err := w.Commit(); err == nil {
		t.Fatal("Commit after the context ended succeeded")
	}
	w.Rollback()
	if hits := MustSearch(t, ix, retrieval.Query{Text: "pendingword"}); len(hits) != 0 {
		t.Errorf("Search after a cancelled index call = %v, want nothing of it", hitIDs(hits))
	}
	if n, err := ix.Count(context.Background()); err != nil || n != 1 {
		t.Errorf("Count = %d, %v; want the 1 article from before", n, err)
	}
	MustPut(t, ix, bridgeVote)
}
