package storetest

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/byline-news/byline/retrieval"
)

// WatchStore is what the watch loop and the watch commands ask of a
// database (see retrieval/watches.go).
type WatchStore interface {
	AddWatch(ctx context.Context, w retrieval.Watch) (retrieval.Watch, error)
	RemoveWatch(ctx context.Context, id int64) (bool, error)
	RemoveChannelWatches(ctx context.Context, platform, workspace, channel string) (int, error)
	ChannelWatches(ctx context.Context, platform, workspace, channel string) ([]retrieval.Watch, error)
	AllWatches(ctx context.Context) ([]retrieval.Watch, error)
	WatchesVersion(ctx context.Context) (int64, error)
	WatchCursor(ctx context.Context) (int64, error)
	SetWatchCursor(ctx context.Context, doc int64) error
	ArticlesAfter(ctx context.Context, doc int64, limit int) ([]retrieval.NewArticle, error)
	AddWatchHit(ctx context.Context, h retrieval.WatchHit) (retrieval.WatchHit, bool, error)
	RecordWatchHits(ctx context.Context, hits []retrieval.WatchHit, cursor int64) (int, error)
	WatchHits(ctx context.Context, watch int64, since time.Time) ([]retrieval.WatchHit, error)
	PendingWatchHits(ctx context.Context) ([]retrieval.WatchHit, error)
	MarkWatchHitsSent(ctx context.Context, ids []int64, at time.Time) error
	ChannelPostsSince(ctx context.Context, platform, workspace, channel string, since time.Time) (int, error)
}

func mustAddWatch(t *testing.T, s Store, ch, topic string) retrieval.Watch {
	t.Helper()
	w, err := s.AddWatch(context.Background(), retrieval.Watch{Platform: "slack", Workspace: "T1", Channel: ch,
		Topic: topic, AddedBy: "U1", Created: Clock})
	if err != nil {
		t.Fatalf("AddWatch(%s): %v", topic, err)
	}
	return w
}

func topics(ws []retrieval.Watch) []string {
	out := make([]string, len(ws))
	for i, w := range ws {
		out[i] = w.Topic
	}
	return out
}

// testWatchesLifecycle: watches are kept per channel in the order set,
// start after the newest article, and go with what was found for them;
// every change moves the version, which another handle sees.
func testWatchesLifecycle(t *testing.T, b Backend) {
	ctx := context.Background()
	addr := b.Fresh(t)
	s, other := b.openAt(t, addr, Options{}), b.openAt(t, addr, Options{})
	v0, err := other.WatchesVersion(ctx)
	if err != nil {
		t.Fatal(err)
	}
	a1 := mustAddWatch(t, s, "C1", "grain exports")
	MustPut(t, s, harbourStrike)
	b1 := mustAddWatch(t, s, "C2", "harbour")
	a2 := mustAddWatch(t, other, "C1", "bridge vote")
	if a1.FromDoc != 0 || b1.FromDoc <= 0 || a2.FromDoc != b1.FromDoc || a1.ID == b1.ID || !a1.Created.Equal(Clock) {
		t.Errorf("watches %+v %+v %+v: want FromDoc 0 before any article, then the article's first document", a1, b1, a2)
	}
	if c, err := s.WatchCursor(ctx); c != 0 || err != nil {
		t.Errorf("WatchCursor before the loop's first round = %d, %v; want 0, where the oldest watch starts", c, err)
	}
	got, err := other.ChannelWatches(ctx, "slack", "T1", "C1")
	if err != nil || !slices.Equal(topics(got), []string{"grain exports", "bridge vote"}) || got[0] != a1 {
		t.Fatalf("ChannelWatches(C1) = %+v, %v; want grain exports then bridge vote", got, err)
	}
	if none, _ := s.ChannelWatches(ctx, "discord", "T1", "C1"); len(none) != 0 {
		t.Errorf("another platform's channel has watches %+v", none)
	}
	all, err := s.AllWatches(ctx)
	if err != nil || !slices.Equal(topics(all), []string{"grain exports", "harbour", "bridge vote"}) {
		t.Errorf("AllWatches = %v, %v", topics(all), err)
	}
	if _, added, err := s.AddWatchHit(ctx, retrieval.WatchHit{Watch: b1.ID, Article: harbourStrike.ID, Found: Clock}); !added || err != nil {
		t.Fatalf("AddWatchHit = %v, %v", added, err)
	}
	v1, _ := other.WatchesVersion(ctx)
	if ok, err := other.RemoveWatch(ctx, b1.ID); !ok || err != nil {
		t.Errorf("RemoveWatch = %v, %v; want true", ok, err)
	}
	if ok, err := s.RemoveWatch(ctx, b1.ID); ok || err != nil {
		t.Errorf("RemoveWatch again = %v, %v; want false", ok, err)
	}
	v2, _ := s.WatchesVersion(ctx)
	if !(v0 < v1 && v1 < v2) {
		t.Errorf("versions %d, %d, %d; want each change to move it", v0, v1, v2)
	}
	if n := b.QueryInt(t, addr, `SELECT count(*) FROM watch_hits`); n != 0 {
		t.Errorf("%d hits left after their watch was removed", n)
	}
}

// testArticlesAfter: the watch loop reads articles in the order they
// were committed, with their paragraphs and fingerprints, from where
// its cursor stopped; a replaced article comes again.
func testArticlesAfter(t *testing.T, b Backend) {
	ctx := context.Background()
	addr := b.Fresh(t)
	s, other := b.openAt(t, addr, Options{}), b.openAt(t, addr, Options{})
	if c, err := s.WatchCursor(ctx); c != 0 || err != nil {
		t.Fatalf("WatchCursor of an empty database = %d, %v; want 0", c, err)
	}
	fromFeed := harbourStrike
	fromFeed.Feed, fromFeed.Category = "https://harbour.example/rss", "business"
	MustPut(t, s, fromFeed)
	MustPut(t, other, orchardFrost, bridgeVote)
	got, err := s.ArticlesAfter(ctx, 0, 10)
	if err != nil || len(got) != 3 {
		t.Fatalf("ArticlesAfter(0) = %d articles, %v; want 3", len(got), err)
	}
	var ids []string
	for i, n := range got {
		ids = append(ids, n.Article.ID)
		if i > 0 && n.Doc <= got[i-1].Doc {
			t.Errorf("docs not ascending: %d after %d", n.Doc, got[i-1].Doc)
		}
	}
	if ids[0] != harbourStrike.ID || !slices.Equal(got[0].Article.Paragraphs, harbourStrike.Paragraphs) ||
		got[0].Article.Title != harbourStrike.Title || !got[0].Article.Published.Equal(harbourStrike.Published) ||
		got[0].Article.Feed != fromFeed.Feed || got[0].Article.Category != fromFeed.Category || got[0].Article.Outlet != harbourStrike.Outlet {
		t.Errorf("first = %+v, want %s with its paragraphs, outlet, feed and category (watches match within a channel's sources)", got[0].Article, harbourStrike.ID)
	}
	if c, _ := other.WatchCursor(ctx); c != got[2].Doc {
		t.Errorf("WatchCursor before any is set = %d, want the newest article's %d", c, got[2].Doc)
	}
	if err := s.SetWatchCursor(ctx, got[0].Doc); err != nil {
		t.Fatal(err)
	}
	c, _ := other.WatchCursor(ctx)
	page, err := other.ArticlesAfter(ctx, c, 1)
	if err != nil || len(page) != 1 || page[0].Article.ID != ids[1] {
		t.Fatalf("after the cursor, one: %+v, %v; want %s", page, err, ids[1])
	}
	edited := harbourStrike
	edited.Paragraphs = append(slices.Clone(edited.Paragraphs), "The union said talks would resume on Friday.")
	MustPut(t, s, edited)
	page, _ = s.ArticlesAfter(ctx, got[2].Doc, 10)
	if len(page) != 1 || page[0].Article.ID != harbourStrike.ID || len(page[0].Article.Paragraphs) != len(edited.Paragraphs) {
		t.Errorf("after an update: %+v, want the new version of %s", page, harbourStrike.ID)
	}
}

// testWatchHits: a story is kept once per watch; pending hits carry
// their channel until marked sent; a channel's posts are counted by
// message, a digest once.
func testWatchHits(t *testing.T, b Backend) {
	ctx := context.Background()
	s := b.open(t)
	w := mustAddWatch(t, s, "C1", "harbour")
	w2 := mustAddWatch(t, s, "C2", "harbour")
	pub := time.Date(2026, 11, 19, 7, 0, 0, 0, time.UTC)
	h := retrieval.WatchHit{Watch: w.ID, Article: "a1", Simhash: 1 << 63, Title: "Strike", URL: "https://x.example/a1",
		Outlet: "Wire", Published: pub, Sentence: "Dockers walked out.", Found: Clock}
	h1, added, err := s.AddWatchHit(ctx, h)
	if !added || err != nil || h1.ID == 0 {
		t.Fatalf("AddWatchHit = %+v, %v, %v", h1, added, err)
	}
	if _, added, err := s.AddWatchHit(ctx, h); added || err != nil {
		t.Errorf("same story again: added %v, %v; want false", added, err)
	}
	var ids []int64
	for i, a := range []string{"a2", "a3", "a4"} {
		hh, _, err := s.AddWatchHit(ctx, retrieval.WatchHit{Watch: w.ID, Article: a, Sentence: "s", Found: Clock.Add(time.Duration(i+1) * time.Minute)})
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, hh.ID)
	}
	if n, err := s.RecordWatchHits(ctx, []retrieval.WatchHit{{Watch: w2.ID, Article: "a1", Found: Clock},
		{Watch: w.ID, Article: "a1", Found: Clock}}, 42); n != 1 || err != nil {
		t.Fatalf("RecordWatchHits = %d, %v; want 1 (w already has a1)", n, err)
	}
	if c, err := s.WatchCursor(ctx); c != 42 || err != nil {
		t.Errorf("WatchCursor after RecordWatchHits = %d, %v; want 42", c, err)
	}
	var other retrieval.WatchHit
	if hits, err := s.WatchHits(ctx, w2.ID, Clock); err != nil || len(hits) != 1 {
		t.Fatalf("w2's hits = %+v, %v", hits, err)
	} else {
		other = hits[0]
	}
	pending, err := s.PendingWatchHits(ctx)
	if err != nil || len(pending) != 5 {
		t.Fatalf("PendingWatchHits = %d, %v; want 5", len(pending), err)
	}
	p := pending[0]
	if p.ID != h1.ID || p.Channel != "C1" || p.Platform != "slack" || p.Workspace != "T1" || p.Topic != "harbour" ||
		p.Simhash != 1<<63 || !p.Published.Equal(pub) || p.Sentence != h.Sentence || p.URL != h.URL || !p.Found.Equal(Clock) || p.Post != 0 {
		t.Errorf("pending[0] = %+v, want the first hit as stored, with its watch's channel", p)
	}
	sent := Clock.Add(10 * time.Minute)
	if err := s.MarkWatchHitsSent(ctx, []int64{h1.ID}, sent); err != nil {
		t.Fatal(err)
	}
	if err := s.MarkWatchHitsSent(ctx, ids, sent.Add(time.Minute)); err != nil { // a digest
		t.Fatal(err)
	}
	if err := s.MarkWatchHitsSent(ctx, []int64{other.ID}, sent); err != nil {
		t.Fatal(err)
	}
	if pending, _ := s.PendingWatchHits(ctx); len(pending) != 0 {
		t.Errorf("pending after sending = %+v", pending)
	}
	for _, c := range []struct {
		since time.Time
		want  int
	}{{Clock, 2}, {sent.Add(time.Second), 1}, {sent.Add(time.Hour), 0}} {
		if n, err := s.ChannelPostsSince(ctx, "slack", "T1", "C1", c.since); n != c.want || err != nil {
			t.Errorf("ChannelPostsSince(%v) = %d, %v; want %d", c.since, n, err, c.want)
		}
	}
	hits, err := s.WatchHits(ctx, w.ID, Clock.Add(2*time.Minute))
	if err != nil || len(hits) != 2 || hits[0].Article != "a3" || hits[0].Post != ids[0] || !hits[0].Sent.Equal(sent.Add(time.Minute)) {
		t.Errorf("WatchHits since +2m = %+v, %v; want a3 and a4, sent in the digest", hits, err)
	}
}

// testRemoveChannelWatches: a channel the bot can no longer post in
// loses all its watches at once, with what was found for them, posted
// or pending; a channel of the same ID on another platform or in
// another workspace keeps its own, and the version moves, for every
// handle, only when something was removed.
func testRemoveChannelWatches(t *testing.T, b Backend) {
	ctx := context.Background()
	addr := b.Fresh(t)
	s, other := b.openAt(t, addr, Options{}), b.openAt(t, addr, Options{})
	add := func(platform, workspace, channel, topic string) retrieval.Watch {
		w, err := s.AddWatch(ctx, retrieval.Watch{Platform: platform, Workspace: workspace, Channel: channel,
			Topic: topic, AddedBy: "U1", Created: Clock})
		if err != nil {
			t.Fatalf("AddWatch(%s %s): %v", channel, topic, err)
		}
		return w
	}
	gone1, gone2 := add("slack", "T1", "C1", "harbour"), add("slack", "T1", "C1", "grain")
	kept := []retrieval.Watch{add("slack", "T1", "C2", "harbour"), add("discord", "T1", "C1", "harbour"), add("slack", "T2", "C1", "harbour")}
	for _, w := range []retrieval.Watch{gone1, gone2, kept[0], kept[1], kept[2]} {
		if _, _, err := s.AddWatchHit(ctx, retrieval.WatchHit{Watch: w.ID, Article: "a1", Found: Clock}); err != nil {
			t.Fatal(err)
		}
	}
	sent, _, err := s.AddWatchHit(ctx, retrieval.WatchHit{Watch: gone1.ID, Article: "a2", Found: Clock})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.MarkWatchHitsSent(ctx, []int64{sent.ID}, Clock); err != nil {
		t.Fatal(err)
	}
	v0, _ := other.WatchesVersion(ctx)
	if n, err := other.RemoveChannelWatches(ctx, "slack", "T1", "C1"); n != 2 || err != nil {
		t.Fatalf("RemoveChannelWatches(slack T1 C1) = %d, %v; want 2", n, err)
	}
	if left, err := s.ChannelWatches(ctx, "slack", "T1", "C1"); len(left) != 0 || err != nil {
		t.Errorf("the gone channel's watches = %+v, %v; want none", left, err)
	}
	all, err := s.AllWatches(ctx)
	if err != nil || !slices.EqualFunc(all, kept, func(a, b retrieval.Watch) bool { return a.ID == b.ID }) {
		t.Errorf("AllWatches = %+v, %v; want the other channels' three", all, err)
	}
	pending, err := s.PendingWatchHits(ctx)
	if err != nil || len(pending) != 3 || slices.ContainsFunc(pending, func(h retrieval.WatchHit) bool {
		return h.Watch == gone1.ID || h.Watch == gone2.ID
	}) {
		t.Errorf("PendingWatchHits = %+v, %v; want the other channels' three", pending, err)
	}
	if n := b.QueryInt(t, addr, `SELECT count(*) FROM watch_hits`); n != 3 {
		t.Errorf("%d hits left, want 3: the gone channel's posted ones go too", n)
	}
	v1, _ := s.WatchesVersion(ctx)
	if n, err := s.RemoveChannelWatches(ctx, "slack", "T1", "C1"); n != 0 || err != nil {
		t.Errorf("RemoveChannelWatches again = %d, %v; want 0", n, err)
	}
	v2, _ := other.WatchesVersion(ctx)
	if !(v0 < v1 && v1 == v2) {
		t.Errorf("versions %d, %d, %d; want a move for the removal only", v0, v1, v2)
	}
}
