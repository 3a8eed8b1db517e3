package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"math"
	"slices"
	"strings"
	"time"

	"github.com/byline-news/byline/retrieval"
	"github.com/byline-news/byline/retrieval/analysis"
)

// rerank reads the candidates' text and adds what BM25 cannot see: the
// question's word pairs appearing as phrases ("Liang Guanglie", "South
// China Sea"), and a small preference for newer articles. It returns the
// candidates in the date range, best first, with their articles'
// fingerprints for collapseCopies.
func (ix *Index) rerank(ctx context.Context, q querier, query retrieval.Query, qts []*queryTerm, cands []candidate) ([]retrieval.Hit, map[string]uint64, error) {
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
func finish(ctx context.Context, q querier, query retrieval.Query, hits []retrieval.Hit, sims map[string]uint64) ([]retrieval.Hit, error) {
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
func readHits(ctx context.Context, q querier, cands []candidate) ([]retrieval.Hit, map[string]uint64, error) {
	docs := make([]int64, len(cands))
	scores := make([]float64, len(cands))
	for i, c := range cands {
		docs[i], scores[i] = c.seg.docs[c.ord], c.score
	}
	return readDocs(ctx, q, docs, scores)
}

// readDocs loads the paragraphs and articles of docs, with scores[i] as
// the score of docs[i], in the order SQLite returns them.
func readDocs(ctx context.Context, q querier, docs []int64, scores []float64) ([]retrieval.Hit, map[string]uint64, error) {
	byDoc := make(map[int64]float64, len(docs))
	args := make([]any, len(docs))
	for i, doc := range docs {
		byDoc[doc] = scores[i]
		args[i] = doc
	}
	rows, err := q.QueryContext(ctx, `
		SELECT p.doc, p.n, p.text, a.ext_id, a.url, a.title, a.outlet, a.author, a.category, a.published, a.indexed, a.simhash, a.updated
		FROM paragraphs p JOIN articles a ON a.id = p.article
		WHERE p.doc IN (`+placeholders(len(args))+`)`, args...)
	if err != nil {
		return nil, nil, fmt.Errorf("read candidates: %w", explain(err))
	}
	defer rows.Close()
	var hits []retrieval.Hit
	sims := map[string]uint64{}
	for rows.Next() {
		var doc int64
		var h retrieval.Hit
		var pub, updated sql.NullInt64
		var indexed, sim int64
		a := &h.Article
		if err := rows.Scan(&doc, &h.Paragraph, &h.Text, &a.ID, &a.URL, &a.Title, &a.Outlet, &a.Author, &a.Category, &pub, &indexed, &sim, &updated); err != nil {
			return nil, nil, err
		}
		a.Updated = fromNull(updated)
		sims[a.ID] = uint64(sim)
		a.Published = fromNull(pub)
		a.Indexed = timeUnix(indexed)
		h.Score = byDoc[doc]
		hits = append(hits, h)
	}
	return hits, sims, rows.Err()
}

func fromNull(n sql.NullInt64) time.Time {
	if !n.Valid {
		return time.Time{}
	}
	return time.Unix(n.Int64, 0).UTC()
}

func placeholders(n int) string {
	return strings.TrimSuffix(strings.Repeat("?,", n), ",")
}

// addNeighbours fills Before and After for each hit.
func addNeighbours(ctx context.Context, q querier, hits []retrieval.Hit) error {
	for i := range hits {
		h := &hits[i]
		rows, err := q.QueryContext(ctx, `
			SELECT p.n, p.text FROM paragraphs p JOIN articles a ON a.id = p.article
			WHERE a.ext_id = ? AND p.n IN (?, ?)`, h.Article.ID, h.Paragraph-1, h.Paragraph+1)
		if err != nil {
			return fmt.Errorf("read context: %w", explain(err))
		}
		for rows.Next() {
			var n int
			var text string
			if err := rows.Scan(&n, &text); err != nil {
				rows.Close()
				return err
			}
			if n < h.Paragraph {
				h.Before = text
			} else {
				h.After = text
			}
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
	}
	return nil
}

func timeUnix(sec int64) time.Time { return time.Unix(sec, 0).UTC() }
