package sqlite

import (
	"context"
	"fmt"
	"time"
)

// claimPrune is how many expired claims a Claim deletes at most, so the
// table stays the size of what is unexpired.
const claimPrune = 16

// Claim records that ns/key is being handled, until expires; it reports
// false when an unexpired claim exists already (another handler, or an
// earlier delivery, has it). Chat events delivered twice are handled
// once this way. now is the caller's clock.
func (ix *Index) Claim(ctx context.Context, ns, key string, now, expires time.Time) (bool, error) {
	ok, err := ix.claim(ctx, ns, key, now, expires)
	if err != nil {
		return false, fmt.Errorf("claim %s/%s: %w", ns, key, explain(err))
	}
	return ok, nil
}

func (ix *Index) claim(ctx context.Context, ns, key string, now, expires time.Time) (bool, error) {
	tx, err := ix.db.BeginTx(ctx, nil)
	if err != nil {
		return false, err
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, `DELETE FROM claims WHERE (ns, key) IN (
		SELECT ns, key FROM claims WHERE expires <= ? LIMIT ?)`, now.UnixMilli(), claimPrune); err != nil {
		return false, err
	}
	res, err := tx.ExecContext(ctx, `INSERT INTO claims(ns, key, expires) VALUES (?, ?, ?)
		ON CONFLICT(ns, key) DO UPDATE SET expires = excluded.expires WHERE claims.expires <= ?`,
		ns, key, expires.UnixMilli(), now.UnixMilli())
	if err != nil {
		return false, err
	}
	n, err := res.RowsAffected()
	if err != nil {
		return false, err
	}
	return n == 1, tx.Commit()
}

// Lease gives the lease name to holder until expires, and reports
// whether it did: it does when nobody holds it, when its holder's lease
// expired by now, or when holder holds it already (a renewal).
func (ix *Index) Lease(ctx context.Context, name, holder string, now, expires time.Time) (bool, error) {
	res, err := ix.db.ExecContext(ctx, `INSERT INTO leases(name, holder, expires) VALUES (?, ?, ?)
		ON CONFLICT(name) DO UPDATE SET holder = excluded.holder, expires = excluded.expires
		WHERE leases.holder = excluded.holder OR leases.expires <= ?`,
		name, holder, expires.UnixMilli(), now.UnixMilli())
	if err != nil {
		return false, fmt.Errorf("lease %s: %w", name, explain(err))
	}
	n, err := res.RowsAffected()
	if err != nil {
		return false, fmt.Errorf("lease %s: %w", name, explain(err))
	}
	return n == 1, nil
}

// ReleaseLease ends holder's lease on name; it does nothing when holder
// does not hold it.
func (ix *Index) ReleaseLease(ctx context.Context, name, holder string) error {
	if _, err := ix.db.ExecContext(ctx, `DELETE FROM leases WHERE name = ? AND holder = ?`, name, holder); err != nil {
		return fmt.Errorf("release lease %s: %w", name, explain(err))
	}
	return nil
}
