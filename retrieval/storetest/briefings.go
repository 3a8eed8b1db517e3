package storetest

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/byline-news/byline/retrieval"
)

func briefingAt(channel string, next time.Time) retrieval.Briefing {
	return retrieval.Briefing{Platform: "slack", Workspace: "T1", Channel: channel, Topic: "grain exports",
		Minute: 8 * 60, Zone: "Europe/London", Next: next, By: "U1", Created: Clock}
}

// testBriefingsLifecycle: a channel's briefing is saved, replaced by a
// second one, found due from its next time, and deleted.
func testBriefingsLifecycle(t *testing.T, b Backend) {
	ctx := context.Background()
	ix := b.open(t)
	at := Clock.Add(time.Hour)
	first := briefingAt("C1", at)
	for _, br := range []retrieval.Briefing{first, briefingAt("C2", at.Add(time.Hour))} {
		if err := ix.SaveBriefing(ctx, br); err != nil {
			t.Fatal(err)
		}
	}
	got, err := ix.Briefing(ctx, "slack", "T1", "C1")
	if err != nil || got != first {
		t.Fatalf("Briefing = %+v, %v; want %+v", got, err, first)
	}
	first.Topic, first.Minute, first.Zone = "", 7*60+30, "America/New_York"
	if err := ix.SaveBriefing(ctx, first); err != nil {
		t.Fatal(err)
	}
	if got, _ := ix.Briefing(ctx, "slack", "T1", "C1"); got != first {
		t.Errorf("after rescheduling: %+v, want %+v", got, first)
	}
	if _, err := ix.Briefing(ctx, "discord", "T1", "C1"); !errors.Is(err, retrieval.ErrNotFound) {
		t.Errorf("another platform's channel: %v, want ErrNotFound", err)
	}
	dueIDs := func(now time.Time) []string {
		due, err := ix.DueBriefings(ctx, now)
		if err != nil {
			t.Fatal(err)
		}
		var ids []string
		for _, d := range due {
			ids = append(ids, d.Channel)
		}
		return ids
	}
	for _, c := range []struct {
		now  time.Time
		want int
	}{{Clock, 0}, {at, 1}, {at.Add(2 * time.Hour), 2}} {
		if ids := dueIDs(c.now); len(ids) != c.want {
			t.Errorf("due at %v: %v, want %d", c.now, ids, c.want)
		}
	}
	if ids := dueIDs(at.Add(2 * time.Hour)); ids[0] != "C1" {
		t.Errorf("due = %v, want the earliest (C1) first", ids)
	}
	if err := ix.DeleteBriefing(ctx, "slack", "T1", "C1"); err != nil {
		t.Fatal(err)
	}
	if err := ix.DeleteBriefing(ctx, "slack", "T1", "C1"); !errors.Is(err, retrieval.ErrNotFound) {
		t.Errorf("second delete: %v, want ErrNotFound", err)
	}
	if ids := dueIDs(at.Add(2 * time.Hour)); len(ids) != 1 || ids[0] != "C2" {
		t.Errorf("due after delete = %v, want C2 only", ids)
	}
}

// testBriefingFiresOnce: of several handles advancing the same due
// briefing at once, one wins; advancing from a stale read fails.
func testBriefingFiresOnce(t *testing.T, b Backend) {
	ctx := context.Background()
	addr := b.Fresh(t)
	var stores []Store
	for range 3 {
		stores = append(stores, b.openAt(t, addr, Options{}))
	}
	br := briefingAt("C1", Clock)
	if err := stores[0].SaveBriefing(ctx, br); err != nil {
		t.Fatal(err)
	}
	next := Clock.Add(24 * time.Hour)
	var wg sync.WaitGroup
	var mu sync.Mutex
	won := 0
	for i := range 9 {
		wg.Go(func() {
			ok, err := stores[i%len(stores)].AdvanceBriefing(ctx, br, next)
			if err != nil {
				t.Errorf("AdvanceBriefing: %v", err)
			}
			if ok {
				mu.Lock()
				won++
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	if won != 1 {
		t.Errorf("%d advances won, want exactly 1", won)
	}
	got, err := stores[1].Briefing(ctx, "slack", "T1", "C1")
	if err != nil || !got.Next.Equal(next) {
		t.Errorf("next after firing = %v (%v), want %v", got.Next, err, next)
	}
	if due, _ := stores[2].DueBriefings(ctx, Clock.Add(time.Hour)); len(due) != 0 {
		t.Errorf("due after firing: %+v, want none", due)
	}
	if ok, err := stores[2].AdvanceBriefing(ctx, br, next.Add(time.Hour)); ok || err != nil {
		t.Errorf("advancing a stale read = %v, %v; want false", ok, err)
	}
}
