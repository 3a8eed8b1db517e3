package storetest

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/byline-news/byline/retrieval"
	"github.com/byline-news/byline/retrieval/engine"
)

// What makes two records one article, and what an index call reports
// and refuses.

func art(id, url, text string) retrieval.Article {
	return retrieval.Article{ID: id, URL: url, Title: "Story " + id, Paragraphs: []string{text}}
}

// testPlaceholderURLsIdentifyNothing: "n/a" in the URL column is no
// address, so articles that share it stay apart; a real http(s) URL
// shared by two records makes them one.
func testPlaceholderURLsIdentifyNothing(t *testing.T, b Backend) {
	ix := b.open(t)
	res := MustPut(t, ix,
		art("a", "n/a", "The first story is about ferries."),
		art("b", "n/a", "The second story is about trains."),
		art("c", "", "The third story is about buses."),
		art("d", "/relative/path", "The fourth story is about lorries."),
		art("e", "ftp://example.com/x", "The fifth story is about barges."))
	if res.Added != 5 || res.Replaced != 0 {
		t.Errorf("Put = %+v, want 5 added", res)
	}
	// Stored placeholders do not capture later records either.
	res = MustPut(t, ix, art("f", "n/a", "The sixth story is about canoes."))
	if res.Added != 1 || res.Replaced != 0 {
		t.Errorf("Put after placeholders = %+v, want 1 added", res)
	}
	res = MustPut(t, ix, art("g", "https://example.com/x", "The seventh story is about trams."),
		art("h", "https://example.com/x", "The eighth story is about bicycles."))
	if res.Added != 1 || res.Replaced != 0 || MustStats(t, ix).Articles != 7 {
		t.Errorf("Put with one real URL twice = %+v, %d articles; want 1 added (the later replaces the earlier), 7 articles",
			res, MustStats(t, ix).Articles)
	}
	if _, err := ix.Article(context.Background(), "h"); err != nil {
		t.Errorf("the later record of the URL is not kept: %v", err)
	}
}

// testArticleByURL: a story is found by its link as stored or as a
// chat message may spell it (tracking parameters, a fragment, a capital
// in the host), or by the ID its link gives it when it was stored under
// another spelling, with its paragraphs; a link nothing has is
// ErrNotFound, and so is an empty one, which many articles have.
func testArticleByURL(t *testing.T, b Backend) {
	ctx := context.Background()
	ix := b.open(t)
	MustPut(t, ix,
		retrieval.Article{ID: "tunnel", URL: "https://news.example.com/tunnel?id=7", Title: "Tunnel approved",
			Paragraphs: []string{"The council approved the tunnel.", "Work starts in spring."}},
		art("kelp", "https://news.example.com/kelp", "Kelp is back."),
		art("nolink", "", "A story without a link."),
		// Stored with a tracking parameter, under the ID ingest derives
		// from its link.
		retrieval.Article{ID: retrieval.URLID("https://news.example.com/tunnel-cost"), URL: "https://news.example.com/tunnel-cost?utm_source=feed",
			Title: "Tunnel cost rises", Paragraphs: []string{"The tunnel will cost more.", "A survey found soft clay."}})
	for _, link := range []string{
		"https://news.example.com/tunnel?id=7",
		"https://News.Example.com/tunnel?utm_source=slack&id=7#top",
	} {
		a, err := ix.ArticleByURL(ctx, link)
		if err != nil || a.ID != "tunnel" || len(a.Paragraphs) != 2 || a.Paragraphs[1] != "Work starts in spring." {
			t.Errorf("ArticleByURL(%s) = %s %q, %v; want tunnel with its two paragraphs", link, a.ID, a.Paragraphs, err)
		}
	}
	if a, err := ix.ArticleByURL(ctx, "https://news.example.com/tunnel-cost"); err != nil || a.Title != "Tunnel cost rises" || len(a.Paragraphs) != 2 {
		t.Errorf("ArticleByURL(the link without its tracking parameter) = %q %q, %v; want the tunnel cost story, found by its ID", a.Title, a.Paragraphs, err)
	}
	for _, link := range []string{"https://news.example.com/tunnel", "https://other.example.com/kelp", ""} {
		if a, err := ix.ArticleByURL(ctx, link); !errors.Is(err, retrieval.ErrNotFound) {
			t.Errorf("ArticleByURL(%q) = %s, %v; want ErrNotFound", link, a.ID, err)
		}
	}
}

// testReplacementsInOneCall: a record that replaces another record of
// the same call is reported, with both sources, whether the two meet in
// one batch or in different batches; replacing what an earlier call
// stored is ordinary and is not reported.
func testReplacementsInOneCall(t *testing.T, b Backend) {
	adds := []struct {
		src string
		a   retrieval.Article
	}{
		{"in.jsonl:1", art("a", "", "Ferries ran late on Sunday after the storm.")},
		{"in.jsonl:2", art("a", "", "Ferries ran on time on Monday.")},
		{"in.jsonl:3", art("b", "https://example.com/b", "Trains were cancelled.")},
		{"in.jsonl:4", art("c", "https://example.com/b", "Trains were cancelled again.")},
		{"in.jsonl:5", art("d", "", "Buses replaced the trains on the coast line.")},
		{"in.jsonl:6", art("e", "", "Buses replaced the trains on the coast line.")},
		{"in.jsonl:7", art("f", "https://example.com/old", "A newer story about the harbour wall.")},
		{"in.jsonl:8", art("c", "https://example.com/b", "Trains were cancelled again.")}, // identical: unchanged
		{"in.jsonl:9", art("g", "n/a", "Trams ran all night.")},
		{"in.jsonl:10", art("h", "n/a", "Barges waited at the lock.")}, // a placeholder URL: no replacement
	}
	want := []string{
		"in.jsonl:2 a replaced in.jsonl:1 a by ID",
		"in.jsonl:4 c replaced in.jsonl:3 b by URL",
		"in.jsonl:6 e replaced in.jsonl:5 d by text",
	}
	// The writer works in batches of articles: run the call once with
	// every pair inside one batch, and once with a batch's worth of other
	// articles between any two records.
	const gap = 300
	for _, split := range []bool{false, true} {
		name := "one batch"
		if split {
			name = "across batches"
		}
		t.Run(name, func(t *testing.T) {
			ctx := context.Background()
			ix := b.open(t)
			MustPut(t, ix, art("old", "https://example.com/old", "An older story about the harbour wall."))
			w, err := ix.Begin(ctx)
			if err != nil {
				t.Fatal(err)
			}
			defer w.Rollback()
			var got []string
			w.OnReplace(func(r engine.Replacement) {
				got = append(got, r.Source+" "+r.ID+" replaced "+r.Previous+" "+r.Replaced+" by "+r.By)
			})
			fill := 0
			for i, x := range adds {
				if split && i > 0 {
					for _, f := range NewCorpus(uint64(100+i)).Articles(fmt.Sprintf("filler%d-", i), gap, 1) {
						if err := w.AddFrom(f, "filler"); err != nil {
							t.Fatal(err)
						}
						fill++
					}
				}
				if err := w.AddFrom(x.a, x.src); err != nil {
					t.Fatal(err)
				}
			}
			res, err := w.Commit()
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(got, want) {
				t.Errorf("replacements:\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
			}
			// What the call leaves: old's replacement f (replaced); a, c, e,
			// g, h (added); the second c unchanged.
			if res.Added != 5+fill || res.Replaced != 1 || res.Unchanged != 1 || res.Paragraphs != 6+fill {
				t.Errorf("Commit = %+v; want %d added, 1 replaced, 1 unchanged, %d paragraphs", res, 5+fill, 6+fill)
			}
			if n, _ := ix.Count(ctx); n != 6+fill {
				t.Errorf("Count = %d, want %d", n, 6+fill)
			}
		})
	}
}

// testReplacementChains: an article that replaces one which itself
// replaced a stored article counts as a replacement, once.
func testReplacementChains(t *testing.T, b Backend) {
	ix := b.open(t)
	MustPut(t, ix, art("a", "https://example.com/a", "The first version of the story about the pier."))
	res := MustPut(t, ix,
		art("a", "https://example.com/a", "The second version of the story about the pier."),
		art("a2", "https://example.com/a", "The third version of the story about the pier."))
	if res.Added != 0 || res.Replaced != 1 || res.Paragraphs != 1 {
		t.Errorf("Put = %+v, want 1 replaced, 1 paragraph", res)
	}
	if n, _ := ix.Count(context.Background()); n != 1 {
		t.Errorf("Count = %d, want 1", n)
	}
}

// testIDsRefused: IDs with controls (a NUL from JSON "\u0000"), format
// characters or invalid UTF-8 are refused with an error naming the
// problem, and nothing of the call is stored.
func testIDsRefused(t *testing.T, b Backend) {
	ix := b.open(t)
	for _, id := range []string{"a\x00b", "a\u200bb", "\xff", "tab\there", "line\nbreak", "rtl\u202e"} {
		_, err := ix.Put(context.Background(), []retrieval.Article{
			art("fine", "", "A fine story about the lighthouse."), art(id, "", "Some text here.")})
		if err == nil || !strings.Contains(err.Error(), "invisible character or invalid UTF-8") {
			t.Errorf("Put with ID %q: %v, want the ID refused", id, err)
		}
	}
	if n, _ := ix.Count(context.Background()); n != 0 {
		t.Errorf("Count = %d after refused calls, want 0", n)
	}
	// Printable IDs of any script are fine.
	MustPut(t, ix, art("ελληνικά-1", "", "A story in another script about the lighthouse."))
}

// testProvisional: stand-in articles (the samples) stay while only they
// are indexed, and go in the same transaction as the first real article.
func testProvisional(t *testing.T, b Backend) {
	ctx := context.Background()
	ix := b.open(t)
	if ok, err := ix.Pristine(ctx); err != nil || !ok {
		t.Fatalf("Pristine on a new index = %v, %v", ok, err)
	}
	putSamples(t, ix, "sample-1", "sample-2", "sample-3")
	if n, err := ix.Provisional(ctx); err != nil || n != 3 {
		t.Fatalf("Provisional = %d, %v, want 3", n, err)
	}
	if ok, _ := ix.Pristine(ctx); ok {
		t.Error("Pristine after indexing samples")
	}
	// Deleting one sample leaves the others marked.
	if err := ix.Delete(ctx, "sample-3"); err != nil {
		t.Fatal(err)
	}
	if n, _ := ix.Provisional(ctx); n != 2 {
		t.Fatalf("Provisional after deleting one = %d, want 2", n)
	}
	// Nothing new, or only what is there already: the samples stay.
	if _, err := ix.Put(ctx, nil); err != nil {
		t.Fatal(err)
	}
	putSamples(t, ix, "sample-1")
	if n, _ := ix.Provisional(ctx); n != 2 {
		t.Fatalf("an unchanged call removed the samples")
	}
	// An index call that fails removes nothing.
	if _, err := ix.Put(ctx, []retrieval.Article{art("real", "", "A real story."), {ID: "bad"}}); err == nil {
		t.Fatal("Put of an article without paragraphs: no error")
	}
	if n, _ := ix.Provisional(ctx); n != 2 {
		t.Fatalf("a failed call removed the samples")
	}
	MustPut(t, ix, art("real", "https://example.com/real", "A real story about the council vote."))
	if n, err := ix.Provisional(ctx); err != nil || n != 0 {
		t.Errorf("Provisional after a real article = %d, %v, want 0", n, err)
	}
	if c, _ := ix.Count(ctx); c != 1 {
		t.Errorf("Count = %d, want 1 (the real article only)", c)
	}
	if hits := MustSearch(t, ix, retrieval.Query{Text: "harbour sample", K: 5}); len(hits) != 0 {
		t.Errorf("samples still found: %v", hitIDs(hits))
	}
	// The marks went too: a later article under a sample's ID is real.
	MustPut(t, ix, art("sample-1", "", "A real story that happens to reuse the ID."))
	MustPut(t, ix, art("real-2", "", "Another real story about the ferry timetable."))
	if c, _ := ix.Count(ctx); c != 3 {
		t.Errorf("Count = %d, want 3", c)
	}
}

// testProvisionalReplacedByID: a real article that takes a sample's ID
// replaces it, and is not removed with the other samples.
func testProvisionalReplacedByID(t *testing.T, b Backend) {
	ctx := context.Background()
	ix := b.open(t)
	putSamples(t, ix, "sample-1", "sample-2")
	MustPut(t, ix, art("sample-1", "https://example.com/real", "A real story about the council vote."))
	if _, err := ix.Article(ctx, "sample-1"); err != nil {
		t.Errorf("the real article under a sample's ID was removed: %v", err)
	}
	if _, err := ix.Article(ctx, "sample-2"); err == nil {
		t.Error("sample-2 is still there")
	}
	if n, _ := ix.Provisional(ctx); n != 0 {
		t.Errorf("Provisional = %d, want 0", n)
	}
}

func putSamples(t *testing.T, ix Store, ids ...string) {
	t.Helper()
	ctx := context.Background()
	w, err := ix.Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer w.Rollback()
	w.Provisional()
	for _, id := range ids {
		if err := w.Add(art(id, "", "Sample story "+id+" about the harbour.")); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := w.Commit(); err != nil {
		t.Fatal(err)
	}
}

// testZeroWidthFound: a name written with a zero-width space is found by
// the name typed plainly, and the reverse.
func testZeroWidthFound(t *testing.T, b Backend) {
	ix := b.open(t)
	MustPut(t, ix, art("zw", "", "Councillor Gr\u200bimbald denied the claims on Monday."),
		art("plain", "", "Mayor Osterley opened the new bridge."))
	for q, want := range map[string]string{"Grimbald": "zw", "Oster\u200bley": "plain", "Gr\u00adimbald denied": "zw"} {
		hits := MustSearch(t, ix, retrieval.Query{Text: q, K: 3})
		if len(hits) == 0 || hits[0].Article.ID != want {
			t.Errorf("Search(%q) = %v, want %s first", q, hitIDs(hits), want)
		}
	}
}
