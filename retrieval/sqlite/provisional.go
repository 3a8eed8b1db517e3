package sqlite

import (
	"context"
	"fmt"
	"strings"
)

// Provisional articles (the built-in samples) are listed in meta as
// "provisional:<ID>" rows, so no migration is needed for them.
const (
	provisionalKey = "provisional:"
	provisionalEnd = "provisional;" // the first key after every "provisional:…" key
)

func (t *writeTx) MarkProvisional(ctx context.Context, ids []string) error {
	for _, id := range ids {
		if _, err := t.tx.ExecContext(ctx, `INSERT OR REPLACE INTO meta(key, value) VALUES (?, 1)`, provisionalKey+id); err != nil {
			return fmt.Errorf("mark %s: %w", id, explain(err))
		}
	}
	return nil
}

func (t *writeTx) ProvisionalIDs(ctx context.Context) ([]string, error) {
	rows, err := t.tx.QueryContext(ctx, `SELECT key FROM meta WHERE key >= ? AND key < ?`, provisionalKey, provisionalEnd)
	if err != nil {
		return nil, explain(err)
	}
	defer rows.Close()
	var ids []string
	for rows.Next() {
		var k string
		if err := rows.Scan(&k); err != nil {
			return nil, explain(err)
		}
		ids = append(ids, strings.TrimPrefix(k, provisionalKey))
	}
	return ids, explain(rows.Err())
}

func (t *writeTx) UnmarkProvisional(ctx context.Context, ids []string) error {
	if ids == nil {
		_, err := t.tx.ExecContext(ctx, `DELETE FROM meta WHERE key >= ? AND key < ?`, provisionalKey, provisionalEnd)
		return explain(err)
	}
	for _, id := range ids {
		if _, err := t.tx.ExecContext(ctx, `DELETE FROM meta WHERE key = ?`, provisionalKey+id); err != nil {
			return explain(err)
		}
	}
	return nil
}

// Provisional returns how many provisional articles (see
// Writer.Provisional) the index still holds.
func (ix *Index) Provisional(ctx context.Context) (int, error) {
	var n int
	err := ix.db.QueryRowContext(ctx, `SELECT count(*) FROM articles WHERE ext_id IN
		(SELECT substr(key, ?) FROM meta WHERE key >= ? AND key < ?)`, len(provisionalKey)+1, provisionalKey, provisionalEnd).Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("count provisional articles: %w", explain(err))
	}
	return n, nil
}

// Pristine reports whether no article was ever indexed here: not even
// one since deleted. Only such a database gets the sample articles.
func (ix *Index) Pristine(ctx context.Context) (bool, error) {
	var next int64
	if err := ix.db.QueryRowContext(ctx, `SELECT value FROM meta WHERE key = 'next_doc'`).Scan(&next); err != nil {
		return false, fmt.Errorf("read index state: %w", explain(err))
	}
	return next == 1, nil
}
