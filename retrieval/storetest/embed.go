package storetest

import (
	"context"
	"errors"
	"fmt"
	"hash/fnv"
	"math"
	"slices"
	"strings"
	"testing"
	"unicode"

	"github.com/byline-news/byline/retrieval"
	"github.com/byline-news/byline/retrieval/engine"
)

// synonyms maps words to shared concept dimensions, so the fake embedder
// sees "automobile" and "sedan" as close although BM25 cannot.
var synonyms = map[string]int{
	"car": 0, "cars": 0, "automobile": 0, "automobiles": 0, "vehicle": 0, "vehicles": 0, "sedan": 0, "sedans": 0,
	"maker": 1, "makers": 1, "manufacturer": 1, "manufacturers": 1, "carmaker": 1,
	"recall": 2, "recalled": 2, "recalls": 2, "withdrew": 2, "withdraws": 2, "withdrawn": 2,
	"fault": 3, "faults": 3, "faulty": 3, "flaw": 3, "flaws": 3, "flawed": 3, "defect": 3, "defective": 3,
	"brake": 4, "brakes": 4, "braking": 4, "stopping": 4,
}

const (
	concepts  = 5
	buckets   = 16
	FakeModel = "fake-v1"
)

// FakeVector embeds text: one dimension per concept of synonyms, hashed
// buckets for other words (weaker), and a small constant so no text maps
// to the zero vector.
func FakeVector(text string) []float32 {
	v := make([]float32, concepts+buckets+1)
	for _, w := range strings.FieldsFunc(strings.ToLower(text), func(r rune) bool { return !unicode.IsLetter(r) }) {
		if c, ok := synonyms[w]; ok {
			v[c]++
			continue
		}
		h := fnv.New32a()
		h.Write([]byte(w))
		v[concepts+int(h.Sum32()%buckets)] += 0.3
	}
	v[len(v)-1] = 0.05
	return v
}

// FakeEmbedder records its calls; failOn (1-based) makes one call fail and
// edit, when set, tampers with a call's reply.
type FakeEmbedder struct {
	calls  [][]string
	failOn int
	edit   func(call int, vecs [][]float32) [][]float32
}

func (f *FakeEmbedder) Embed(ctx context.Context, texts []string) ([][]float32, error) {
	f.calls = append(f.calls, slices.Clone(texts))
	call := len(f.calls)
	if call == f.failOn {
		return nil, errors.New("embedding service unavailable")
	}
	vecs := make([][]float32, len(texts))
	for i, t := range texts {
		vecs[i] = FakeVector(t)
	}
	if f.edit != nil {
		vecs = f.edit(call, vecs)
	}
	return vecs, nil
}

func (f *FakeEmbedder) Sent() int {
	n := 0
	for _, c := range f.calls {
		n += len(c)
	}
	return n
}

func (f *FakeEmbedder) sizes() []int {
	var out []int
	for _, c := range f.calls {
		out = append(out, len(c))
	}
	return out
}

// MustEmbed embeds with e (by FakeModel unless opt names a model) and
// fails the test on error.
func MustEmbed(t testing.TB, ix Store, e engine.Embedder, opt engine.EmbedOptions) engine.EmbedResult {
	t.Helper()
	if opt.Model == "" {
		opt.Model = FakeModel
	}
	res, err := ix.Embed(context.Background(), e, opt)
	if err != nil {
		t.Fatalf("Embed: %v", err)
	}
	return res
}

// MustEmbeddingStats returns ix.EmbeddingStats(model), failing the test
// on error.
func MustEmbeddingStats(t testing.TB, ix Store, model string) (vectors, missing int) {
	t.Helper()
	vectors, missing, err := ix.EmbeddingStats(context.Background(), model)
	if err != nil {
		t.Fatalf("EmbeddingStats: %v", err)
	}
	return vectors, missing
}

// ParagraphCount is the number of paragraphs of articles.
func ParagraphCount(articles ...retrieval.Article) int {
	n := 0
	for _, a := range articles {
		n += len(a.Paragraphs)
	}
	return n
}

func testEmbedCachesByText(t *testing.T, b Backend) {
	ix := newsIndex(t, b)
	all := ParagraphCount(harbourStrike, orchardFrost, bridgeVote, trawlerScattered, trawlerPhrase, volcanoText, volcanoTitle)
	first := &FakeEmbedder{}
	res := MustEmbed(t, ix, first, engine.EmbedOptions{})
	if res.Embedded != all || res.Cached != 0 || first.Sent() != all {
		t.Fatalf("first Embed = %+v, sent %d; want %d embedded and sent, 0 cached", res, first.Sent(), all)
	}

	// Re-put the same text under a new title: new paragraph rows, same text.
	retitled := harbourStrike
	retitled.Title = "Port of Haldane dockworkers walk out"
	if r := MustPut(t, ix, retitled); r.Replaced != 1 {
		t.Fatalf("Put = %+v, want 1 replaced", r)
	}
	again := &FakeEmbedder{}
	res = MustEmbed(t, ix, again, engine.EmbedOptions{})
	if again.Sent() != 0 || res.Embedded != 0 || res.Cached != all {
		t.Errorf("Embed after re-put = %+v, sent %v; want nothing sent, %d cached", res, again.calls, all)
	}

	// One edited paragraph is the only text embedded.
	edited := retitled
	edited.Paragraphs = slices.Clone(retitled.Paragraphs)
	edited.Paragraphs[3] = "Shipping firms diverted a dozen vessels while talks stalled."
	MustPut(t, ix, edited)
	third := &FakeEmbedder{}
	res = MustEmbed(t, ix, third, engine.EmbedOptions{})
	if len(third.calls) != 1 || !slices.Equal(third.calls[0], []string{edited.Paragraphs[3]}) || res.Cached != all-1 {
		t.Errorf("Embed after edit = %+v, calls %q; want only the edited paragraph, %d cached", res, third.calls, all-1)
	}
	if v, m := MustEmbeddingStats(t, ix, FakeModel); v != all || m != 0 {
		t.Errorf("EmbeddingStats = %d vectors, %d missing; want %d, 0", v, m, all)
	}
}

func testEmbedIdenticalParagraphOnce(t *testing.T, b Backend) {
	shared := "The ministry confirmed the figures in a statement on Friday."
	first := retrieval.Article{ID: "a", Title: "Budget figures", Outlet: "Wire One", Paragraphs: []string{"Tax receipts rose by four percent.", shared}}
	second := retrieval.Article{ID: "b", Title: "Spending review", Outlet: "Wire Two", Paragraphs: []string{shared, "Hospitals will receive more money."}}
	ix := b.open(t)
	MustPut(t, ix, first, second)
	e := &FakeEmbedder{}
	res := MustEmbed(t, ix, e, engine.EmbedOptions{})
	n := 0
	for _, c := range e.calls {
		for _, text := range c {
			if text == shared {
				n++
			}
		}
	}
	if n != 1 || res.Embedded != 3 || e.Sent() != 3 {
		t.Errorf("shared paragraph sent %d times, %+v, %d sent; want once, 3 embedded", n, res, e.Sent())
	}
	if v, m := MustEmbeddingStats(t, ix, FakeModel); v != 4 || m != 0 {
		t.Errorf("EmbeddingStats = %d vectors, %d missing; want 4 paragraphs with vectors", v, m)
	}
}

func testEmbedBatches(t *testing.T, b Backend) {
	tests := []struct {
		name      string
		batch     int
		sizes     []int
		paragraph int // paragraphs per article; 26 articles
	}{
		{"130 by 64", 64, []int{64, 64, 2}, 5},
		{"default batch", 0, []int{64, 64, 2}, 5},
		{"exact multiple", 13, slices.Repeat([]int{13}, 10), 5},
		{"one batch", 500, []int{26}, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ix := b.open(t)
			MustPut(t, ix, NewCorpus(3).Articles("batch", 26, tt.paragraph)...)
			e := &FakeEmbedder{}
			var progress [][2]int
			res := MustEmbed(t, ix, e, engine.EmbedOptions{Batch: tt.batch, Progress: func(done, total int) {
				progress = append(progress, [2]int{done, total})
			}})
			if !slices.Equal(e.sizes(), tt.sizes) {
				t.Errorf("call sizes = %v, want %v", e.sizes(), tt.sizes)
			}
			total := 26 * tt.paragraph
			if res.Embedded != total || len(progress) != len(tt.sizes) || progress[len(progress)-1] != [2]int{total, total} {
				t.Errorf("Embed = %+v, progress %v; want %d embedded, one report per batch ending at %d/%d", res, progress, total, total, total)
			}
		})
	}
}

func testEmbedResumesAfterFailure(t *testing.T, b Backend) {
	ctx := context.Background()
	ix := b.open(t)
	MustPut(t, ix, NewCorpus(4).Articles("resume", 26, 5)...)
	failing := &FakeEmbedder{failOn: 2}
	res, err := ix.Embed(ctx, failing, engine.EmbedOptions{Model: FakeModel, Batch: 64})
	if err == nil || !strings.Contains(err.Error(), FakeModel) || !strings.Contains(err.Error(), "batch 2") {
		t.Fatalf("Embed with failing batch 2: err = %v, want an error naming the model and batch 2", err)
	}
	if res.Embedded != 64 {
		t.Errorf("Embed result = %+v, want 64 embedded before the failure", res)
	}
	if v, m := MustEmbeddingStats(t, ix, FakeModel); v != 64 || m != 66 {
		t.Errorf("after failure: %d vectors, %d missing; want 64, 66", v, m)
	}
	rerun := &FakeEmbedder{}
	res = MustEmbed(t, ix, rerun, engine.EmbedOptions{Batch: 64})
	if !slices.Equal(rerun.sizes(), []int{64, 2}) || res.Cached != 64 || res.Embedded != 66 {
		t.Errorf("rerun: calls %v, %+v; want [64 2], 64 cached, 66 embedded", rerun.sizes(), res)
	}
	sentBefore := map[string]bool{}
	for _, text := range failing.calls[0] {
		sentBefore[text] = true
	}
	for _, c := range rerun.calls {
		for _, text := range c {
			if sentBefore[text] {
				t.Fatalf("rerun sent %q again", text)
			}
		}
	}
}

func testEmbedRejectsBadVectors(t *testing.T, b Backend) {
	nan := float32(math.NaN())
	tests := []struct {
		name string
		edit func(call int, vecs [][]float32) [][]float32
		want string
	}{
		{"too few", func(_ int, v [][]float32) [][]float32 { return v[:len(v)-1] }, "vectors for"},
		{"too many", func(_ int, v [][]float32) [][]float32 { return append(v, v[0]) }, "vectors for"},
		{"mixed dimensions", func(_ int, v [][]float32) [][]float32 { v[1] = append(v[1], 1); return v }, "dimensions"},
		{"NaN", func(_ int, v [][]float32) [][]float32 { v[2][0] = nan; return v }, "NaN"},
		{"infinity", func(_ int, v [][]float32) [][]float32 { v[0][1] = float32(math.Inf(-1)); return v }, "infinite"},
		{"zero", func(_ int, v [][]float32) [][]float32 { clear(v[3]); return v }, "zeros"},
		{"empty", func(_ int, v [][]float32) [][]float32 { v[0] = nil; return v }, "empty"},
		{"differs from stored", func(call int, v [][]float32) [][]float32 {
			if call == 2 {
				for i := range v {
					v[i] = append(v[i], 1)
				}
			}
			return v
		}, "dimensions"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ix := b.open(t)
			MustPut(t, ix, NewCorpus(5).Articles("bad", 2, 5)...) // 10 paragraphs
			e := &FakeEmbedder{edit: tt.edit}
			_, err := ix.Embed(context.Background(), e, engine.EmbedOptions{Model: FakeModel, Batch: 5})
			if err == nil || !strings.Contains(err.Error(), tt.want) || !strings.Contains(err.Error(), FakeModel) {
				t.Fatalf("Embed: err = %v, want an error naming %q and mentioning %q", err, FakeModel, tt.want)
			}
			wantKept := 0
			if tt.name == "differs from stored" {
				wantKept = 5 // the first batch was fine
			}
			if v, _ := MustEmbeddingStats(t, ix, FakeModel); v != wantKept {
				t.Errorf("%d vectors stored, want %d: nothing of the bad batch", v, wantKept)
			}
		})
	}
}

func testEmbedNeedsModel(t *testing.T, b Backend) {
	ix := b.open(t)
	if _, err := ix.Embed(context.Background(), &FakeEmbedder{}, engine.EmbedOptions{}); err == nil {
		t.Error("Embed without a model name succeeded")
	}
}

func testPruneEmbeddings(t *testing.T, b Backend) {
	ctx := context.Background()
	ix := b.open(t)
	MustPut(t, ix, harbourStrike, orchardFrost, bridgeVote)
	MustEmbed(t, ix, &FakeEmbedder{}, engine.EmbedOptions{Model: "old"})
	MustEmbed(t, ix, &FakeEmbedder{}, engine.EmbedOptions{Model: "new"})
	if err := ix.Delete(ctx, orchardFrost.ID); err != nil {
		t.Fatal(err)
	}
	n, err := ix.PruneEmbeddings(ctx, "new")
	if err != nil {
		t.Fatalf("PruneEmbeddings: %v", err)
	}
	all := ParagraphCount(harbourStrike, orchardFrost, bridgeVote)
	if want := all + len(orchardFrost.Paragraphs); n != want {
		t.Errorf("PruneEmbeddings deleted %d, want %d (all of old, and new's for the deleted article)", n, want)
	}
	live := ParagraphCount(harbourStrike, bridgeVote)
	if v, m := MustEmbeddingStats(t, ix, "new"); v != live || m != 0 {
		t.Errorf("new: %d vectors, %d missing; want %d, 0", v, m, live)
	}
	if v, m := MustEmbeddingStats(t, ix, "old"); v != 0 || m != live {
		t.Errorf("old: %d vectors, %d missing; want 0, %d", v, m, live)
	}
	if n, err := ix.PruneEmbeddings(ctx, "new"); err != nil || n != 0 {
		t.Errorf("second PruneEmbeddings = %d, %v; want 0", n, err)
	}
	// Search by the pruned model is lexical only again.
	q := retrieval.Query{Text: "bridge", K: 3}
	lexical := MustSearch(t, ix, q)
	q.Vector, q.VectorModel = FakeVector("bridge"), "old"
	if got := MustSearch(t, ix, q); !SameScoredHits(got, lexical) {
		t.Errorf("search by pruned model = %v, lexical = %v", hitIDs(got), hitIDs(lexical))
	}
}

// SameScoredHits reports whether two result lists are alike, hit for
// hit, scores and all.
func SameScoredHits(a, b []retrieval.Hit) bool {
	return slices.EqualFunc(a, b, func(x, y retrieval.Hit) bool {
		return fmt.Sprint(x) == fmt.Sprint(y)
	})
}

func testEmbedDimensionMustMatchStored(t *testing.T, b Backend) {
	ix := b.open(t)
	MustPut(t, ix, harbourStrike)
	MustEmbed(t, ix, &FakeEmbedder{}, engine.EmbedOptions{})
	MustPut(t, ix, orchardFrost)
	longer := &FakeEmbedder{edit: func(_ int, v [][]float32) [][]float32 {
		for i := range v {
			v[i] = append(v[i], 1)
		}
		return v
	}}
	_, err := ix.Embed(context.Background(), longer, engine.EmbedOptions{Model: FakeModel})
	if err == nil || !strings.Contains(err.Error(), "dimensions") || !strings.Contains(err.Error(), FakeModel) {
		t.Fatalf("Embed with a new dimension: err = %v, want a dimension error naming the model", err)
	}
	if v, m := MustEmbeddingStats(t, ix, FakeModel); v != len(harbourStrike.Paragraphs) || m != len(orchardFrost.Paragraphs) {
		t.Errorf("%d vectors, %d missing; want only the first article's vectors", v, m)
	}
}
