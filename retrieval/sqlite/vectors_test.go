package sqlite_test

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"hash/fnv"
	"math"
	"math/rand/v2"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/byline-news/byline/retrieval"
	"github.com/byline-news/byline/retrieval/sqlite"
)

// The articles below were written for these tests. sedanRecall answers
// recallQuestion in other words only: BM25 cannot find it.

const recallQuestion = "Which automobile maker recalled vehicles with flawed brakes?"

var sedanRecall = retrieval.Article{
	ID:        "sedan-recall",
	Title:     "Sedan manufacturer withdraws models",
	Outlet:    "Motoring Desk",
	Published: date(2025, 6, 3),
	Paragraphs: []string{
		"Dealers across the region received letters from head office on Tuesday.",
		"A sedan manufacturer withdrew thousands of models over defective stopping systems.",
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

func recallIndex(t *testing.T) *sqlite.Index {
	t.Helper()
	ix := newsIndex(t)
	MustPut(t, ix, sedanRecall, toyRecall, busBrakes, undatedNotice)
	return ix
}

func hybridQuery(text string, k int) retrieval.Query {
	return retrieval.Query{Text: text, K: k, Vector: fakeVector(text), VectorModel: fakeModel}
}

func hitKey(h retrieval.Hit) string { return hitIDs([]retrieval.Hit{h})[0] }

func TestHybridFindsParaphrase(t *testing.T) {
	for _, f := range []struct {
		name   string
		format sqlite.VectorFormat
	}{{"int8", sqlite.VectorInt8}, {"float32", sqlite.VectorFloat32}} {
		t.Run(f.name, func(t *testing.T) {
			ix := recallIndex(t)
			ix.SetVectorFormat(f.format)
			q := hybridQuery(recallQuestion, 5)
			lexical := MustSearch(t, ix, retrieval.Query{Text: q.Text, K: q.K})
			if containsID(lexical, sedanRecall.ID) {
				t.Fatalf("BM25 found the paraphrase: %v; the test needs it not to", hitIDs(lexical))
			}
			// Before Embed the vector is ignored.
			if got := MustSearch(t, ix, q); !sameScoredHits(got, lexical) {
				t.Errorf("hybrid before Embed = %v, lexical = %v", hitIDs(got), hitIDs(lexical))
			}
			mustEmbed(t, ix, &fakeEmbedder{}, sqlite.EmbedOptions{})
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

func TestHybridFallsBackToLexical(t *testing.T) {
	ix := recallIndex(t)
	mustEmbed(t, ix, &fakeEmbedder{}, sqlite.EmbedOptions{})
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
			for _, text := range []string{recallQuestion, "What did Marta Vellacott say?", "frost"} {
				lexical := MustSearch(t, ix, retrieval.Query{Text: text, K: 5})
				q := hybridQuery(text, 5)
				tt.edit(&q)
				if got := MustSearch(t, ix, q); !sameScoredHits(got, lexical) {
					t.Errorf("%q: %v, lexical %v", text, hitIDs(got), hitIDs(lexical))
				}
			}
		})
	}
}

func TestVectorOnlyQuery(t *testing.T) {
	ctx := context.Background()
	ix := recallIndex(t)
	q := retrieval.Query{Text: "what is it?", K: 3, Vector: fakeVector(recallQuestion), VectorModel: fakeModel}
	if _, err := ix.Search(ctx, q); !errors.Is(err, retrieval.ErrEmptyQuery) {
		t.Errorf("stop words and no stored vectors: err = %v, want ErrEmptyQuery", err)
	}
	mustEmbed(t, ix, &fakeEmbedder{}, sqlite.EmbedOptions{})
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

// TestVectorSearchFollowsIndexChanges: loaded vectors are reloaded after
// puts, deletes, replacements and Embed; removed paragraphs never return.
func TestVectorSearchFollowsIndexChanges(t *testing.T) {
	ctx := context.Background()
	ix := recallIndex(t)
	mustEmbed(t, ix, &fakeEmbedder{}, sqlite.EmbedOptions{})
	nearest := func(text string) []retrieval.Hit {
		t.Helper()
		return MustSearch(t, ix, retrieval.Query{K: 50, Vector: fakeVector(text), VectorModel: fakeModel})
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
	mustEmbed(t, ix, &fakeEmbedder{}, sqlite.EmbedOptions{})
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

func TestVectorSearchDateFilters(t *testing.T) {
	ix := recallIndex(t)
	mustEmbed(t, ix, &fakeEmbedder{}, sqlite.EmbedOptions{})
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
				Vector: fakeVector(recallQuestion), VectorModel: fakeModel}
			got := hitIDs(MustSearch(t, ix, q))
			slices.Sort(got)
			slices.Sort(want)
			if !slices.Equal(got, want) {
				t.Errorf("vector hits %v, want exactly %v", got, want)
			}
		})
	}
}

func TestSearchQueryVectorErrors(t *testing.T) {
	ix := recallIndex(t)
	mustEmbed(t, ix, &fakeEmbedder{}, sqlite.EmbedOptions{})
	dim := len(fakeVector(""))
	tests := []struct {
		name   string
		vector []float32
		is     error
		want   []string
	}{
		{"shorter", make([]float32, 384), sqlite.ErrVectorDimensions, []string{"384", fakeModel, "22", "reembed"}},
		{"longer", append(fakeVector(recallQuestion), 1), sqlite.ErrVectorDimensions, []string{"23", "reembed"}},
		{"NaN", append(make([]float32, dim-1), float32(math.NaN())), nil, []string{"NaN"}},
		{"zero", make([]float32, dim), nil, []string{"zeros"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			q := retrieval.Query{Text: recallQuestion, Vector: tt.vector, VectorModel: fakeModel}
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

// TestHybridSearchDuringEmbed: hybrid searches run while articles are
// put, embedded and pruned, and always see the paraphrase once it has a
// vector (run with -race).
func TestHybridSearchDuringEmbed(t *testing.T) {
	ctx := context.Background()
	ix := recallIndex(t)
	mustEmbed(t, ix, &fakeEmbedder{}, sqlite.EmbedOptions{})
	c := newCorpus(12)
	done := make(chan struct{})
	var wg sync.WaitGroup
	for r := range 2 {
		wg.Go(func() {
			ix.SetVectorFormat(sqlite.VectorFormat(r)) // racing format changes too
			for {
				select {
				case <-done:
					return
				default:
				}
				hits, err := ix.Search(ctx, hybridQuery(recallQuestion, 5))
				if err != nil || !containsID(hits, sedanRecall.ID) {
					t.Errorf("hybrid search = %v, %v; want %s throughout", hitIDs(hits), err, sedanRecall.ID)
					return
				}
			}
		})
	}
	for i := range 5 {
		MustPut(t, ix, genArticles(c, fmt.Sprintf("during%d", i), 4, 3)...)
		mustEmbed(t, ix, &fakeEmbedder{}, sqlite.EmbedOptions{Batch: 5})
		if _, err := ix.PruneEmbeddings(ctx, fakeModel); err != nil {
			t.Errorf("PruneEmbeddings: %v", err)
		}
	}
	close(done)
	wg.Wait()
}

// hashEmbedder gives each text a pseudo-random vector of dim components
// (384 if 0) seeded by its hash: realistic sizes for benchmarks, no meaning.
type hashEmbedder struct{ dim int }

func (e hashEmbedder) Embed(_ context.Context, texts []string) ([][]float32, error) {
	out := make([][]float32, len(texts))
	for i, t := range texts {
		out[i] = hashVector(t, e.dim)
	}
	return out, nil
}

func hashVector(text string, dim int) []float32 {
	h := fnv.New64a()
	h.Write([]byte(text))
	r := rand.New(rand.NewPCG(h.Sum64(), 3))
	v := make([]float32, cmp.Or(dim, 384))
	for k := range v {
		v[k] = float32(r.NormFloat64())
	}
	return v
}

// BenchmarkHybridSearch is BenchmarkSearch's index and queries with a
// 384-dimensional query vector: BM25, an exact scan of ~20k vectors and
// the fusion. Compare with BenchmarkSearch for the cost of hybrid search.
func BenchmarkHybridSearch(b *testing.B) {
	ctx := context.Background()
	c := newCorpus(100)
	ix := MustOpen(b)
	all := genArticles(c, "bench", 4000, 5)
	for i := 0; i < len(all); i += 200 {
		MustPut(b, ix, all[i:i+200]...)
	}
	if _, err := ix.Embed(ctx, hashEmbedder{}, sqlite.EmbedOptions{Model: "hash", Batch: 512}); err != nil {
		b.Fatal(err)
	}
	v := c.vocab
	queries := []string{v[0] + " " + v[1], v[50] + " " + v[400] + " " + v[90], v[1500] + " " + v[1700]}
	for _, f := range []struct {
		name   string
		format sqlite.VectorFormat
	}{{"int8", sqlite.VectorInt8}, {"float32", sqlite.VectorFloat32}} {
		ix.SetVectorFormat(f.format)
		b.Run(f.name, func(b *testing.B) {
			qs := make([]retrieval.Query, len(queries))
			for i, q := range queries {
				qs[i] = retrieval.Query{Text: q, K: 5, Vector: hashVector(q, 0), VectorModel: "hash"}
				MustSearch(b, ix, qs[i]) // loads the vectors before timing
			}
			i := 0
			for b.Loop() {
				if _, err := ix.Search(ctx, qs[i%len(qs)]); err != nil {
					b.Fatal(err)
				}
				i++
			}
		})
	}
}

// BenchmarkLoadVectors times what a cold process pays before its first
// hybrid search: opening the index and loading 50k 256-dimensional
// vectors, per in-memory format. int8-from-vec, last as it clears q8, is
// an index embedded before the int8 form was stored.
//
//	go test ./retrieval/sqlite/ -run XXX -bench LoadVectors -benchtime 10x
func BenchmarkLoadVectors(b *testing.B) {
	const articles, paragraphs, dim = 10_000, 5, 256
	ctx := context.Background()
	path := filepath.Join(b.TempDir(), "byline.db")
	ix := MustOpenPath(b, path, sqlite.Options{Create: true})
	all := genArticles(newCorpus(300), "load", articles, paragraphs)
	for i := 0; i < len(all); i += 1000 {
		MustPut(b, ix, all[i:i+1000]...)
	}
	if _, err := ix.Embed(ctx, hashEmbedder{dim: dim}, sqlite.EmbedOptions{Model: "hash", Batch: 1024}); err != nil {
		b.Fatal(err)
	}
	ix.Close()
	for _, f := range []struct {
		name   string
		format sqlite.VectorFormat
		noQ8   bool
	}{{"int8", sqlite.VectorInt8, false}, {"float32", sqlite.VectorFloat32, false}, {"int8-from-vec", sqlite.VectorInt8, true}} {
		b.Run(f.name, func(b *testing.B) {
			if f.noQ8 {
				if _, err := rawDB(b, path).Exec(`UPDATE embeddings SET q8 = NULL`); err != nil {
					b.Fatal(err)
				}
			}
			for b.Loop() {
				ix, err := sqlite.Open(ctx, path, sqlite.Options{})
				if err != nil {
					b.Fatal(err)
				}
				ix.SetVectorFormat(f.format)
				n, err := ix.LoadVectors(ctx, "hash")
				ix.Close()
				if err != nil || n != articles*paragraphs {
					b.Fatalf("LoadVectors = %d, %v; want %d", n, err, articles*paragraphs)
				}
			}
		})
	}
}

func TestLoadVectors(t *testing.T) {
	t.Parallel()
	ix := MustOpen(t)
	ctx := context.Background()
	if n, err := ix.LoadVectors(ctx, "none"); err != nil || n != 0 {
		t.Fatalf("LoadVectors on an empty index = %d, %v; want 0, nil", n, err)
	}
	if _, err := ix.Put(ctx, []retrieval.Article{{ID: "a", Title: "T", Paragraphs: []string{"one paragraph", "another paragraph"}}}); err != nil {
		t.Fatal(err)
	}
	if _, err := ix.Embed(ctx, constEmbedder{}, sqlite.EmbedOptions{Model: "m"}); err != nil {
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
