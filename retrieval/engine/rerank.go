package engine

import (
	"cmp"
	"context"
	"fmt"
	"math"
	"slices"
	"time"

	"github.com/byline-news/byline/retrieval"
	"github.com/byline-news/byline/retrieval/analysis"
)

// rerank reads the candidates' text and adds what BM25 cannot see: the
// question's word pairs appearing as phrases ("Liang Guanglie", "South
// China Sea"), and a small preference for newer articles. It returns the
// candidates in the date range, best first, with their articles'
// fingerprints for collapseCopies.
func (ix *Index) rerank(ctx context.Context, q Reader, query retrieval.Query, qts []*queryTerm, cands []candidate) ([]retrieval.Hit, map[string]uint64, error) {
	if len(cands) == 0 {
		return nil, nil, nil
	}
	hits, sims, err := readHits(ctx, q, cands)
	if err != nil {
		return nil, nil, err
	}
	idf := map[string]float64{}
	for _, qt := range qts {
		idf[qt.term] = qt.idf
	}
	pairs := questionPairs(query.Text)
	newest := newestDate(hits)
	kept := hits[:0]
	for _, h := range hits {
		if !inRange(h.Article.Published, query) {
			continue
		}
		h.Score += ix.params.Phrase * phraseScore(h.Article.Title, h.Text, pairs, idf)
		h.Score *= 1 + ix.params.Recency*freshness(h.Article.Published, newest)
		kept = append(kept, h)
	}
	slices.SortStableFunc(kept, func(a, b retrieval.Hit) int {
		return cmpFloat(b.Score, a.Score)
	})
	return kept, sims, nil
}

// finish turns a ranking into the answer: copies of one story shown once,
// the top K, and each hit's neighbouring paragraphs.
func finish(ctx context.Context, q Reader, query retrieval.Query, hits []retrieval.Hit, sims map[string]uint64) ([]retrieval.Hit, error) {
	if hits == nil {
		return nil, nil
	}
	kept := collapseCopies(hits, sims)
	kept = kept[:min(len(kept), query.K)]
	if err := addNeighbours(ctx, q, kept); err != nil {
		return nil, err
	}
	return kept, nil
}

func cmpFloat(a, b float64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

func inRange(pub time.Time, q retrieval.Query) bool {
	if q.Since.IsZero() && q.Until.IsZero() {
		return true
	}
	if pub.IsZero() {
		return q.KeepUndated
	}
	return (q.Since.IsZero() || !pub.Before(q.Since)) && (q.Until.IsZero() || pub.Before(q.Until))
}

// questionPairs returns consecutive searchable terms of the question.
func questionPairs(text string) [][2]string {
	terms := analysis.Terms(text)
	var out [][2]string
	for i := 0; i+1 < len(terms); i++ {
		if terms[i] != terms[i+1] {
			out = append(out, [2]string{terms[i], terms[i+1]})
		}
	}
	return out
}

// phraseScore sums the IDF of each question pair found as adjacent
// searchable terms of the title or the text. It runs for every
// candidate, so it streams tokens instead of collecting them.
func phraseScore(title, text string, pairs [][2]string, idf map[string]float64) float64 {
	if len(pairs) == 0 {
		return 0
	}
	found := make([]bool, len(pairs))
	scan := func(s string) {
		prev := ""
		analysis.Each(s, func(t analysis.Token) {
			if t.Stop {
				return
			}
			for i, p := range pairs {
				if !found[i] && p[0] == prev && p[1] == t.Term {
					found[i] = true
				}
			}
			prev = t.Term
		})
	}
	scan(title)
	scan(text)
	score := 0.0
	for i, p := range pairs {
		if found[i] {
			score += (idf[p[0]] + idf[p[1]]) / 2
		}
	}
	return score
}

func newestDate(hits []retrieval.Hit) time.Time {
	var t time.Time
	for _, h := range hits {
		if h.Article.Published.After(t) {
			t = h.Article.Published
		}
	}
	return t
}

// freshness is 1 for the newest candidate, halving every 30 days older.
func freshness(pub, newest time.Time) float64 {
	if pub.IsZero() || newest.IsZero() {
		return 0
	}
	days := newest.Sub(pub).Hours() / 24
	return math.Exp2(-days / 30)
}

// readHits loads the candidates' paragraphs and articles, keeping BM25 as
// the starting score. Documents deleted since scoring are dropped.
func readHits(ctx context.Context, q Reader, cands []candidate) ([]retrieval.Hit, map[string]uint64, error) {
	docs := make([]int64, len(cands))
	scores := make([]float64, len(cands))
	for i, c := range cands {
		docs[i], scores[i] = c.seg.docs[c.ord], c.score
	}
	return readDocs(ctx, q, docs, scores)
}

// readDocs loads the paragraphs and articles of docs, with scores[i] as
// the score of docs[i], in document order (which decides ties).
func readDocs(ctx context.Context, q Reader, docs []int64, scores []float64) ([]retrieval.Hit, map[string]uint64, error) {
	byDoc := make(map[int64]float64, len(docs))
	for i, doc := range docs {
		byDoc[doc] = scores[i]
	}
	type row struct {
		doc int64
		hit retrieval.Hit
	}
	var rows []row
	sims := map[string]uint64{}
	err := q.Docs(ctx, docs, func(d DocRow) {
		h := retrieval.Hit{Paragraph: d.N, Text: d.Text, Score: byDoc[d.Doc]}
		h.Article = retrieval.Article{ID: d.ArticleID, URL: d.URL, Title: d.Title, Outlet: d.Outlet, Author: d.Author,
			Category: d.Category, Feed: d.Feed, Published: d.Published, Updated: d.Updated, Indexed: d.Indexed}
		sims[d.ArticleID] = d.Simhash
		rows = append(rows, row{d.Doc, h})
	})
	if err != nil {
		return nil, nil, fmt.Errorf("read candidates: %w", err)
	}
	slices.SortFunc(rows, func(a, b row) int { return cmp.Compare(a.doc, b.doc) })
	hits := make([]retrieval.Hit, len(rows))
	for i, r := range rows {
		hits[i] = r.hit
	}
	return hits, sims, nil
}

// addNeighbours fills Before and After for each hit.
func addNeighbours(ctx context.Context, q Reader, hits []retrieval.Hit) error {
	refs := make([]ParagraphRef, 0, 2*len(hits))
	for _, h := range hits {
		refs = append(refs, ParagraphRef{h.Article.ID, h.Paragraph - 1}, ParagraphRef{h.Article.ID, h.Paragraph + 1})
	}
	err := q.Paragraphs(ctx, refs, func(i int, text string) {
		if h := &hits[i/2]; i%2 == 0 {
			h.Before = text
		} else {
			h.After = text
		}
	})
	if err != nil {
		return fmt.Errorf("read context: %w", err)
	}
	return nil
}
