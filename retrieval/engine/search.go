package engine

import (
	"container/heap"
	"context"
	"fmt"
	"math"
	"sync"

	"github.com/byline-news/byline/retrieval"
	"github.com/byline-news/byline/retrieval/analysis"
)

// Params are the ranking parameters. The defaults were chosen on the
// SQuAD v1.1 dev set (see `byline eval` and the README).
type Params struct {
	K1          float64 // BM25 term-frequency saturation
	B           float64 // BM25 length normalisation
	TitleWeight float64 // weight of a title occurrence relative to the text (BM25F)
	Phrase      float64 // bonus per question bigram found as a phrase, times its IDF
	Recency     float64 // at most this fraction added for the newest article
	Candidates  int     // how many BM25 results the phrase/recency pass reranks
}

func (p Params) withDefaults() Params {
	def := Params{K1: 0.9, B: 0.75, TitleWeight: 2, Phrase: 0.5, Recency: 0.03, Candidates: 30}
	if p.K1 == 0 {
		p.K1 = def.K1
	}
	if p.B == 0 {
		p.B = def.B
	}
	if p.TitleWeight == 0 {
		p.TitleWeight = def.TitleWeight
	}
	if p.Phrase == 0 {
		p.Phrase = def.Phrase
	}
	if p.Recency == 0 {
		p.Recency = def.Recency
	}
	if p.Candidates == 0 {
		p.Candidates = def.Candidates
	}
	return p
}

// queryTerm is a distinct searchable term of the question.
type queryTerm struct {
	term   string
	idf    float64
	weight float64          // 1 for the question's own terms; less for added ones
	lists  map[int64][]byte // segment id -> posting list
}

// Search returns the K best paragraphs for q, best first. With a query
// vector and stored vectors by its model, the BM25 ranking is fused with
// the nearest paragraphs' (see fuse); otherwise search is lexical only.
func (ix *Index) Search(ctx context.Context, q retrieval.Query) ([]retrieval.Hit, error) {
	terms := uniqueTerms(q.Text)
	if len(terms) == 0 && len(q.Vector) == 0 {
		return nil, retrieval.ErrEmptyQuery
	}
	if q.K <= 0 {
		q.K = 5
	}
	// One snapshot, so every read of one search sees the same committed
	// index, whatever a concurrent index call does.
	snap, err := ix.b.Snapshot(ctx)
	if err != nil {
		return nil, fmt.Errorf("search: %w", err)
	}
	defer snap.Close()
	gen, changes, err := snap.Counters(ctx)
	if err != nil {
		return nil, fmt.Errorf("search: %w", err)
	}
	filter, err := ix.filterFor(ctx, snap, q, gen)
	if err != nil {
		return nil, fmt.Errorf("search: %w", err)
	}
	vhits, vsims, vectors, err := ix.vectorRanking(ctx, snap, q, gen, changes, filter)
	if err != nil {
		return nil, fmt.Errorf("search: %w", err)
	}
	if !vectors && len(terms) == 0 {
		return nil, retrieval.ErrEmptyQuery
	}
	hits, sims, err := ix.lexical(ctx, snap, q, terms, gen, filter)
	if err != nil {
		return nil, err
	}
	if vectors {
		hits, sims = fuse(hits, vhits), mergeSims(sims, vsims)
	}
	return finish(ctx, snap, q, hits, sims)
}

// filterFor is the filter of q's dates and scope: a scope becomes the set
// of documents it holds (scope.go).
func (ix *Index) filterFor(ctx context.Context, snap Reader, q retrieval.Query, gen int64) (dayFilter, error) {
	f := newDayFilter(q)
	if q.Scope.IsZero() {
		return f, nil
	}
	st, err := ix.current(ctx, snap, gen)
	if err != nil {
		return f, err
	}
	f.scoped = true
	f.docs, err = ix.scopeDocs(ctx, snap, st, q.Scope)
	return f, err
}

// lexical ranks the paragraphs matching the question's terms by BM25F,
// then reranks the best (see rerank).
func (ix *Index) lexical(ctx context.Context, snap Reader, q retrieval.Query, terms []string, gen int64, filter dayFilter) ([]retrieval.Hit, map[string]uint64, error) {
	if len(terms) == 0 {
		return nil, nil, nil
	}
	st, err := ix.current(ctx, snap, gen)
	if err != nil {
		return nil, nil, err
	}
	qts, err := fetchPostings(ctx, snap, terms, st)
	if err != nil {
		return nil, nil, err
	}
	if !q.Spelt {
		fixed, err := correctedTerms(ctx, snap, q.Text, qts, st)
		if err != nil {
			return nil, nil, fmt.Errorf("search: %w", err)
		}
		qts = append(qts, fixed...)
	}
	syns, err := synonymTerms(ctx, snap, q.Text, terms, st)
	if err != nil {
		return nil, nil, err
	}
	cands, err := ix.score(st, append(qts, syns...), q, filter)
	if err != nil {
		return nil, nil, err
	}
	return ix.rerank(ctx, snap, q, qts, cands)
}

func uniqueTerms(text string) []string {
	seen := map[string]bool{}
	var out []string
	for _, t := range analysis.Terms(text) {
		if !seen[t] {
			seen[t] = true
			out = append(out, t)
		}
	}
	return out
}

// fetchPostings reads every posting list of terms and returns those
// that occur, in the question's order, with their IDF.
func fetchPostings(ctx context.Context, q Reader, terms []string, st *state) ([]*queryTerm, error) {
	byTerm := make(map[string]*queryTerm, len(terms))
	dfs := make(map[string]int64, len(terms))
	for _, t := range terms {
		byTerm[t] = &queryTerm{term: t, weight: 1, lists: map[int64][]byte{}}
	}
	err := q.Postings(ctx, terms, func(term string, seg, df int64, data []byte) {
		if qt := byTerm[term]; qt != nil {
			qt.lists[seg] = data
			dfs[term] += df
		}
	})
	if err != nil {
		return nil, fmt.Errorf("search %q: %w", terms, err)
	}
	var out []*queryTerm
	for _, term := range terms {
		df := dfs[term]
		if df == 0 {
			continue
		}
		qt := byTerm[term]
		n := float64(max(st.docs, df))
		qt.idf = math.Log(1 + (n-float64(df)+0.5)/(float64(df)+0.5))
		out = append(out, qt)
	}
	return out, nil
}

// candidate is a scored document.
type candidate struct {
	seg   *segment
	ord   int
	score float64
}

var accPool = sync.Pool{New: func() any { return new([]float32) }}

// score computes BM25F for every document matching any term, segment by
// segment, and keeps the best Params.Candidates that pass the filters.
func (ix *Index) score(st *state, qts []*queryTerm, q retrieval.Query, filter dayFilter) ([]candidate, error) {
	want := max(ix.params.Candidates, q.K)
	top := &candHeap{}
	for _, s := range st.segs {
		accp := accPool.Get().(*[]float32)
		acc := grow(*accp, s.ndocs())
		if err := ix.accumulate(st, s, qts, acc); err != nil {
			return nil, err
		}
		for ord, v := range acc {
			if v == 0 || (s.deleted != nil && s.deleted[ord]) || !filter.pass(s.pubs[ord]) || !filter.holds(s.docs[ord]) {
				continue
			}
			if top.Len() < want {
				heap.Push(top, candidate{s, ord, float64(v)})
			} else if float64(v) > (*top)[0].score {
				(*top)[0] = candidate{s, ord, float64(v)}
				heap.Fix(top, 0)
			}
		}
		*accp = acc
		accPool.Put(accp)
	}
	out := make([]candidate, top.Len())
	for i := len(out) - 1; i >= 0; i-- {
		out[i] = heap.Pop(top).(candidate)
	}
	return out, nil
}

func grow(acc []float32, n int) []float32 {
	if cap(acc) < n {
		return make([]float32, n)
	}
	acc = acc[:n]
	clear(acc)
	return acc
}

// accumulate adds each term's BM25F contribution into acc.
func (ix *Index) accumulate(st *state, s *segment, qts []*queryTerm, acc []float32) error {
	p := ix.params
	k1, b, wt := float32(p.K1), float32(p.B), float32(p.TitleWeight)
	avg := float32(st.avgLen + p.TitleWeight*st.avgTitle)
	if avg == 0 {
		avg = 1
	}
	for _, qt := range qts {
		data, ok := qt.lists[s.id]
		if !ok {
			continue
		}
		idf := float32(qt.idf * qt.weight)
		err := decodePostings(data, func(ps posting) {
			if int(ps.ord) >= len(acc) {
				return
			}
			tf := float32(ps.tf) + wt*float32(ps.titleTF)
			l := float32(s.lens[ps.ord]) + wt*float32(s.titleLen[ps.ord])
			acc[ps.ord] += idf * tf * (k1 + 1) / (tf + k1*(1-b+b*l/avg))
		})
		if err != nil {
			return fmt.Errorf("segment %d term %q: %w", s.id, qt.term, err)
		}
	}
	return nil
}

// candHeap is a min-heap on score, so the weakest candidate is evicted.
type candHeap []candidate

func (h candHeap) Len() int           { return len(h) }
func (h candHeap) Less(i, j int) bool { return h[i].score < h[j].score }
func (h candHeap) Swap(i, j int)      { h[i], h[j] = h[j], h[i] }
func (h *candHeap) Push(x any)        { *h = append(*h, x.(candidate)) }
func (h *candHeap) Pop() any {
	old := *h
	x := old[len(old)-1]
	*h = old[:len(old)-1]
	return x
}

// dayFilter applies Since/Until at day granularity (rerank checks
// exactly) and, when scoped, the set of documents in the query's scope.
type dayFilter struct {
	on, keepUndated bool
	from, to        int32
	scoped          bool
	docs            docSet
}

// holds reports whether doc is in the query's scope.
func (f dayFilter) holds(doc int64) bool { return !f.scoped || f.docs.has(doc) }

func newDayFilter(q retrieval.Query) dayFilter {
	f := dayFilter{keepUndated: q.KeepUndated, from: math.MinInt32 + 1, to: math.MaxInt32}
	if !q.Since.IsZero() {
		f.on, f.from = true, day(q.Since)
	}
	if !q.Until.IsZero() {
		f.on, f.to = true, day(q.Until.Add(-1))
	}
	return f
}

func (f dayFilter) pass(d int32) bool {
	if !f.on {
		return true
	}
	if d == unknownDay {
		return f.keepUndated
	}
	return d >= f.from && d <= f.to
}
