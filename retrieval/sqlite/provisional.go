package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
)

// Provisional articles (the built-in samples) are listed in meta as
// "provisional:<ID>" rows, so no migration is needed for them.
const provisionalKey = "provisional:"

// settleProvisional runs at the end of an index call: a provisional call
// lists what it added; any other call that added or replaced an article
// removes the provisional ones, which real articles now supersede.
func (w *Writer) settleProvisional() error {
	if w.provisional {
		for _, id := range w.added {
			if _, err := w.tx.ExecContext(w.ctx, `INSERT OR REPLACE INTO meta(key, value) VALUES (?, 1)`, provisionalKey+id); err != nil {
				return fmt.Errorf("mark %s provisional: %w", id, err)
			}
		}
		return nil
	}
	if w.res.Added+w.res.Replaced == 0 {
		return nil
	}
	ids, err := provisionalIDs(w.ctx, w.tx)
	if err != nil {
		return err
	}
	for _, id := range ids {
		if err := removeByExtID(w.ctx, w.tx, id); err != nil {
			return err
		}
	}
	_, err = w.tx.ExecContext(w.ctx, `DELETE FROM meta WHERE key >= ? AND key < ?`, provisionalKey, provisionalEnd)
	return err
}

// provisionalEnd is the first key after every "provisional:…" key.
const provisionalEnd = "provisional;"

func provisionalIDs(ctx context.Context, q querier) ([]string, error) {
	rows, err := q.QueryContext(ctx, `SELECT key FROM meta WHERE key >= ? AND key < ?`, provisionalKey, provisionalEnd)
	if err != nil {
		return nil, fmt.Errorf("list provisional articles: %w", err)
	}
	defer rows.Close()
	var ids []string
	for rows.Next() {
		var k string
		if err := rows.Scan(&k); err != nil {
			return nil, err
		}
		ids = append(ids, strings.TrimPrefix(k, provisionalKey))
	}
	return ids, rows.Err()
}

// removeByExtID removes the article with ID id, if it is still there.
func removeByExtID(ctx context.Context, tx *sql.Tx, id string) error {
	var row int64
	err := tx.QueryRowContext(ctx, `SELECT id FROM articles WHERE ext_id = ?`, id).Scan(&row)
	if errors.Is(err, sql.ErrNoRows) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("remove %s: %w", id, err)
	}
	return removeArticle(ctx, tx, row)
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
