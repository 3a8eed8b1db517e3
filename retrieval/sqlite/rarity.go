package sqlite

import (
	"context"
	"fmt"

	"github.com/byline-news/byline/retrieval"
)

// Rarity returns how rare each of terms (analysed terms, as
// analysis.Terms gives them) is among the indexed paragraphs, from 0
// (in every paragraph) to 1 (in none); see retrieval.Rarity. Answers use
// it to tell which of a question's words matter.
func (ix *Index) Rarity(ctx context.Context, terms []string) (map[string]float64, error) {
	conn, err := ix.snapshot(ctx)
	if err != nil {
		return nil, err
	}
	defer release(conn)
	st, err := ix.current(ctx, conn)
	if err != nil {
		return nil, err
	}
	out := make(map[string]float64, len(terms))
	for _, t := range terms {
		if _, ok := out[t]; ok {
			continue
		}
		var df int64
		if err := conn.QueryRowContext(ctx, `SELECT coalesce(sum(df), 0) FROM postings WHERE term = ?`, t).Scan(&df); err != nil {
			return nil, fmt.Errorf("rarity of %q: %w", t, explain(err))
		}
		out[t] = retrieval.Rarity(df, st.docs)
	}
	return out, nil
}
