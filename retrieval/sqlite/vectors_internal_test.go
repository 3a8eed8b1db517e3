package sqlite

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/byline-news/byline/retrieval"
)

// randomVectors returns n seeded vectors of dim components around a few
// dozen centres, as embeddings of news paragraphs cluster by topic.
func randomVectors(seed uint64, n, dim int) [][]float32 {
	r := rand.New(rand.NewPCG(seed, 11))
	centres := make([][]float32, 48)
	for i := range centres {
		centres[i] = gaussian(r, dim, 1)
	}
	out := make([][]float32, n)
	for i := range out {
		v := gaussian(r, dim, 0.6)
		c := centres[r.IntN(len(centres))]
		for k := range v {
			v[k] += c[k]
		}
		out[i] = v
	}
	return out
}

func gaussian(r *rand.Rand, dim int, sd float64) []float32 {
	v := make([]float32, dim)
	for k := range v {
		v[k] = float32(r.NormFloat64() * sd)
	}
	return v
}

// memorySet builds the in-memory vectors of docs 1..n as Search loads them.
func memorySet(f VectorFormat, vecs [][]float32, pubs []int32) *vecSet {
	vs := &vecSet{format: f, dim: len(vecs[0])}
	for i := range vecs {
		vs.docs = append(vs.docs, int64(i+1))
		pub := int32(unknownDay)
		if pubs != nil {
			pub = pubs[i]
		}
		vs.pubs = append(vs.pubs, pub)
	}
	vs.alloc()
	for i, v := range vecs {
		unit := slices.Clone(v)
		normalize(unit)
		vs.setRow(i, unit)
	}
	return vs
}

// exactNearest is the reference: cosine in float64 over every vector.
func exactNearest(vecs [][]float32, query []float32, n int) []int64 {
	type scored struct {
		doc int64
		cos float64
	}
	all := make([]scored, len(vecs))
	for i, v := range vecs {
		var dot, nv, nq float64
		for k := range v {
			dot += float64(v[k]) * float64(query[k])
			nv += float64(v[k]) * float64(v[k])
			nq += float64(query[k]) * float64(query[k])
		}
		all[i] = scored{int64(i + 1), dot / math.Sqrt(nv*nq)}
	}
	slices.SortFunc(all, func(a, b scored) int { return cmpFloat(b.cos, a.cos) })
	out := make([]int64, n)
	for i := range out {
		out[i] = all[i].doc
	}
	return out
}

func hitDocs(hits []vecHit) []int64 {
	out := make([]int64, len(hits))
	for i, h := range hits {
		out[i] = h.doc
	}
	return out
}

func overlap(a, b []int64) int {
	n := 0
	for _, x := range a {
		if slices.Contains(b, x) {
			n++
		}
	}
	return n
}

// TestVectorFormatsRecall: float32 finds the exact nearest vectors, and
// int8 agrees with it on nearly all of each query's top 5.
func TestVectorFormatsRecall(t *testing.T) {
	const n, dim, queries, k = 3000, 96, 200, 5
	vecs := randomVectors(1, n, dim)
	qs := randomVectors(2, queries, dim)
	f32 := memorySet(VectorFloat32, vecs, nil)
	i8 := memorySet(VectorInt8, vecs, nil)
	same, total := 0, 0
	for qi, q := range qs {
		want := exactNearest(vecs, q, k)
		got := hitDocs(f32.nearest(q, dayFilter{}, k))
		if !slices.Equal(got, want) {
			t.Errorf("query %d: float32 top %d = %v, exact = %v", qi, k, got, want)
		}
		same += overlap(hitDocs(i8.nearest(q, dayFilter{}, k)), want)
		total += k
	}
	if r := float64(same) / float64(total); r < 0.9 {
		t.Errorf("int8 recall@%d against exact = %.3f, want ≥ 0.9", k, r)
	} else {
		t.Logf("int8 recall@%d against exact = %.3f", k, r)
	}
}

// TestNearestSplitScan: a scan split across workers returns what one
// worker does, ties included.
func TestNearestSplitScan(t *testing.T) {
	vecs := randomVectors(3, parallelScan+1000, 8)
	for i := 0; i < len(vecs); i += 97 {
		vecs[i] = []float32{1, 0, 0, 0, 0, 0, 0, 0} // many exact ties
	}
	for _, f := range []VectorFormat{VectorInt8, VectorFloat32} {
		vs := memorySet(f, vecs, nil)
		q := []float32{1, 0, 0, 0, 0, 0, 0, 0}
		got := hitDocs(vs.nearest(q, dayFilter{}, 30))
		want := hitDocs(vs.scanner(q)(0, vs.len(), dayFilter{}, 30))
		slices.Sort(want) // equal scores: the lowest documents, in order
		if !slices.Equal(got, want) {
			t.Errorf("format %d: split scan %v, single scan %v", f, got, want)
		}
	}
}

func TestNearestDayFilter(t *testing.T) {
	vecs := randomVectors(4, 200, 16)
	pubs := make([]int32, len(vecs))
	for i := range pubs {
		pubs[i] = int32(20000 + i%10)
		if i%7 == 0 {
			pubs[i] = unknownDay
		}
	}
	since := timeUnix(20003 * 86400)
	until := timeUnix(20006 * 86400)
	tests := []struct {
		name string
		q    retrieval.Query
		pass func(day int32) bool
	}{
		{"since", retrieval.Query{Since: since}, func(d int32) bool { return d != unknownDay && d >= 20003 }},
		{"until", retrieval.Query{Until: until}, func(d int32) bool { return d != unknownDay && d < 20006 }},
		{"both keep undated", retrieval.Query{Since: since, Until: until, KeepUndated: true},
			func(d int32) bool { return d == unknownDay || d >= 20003 && d < 20006 }},
	}
	for _, tt := range tests {
		for _, f := range []VectorFormat{VectorInt8, VectorFloat32} {
			vs := memorySet(f, vecs, pubs)
			hits := vs.nearest(vecs[0], newDayFilter(tt.q), 40)
			if len(hits) != 40 {
				t.Fatalf("%s: %d hits, want 40", tt.name, len(hits))
			}
			for _, h := range hits {
				if d := pubs[h.doc-1]; !tt.pass(d) {
					t.Errorf("%s format %d: doc %d (day %d) passed the filter", tt.name, f, h.doc, d)
				}
			}
		}
	}
}

func TestDotProducts(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 5))
	for _, n := range []int{0, 1, 7, 8, 9, 15, 16, 17, 384, 385} {
		a8, b8 := make([]int32, n), make([]int8, n)
		af, bf := make([]float32, n), make([]float32, n)
		var want8 int32
		var wantF float64
		for i := range n {
			a8[i], b8[i] = int32(r.IntN(255)-127), int8(r.IntN(255)-127)
			af[i], bf[i] = float32(r.NormFloat64()), float32(r.NormFloat64())
			want8 += a8[i] * int32(b8[i])
			wantF += float64(af[i]) * float64(bf[i])
		}
		if got := dotInt8(a8, b8); got != want8 {
			t.Errorf("dotInt8 over %d = %d, want %d", n, got, want8)
		}
		if got := dotFloat32(af, bf); math.Abs(float64(got)-wantF) > 1e-4*(1+math.Abs(wantF)) {
			t.Errorf("dotFloat32 over %d = %g, want %g", n, got, wantF)
		}
	}
}

func TestQuantize(t *testing.T) {
	tests := []struct {
		v    []float32
		want []int8
	}{
		{[]float32{0.5, -0.25, 0}, []int8{127, -64, 0}},
		{[]float32{-2, 1}, []int8{-127, 64}},
		{[]float32{0, 0}, []int8{0, 0}},
	}
	for _, tt := range tests {
		got := make([]int8, len(tt.v))
		scale := quantize(got, tt.v)
		if !slices.Equal(got, tt.want) {
			t.Errorf("quantize(%v) = %v, want %v", tt.v, got, tt.want)
		}
		for i, x := range tt.v {
			if back := float32(got[i]) * scale; math.Abs(float64(back-x)) > float64(scale) {
				t.Errorf("quantize(%v)[%d] × %g = %g, far from %g", tt.v, i, scale, back, x)
			}
		}
	}
}

// BenchmarkVectorScan times one exact scan for the 30 nearest of 100k
// 384-dimensional vectors in each in-memory format.
func BenchmarkVectorScan(b *testing.B) {
	const n, dim = 100_000, 384
	vecs := randomVectors(7, n, dim)
	query := randomVectors(8, 1, dim)[0]
	for _, tc := range []struct {
		name string
		f    VectorFormat
	}{{"int8", VectorInt8}, {"float32", VectorFloat32}} {
		vs := memorySet(tc.f, vecs, nil)
		b.Run(tc.name, func(b *testing.B) {
			for b.Loop() {
				if hits := vs.nearest(query, dayFilter{}, 30); len(hits) != 30 {
					b.Fatalf("%d hits", len(hits))
				}
			}
			b.ReportMetric(float64(n)*float64(b.N)/b.Elapsed().Seconds(), "vectors/s")
		})
		b.Run(tc.name+"-1core", func(b *testing.B) {
			scan := vs.scanner(query)
			for b.Loop() {
				scan(0, vs.len(), dayFilter{}, 30)
			}
		})
	}
}

var sinkInt32 int32

func BenchmarkDotInt8(b *testing.B) {
	a, c := make([]int32, 384), make([]int8, 384)
	for i := range a {
		a[i], c[i] = int32(int8(i)), int8(-i)
	}
	for b.Loop() {
		sinkInt32 += dotInt8(a, c)
	}
}

// textEmbedder derives a vector from the text's bytes.
type textEmbedder struct{}

func (textEmbedder) Embed(_ context.Context, texts []string) ([][]float32, error) {
	out := make([][]float32, len(texts))
	for i, t := range texts {
		v := make([]float32, 12)
		for k, b := range []byte(t) {
			v[k%len(v)] += float32(b%17) - 8
		}
		v[0] += 0.5
		out[i] = v
	}
	return out, nil
}

func testArticle(id string, published time.Time, paragraphs ...string) retrieval.Article {
	return retrieval.Article{ID: id, Title: "Title of " + id, Outlet: "Test Wire", Published: published, Paragraphs: paragraphs}
}

// TestIncrementalReloadMatchesFresh: vectors reloaded from the previous
// set after puts, a delete and a replacement equal a load from scratch.
func TestIncrementalReloadMatchesFresh(t *testing.T) {
	ctx := context.Background()
	day1 := time.Date(2025, 3, 1, 9, 0, 0, 0, time.UTC)
	for _, f := range []VectorFormat{VectorInt8, VectorFloat32} {
		ix, err := Open(ctx, filepath.Join(t.TempDir(), "reload.db"), Options{Create: true})
		if err != nil {
			t.Fatal(err)
		}
		defer ix.Close()
		embed := func() {
			t.Helper()
			if _, err := ix.Embed(ctx, textEmbedder{}, EmbedOptions{Model: "m"}); err != nil {
				t.Fatal(err)
			}
		}
		put := func(a ...retrieval.Article) {
			t.Helper()
			if _, err := ix.Put(ctx, a); err != nil {
				t.Fatal(err)
			}
		}
		put(testArticle("a", day1, "Alpha one.", "Alpha two."),
			testArticle("b", time.Time{}, "Bravo one.", "Shared text."),
			testArticle("c", day1.AddDate(0, 0, 3), "Charlie one.", "Charlie two.", "Shared text."))
		embed()
		prev, err := loadVectors(ctx, ix.db, "m", f, nil)
		if err != nil || prev.len() != 7 {
			t.Fatalf("first load: %d vectors, %v; want 7", prev.len(), err)
		}
		if err := ix.Delete(ctx, "a"); err != nil {
			t.Fatal(err)
		}
		put(testArticle("c", day1.AddDate(0, 0, 4), "Charlie one, revised.", "Charlie two.", "Shared text."),
			testArticle("d", day1.AddDate(0, 1, 0), "Delta one.", "Alpha two."))
		embed()
		again, err := loadVectors(ctx, ix.db, "m", f, prev)
		if err != nil {
			t.Fatal(err)
		}
		fresh, err := loadVectors(ctx, ix.db, "m", f, nil)
		if err != nil {
			t.Fatal(err)
		}
		if again.len() != 7 || !reflect.DeepEqual(again, fresh) {
			t.Errorf("format %d: reloaded %+v\nfresh %+v", f, again, fresh)
		}
	}
}

// TestEmbedQueriesUseIndexes: finding paragraphs still to hash and
// vectors still without q8 must not scan paragraphs or search every
// vector, as Embed runs them each time; listing a model's hashes must
// come from the (model, hash) index alone, reading no vector.
func TestEmbedQueriesUseIndexes(t *testing.T) {
	ctx := context.Background()
	ix, err := Open(ctx, filepath.Join(t.TempDir(), "plan.db"), Options{Create: true})
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	tests := []struct {
		query string
		args  []any
		want  string
	}{
		{unhashedSQL, []any{0, hashChunk}, "SEARCH paragraphs USING INDEX paragraphs_nohash"},
		{noQ8SQL, []any{"m", []byte{}, hashChunk}, "SEARCH embeddings USING INDEX embeddings_noq8"},
		{modelHashesSQL, []any{"m"}, "SEARCH embeddings USING COVERING INDEX embeddings_key"},
	}
	for _, tt := range tests {
		plan := queryPlan(t, ix, tt.query, tt.args...)
		if len(plan) != 1 || !strings.HasPrefix(plan[0], tt.want) {
			t.Errorf("plan for %s: %q, want %q", tt.query, plan, tt.want)
		}
	}
}

func queryPlan(t *testing.T, ix *Index, query string, args ...any) []string {
	t.Helper()
	rows, err := ix.db.QueryContext(context.Background(), "EXPLAIN QUERY PLAN "+query, args...)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var plan []string
	for rows.Next() {
		var id, parent, notused int
		var detail string
		if err := rows.Scan(&id, &parent, &notused, &detail); err != nil {
			t.Fatal(err)
		}
		plan = append(plan, detail)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return plan
}

// TestEncodeQ8MatchesSetRow: the stored int8 form is bit for bit what the
// int8 format computes from the float32 vector, zero scale included.
func TestEncodeQ8MatchesSetRow(t *testing.T) {
	vecs := randomVectors(9, 50, 33)
	vecs = append(vecs, make([]float32, 33), []float32{-2})
	for _, v := range vecs {
		want := memorySet(VectorInt8, [][]float32{v}, nil)
		q8 := encodeQ8(v)
		if len(q8) != 4+len(v) {
			t.Fatalf("encodeQ8 of %d components: %d bytes", len(v), len(q8))
		}
		got := &vecSet{format: VectorInt8, dim: len(v), docs: want.docs, pubs: want.pubs}
		got.alloc()
		got.setQ8(0, q8)
		if !reflect.DeepEqual(got, want) {
			t.Errorf("from q8 %+v\ncomputed %+v", got, want)
		}
	}
}

// TestStoredInt8MatchesComputed: int8 vectors loaded from q8 equal those
// computed from vec, whether every, some or no vector has q8 and for a
// load by key, so search ranks alike before and after Embed fills q8.
func TestStoredInt8MatchesComputed(t *testing.T) {
	ctx := context.Background()
	ix, err := Open(ctx, filepath.Join(t.TempDir(), "q8.db"), Options{Create: true})
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	day := time.Date(2025, 3, 1, 9, 0, 0, 0, time.UTC)
	var arts []retrieval.Article
	for i := range 20 {
		arts = append(arts, testArticle(fmt.Sprintf("a%d", i), day.AddDate(0, 0, i),
			fmt.Sprintf("Story %d opens.", i), fmt.Sprintf("Story %d, second paragraph %d.", i, i*i), "Shared text."))
	}
	if _, err := ix.Put(ctx, arts); err != nil {
		t.Fatal(err)
	}
	embed := func() {
		t.Helper()
		if _, err := ix.Embed(ctx, textEmbedder{}, EmbedOptions{Model: "m"}); err != nil {
			t.Fatal(err)
		}
	}
	exec := func(q string) {
		t.Helper()
		if _, err := ix.db.ExecContext(ctx, q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	load := func(prev *vecSet) *vecSet {
		t.Helper()
		vs, err := loadVectors(ctx, ix.db, "m", VectorInt8, prev)
		if err != nil {
			t.Fatal(err)
		}
		return vs
	}
	embed()
	want := load(nil)
	if want.len() != 60 {
		t.Fatalf("%d vectors, want 60", want.len())
	}
	// A previous set without the last articles' docs: those are read by key.
	prev := &vecSet{model: "m", format: VectorInt8, dim: want.dim, docs: want.docs[:50], pubs: want.pubs[:50],
		i8: want.i8[:50*want.dim], scales: want.scales[:50]}
	exec(`UPDATE embeddings SET q8 = NULL WHERE hash < x'80'`) // about half
	for _, when := range []string{"some q8", "no q8"} {
		if got := load(nil); !reflect.DeepEqual(got, want) {
			t.Errorf("%s: loaded %+v\nwith q8 %+v", when, got, want)
		}
		if got := load(prev); !reflect.DeepEqual(got, want) {
			t.Errorf("%s, by key: loaded %+v\nwith q8 %+v", when, got, want)
		}
		exec(`UPDATE embeddings SET q8 = NULL`)
	}

	embed() // fills q8 again
	var nulls, bad int
	if err := ix.db.QueryRowContext(ctx, `SELECT count(*) FILTER (WHERE q8 IS NULL),
		count(*) FILTER (WHERE length(q8) <> 4 + length(vec)/4) FROM embeddings`).Scan(&nulls, &bad); err != nil {
		t.Fatal(err)
	}
	if nulls != 0 || bad != 0 {
		t.Errorf("after Embed: %d vectors without q8, %d with q8 of the wrong length", nulls, bad)
	}
	if got := load(nil); !reflect.DeepEqual(got, want) {
		t.Errorf("q8 filled by Embed: loaded %+v\nwant %+v", got, want)
	}

	exec(`UPDATE embeddings SET q8 = x'0000803f01' WHERE hash < x'40'`)
	if _, err := loadVectors(ctx, ix.db, "m", VectorInt8, nil); err == nil || !strings.Contains(err.Error(), "mixed dimensions") {
		t.Errorf("q8 of another dimension: err = %v, want mixed dimensions", err)
	}
}
