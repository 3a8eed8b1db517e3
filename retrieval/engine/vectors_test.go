package engine

import (
	"math"
	"math/rand/v2"
	"reflect"
	"slices"
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
	since := time.Unix(20003*86400, 0).UTC()
	until := time.Unix(20006*86400, 0).UTC()
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

// TestEncodeQ8MatchesSetRow: the stored int8 form is bit for bit what the
// int8 format computes from the float32 vector, zero scale included.
func TestEncodeQ8MatchesSetRow(t *testing.T) {
	vecs := randomVectors(9, 50, 33)
	vecs = append(vecs, make([]float32, 33), []float32{-2})
	for _, v := range vecs {
		want := memorySet(VectorInt8, [][]float32{v}, nil)
		q8 := EncodeQ8(v)
		if len(q8) != 4+len(v) {
			t.Fatalf("EncodeQ8 of %d components: %d bytes", len(v), len(q8))
		}
		got := &vecSet{format: VectorInt8, dim: len(v), docs: want.docs, pubs: want.pubs}
		got.alloc()
		got.setQ8(0, q8)
		if !reflect.DeepEqual(got, want) {
			t.Errorf("from q8 %+v\ncomputed %+v", got, want)
		}
	}
}
