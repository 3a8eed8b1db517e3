package postgres

import (
	"context"
	"fmt"
	"strings"

	"github.com/jackc/pgx/v5"
)

// Provisional articles (the built-in samples) are listed in meta as
// "provisional:<ID>" rows, as in SQLite, so byline migrate carries them.
// starts_with, not a key range: the column's collation may not order
// punctuation byte-wise.
const provisionalKey = "provisional:"

func (t *writeTx) MarkProvisional(ctx context.Context, ids []string) error {
	if err := t.flush(ctx); err != nil {
		return err
	}
	keys := make([]string, len(ids))
	for i, id := range ids {
		keys[i] = provisionalKey + id
	}
	_, err := t.tx.Exec(ctx, `INSERT INTO meta(key, value) SELECT unnest($1::text[]), 1 ON CONFLICT (key) DO NOTHING`, keys)
	return explain(err)
}

func (t *writeTx) ProvisionalIDs(ctx context.Context) ([]string, error) {
	if err := t.flush(ctx); err != nil {
		return nil, err
	}
	rows, err := t.tx.Query(ctx, `SELECT key FROM meta WHERE starts_with(key, $1)`, provisionalKey)
	if err != nil {
		return nil, explain(err)
	}
	keys, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		return nil, explain(err)
	}
	for i, k := range keys {
		keys[i] = strings.TrimPrefix(k, provisionalKey)
	}
	return keys, nil
}

func (t *writeTx) UnmarkProvisional(ctx context.Context, ids []string) error {
	if ids == nil {
		_, err := t.tx.Exec(ctx, `DELETE FROM meta WHERE starts_with(key, $1)`, provisionalKey)
		return explain(err)
	}
	keys := make([]string, len(ids))
	for i, id := range ids {
		keys[i] = provisionalKey + id
	}
	_, err := t.tx.Exec(ctx, `DELETE FROM meta WHERE key = ANY($1)`, keys)
	return explain(err)
}

// Provisional returns how many provisional articles (see
// Writer.Provisional) the index still holds.
func (ix *Index) Provisional(ctx context.Context) (int, error) {
	var n int
	err := ix.pool.QueryRow(ctx, `SELECT count(*) FROM articles WHERE ext_id IN
		(SELECT substr(key, $2) FROM meta WHERE starts_with(key, $1))`, provisionalKey, len(provisionalKey)+1).Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("count provisional articles: %w", explain(err))
	}
	return n, nil
}

// Pristine reports whether no article was ever indexed here: not even
// one since deleted.
func (ix *Index) Pristine(ctx context.Context) (bool, error) {
	var next int64
	if err := ix.pool.QueryRow(ctx, `SELECT value FROM meta WHERE key = 'next_doc'`).Scan(&next); err != nil {
		return false, fmt.Errorf("read index state: %w", explain(err))
	}
	return next == 1, nil
}
