package storetest

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/byline-news/byline/retrieval"
)

// testInjectedClock: the clock a handle is opened with stamps articles'
// indexed time and decides which chat state has expired, so nothing the
// store does depends on the wall clock. The times are decades away from
// any date the suite runs on, so the wall clock would give other results.
func testInjectedClock(t *testing.T, b Backend) {
	ctx := context.Background()
	addr := b.Fresh(t)
	now := time.Date(1995, 3, 1, 10, 0, 0, 0, time.UTC)
	ix := b.openAt(t, addr, Options{Now: func() time.Time { return now }})

	MustPut(t, ix, art("first", "", "The lighthouse keeper retired after forty years."))
	now = now.Add(48 * time.Hour)
	MustPut(t, ix, art("second", "", "The new lighthouse lamp is automatic."))
	for id, want := range map[string]time.Time{"first": now.Add(-48 * time.Hour), "second": now} {
		a, err := ix.Article(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		if !a.Indexed.Equal(want) {
			t.Errorf("Article(%s).Indexed = %v, want the handle's clock %v", id, a.Indexed, want)
		}
	}
	for _, h := range MustSearch(t, ix, retrieval.Query{Text: "lighthouse", K: 5}) {
		if h.Article.ID == "first" && !h.Article.Indexed.Equal(now.Add(-48*time.Hour)) {
			t.Errorf("hit's Indexed = %v", h.Article.Indexed)
		}
	}

	// Saves prune what has expired by the handle's clock, and only that.
	mustSaveStates(t, ix,
		retrieval.ChatState{NS: "slack.answers", Key: "gone", Value: []byte(`{}`), Expires: now.Add(-time.Hour)},
		retrieval.ChatState{NS: "slack.answers", Key: "kept", Value: []byte(`{}`), Expires: now.Add(5 * 365 * 24 * time.Hour)})
	mustSaveStates(t, ix, retrieval.ChatState{NS: "slack.answers", Key: "next", Value: []byte(`{}`), Expires: now.Add(time.Hour)})
	for key, want := range map[string]int64{"gone": 0, "kept": 1, "next": 1} {
		q := fmt.Sprintf(`SELECT count(*) FROM chat_state WHERE ns = 'slack.answers' AND key = '%s'`, key)
		if got := b.QueryInt(t, addr, q); got != want {
			t.Errorf("chat state %q: %d rows, want %d (pruned by the handle's clock)", key, got, want)
		}
	}
}
