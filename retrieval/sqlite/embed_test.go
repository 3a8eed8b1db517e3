package sqlite_test

import (
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"hash/fnv"
	"math"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"unicode"

	"github.com/byline-news/byline/retrieval"
	"github.com/byline-news/byline/retrieval/sqlite"
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
	fakeModel = "fake-v1"
)

// fakeVector embeds text: one dimension per concept of synonyms, hashed
// buckets for other words (weaker), and a small constant so no text maps
// to the zero vector.
func fakeVector(text string) []float32 {
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

// fakeEmbedder records its calls; failOn (1-based) makes one call fail and
// edit, when set, tampers with a call's reply.
type fakeEmbedder struct {
	calls  [][]string
	failOn int
	edit   func(call int, vecs [][]float32) [][]float32
}

func (f *fakeEmbedder) Embed(ctx context.Context, texts []string) ([][]float32, error) {
	f.calls = append(f.calls, slices.Clone(texts))
	call := len(f.calls)
	if call == f.failOn {
		return nil, errors.New("embedding service unavailable")
	}
	vecs := make([][]float32, len(texts))
	for i, t := range texts {
		vecs[i] = fakeVector(t)
	}
	if f.edit != nil {
		vecs = f.edit(call, vecs)
	}
	return vecs, nil
}

func (f *fakeEmbedder) sent() int {
	n := 0
	for _, c := range f.calls {
		n += len(c)
	}
	return n
}

func (f *fakeEmbedder) sizes() []int {
	var out []int
	for _, c := range f.calls {
		out = append(out, len(c))
	}
	return out
}

func mustEmbed(t *testing.T, ix *sqlite.Index, e sqlite.Embedder, opt sqlite.EmbedOptions) sqlite.EmbedResult {
	t.Helper()
	if opt.Model == "" {
		opt.Model = fakeModel
	}
	res, err := ix.Embed(context.Background(), e, opt)
	if err != nil {
		t.Fatalf("Embed: %v", err)
	}
	return res
}

func mustEmbeddingStats(t *testing.T, ix *sqlite.Index, model string) (vectors, missing int) {
	t.Helper()
	vectors, missing, err := ix.EmbeddingStats(context.Background(), model)
	if err != nil {
		t.Fatalf("EmbeddingStats: %v", err)
	}
	return vectors, missing
}

func paragraphCount(articles ...retrieval.Article) int {
	n := 0
	for _, a := range articles {
		n += len(a.Paragraphs)
	}
	return n
}

func TestEmbedCachesByText(t *testing.T) {
	ix := newsIndex(t)
	all := paragraphCount(harbourStrike, orchardFrost, bridgeVote, trawlerScattered, trawlerPhrase, volcanoText, volcanoTitle)
	first := &fakeEmbedder{}
	res := mustEmbed(t, ix, first, sqlite.EmbedOptions{})
	if res.Embedded != all || res.Cached != 0 || first.sent() != all {
		t.Fatalf("first Embed = %+v, sent %d; want %d embedded and sent, 0 cached", res, first.sent(), all)
	}

	// Re-put the same text under a new title: new paragraph rows, same text.
	retitled := harbourStrike
	retitled.Title = "Port of Haldane dockworkers walk out"
	if r := MustPut(t, ix, retitled); r.Replaced != 1 {
		t.Fatalf("Put = %+v, want 1 replaced", r)
	}
	again := &fakeEmbedder{}
	res = mustEmbed(t, ix, again, sqlite.EmbedOptions{})
	if again.sent() != 0 || res.Embedded != 0 || res.Cached != all {
		t.Errorf("Embed after re-put = %+v, sent %v; want nothing sent, %d cached", res, again.calls, all)
	}

	// One edited paragraph is the only text embedded.
	edited := retitled
	edited.Paragraphs = slices.Clone(retitled.Paragraphs)
	edited.Paragraphs[3] = "Shipping firms diverted a dozen vessels while talks stalled."
	MustPut(t, ix, edited)
	third := &fakeEmbedder{}
	res = mustEmbed(t, ix, third, sqlite.EmbedOptions{})
	if len(third.calls) != 1 || !slices.Equal(third.calls[0], []string{edited.Paragraphs[3]}) || res.Cached != all-1 {
		t.Errorf("Embed after edit = %+v, calls %q; want only the edited paragraph, %d cached", res, third.calls, all-1)
	}
	if v, m := mustEmbeddingStats(t, ix, fakeModel); v != all || m != 0 {
		t.Errorf("EmbeddingStats = %d vectors, %d missing; want %d, 0", v, m, all)
	}
}

func TestEmbedIdenticalParagraphOnce(t *testing.T) {
	shared := "The ministry confirmed the figures in a statement on Friday."
	a := retrieval.Article{ID: "a", Title: "Budget figures", Outlet: "Wire One", Paragraphs: []string{"Tax receipts rose by four percent.", shared}}
	b := retrieval.Article{ID: "b", Title: "Spending review", Outlet: "Wire Two", Paragraphs: []string{shared, "Hospitals will receive more money."}}
	ix := MustOpen(t)
	MustPut(t, ix, a, b)
	e := &fakeEmbedder{}
	res := mustEmbed(t, ix, e, sqlite.EmbedOptions{})
	n := 0
	for _, c := range e.calls {
		for _, text := range c {
			if text == shared {
				n++
			}
		}
	}
	if n != 1 || res.Embedded != 3 || e.sent() != 3 {
		t.Errorf("shared paragraph sent %d times, %+v, %d sent; want once, 3 embedded", n, res, e.sent())
	}
	if v, m := mustEmbeddingStats(t, ix, fakeModel); v != 4 || m != 0 {
		t.Errorf("EmbeddingStats = %d vectors, %d missing; want 4 paragraphs with vectors", v, m)
	}
}

func TestEmbedBatches(t *testing.T) {
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
			ix := MustOpen(t)
			MustPut(t, ix, genArticles(newCorpus(3), "batch", 26, tt.paragraph)...)
			e := &fakeEmbedder{}
			var progress [][2]int
			res := mustEmbed(t, ix, e, sqlite.EmbedOptions{Batch: tt.batch, Progress: func(done, total int) {
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

func TestEmbedResumesAfterFailure(t *testing.T) {
	ctx := context.Background()
	ix := MustOpen(t)
	MustPut(t, ix, genArticles(newCorpus(4), "resume", 26, 5)...)
	failing := &fakeEmbedder{failOn: 2}
	res, err := ix.Embed(ctx, failing, sqlite.EmbedOptions{Model: fakeModel, Batch: 64})
	if err == nil || !strings.Contains(err.Error(), fakeModel) || !strings.Contains(err.Error(), "batch 2") {
		t.Fatalf("Embed with failing batch 2: err = %v, want an error naming the model and batch 2", err)
	}
	if res.Embedded != 64 {
		t.Errorf("Embed result = %+v, want 64 embedded before the failure", res)
	}
	if v, m := mustEmbeddingStats(t, ix, fakeModel); v != 64 || m != 66 {
		t.Errorf("after failure: %d vectors, %d missing; want 64, 66", v, m)
	}
	rerun := &fakeEmbedder{}
	res = mustEmbed(t, ix, rerun, sqlite.EmbedOptions{Batch: 64})
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

func TestEmbedRejectsBadVectors(t *testing.T) {
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
			ix := MustOpen(t)
			MustPut(t, ix, genArticles(newCorpus(5), "bad", 2, 5)...) // 10 paragraphs
			e := &fakeEmbedder{edit: tt.edit}
			_, err := ix.Embed(context.Background(), e, sqlite.EmbedOptions{Model: fakeModel, Batch: 5})
			if err == nil || !strings.Contains(err.Error(), tt.want) || !strings.Contains(err.Error(), fakeModel) {
				t.Fatalf("Embed: err = %v, want an error naming %q and mentioning %q", err, fakeModel, tt.want)
			}
			wantKept := 0
			if tt.name == "differs from stored" {
				wantKept = 5 // the first batch was fine
			}
			if v, _ := mustEmbeddingStats(t, ix, fakeModel); v != wantKept {
				t.Errorf("%d vectors stored, want %d: nothing of the bad batch", v, wantKept)
			}
		})
	}
}

func TestEmbedNeedsModel(t *testing.T) {
	ix := MustOpen(t)
	if _, err := ix.Embed(context.Background(), &fakeEmbedder{}, sqlite.EmbedOptions{}); err == nil {
		t.Error("Embed without a model name succeeded")
	}
}

func TestParagraphHashes(t *testing.T) {
	path := filepath.Join(t.TempDir(), "byline.db")
	ix := MustOpenPath(t, path, sqlite.Options{Create: true})
	MustPut(t, ix, harbourStrike, orchardFrost)
	db := rawDB(t, path)
	checkHashes := func(when string) {
		t.Helper()
		rows, err := db.Query(`SELECT text, hash FROM paragraphs`)
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		n := 0
		for rows.Next() {
			var text string
			var hash []byte
			if err := rows.Scan(&text, &hash); err != nil {
				t.Fatal(err)
			}
			if sum := sha256.Sum256([]byte(text)); !slices.Equal(hash, sum[:16]) {
				t.Errorf("%s: hash of %q = %x, want %x", when, text, hash, sum[:16])
			}
			n++
		}
		if n != paragraphCount(harbourStrike, orchardFrost) {
			t.Errorf("%s: %d paragraphs", when, n)
		}
	}
	checkHashes("written by Put")

	// Paragraphs from before hashing have NULL hashes: Embed fills them
	// and finds their cached vectors.
	mustEmbed(t, ix, &fakeEmbedder{}, sqlite.EmbedOptions{})
	if _, err := db.Exec(`UPDATE paragraphs SET hash = NULL`); err != nil {
		t.Fatal(err)
	}
	all := paragraphCount(harbourStrike, orchardFrost)
	if v, m := mustEmbeddingStats(t, ix, fakeModel); v != 0 || m != all {
		t.Errorf("with NULL hashes: %d vectors, %d missing; want 0, %d", v, m, all)
	}
	e := &fakeEmbedder{}
	res := mustEmbed(t, ix, e, sqlite.EmbedOptions{})
	if e.sent() != 0 || res.Cached != all {
		t.Errorf("Embed after NULLing hashes = %+v, sent %d; want all %d cached, none sent", res, e.sent(), all)
	}
	checkHashes("filled by Embed")
}

// TestMigrationFromVersion5 rebuilds a version-5 file (no paragraph
// hashes, no embeddings table) and checks that opening it migrates and
// that Embed then covers its old paragraphs.
func TestMigrationFromVersion5(t *testing.T) {
	path := filepath.Join(t.TempDir(), "byline.db")
	ix := MustOpenPath(t, path, sqlite.Options{Create: true})
	MustPut(t, ix, harbourStrike, bridgeVote)
	ix.Close()
	db := rawDB(t, path)
	for _, q := range []string{
		`DROP TABLE chat_state`, // migration 7
		`DROP TABLE embeddings`, // and migration 8's column and index
		`DROP INDEX paragraphs_nohash`,
		`ALTER TABLE paragraphs DROP COLUMN hash`,
		`DELETE FROM meta WHERE key = 'embeddings'`,
		`PRAGMA user_version = 5`,
	} {
		if _, err := db.Exec(q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	db.Close()

	ix = MustOpenPath(t, path, sqlite.Options{})
	all := paragraphCount(harbourStrike, bridgeVote)
	if v, m := mustEmbeddingStats(t, ix, fakeModel); v != 0 || m != all {
		t.Errorf("after migration: %d vectors, %d missing; want 0, %d", v, m, all)
	}
	e := &fakeEmbedder{}
	if res := mustEmbed(t, ix, e, sqlite.EmbedOptions{}); res.Embedded != all || e.sent() != all {
		t.Errorf("Embed = %+v, sent %d; want %d", res, e.sent(), all)
	}
	hits := MustSearch(t, ix, retrieval.Query{Text: "strike", Vector: fakeVector("strike"), VectorModel: fakeModel})
	if len(hits) == 0 || hits[0].Article.ID != harbourStrike.ID {
		t.Errorf("hybrid search after migration = %v", hitIDs(hits))
	}
}

// TestMigrationFromVersion7 rebuilds a version-7 file (vectors without
// their int8 form) and checks that opening it migrates, that searches
// rank as before from the float32 vectors, and that Embed then stores
// the int8 form of every vector without embedding anything again.
func TestMigrationFromVersion7(t *testing.T) {
	path := filepath.Join(t.TempDir(), "byline.db")
	ix := MustOpenPath(t, path, sqlite.Options{Create: true})
	MustPut(t, ix, sedanRecall, toyRecall, busBrakes, undatedNotice, harbourStrike, orchardFrost)
	MustPut(t, ix, genArticles(newCorpus(8), "old", 30, 3)...)
	mustEmbed(t, ix, &fakeEmbedder{}, sqlite.EmbedOptions{})
	queries := []retrieval.Query{
		hybridQuery(recallQuestion, 10),
		{K: 40, Vector: fakeVector("harbour strike talks"), VectorModel: fakeModel},
		{K: 40, Vector: fakeVector(sedanRecall.Paragraphs[0]), VectorModel: fakeModel, Since: date(2025, 1, 1)},
	}
	var want [][]retrieval.Hit
	for _, q := range queries {
		want = append(want, MustSearch(t, ix, q))
	}
	ix.Close()
	db := rawDB(t, path)
	for _, q := range []string{
		`DROP INDEX embeddings_noq8`,
		`ALTER TABLE embeddings DROP COLUMN q8`,
		`PRAGMA user_version = 7`,
	} {
		if _, err := db.Exec(q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}

	ix = MustOpenPath(t, path, sqlite.Options{})
	var version int
	if err := db.QueryRow(`PRAGMA user_version`).Scan(&version); err != nil || version != 8 {
		t.Fatalf("user_version = %d, %v; want 8", version, err)
	}
	checkQ8 := func(when string, wantNull bool) {
		t.Helper()
		var n, nulls, bad int
		err := db.QueryRow(`SELECT count(*), count(*) FILTER (WHERE q8 IS NULL),
			count(*) FILTER (WHERE length(q8) <> 4 + length(vec)/4) FROM embeddings`).Scan(&n, &nulls, &bad)
		if err != nil {
			t.Fatal(err)
		}
		if wantNull && nulls != n || !wantNull && (nulls != 0 || bad != 0) || n == 0 {
			t.Errorf("%s: %d vectors, %d without q8, %d with q8 of the wrong length", when, n, nulls, bad)
		}
	}
	checkQ8("after migration", true)
	checkSearch := func(when string, ix *sqlite.Index) {
		t.Helper()
		for i, q := range queries {
			if got := MustSearch(t, ix, q); !sameScoredHits(got, want[i]) {
				t.Errorf("%s: query %d = %v, want %v", when, i, hitIDs(got), hitIDs(want[i]))
			}
		}
	}
	checkSearch("int8 from vec after migration", ix)
	e := &fakeEmbedder{}
	if res := mustEmbed(t, ix, e, sqlite.EmbedOptions{}); e.sent() != 0 || res.Embedded != 0 {
		t.Errorf("Embed after migration = %+v, sent %d; want nothing embedded", res, e.sent())
	}
	checkQ8("after Embed", false)
	ix.Close()
	checkSearch("int8 from q8 filled by Embed", MustOpenPath(t, path, sqlite.Options{}))
}

func TestPruneEmbeddings(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "byline.db")
	ix := MustOpenPath(t, path, sqlite.Options{Create: true})
	MustPut(t, ix, harbourStrike, orchardFrost, bridgeVote)
	mustEmbed(t, ix, &fakeEmbedder{}, sqlite.EmbedOptions{Model: "old"})
	mustEmbed(t, ix, &fakeEmbedder{}, sqlite.EmbedOptions{Model: "new"})
	if err := ix.Delete(ctx, orchardFrost.ID); err != nil {
		t.Fatal(err)
	}
	// Vectors of paragraphs whose hash is not filled in yet are kept.
	if _, err := rawDB(t, path).Exec(`UPDATE paragraphs SET hash = NULL WHERE n = 0`); err != nil {
		t.Fatal(err)
	}
	n, err := ix.PruneEmbeddings(ctx, "new")
	if err != nil {
		t.Fatalf("PruneEmbeddings: %v", err)
	}
	all := paragraphCount(harbourStrike, orchardFrost, bridgeVote)
	if want := all + len(orchardFrost.Paragraphs); n != want {
		t.Errorf("PruneEmbeddings deleted %d, want %d (all of old, and new's for the deleted article)", n, want)
	}
	live := paragraphCount(harbourStrike, bridgeVote)
	if v, m := mustEmbeddingStats(t, ix, "new"); v != live || m != 0 {
		t.Errorf("new: %d vectors, %d missing; want %d, 0", v, m, live)
	}
	if v, m := mustEmbeddingStats(t, ix, "old"); v != 0 || m != live {
		t.Errorf("old: %d vectors, %d missing; want 0, %d", v, m, live)
	}
	if n, err := ix.PruneEmbeddings(ctx, "new"); err != nil || n != 0 {
		t.Errorf("second PruneEmbeddings = %d, %v; want 0", n, err)
	}
	// Search by the pruned model is lexical only again.
	q := retrieval.Query{Text: "bridge", K: 3}
	lexical := MustSearch(t, ix, q)
	q.Vector, q.VectorModel = fakeVector("bridge"), "old"
	if got := MustSearch(t, ix, q); !sameScoredHits(got, lexical) {
		t.Errorf("search by pruned model = %v, lexical = %v", hitIDs(got), hitIDs(lexical))
	}
}

func sameScoredHits(a, b []retrieval.Hit) bool {
	return slices.EqualFunc(a, b, func(x, y retrieval.Hit) bool {
		return fmt.Sprint(x) == fmt.Sprint(y)
	})
}

func TestEmbedDimensionMustMatchStored(t *testing.T) {
	ix := MustOpen(t)
	MustPut(t, ix, harbourStrike)
	mustEmbed(t, ix, &fakeEmbedder{}, sqlite.EmbedOptions{})
	MustPut(t, ix, orchardFrost)
	longer := &fakeEmbedder{edit: func(_ int, v [][]float32) [][]float32 {
		for i := range v {
			v[i] = append(v[i], 1)
		}
		return v
	}}
	_, err := ix.Embed(context.Background(), longer, sqlite.EmbedOptions{Model: fakeModel})
	if err == nil || !strings.Contains(err.Error(), "dimensions") || !strings.Contains(err.Error(), fakeModel) {
		t.Fatalf("Embed with a new dimension: err = %v, want a dimension error naming the model", err)
	}
	if v, m := mustEmbeddingStats(t, ix, fakeModel); v != len(harbourStrike.Paragraphs) || m != len(orchardFrost.Paragraphs) {
		t.Errorf("%d vectors, %d missing; want only the first article's vectors", v, m)
	}
}
