package eval

import (
	"context"
	"errors"
	"slices"
	"time"

	"github.com/byline-news/byline/retrieval"
)

// Searcher is the part of an index the evaluation needs.
type Searcher interface {
	Search(ctx context.Context, q retrieval.Query) ([]retrieval.Hit, error)
}

// RetrievalResult holds ranking metrics over the answerable questions.
type RetrievalResult struct {
	Questions int     `json:"questions"`
	Recall1   float64 `json:"recall_at_1"`
	Recall5   float64 `json:"recall_at_5"`
	MRR10     float64 `json:"mrr_at_10"`
	P50ms     float64 `json:"p50_ms"`
	P99ms     float64 `json:"p99_ms"`

	// Ranks holds each question's gold rank by question ID (0: not in
	// the top 10), for reading the misses.
	Ranks map[string]int `json:"-"`
}

// key returns what a hit is judged by: its paragraph or its article.
type key func(h retrieval.Hit) string

// ByArticle judges a hit by its article ID (BBC).
func ByArticle(h retrieval.Hit) string { return h.Article.ID }

// Retrieval ranks every answerable question and scores where its gold
// item lands. Articles appearing twice in a ranking count once (BBC).
func Retrieval(ctx context.Context, s Searcher, qs []Question, by key) (RetrievalResult, error) {
	r := RetrievalResult{Ranks: map[string]int{}}
	var lat []time.Duration
	for _, q := range qs {
		if q.Gold == "" {
			continue
		}
		start := time.Now()
		hits, err := s.Search(ctx, retrieval.Query{Text: q.Question, K: 10})
		lat = append(lat, time.Since(start))
		if err != nil && !errors.Is(err, retrieval.ErrEmptyQuery) {
			return r, err
		}
		r.Questions++
		rank := goldRank(hits, q.Gold, by)
		r.Ranks[q.ID] = rank
		if rank == 1 {
			r.Recall1++
		}
		if rank >= 1 && rank <= 5 {
			r.Recall5++
		}
		if rank >= 1 && rank <= 10 {
			r.MRR10 += 1 / float64(rank)
		}
	}
	if r.Questions > 0 {
		n := float64(r.Questions)
		r.Recall1, r.Recall5, r.MRR10 = r.Recall1/n, r.Recall5/n, r.MRR10/n
	}
	r.P50ms, r.P99ms = percentile(lat, 0.50), percentile(lat, 0.99)
	return r, nil
}

// goldRank returns the 1-based rank of gold among distinct keys, or 0.
func goldRank(hits []retrieval.Hit, gold string, by key) int {
	var seen []string
	for _, h := range hits {
		k := by(h)
		if slices.Contains(seen, k) {
			continue
		}
		seen = append(seen, k)
		if k == gold {
			return len(seen)
		}
	}
	return 0
}

func percentile(d []time.Duration, p float64) float64 {
	if len(d) == 0 {
		return 0
	}
	s := slices.Clone(d)
	slices.Sort(s)
	i := min(int(p*float64(len(s))), len(s)-1)
	return float64(s[i].Microseconds()) / 1000
}
