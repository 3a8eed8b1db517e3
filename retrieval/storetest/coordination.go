package storetest

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/byline-news/byline/retrieval"
)

// The tests below are about several handles on one database, as several
// byline processes (replicas) have: what one writes the others see at
// once, claims and leases that let them share work, and migrations run
// once however many start together.

// testOtherHandleSeesWrites: an article indexed through one handle is
// found through another at its next search, and deleted the same way,
// with no restart; the generation tells both that something changed.
func testOtherHandleSeesWrites(t *testing.T, b Backend) {
	ctx := context.Background()
	addr := b.Fresh(t)
	a, other := b.openAt(t, addr, Options{}), b.openAt(t, addr, Options{})
	MustPut(t, a, harbourStrike)
	if hits := MustSearch(t, other, retrieval.Query{Text: "Vellacott"}); len(hits) == 0 {
		t.Fatal("the other handle does not find the first article")
	}
	gen0, err := other.Generation(ctx)
	if err != nil {
		t.Fatal(err)
	}
	MustPut(t, a, bridgeVote)
	gen1, err := other.Generation(ctx)
	if err != nil || gen1 == gen0 {
		t.Errorf("generation seen by the other handle = %d then %d (%v); want a change after a Put", gen0, gen1, err)
	}
	if hits := MustSearch(t, other, retrieval.Query{Text: "Ferrante bridge"}); len(hits) == 0 || hits[0].Article.ID != bridgeVote.ID {
		t.Errorf("other handle after Put: %v, want %s", hitIDs(hits), bridgeVote.ID)
	}
	if err := other.Delete(ctx, harbourStrike.ID); err != nil {
		t.Fatal(err)
	}
	if hits := MustSearch(t, a, retrieval.Query{Text: "Vellacott"}); len(hits) != 0 {
		t.Errorf("first handle after the other deleted: %v, want nothing", hitIDs(hits))
	}
	if gen2, _ := a.Generation(ctx); gen2 == gen1 {
		t.Errorf("generation unchanged by a Delete: %d", gen2)
	}
}

// testConcurrentOpen: handles opening a new database at the same moment
// all succeed, and the schema is made once.
func testConcurrentOpen(t *testing.T, b Backend) {
	ctx := context.Background()
	addr := b.blank(t)
	const n = 4
	stores := make([]Store, n)
	errs := make([]error, n)
	var wg sync.WaitGroup
	start := make(chan struct{})
	for i := range n {
		wg.Go(func() {
			<-start
			stores[i], errs[i] = b.Open(ctx, addr, Options{Now: func() time.Time { return Clock }})
		})
	}
	close(start)
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Errorf("Open %d: %v", i, err)
			continue
		}
		t.Cleanup(func() { stores[i].Close() })
	}
	if t.Failed() {
		return
	}
	if rows := b.QueryInt(t, addr, `SELECT count(*) FROM meta WHERE key = 'next_doc'`); rows != 1 {
		t.Errorf("%d next_doc rows in meta, want 1 (the first migration ran more than once?)", rows)
	}
	MustPut(t, stores[0], orchardFrost)
	for i, s := range stores {
		if hits := MustSearch(t, s, retrieval.Query{Text: "frost"}); len(hits) == 0 {
			t.Errorf("handle %d does not find the article", i)
		}
	}
}

// testClaim: the first claim of a key wins until it expires, whichever
// handle asks; namespaces are apart.
func testClaim(t *testing.T, b Backend) {
	ctx := context.Background()
	addr := b.Fresh(t)
	a, other := b.openAt(t, addr, Options{}), b.openAt(t, addr, Options{})
	now := Clock
	steps := []struct {
		name    string
		s       Store
		ns, key string
		at      time.Time
		want    bool
	}{
		{"first claim", a, "slack.events", "Ev1", now, true},
		{"retry to another replica", other, "slack.events", "Ev1", now.Add(time.Second), false},
		{"retry to the same replica", a, "slack.events", "Ev1", now.Add(2 * time.Second), false},
		{"another key", other, "slack.events", "Ev2", now, true},
		{"another namespace", other, "discord.interactions", "Ev1", now, true},
		{"after expiry", other, "slack.events", "Ev1", now.Add(time.Hour), true},
		{"claimed again after expiry", a, "slack.events", "Ev1", now.Add(time.Hour + time.Second), false},
	}
	for _, s := range steps {
		got, err := s.s.Claim(ctx, s.ns, s.key, s.at, s.at.Add(10*time.Minute))
		if err != nil || got != s.want {
			t.Errorf("%s: Claim(%s, %s) = %v, %v; want %v", s.name, s.ns, s.key, got, err, s.want)
		}
	}
}

// testClaimRace: of many handles claiming one key at once, one wins.
func testClaimRace(t *testing.T, b Backend) {
	ctx := context.Background()
	addr := b.Fresh(t)
	var stores []Store
	for range 3 {
		stores = append(stores, b.openAt(t, addr, Options{}))
	}
	for key := range 5 {
		var wins sync.WaitGroup
		var mu sync.Mutex
		won := 0
		for i := range 12 {
			wins.Go(func() {
				ok, err := stores[i%len(stores)].Claim(ctx, "race", fmt.Sprint(key), Clock, Clock.Add(time.Minute))
				if err != nil {
					t.Errorf("Claim: %v", err)
				}
				if ok {
					mu.Lock()
					won++
					mu.Unlock()
				}
			})
		}
		wins.Wait()
		if won != 1 {
			t.Errorf("key %d: %d claims won, want exactly 1", key, won)
		}
	}
}

// testLease: a lease is its holder's until it expires or is released;
// the holder may renew it.
func testLease(t *testing.T, b Backend) {
	ctx := context.Background()
	addr := b.Fresh(t)
	a, other := b.openAt(t, addr, Options{}), b.openAt(t, addr, Options{})
	now := Clock
	const feed = "feed:https://news.example/rss"
	lease := func(s Store, holder string, at time.Time) bool {
		t.Helper()
		ok, err := s.Lease(ctx, feed, holder, at, at.Add(time.Minute))
		if err != nil {
			t.Fatalf("Lease: %v", err)
		}
		return ok
	}
	if !lease(a, "replica-a", now) {
		t.Fatal("first lease refused")
	}
	if lease(other, "replica-b", now.Add(10*time.Second)) {
		t.Error("lease granted to b while a holds it")
	}
	if !lease(a, "replica-a", now.Add(50*time.Second)) {
		t.Error("a could not renew its own lease")
	}
	if lease(other, "replica-b", now.Add(90*time.Second)) {
		t.Error("lease granted to b before a's renewal expired")
	}
	if !lease(other, "replica-b", now.Add(111*time.Second)) {
		t.Error("lease refused to b after a's expired")
	}
	if err := a.ReleaseLease(ctx, feed, "replica-a"); err != nil {
		t.Fatal(err)
	}
	if lease(a, "replica-a", now.Add(120*time.Second)) {
		t.Error("a's release of a lease it no longer holds freed b's lease")
	}
	if err := other.ReleaseLease(ctx, feed, "replica-b"); err != nil {
		t.Fatal(err)
	}
	if !lease(a, "replica-a", now.Add(121*time.Second)) {
		t.Error("lease refused after its holder released it")
	}
}
