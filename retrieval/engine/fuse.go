package engine

import (
	"context"
	"fmt"
	"slices"

	"github.com/byline-news/byline/retrieval"
)

// rrfK damps the weight of the top ranks in reciprocal rank fusion; 60 is
// the constant of the original paper (Cormack et al., 2009) and works
// without tuning.
const rrfK = 60

// vectorCandidates is the least number of nearest paragraphs fused.
const vectorCandidates = 30

// vectorRanking returns the paragraphs nearest to q.Vector in the date
// range, best first, with Score their cosine. ok is false when q has no
// vector or the index holds no vectors by q.VectorModel: search is then
// lexical only.
func (ix *Index) vectorRanking(ctx context.Context, conn Reader, q retrieval.Query, gen, changes int64, filter dayFilter) (hits []retrieval.Hit, sims map[string]uint64, ok bool, err error) {
	if len(q.Vector) == 0 {
		return nil, nil, false, nil
	}
	vs, err := ix.vectors(ctx, conn, q.VectorModel, gen, changes)
	if err != nil || vs.len() == 0 {
		return nil, nil, false, err
	}
	if len(q.Vector) != vs.dim {
		return nil, nil, false, fmt.Errorf("%w: query vector has %d dimensions, stored vectors by model %q have %d: run byline reembed",
			ErrVectorDimensions, len(q.Vector), q.VectorModel, vs.dim)
	}
	if err := checkFinite(q.Vector); err != nil {
		return nil, nil, false, fmt.Errorf("query vector %w", err)
	}
	near := vs.nearest(q.Vector, filter, max(vectorCandidates, 3*q.K))
	if len(near) == 0 {
		return nil, nil, true, nil
	}
	docs := make([]int64, len(near))
	scores := make([]float64, len(near))
	for i, h := range near {
		docs[i], scores[i] = h.doc, float64(h.score)
	}
	all, sims, err := readDocs(ctx, conn, docs, scores)
	if err != nil {
		return nil, nil, false, err
	}
	// The scan filtered by day; this is the exact bound, as for BM25.
	hits = slices.DeleteFunc(all, func(h retrieval.Hit) bool { return !inRange(h.Article.Published, q) })
	slices.SortStableFunc(hits, func(a, b retrieval.Hit) int { return cmpFloat(b.Score, a.Score) })
	return hits, sims, true, nil
}

// fuse merges rankings (each best first) by reciprocal rank fusion: a
// paragraph scores the sum of 1/(rrfK + rank) over the rankings that hold
// it, rank counting from 1. Ties keep the order of first appearance.
func fuse(rankings ...[]retrieval.Hit) []retrieval.Hit {
	type key struct {
		article   string
		paragraph int
	}
	at := map[key]int{}
	out := []retrieval.Hit{}
	for _, ranking := range rankings {
		for r, h := range ranking {
			k := key{h.Article.ID, h.Paragraph}
			i, seen := at[k]
			if !seen {
				i = len(out)
				at[k] = i
				h.Score = 0
				out = append(out, h)
			}
			out[i].Score += 1 / float64(rrfK+r+1)
		}
	}
	slices.SortStableFunc(out, func(a, b retrieval.Hit) int { return cmpFloat(b.Score, a.Score) })
	return out
}

// mergeSims joins the rankings' article fingerprints.
func mergeSims(maps ...map[string]uint64) map[string]uint64 {
	out := map[string]uint64{}
	for _, m := range maps {
		for id, sim := range m {
			out[id] = sim
		}
	}
	return out
}
