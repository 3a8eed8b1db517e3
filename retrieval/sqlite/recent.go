package sqlite

import (
	"context"
	"fmt"
	"math"
	"time"

	"github.com/byline-news/byline/retrieval"
)

// Recent returns the newest articles published in [since, until) (zero
// bounds are open), at most n stories, newest first, each as a hit on
// its first paragraph. A story several outlets carry counts once, as in
// Search. Undated articles are left out: nothing places them in time.
func (ix *Index) Recent(ctx context.Context, since, until time.Time, n int) ([]retrieval.Hit, error) {
	lo, hi := int64(math.MinInt64), int64(math.MaxInt64)
	if !since.IsZero() {
		lo = since.Unix()
	}
	if !until.IsZero() {
		hi = until.Unix() - 1
	}
	// Read a few more than asked, since copies fold into one story.
	rows, err := ix.db.QueryContext(ctx, `
		SELECT a.ext_id, a.url, a.title, a.outlet, a.author, a.category, a.published, a.indexed, a.paragraphs, a.updated,
		       a.simhash, p.text, coalesce((SELECT q.text FROM paragraphs q WHERE q.article = a.id AND q.n = 1), '')
		FROM articles a JOIN paragraphs p ON p.article = a.id AND p.n = 0
		WHERE a.published BETWEEN ? AND ?
		ORDER BY a.published DESC, a.ext_id LIMIT ?`, lo, hi, 3*n)
	if err != nil {
		return nil, fmt.Errorf("recent articles: %w", explain(err))
	}
	defer rows.Close()
	var hits []retrieval.Hit
	sims := map[string]uint64{}
	for rows.Next() {
		var h retrieval.Hit
		var sim int64
		a, _, err := scanArticle(rowScanner(func(dest ...any) error {
			return rows.Scan(append(dest, &sim, &h.Text, &h.After)...)
		}))
		if err != nil {
			return nil, fmt.Errorf("recent articles: %w", explain(err))
		}
		h.Article = a
		sims[a.ID] = uint64(sim)
		hits = append(hits, h)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("recent articles: %w", explain(err))
	}
	hits = collapseCopies(hits, sims)
	return hits[:min(n, len(hits))], nil
}

// rowScanner adapts a function to the scanner interface.
type rowScanner func(dest ...any) error

func (f rowScanner) Scan(dest ...any) error { return f(dest...) }
