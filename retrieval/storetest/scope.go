package storetest

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/byline-news/byline/retrieval"
	"github.com/byline-news/byline/retrieval/engine"
)

// scopeCorpus indexes 40 articles of a big outlet that match "harbour
// tunnel" strongly (more than the engine's 30 candidates) and, older and
// weaker, 3 of a small outlet, 2 from a feed and 2 in a category. A
// filter applied after ranking would find nothing of the small ones.
func scopeCorpus(t *testing.T, ix Store) {
	t.Helper()
	var arts []retrieval.Article
	for i := range 40 {
		arts = append(arts, retrieval.Article{ID: fmt.Sprintf("big-%02d", i), Title: "Harbour tunnel news " + fmt.Sprint(i),
			Outlet: "Big Wire", Category: "politics", Published: date(2026, 11, 1+i%15),
			Paragraphs: []string{fmt.Sprintf("The harbour tunnel tender %d: harbour tunnel costs rose again, tunnel officials said.", i)}})
	}
	for i := range 3 {
		arts = append(arts, retrieval.Article{ID: fmt.Sprintf("small-%d", i), Title: "Council notes " + fmt.Sprint(i),
			Outlet: "Small Times", Category: "local", Published: date(2025, 3, 1+i),
			Paragraphs: []string{fmt.Sprintf("Minute %d of a long council meeting that touched on the harbour and many other matters of the town.", i)}})
	}
	for i := range 2 {
		arts = append(arts, retrieval.Article{ID: fmt.Sprintf("fed-%d", i), Title: "Feed item " + fmt.Sprint(i),
			Outlet: "Feed Outlet", Feed: "https://feeds.example/harbour.xml", Published: date(2025, 4, 1+i),
			Paragraphs: []string{fmt.Sprintf("A feed item %d mentions the harbour once among words about ferries and gulls.", i)}})
	}
	for i := range 2 {
		arts = append(arts, retrieval.Article{ID: fmt.Sprintf("sport-%d", i), Title: "Rowing " + fmt.Sprint(i),
			Outlet: "Other Daily", Category: "Sport", Published: date(2025, 5, 1+i),
			Paragraphs: []string{fmt.Sprintf("Rowers %d trained in the harbour before the regatta, far from any politics.", i)}})
	}
	MustPut(t, ix, arts...)
}

func prefixes(hits []retrieval.Hit) []string {
	var out []string
	for _, h := range hits {
		p, _, _ := strings.Cut(h.Article.ID, "-")
		if !slices.Contains(out, p) {
			out = append(out, p)
		}
	}
	slices.Sort(out)
	return out
}

// testScopedSearch: a scope is applied inside the ranking, so a narrow
// scope gets its K best; outlets and categories compare without case,
// feeds exactly, and the lists are a union.
func testScopedSearch(t *testing.T, b Backend) {
	ix := b.open(t)
	scopeCorpus(t, ix)
	if hits := MustSearch(t, ix, retrieval.Query{Text: "harbour tunnel", K: 3}); !slices.Equal(prefixes(hits), []string{"big"}) {
		t.Fatalf("unscoped = %v, want only big", hitIDs(hits))
	}
	tests := []struct {
		scope retrieval.Scope
		k     int
		want  []string // prefixes of the hits' IDs
		n     int      // hits
	}{
		{retrieval.Scope{Outlets: []string{"small  TIMES"}}, 3, []string{"small"}, 3},
		{retrieval.Scope{Feeds: []string{"https://feeds.example/harbour.xml"}}, 5, []string{"fed"}, 2},
		{retrieval.Scope{Feeds: []string{"https://feeds.example/HARBOUR.xml"}}, 5, nil, 0},
		{retrieval.Scope{Categories: []string{"sport"}}, 5, []string{"sport"}, 2},
		{retrieval.Scope{Outlets: []string{"Small Times"}, Categories: []string{"Sport"}}, 10, []string{"small", "sport"}, 5},
		{retrieval.Scope{Outlets: []string{"Nobody"}}, 5, nil, 0},
	}
	for _, tt := range tests {
		hits := MustSearch(t, ix, retrieval.Query{Text: "harbour tunnel", K: tt.k, Scope: tt.scope})
		if got := prefixes(hits); len(hits) != tt.n || !slices.Equal(got, tt.want) {
			t.Errorf("scope %+v: %v, want %d hits of %v", tt.scope, hitIDs(hits), tt.n, tt.want)
		}
	}
	// Deleting and adding articles changes what a scope holds.
	if err := ix.Delete(context.Background(), "small-0"); err != nil {
		t.Fatal(err)
	}
	MustPut(t, ix, retrieval.Article{ID: "small-new", Outlet: "Small Times", Title: "Tunnel vote",
		Paragraphs: []string{"The harbour tunnel vote is next week."}})
	hits := MustSearch(t, ix, retrieval.Query{Text: "harbour tunnel", K: 5, Scope: retrieval.Scope{Outlets: []string{"Small Times"}}})
	if ids := hitIDs(hits); len(ids) != 3 || ids[0] != "small-new#0" || containsID(hits, "small-0") {
		t.Errorf("after delete and put: %v, want small-new first, small-0 gone", ids)
	}
}

// testScopedVectorSearch: the vector scan skips documents outside the
// scope too.
func testScopedVectorSearch(t *testing.T, b Backend) {
	ix := b.open(t)
	scopeCorpus(t, ix)
	MustEmbed(t, ix, &FakeEmbedder{}, engine.EmbedOptions{})
	q := retrieval.Query{K: 3, Vector: FakeVector("The harbour tunnel tender 7: harbour tunnel costs rose again"), VectorModel: FakeModel}
	if hits := MustSearch(t, ix, q); !slices.Equal(prefixes(hits), []string{"big"}) {
		t.Fatalf("unscoped vector search = %v, want big", hitIDs(hits))
	}
	q.Scope = retrieval.Scope{Outlets: []string{"small times"}}
	if hits := MustSearch(t, ix, q); len(hits) != 3 || !slices.Equal(prefixes(hits), []string{"small"}) {
		t.Errorf("scoped vector search = %v, want the 3 of small", hitIDs(hits))
	}
}

// testScopedRecent: the newest stories of a scope, however many newer
// ones other outlets have.
func testScopedRecent(t *testing.T, b Backend) {
	ctx := context.Background()
	ix := b.open(t)
	scopeCorpus(t, ix)
	hits, err := ix.RecentIn(ctx, retrieval.Scope{Outlets: []string{"SMALL TIMES"}}, time.Time{}, time.Time{}, 2)
	if err != nil {
		t.Fatal(err)
	}
	if ids := hitIDs(hits); !slices.Equal(ids, []string{"small-2#0", "small-1#0"}) {
		t.Errorf("RecentIn(small) = %v, want small-2, small-1", ids)
	}
	hits, err = ix.RecentIn(ctx, retrieval.Scope{Feeds: []string{"https://feeds.example/harbour.xml"}, Categories: []string{"SPORT"}},
		date(2025, 4, 2), date(2025, 5, 2), 10)
	if err != nil {
		t.Fatal(err)
	}
	if ids := hitIDs(hits); !slices.Equal(ids, []string{"sport-0#0", "fed-1#0"}) {
		t.Errorf("RecentIn(feed or sport, April 2 to May 2) = %v, want sport-0, fed-1", ids)
	}
	if hits, err := ix.RecentIn(ctx, retrieval.Scope{Outlets: []string{"Nobody"}}, time.Time{}, time.Time{}, 5); err != nil || len(hits) != 0 {
		t.Errorf("RecentIn(nobody) = %v, %v; want none", hitIDs(hits), err)
	}
	src, err := ix.Sources(ctx)
	if err != nil {
		t.Fatal(err)
	}
	want := retrieval.Scope{Outlets: []string{"Big Wire", "Feed Outlet", "Other Daily", "Small Times"},
		Feeds: []string{"https://feeds.example/harbour.xml"}, Categories: []string{"Sport", "local", "politics"}}
	if fmt.Sprint(src) != fmt.Sprint(want) {
		t.Errorf("Sources = %+v, want %+v", src, want)
	}
}

// testArticleFeed: the feed an article came from is stored and read back.
func testArticleFeed(t *testing.T, b Backend) {
	ctx := context.Background()
	ix := b.open(t)
	scopeCorpus(t, ix)
	a, err := ix.Article(ctx, "fed-0")
	if err != nil || a.Feed != "https://feeds.example/harbour.xml" {
		t.Errorf("Article(fed-0).Feed = %q, %v", a.Feed, err)
	}
	hits := MustSearch(t, ix, retrieval.Query{Text: "ferries gulls", K: 1})
	if len(hits) != 1 || hits[0].Article.Feed != "https://feeds.example/harbour.xml" {
		t.Errorf("hit's feed: %+v", hits)
	}
}

// testChannelSources: each channel keeps its own list (added at one
// time: by kind, then bytes); outlets and categories are one entry
// whatever their case, feeds are exact.
func testChannelSources(t *testing.T, b Backend) {
	ctx := context.Background()
	ix := b.open(t)
	a := retrieval.ChannelKey{Platform: "slack", Workspace: "T1", Channel: "C1"}
	other := retrieval.ChannelKey{Platform: "slack", Workspace: "T1", Channel: "C2"}
	guild := retrieval.ChannelKey{Platform: "discord", Workspace: "G1"}
	add := func(ch retrieval.ChannelKey, kind retrieval.SourceKind, v string, want bool) {
		t.Helper()
		got, err := ix.AddChannelSource(ctx, ch, kind, v, Clock)
		if err != nil || got != want {
			t.Errorf("add %s %q = %v, %v; want %v", kind, v, got, err, want)
		}
	}
	add(a, retrieval.SourceOutlet, "BBC News", true)
	add(a, retrieval.SourceOutlet, "bbc  news", false)
	add(a, retrieval.SourceFeed, "https://x.example/rss", true)
	add(a, retrieval.SourceFeed, "https://x.example/RSS", true)
	add(a, retrieval.SourceCategory, "Business", true)
	add(guild, retrieval.SourceOutlet, "Reuters", true)
	got, err := ix.ChannelSources(ctx, a)
	want := retrieval.Scope{Outlets: []string{"BBC News"}, Feeds: []string{"https://x.example/RSS", "https://x.example/rss"},
		Categories: []string{"Business"}}
	if err != nil || fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("ChannelSources(a) = %+v, %v; want %+v", got, err, want)
	}
	if got, _ := ix.ChannelSources(ctx, other); !got.IsZero() {
		t.Errorf("another channel has %+v, want nothing", got)
	}
	if got, _ := ix.ChannelSources(ctx, guild); fmt.Sprint(got.Outlets) != "[Reuters]" {
		t.Errorf("guild default = %+v", got)
	}
	if ok, err := ix.RemoveChannelSource(ctx, a, retrieval.SourceCategory, "BUSINESS"); !ok || err != nil {
		t.Errorf("remove category = %v, %v", ok, err)
	}
	if ok, err := ix.RemoveChannelSource(ctx, a, retrieval.SourceCategory, "business"); ok || err != nil {
		t.Errorf("remove it again = %v, %v; want false", ok, err)
	}
	if n, err := ix.ResetChannelSources(ctx, a); n != 3 || err != nil {
		t.Errorf("reset = %d, %v; want 3", n, err)
	}
	if got, _ := ix.ChannelSources(ctx, a); !got.IsZero() {
		t.Errorf("after reset: %+v", got)
	}
	if got, _ := ix.ChannelSources(ctx, guild); got.IsZero() {
		t.Error("resetting a channel emptied the guild default")
	}
}
