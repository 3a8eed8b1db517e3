package retrieval_test

import (
	"context"
	"errors"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/byline-news/byline/retrieval"
	"github.com/byline-news/byline/retrieval/sqlite"
)

// TestHoldLease: two processes' handles on one database. While one
// holds a lease the other's work does not run; the lease is handed back
// after the work; and a holder that stalls past the lease's lifetime,
// once another took it, has its work cancelled with ErrLeaseLost.
func TestHoldLease(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "leases.db")
	open := func() *sqlite.Index {
		ix, err := sqlite.Open(ctx, path, sqlite.Options{Create: true})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { ix.Close() })
		return ix
	}
	a, b := open(), open()
	var mu sync.Mutex
	now := time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)
	clock := func() time.Time { mu.Lock(); defer mu.Unlock(); return now }
	const ttl = 40 * time.Millisecond // renewals every 10 ms

	ran, err := retrieval.HoldLease(ctx, a, "embed", "a", ttl, clock, func(ctx context.Context) {
		if ok, err := retrieval.HoldLease(ctx, b, "embed", "b", ttl, clock, func(context.Context) { t.Error("b ran while a held the lease") }); ok || err != nil {
			t.Errorf("b's HoldLease while a held it = %v, %v; want false", ok, err)
		}
	})
	if !ran || err != nil {
		t.Fatalf("a's HoldLease = %v, %v", ran, err)
	}
	if ran, err := retrieval.HoldLease(ctx, b, "embed", "b", ttl, clock, func(context.Context) {}); !ran || err != nil {
		t.Errorf("b's HoldLease once a was done = %v, %v; want it run (a handed the lease back)", ran, err)
	}

	var cause error
	ran, err = retrieval.HoldLease(ctx, a, "embed", "a", ttl, clock, func(ctx context.Context) {
		mu.Lock()
		now = now.Add(time.Hour) // a stalls; its lease expires
		mu.Unlock()
		if ok, err := b.Lease(ctx, "embed", "b", clock(), clock().Add(time.Hour)); !ok || err != nil {
			t.Errorf("b could not take the expired lease: %v, %v", ok, err)
		}
		select {
		case <-ctx.Done():
			cause = context.Cause(ctx)
		case <-time.After(5 * time.Second):
		}
	})
	if !ran || err != nil || !errors.Is(cause, retrieval.ErrLeaseLost) {
		t.Errorf("a's stalled work: ran %v, %v, cancelled with %v; want ErrLeaseLost", ran, err, cause)
	}
	if ok, _ := a.Lease(ctx, "embed", "c", clock(), clock().Add(time.Minute)); ok {
		t.Error("a's release after losing the lease freed b's")
	}
}

// TestHoldLeaseCancelledHandsBack cancels HoldLease's context at varied
// moments, as a shutdown does: whenever it returns, another holder can
// take the lease at once. SQLite may report a cancelled statement as
// failed after writing it, and such a lease used to stay held for its
// whole lifetime, so that a restarted replica's watch loop waited a
// minute.
func TestHoldLeaseCancelledHandsBack(t *testing.T) {
	ctx := context.Background()
	ix, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "leases.db"), sqlite.Options{Create: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ix.Close() })
	now := time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)
	clock := func() time.Time { return now }
	for i := range 400 {
		c, cancel := context.WithCancel(ctx)
		go func() {
			time.Sleep(time.Duration(i%40) * 2 * time.Microsecond)
			cancel()
		}()
		retrieval.HoldLease(c, ix, "watch", "a", time.Minute, clock, func(context.Context) {})
		cancel()
		ok, err := ix.Lease(ctx, "watch", "b", now, now.Add(time.Minute))
		if err != nil || !ok {
			t.Fatalf("round %d: after a cancelled HoldLease, another holder's Lease = %v, %v; want the lease free", i, ok, err)
		}
		if err := ix.ReleaseLease(ctx, "watch", "b"); err != nil {
			t.Fatal(err)
		}
	}
}
