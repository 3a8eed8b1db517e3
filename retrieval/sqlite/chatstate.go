package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"
)

// pruneMin is the fewest expired rows SaveStates deletes, when that
// many exist; it deletes at least twice as many as it writes, so the
// table never outgrows what is unexpired.
const pruneMin = 1000

// LoadState returns the value stored under ns and key and when it
// expires; ok is false when there is none or it expired by now.
func (ix *Index) LoadState(ctx context.Context, ns, key string, now time.Time) (value []byte, expires time.Time, ok bool, err error) {
	var ms int64
	err = ix.db.QueryRowContext(ctx, `SELECT value, expires FROM chat_state WHERE ns = ? AND key = ? AND expires > ?`,
		ns, key, now.UnixMilli()).Scan(&value, &ms)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, time.Time{}, false, nil
	}
	if err != nil {
		return nil, time.Time{}, false, fmt.Errorf("load chat state %s/%s: %w", ns, key, explain(err))
	}
	return value, time.UnixMilli(ms), true, nil
}

// SaveStates stores entries, replacing earlier values under the same
// namespace and key, in one transaction (one fsync, however many), and
// deletes a bounded number of expired rows.
func (ix *Index) SaveStates(ctx context.Context, entries []ChatState) error {
	if len(entries) == 0 {
		return nil
	}
	if err := ix.saveStates(ctx, entries); err != nil {
		return fmt.Errorf("save chat state (%d entries): %w", len(entries), explain(err))
	}
	return nil
}

func (ix *Index) saveStates(ctx context.Context, entries []ChatState) error {
	tx, err := ix.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	// Pruning first keeps rows just written even when the caller's clock
	// lags this one; LoadState ignores expired rows anyway.
	if err := pruneStates(ctx, tx, ix.now(), max(pruneMin, 2*len(entries))); err != nil {
		return err
	}
	stmt, err := tx.PrepareContext(ctx, `
		INSERT INTO chat_state(ns, key, value, expires) VALUES (?, ?, ?, ?)
		ON CONFLICT(ns, key) DO UPDATE SET value = excluded.value, expires = excluded.expires`)
	if err != nil {
		return err
	}
	defer stmt.Close()
	for _, e := range entries {
		value := e.Value
		if value == nil {
			value = []byte{} // NOT NULL: nil would bind as NULL
		}
		if _, err := stmt.ExecContext(ctx, e.NS, e.Key, value, e.Expires.UnixMilli()); err != nil {
			return err
		}
	}
	return tx.Commit()
}

// pruneStates deletes up to limit rows expired by now. The table has no
// rowid, so the rows are picked by their key through the expires index.
func pruneStates(ctx context.Context, tx *sql.Tx, now time.Time, limit int) error {
	_, err := tx.ExecContext(ctx, `
		DELETE FROM chat_state WHERE (ns, key) IN (
			SELECT ns, key FROM chat_state WHERE expires <= ? LIMIT ?)`, now.UnixMilli(), limit)
	return err
}
