package storetest

import (
	"context"
	"errors"
	"fmt"
	"math"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/byline-news/byline/retrieval"
	"github.com/byline-news/byline/retrieval/engine"
)

// The articles below were written for these tests. sedanRecall answers
// RecallQuestion in other words only, none of them a WordNet synonym of
// the question's (analysis.Synonyms): BM25 cannot find it.

const RecallQuestion = "Which automobile maker recalled vehicles with flawed brakes?"

var sedanRecall = retrieval.Article{
	ID:        "sedan-recall",
	Title:     "Sedan manufacturer withdraws models",
	Outlet:    "Motoring Desk",
	Published: date(2025, 6, 3),
	Paragraphs: []string{
		"Dealers across the region received letters from head office on Tuesday.",
		"A sedan manufacturer withdrew thousands of models over faulty stopping systems.",
		"Owners will be offered a free repair at any dealership.",
	},
}

var toyRecall = retrieval.Article{
	ID:        "toy-recall",
	Title:     "Toy maker recalls wooden trains",
	Outlet:    "Consumer Post",
	Published: date(2025, 6, 1),
	Paragraphs: []string{
		"A toy maker recalled wooden trains after paint flaws were found.",
		"Parents can return the trains to any shop for a refund.",
	},
}

var busBrakes = retrieval.Article{
	ID:        "bus-brakes",
	Title:     "Council inspects bus fleet",
	Outlet:    "Civic Times",
	Published: date(2025, 5, 20),
	Paragraphs: []string{
		"Inspectors found worn brakes on three city buses.",
		"The council said the vehicles were taken out of service until repaired.",
	},
}

var undatedNotice = retrieval.Article{
	ID:     "undated-notice",
	Title:  "Library opening hours",
	Outlet: "Civic Times",
	Paragraphs: []string{
		"The central library will open on Sundays from next month.",
		"Volunteers will staff the reading room.",
	},
}

func recallIndex(t *testing.T, b Backend) Store {
	t.Helper()
	ix := newsIndex(t, b)
	MustPut(t, ix, sedanRecall, toyRecall, busBrakes, undatedNotice)
	return ix
}

// HybridQuery asks text with its FakeVector, k results.
func HybridQuery(text string, k int) retrieval.Query {
	return retrieval.Query{Text: text, K: k, Vector: FakeVector(text), VectorModel: FakeModel}
}

func hitKey(h retrieval.Hit) string { return hitIDs([]retrieval.Hit{h})[0] }

func testHybridFindsParaphrase(t *testing.T, b Backend) {
	for _, f := range []struct {
		name   string
		format engine.VectorFormat
	}{{"int8", engine.VectorInt8}, {"float32", engine.VectorFloat32}} {
		t.Run(f.name, func(t *testing.T) {
			ix := recallIndex(t, b)
			ix.SetVectorFormat(f.format)
			q := HybridQuery(RecallQuestion, 5)
			lexical := MustSearch(t, ix, retrieval.Query{Text: q.Text, K: q.K})
			if containsID(lexical, sedanRecall.ID) {
				t.Fatalf("BM25 found the paraphrase: %v; the test needs it not to", hitIDs(lexical))
			}
			// Before Embed the vector is ignored.
			if got := MustSearch(t, ix, q); !SameScoredHits(got, lexical) {
				t.Errorf("hybrid before Embed = %v, lexical = %v", hitIDs(got), hitIDs(lexical))
			}
			MustEmbed(t, ix, &FakeEmbedder{}, engine.EmbedOptions{})
			hits := MustSearch(t, ix, q)
			i := slices.IndexFunc(hits, func(h retrieval.Hit) bool { return h.Article.ID == sedanRecall.ID })
			if i < 0 {
				t.Fatalf("hybrid top %d = %v, want %s among them", q.K, hitIDs(hits), sedanRecall.ID)
			}
			checkVectorOnlyHit(t, hits[i])
			for j := 1; j < len(hits); j++ {
				if hits[j].Score > hits[j-1].Score {
					t.Errorf("hits not in score order: %v", hits)
				}
			}
			for _, h := range lexical {
				if !slices.ContainsFunc(hits, func(k retrieval.Hit) bool { return hitKey(k) == hitKey(h) }) {
					t.Errorf("lexical hit %s lost in fusion: %v", hitKey(h), hitIDs(hits))
				}
			}
		})
	}
}

// checkVectorOnlyHit: a paragraph found by vectors alone is a whole hit,
// scored by its vector rank (1st) alone.
func checkVectorOnlyHit(t *testing.T, h retrieval.Hit) {
	t.Helper()
	a := h.Article
	if a.Title != sedanRecall.Title || a.Outlet != sedanRecall.Outlet || !a.Published.Equal(sedanRecall.Published) || a.Indexed.IsZero() {
		t.Errorf("vector hit article = %+v", a)
	}
	if h.Paragraph != 1 || h.Text != sedanRecall.Paragraphs[1] || h.Before != sedanRecall.Paragraphs[0] || h.After != sedanRecall.Paragraphs[2] {
		t.Errorf("vector hit = ¶%d %q (before %q, after %q)", h.Paragraph, h.Text, h.Before, h.After)
	}
	if want := 1.0 / 61; math.Abs(h.Score-want) > 1e-12 {
		t.Errorf("vector hit score = %g, want 1/(60+1)", h.Score)
	}
}

func testHybridFallsBackToLexical(t *testing.T, b Backend) {
	ix := recallIndex(t, b)
	MustEmbed(t, ix, &FakeEmbedder{}, engine.EmbedOptions{})
	tests := []struct {
		name string
		edit func(q *retrieval.Query)
	}{
		{"no vector", func(q *retrieval.Query) { q.Vector = nil }},
		{"model without vectors", func(q *retrieval.Query) { q.VectorModel = "other-model"; q.Vector = q.Vector[:3] }},
		{"no model", func(q *retrieval.Query) { q.VectorModel = "" }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for _, text := range []string{RecallQuestion, "What did Marta Vellacott say?", "frost"} {
				lexical := MustSearch(t, ix, retrieval.Query{Text: text, K: 5})
				q := HybridQuery(text, 5)
				tt.edit(&q)
				if got := MustSearch(t, ix, q); !SameScoredHits(got, lexical) {
					t.Errorf("%q: %v, lexical %v", text, hitIDs(got), hitIDs(lexical))
				}
			}
		})
	}
}

func testVectorOnlyQuery(t *testing.T, b Backend) {
	ctx := context.Background()
	ix := recallIndex(t, b)
	q := retrieval.Query{Text: "what is it?", K: 3, Vector: FakeVector(RecallQuestion), VectorModel: FakeModel}
	if _, err := ix.Search(ctx, q); !errors.Is(err, retrieval.ErrEmptyQuery) {
		t.Errorf("stop words and no stored vectors: err = %v, want ErrEmptyQuery", err)
	}
	MustEmbed(t, ix, &FakeEmbedder{}, engine.EmbedOptions{})
	for _, text := range []string{"what is it?", ""} {
		q.Text = text
		hits := MustSearch(t, ix, q)
		if len(hits) != 3 || hits[0].Article.ID != sedanRecall.ID {
			t.Errorf("vector-only %q = %v, want 3 hits led by %s", text, hitIDs(hits), sedanRecall.ID)
		}
	}
	if _, err := ix.Search(ctx, retrieval.Query{Text: "what is it?"}); !errors.Is(err, retrieval.ErrEmptyQuery) {
		t.Errorf("stop words without a vector: err = %v, want ErrEmptyQuery", err)
	}
}

// testVectorSearchFollowsIndexChanges: loaded vectors are reloaded after
// puts, deletes, replacements and Embed; removed paragraphs never return.
func testVectorSearchFollowsIndexChanges(t *testing.T, b Backend) {
	ctx := context.Background()
	ix := recallIndex(t, b)
	MustEmbed(t, ix, &FakeEmbedder{}, engine.EmbedOptions{})
	nearest := func(text string) []retrieval.Hit {
		t.Helper()
		return MustSearch(t, ix, retrieval.Query{K: 50, Vector: FakeVector(text), VectorModel: FakeModel})
	}
	if hits := nearest(sedanRecall.Paragraphs[1]); len(hits) == 0 || hits[0].Article.ID != sedanRecall.ID {
		t.Fatalf("before changes: %v", hitIDs(hits))
	}

	fresh := retrieval.Article{ID: "ferry-brakes", Title: "Ferry service", Outlet: "Harbour Wire", Published: date(2025, 6, 5),
		Paragraphs: []string{"The ferry operator withdrew two boats with faulty steering."}}
	MustPut(t, ix, fresh)
	if hits := nearest(fresh.Paragraphs[0]); containsID(hits, fresh.ID) {
		t.Errorf("paragraph without a vector found by vectors: %v", hitIDs(hits))
	}
	MustEmbed(t, ix, &FakeEmbedder{}, engine.EmbedOptions{})
	if hits := nearest(fresh.Paragraphs[0]); len(hits) == 0 || hits[0].Article.ID != fresh.ID {
		t.Errorf("after Embed: %v, want %s first", hitIDs(hits), fresh.ID)
	}

	if err := ix.Delete(ctx, sedanRecall.ID); err != nil {
		t.Fatal(err)
	}
	replaced := busBrakes
	replaced.Paragraphs = []string{"Inspectors passed every city bus after new brake pads were fitted."}
	MustPut(t, ix, replaced)
	hits := nearest(sedanRecall.Paragraphs[1])
	if containsID(hits, sedanRecall.ID) {
		t.Errorf("deleted article returned: %v", hitIDs(hits))
	}
	for _, h := range hits {
		if slices.Contains(busBrakes.Paragraphs, h.Text) {
			t.Errorf("replaced paragraph returned: %q", h.Text)
		}
	}
	if want := 14 + len(toyRecall.Paragraphs) + len(undatedNotice.Paragraphs) + 1; len(hits) != want {
		t.Errorf("%d hits with vectors, want %d (the replacement has none yet)", len(hits), want)
	}
}

func testVectorSearchDateFilters(t *testing.T, b Backend) {
	ix := recallIndex(t, b)
	MustEmbed(t, ix, &FakeEmbedder{}, engine.EmbedOptions{})
	articles := []retrieval.Article{harbourStrike, orchardFrost, bridgeVote, trawlerScattered, trawlerPhrase,
		volcanoText, volcanoTitle, sedanRecall, toyRecall, busBrakes, undatedNotice}
	tests := []struct {
		name         string
		since, until time.Time
		keepUndated  bool
	}{
		{"since", date(2025, 4, 1), time.Time{}, false},
		{"until", time.Time{}, date(2025, 3, 10), false},
		{"until is exclusive to the second", time.Time{}, harbourStrike.Published, false},
		{"range", date(2025, 2, 1), date(2025, 5, 21), false},
		{"range keeps undated", date(2025, 2, 1), date(2025, 5, 21), true},
		{"since keeps undated", date(2025, 6, 2), time.Time{}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var want []string
			for _, a := range articles {
				in := (tt.since.IsZero() || !a.Published.Before(tt.since)) && (tt.until.IsZero() || a.Published.Before(tt.until))
				if a.Published.IsZero() {
					in = tt.keepUndated
				}
				for n := range a.Paragraphs {
					if in {
						want = append(want, hitIDs([]retrieval.Hit{{Article: a, Paragraph: n}})[0])
					}
				}
			}
			q := retrieval.Query{K: 100, Since: tt.since, Until: tt.until, KeepUndated: tt.keepUndated,
				Vector: FakeVector(RecallQuestion), VectorModel: FakeModel}
			got := hitIDs(MustSearch(t, ix, q))
			slices.Sort(got)
			slices.Sort(want)
			if !slices.Equal(got, want) {
				t.Errorf("vector hits %v, want exactly %v", got, want)
			}
		})
	}
}

func testSearchQueryVectorErrors(t *testing.T, b Backend) {
	ix := recallIndex(t, b)
	MustEmbed(t, ix, &FakeEmbedder{}, engine.EmbedOptions{})
	dim := len(FakeVector(""))
	tests := []struct {
		name   string
		vector []float32
		is     error
		want   []string
	}{
		{"shorter", make([]float32, 384), engine.ErrVectorDimensions, []string{"384", FakeModel, "22", "reembed"}},
		{"longer", append(FakeVector(RecallQuestion), 1), engine.ErrVectorDimensions, []string{"23", "reembed"}},
		{"NaN", append(make([]float32, dim-1), float32(math.NaN())), nil, []string{"NaN"}},
		{"zero", make([]float32, dim), nil, []string{"zeros"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			q := retrieval.Query{Text: RecallQuestion, Vector: tt.vector, VectorModel: FakeModel}
			_, err := ix.Search(context.Background(), q)
			if err == nil || tt.is != nil && !errors.Is(err, tt.is) {
				t.Fatalf("Search: err = %v, want %v", err, tt.is)
			}
			for _, s := range tt.want {
				if !strings.Contains(err.Error(), s) {
					t.Errorf("error %q does not mention %q", err, s)
				}
			}
		})
	}
}

// testHybridSearchDuringEmbed: hybrid searches run while articles are
// put, embedded and pruned, and always see the paraphrase once it has a
// vector (run with -race).
func testHybridSearchDuringEmbed(t *testing.T, b Backend) {
	ctx := context.Background()
	ix := recallIndex(t, b)
	MustEmbed(t, ix, &FakeEmbedder{}, engine.EmbedOptions{})
	c := NewCorpus(12)
	done := make(chan struct{})
	var wg sync.WaitGroup
	for r := range 2 {
		wg.Go(func() {
			ix.SetVectorFormat(engine.VectorFormat(r)) // racing format changes too
			for {
				select {
				case <-done:
					return
				default:
				}
				hits, err := ix.Search(ctx, HybridQuery(RecallQuestion, 5))
				if err != nil || !containsID(hits, sedanRecall.ID) {
					t.Errorf("hybrid search = %v, %v; want %s throughout", hitIDs(hits), err, sedanRecall.ID)
					return
				}
			}
		})
	}
	for i := range 5 {
		MustPut(t, ix, c.Articles(fmt.Sprintf("during%d", i), 4, 3)...)
		MustEmbed(t, ix, &FakeEmbedder{}, engine.EmbedOptions{Batch: 5})
		if _, err := ix.PruneEmbeddings(ctx, FakeModel); err != nil {
			t.Errorf("PruneEmbeddings: %v", err)
		}
	}
	close(done)
	wg.Wait()
}

func testLoadVectors(t *testing.T, b Backend) {
	ix := b.open(t)
	ctx := context.Background()
	if n, err := ix.LoadVectors(ctx, "none"); err != nil || n != 0 {
		t.Fatalf("LoadVectors on an empty index = %d, %v; want 0, nil", n, err)
	}
	if _, err := ix.Put(ctx, []retrieval.Article{{ID: "a", Title: "T", Paragraphs: []string{"one paragraph", "another paragraph"}}}); err != nil {
		t.Fatal(err)
	}
	if _, err := ix.Embed(ctx, constEmbedder{}, engine.EmbedOptions{Model: "m"}); err != nil {
		t.Fatal(err)
	}
	if n, err := ix.LoadVectors(ctx, "m"); err != nil || n != 2 {
		t.Errorf("LoadVectors = %d, %v; want 2, nil", n, err)
	}
}

// constEmbedder gives every text the same small vector.
type constEmbedder struct{}

func (constEmbedder) Embed(_ context.Context, texts []string) ([][]float32, error) {
	out := make([][]float32, len(texts))
	for i := range out {
		out[i] = []float32{1, 2, 3}
	}
	return out, nil
}

// testIncrementalReloadMatchesFresh: vectors a handle reloads after puts,
// a delete and a replacement (reusing those it had) rank exactly as a
// handle that loads them all at once.
func testIncrementalReloadMatchesFresh(t *testing.T, b Backend) {
	ctx := context.Background()
	day1 := time.Date(2025, 3, 1, 9, 0, 0, 0, time.UTC)
	art := func(id string, published time.Time, paragraphs ...string) retrieval.Article {
		return retrieval.Article{ID: id, Title: "Title of " + id, Outlet: "Test Wire", Published: published, Paragraphs: paragraphs}
	}
	for _, f := range []engine.VectorFormat{engine.VectorInt8, engine.VectorFloat32} {
		addr := b.Fresh(t)
		ix := b.openAt(t, addr, Options{})
		ix.SetVectorFormat(f)
		MustPut(t, ix, art("a", day1, "Car makers recall sedans.", "Brakes were faulty."),
			art("b", time.Time{}, "The automobile maker withdrew vehicles.", "Shared text."),
			art("c", day1.AddDate(0, 0, 3), "Brake flaws found.", "Sedan recall widens.", "Shared text."))
		MustEmbed(t, ix, &FakeEmbedder{}, engine.EmbedOptions{})
		queries := []retrieval.Query{
			{K: 20, Vector: FakeVector("car recall brakes"), VectorModel: FakeModel},
			{K: 20, Vector: FakeVector("shared text"), VectorModel: FakeModel, Since: day1.AddDate(0, 0, 1), KeepUndated: true},
		}
		for _, q := range queries {
			MustSearch(t, ix, q) // loads the first set
		}
		if err := ix.Delete(ctx, "a"); err != nil {
			t.Fatal(err)
		}
		MustPut(t, ix, art("c", day1.AddDate(0, 0, 4), "Brake flaws found, revised.", "Sedan recall widens.", "Shared text."),
			art("d", day1.AddDate(0, 1, 0), "Delta makers recall cars.", "Brakes were faulty."))
		MustEmbed(t, ix, &FakeEmbedder{}, engine.EmbedOptions{})
		fresh := b.openAt(t, addr, Options{})
		fresh.SetVectorFormat(f)
		for i, q := range queries {
			got, want := MustSearch(t, ix, q), MustSearch(t, fresh, q)
			if len(got) != 7 && i == 0 {
				t.Errorf("format %d: %d vector hits, want 7", f, len(got))
			}
			if !SameScoredHits(got, want) {
				t.Errorf("format %d, query %d: reloaded %v\nfresh %v", f, i, hitIDs(got), hitIDs(want))
			}
		}
	}
}
