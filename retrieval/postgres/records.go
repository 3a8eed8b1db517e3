package postgres

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/byline-news/byline/retrieval"
	"github.com/jackc/pgx/v5"
)

// Chat state, feedback, feeds, claims and leases: the records a byline
// database keeps beside the index (see package retrieval).

// pruneMin is the fewest expired rows SaveStates deletes, when that many
// exist; it deletes at least twice as many as it writes, so the table
// never outgrows what is unexpired.
const pruneMin = 1000

// LoadState returns the value stored under ns and key and when it
// expires; ok is false when there is none or it expired by now.
func (ix *Index) LoadState(ctx context.Context, ns, key string, now time.Time) (value []byte, expires time.Time, ok bool, err error) {
	var ms int64
	err = ix.pool.QueryRow(ctx, `SELECT value, expires FROM chat_state WHERE ns = $1 AND key = $2 AND expires > $3`,
		ns, key, now.UnixMilli()).Scan(&value, &ms)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, time.Time{}, false, nil
	}
	if err != nil {
		return nil, time.Time{}, false, fmt.Errorf("load chat state %s/%s: %w", ns, key, explain(err))
	}
	return value, time.UnixMilli(ms), true, nil
}

// SaveStates stores entries, replacing earlier values under the same
// namespace and key, in one transaction, and deletes a bounded number
// of expired rows.
func (ix *Index) SaveStates(ctx context.Context, entries []retrieval.ChatState) error {
	if len(entries) == 0 {
		return nil
	}
	n := len(entries)
	nss, keys, values, expires := make([]string, n), make([]string, n), make([][]byte, n), make([]int64, n)
	for i, e := range entries {
		nss[i], keys[i], values[i], expires[i] = e.NS, e.Key, e.Value, e.Expires.UnixMilli()
		if values[i] == nil {
			values[i] = []byte{} // NOT NULL
		}
	}
	err := pgx.BeginFunc(ctx, ix.pool, func(tx pgx.Tx) error {
		// Pruning first keeps rows just written even when the caller's
		// clock lags this one; LoadState ignores expired rows anyway.
		if _, err := tx.Exec(ctx, `DELETE FROM chat_state WHERE ctid = ANY(ARRAY(
			SELECT ctid FROM chat_state WHERE expires <= $1 LIMIT $2))`, ix.now().UnixMilli(), max(pruneMin, 2*n)); err != nil {
			return err
		}
		// The last value of a key repeated in one batch wins, as in SQLite.
		_, err := tx.Exec(ctx, `INSERT INTO chat_state(ns, key, value, expires)
			SELECT DISTINCT ON (ns, key) ns, key, value, expires
			FROM unnest($1::text[], $2::text[], $3::bytea[], $4::bigint[]) WITH ORDINALITY AS e(ns, key, value, expires, i)
			ORDER BY ns, key, i DESC
			ON CONFLICT (ns, key) DO UPDATE SET value = excluded.value, expires = excluded.expires`, nss, keys, values, expires)
		return err
	})
	if err != nil {
		return fmt.Errorf("save chat state (%d entries): %w", n, explain(err))
	}
	return nil
}

// SaveFeedback stores f.
func (ix *Index) SaveFeedback(ctx context.Context, f retrieval.Feedback) error {
	sources, err := json.Marshal(f.Sources)
	if err != nil {
		return fmt.Errorf("save feedback: %w", err)
	}
	if f.Sources == nil {
		sources = []byte("[]")
	}
	_, err = ix.pool.Exec(ctx, `
		INSERT INTO feedback(at, platform, workspace, channel, "user", question, answer, sources, helpful)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
		f.At.Unix(), f.Platform, f.Workspace, f.Channel, f.User, f.Question, f.Answer, string(sources), f.Helpful)
	if err != nil {
		return fmt.Errorf("save feedback: %w", explain(err))
	}
	return nil
}

// ListFeedback calls fn for each stored feedback, newest first.
func (ix *Index) ListFeedback(ctx context.Context, fn func(retrieval.Feedback) error) error {
	rows, err := ix.pool.Query(ctx, `
		SELECT at, platform, workspace, channel, "user", question, answer, sources, helpful
		FROM feedback ORDER BY at DESC, id DESC`)
	if err != nil {
		return fmt.Errorf("list feedback: %w", explain(err))
	}
	defer rows.Close()
	for rows.Next() {
		var f retrieval.Feedback
		var at int64
		var sources string
		if err := rows.Scan(&at, &f.Platform, &f.Workspace, &f.Channel, &f.User, &f.Question, &f.Answer, &sources, &f.Helpful); err != nil {
			return fmt.Errorf("list feedback: %w", err)
		}
		f.At = unix(at)
		if err := json.Unmarshal([]byte(sources), &f.Sources); err != nil {
			return fmt.Errorf("list feedback: sources of %v: %w", f.At, err)
		}
		if err := fn(f); err != nil {
			return err
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("list feedback: %w", explain(err))
	}
	return nil
}

// AddFeed subscribes to url, polled every every; adding it again only
// changes the interval. The first poll is due at once.
func (ix *Index) AddFeed(ctx context.Context, url string, every time.Duration, now time.Time) error {
	_, err := ix.pool.Exec(ctx, `
		INSERT INTO feeds(url, every_s, added, next_poll) VALUES ($1, $2, $3, $4)
		ON CONFLICT (url) DO UPDATE SET every_s = excluded.every_s`,
		url, int64(every.Seconds()), now.Unix(), now.Unix())
	if err != nil {
		return fmt.Errorf("add feed %s: %w", url, explain(err))
	}
	return nil
}

// RemoveFeed unsubscribes; articles already indexed stay.
func (ix *Index) RemoveFeed(ctx context.Context, url string) error {
	tag, err := ix.pool.Exec(ctx, `DELETE FROM feeds WHERE url = $1`, url)
	if err != nil {
		return fmt.Errorf("remove feed %s: %w", url, explain(err))
	}
	if tag.RowsAffected() == 0 {
		return fmt.Errorf("remove feed %s: %w", url, retrieval.ErrNotFound)
	}
	return nil
}

const feedColumns = `url, title, every_s, etag, last_modified, added, last_polled, next_poll, failures, last_error, articles`

// Feeds returns every subscribed feed, by URL.
func (ix *Index) Feeds(ctx context.Context) ([]retrieval.FeedState, error) {
	return ix.queryFeeds(ctx, `SELECT `+feedColumns+` FROM feeds ORDER BY url COLLATE "C"`)
}

// DueFeeds returns the feeds whose next poll is at or before now.
func (ix *Index) DueFeeds(ctx context.Context, now time.Time) ([]retrieval.FeedState, error) {
	return ix.queryFeeds(ctx, `SELECT `+feedColumns+` FROM feeds WHERE next_poll <= $1 ORDER BY next_poll, url COLLATE "C"`, now.Unix())
}

// Feed returns one feed.
func (ix *Index) Feed(ctx context.Context, url string) (retrieval.FeedState, error) {
	fs, err := ix.queryFeeds(ctx, `SELECT `+feedColumns+` FROM feeds WHERE url = $1`, url)
	if err != nil {
		return retrieval.FeedState{}, err
	}
	if len(fs) == 0 {
		return retrieval.FeedState{}, fmt.Errorf("feed %s: %w", url, retrieval.ErrNotFound)
	}
	return fs[0], nil
}

func (ix *Index) queryFeeds(ctx context.Context, q string, args ...any) ([]retrieval.FeedState, error) {
	rows, err := ix.pool.Query(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("read feeds: %w", explain(err))
	}
	var out []retrieval.FeedState
	var f retrieval.FeedState
	var every, added, next int64
	var polled *int64
	_, err = pgx.ForEachRow(rows, []any{&f.URL, &f.Title, &every, &f.ETag, &f.LastModified, &added, &polled, &next,
		&f.Failures, &f.LastError, &f.Articles}, func() error {
		f.Every, f.Added, f.LastPolled, f.NextPoll = time.Duration(every)*time.Second, unix(added), fromNull(polled), unix(next)
		out = append(out, f)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("read feeds: %w", explain(err))
	}
	return out, nil
}

// SaveFeedState records the outcome of a poll. The feed must exist: a
// feed removed while it was being polled stays removed.
func (ix *Index) SaveFeedState(ctx context.Context, f retrieval.FeedState) error {
	tag, err := ix.pool.Exec(ctx, `
		UPDATE feeds SET title = $1, etag = $2, last_modified = $3, last_polled = $4, next_poll = $5,
		       failures = $6, last_error = $7, articles = $8
		WHERE url = $9`,
		f.Title, f.ETag, f.LastModified, nullTime(f.LastPolled), f.NextPoll.Unix(), f.Failures, f.LastError, f.Articles, f.URL)
	if err != nil {
		return fmt.Errorf("save feed %s: %w", f.URL, explain(err))
	}
	if tag.RowsAffected() == 0 {
		return fmt.Errorf("save feed %s: %w", f.URL, retrieval.ErrNotFound)
	}
	return nil
}

// claimPrune is how many expired claims a Claim deletes at most.
const claimPrune = 16

// Claim records that ns/key is being handled, until expires; it reports
// false when an unexpired claim exists already (another replica, or an
// earlier delivery, has it). Of concurrent claims, one wins.
//
// It is one statement, so one round trip: a replica claims every
// delivery before answering it. The prune spares the key being claimed,
// which the statement may renew.
func (ix *Index) Claim(ctx context.Context, ns, key string, now, expires time.Time) (bool, error) {
	tag, err := ix.pool.Exec(ctx, `
		WITH pruned AS (
			DELETE FROM claims WHERE ctid = ANY(ARRAY(
				SELECT ctid FROM claims WHERE expires <= $4 AND NOT (ns = $1 AND key = $2) LIMIT $5 FOR UPDATE SKIP LOCKED)))
		INSERT INTO claims(ns, key, expires) VALUES ($1, $2, $3)
		ON CONFLICT (ns, key) DO UPDATE SET expires = excluded.expires WHERE claims.expires <= $4`,
		ns, key, expires.UnixMilli(), now.UnixMilli(), claimPrune)
	if err != nil {
		return false, fmt.Errorf("claim %s/%s: %w", ns, key, explain(err))
	}
	return tag.RowsAffected() == 1, nil
}

// Lease gives the lease name to holder until expires, and reports
// whether it did: it does when nobody holds it, when its holder's lease
// expired by now, or when holder holds it already (a renewal).
func (ix *Index) Lease(ctx context.Context, name, holder string, now, expires time.Time) (bool, error) {
	tag, err := ix.pool.Exec(ctx, `INSERT INTO leases(name, holder, expires) VALUES ($1, $2, $3)
		ON CONFLICT (name) DO UPDATE SET holder = excluded.holder, expires = excluded.expires
		WHERE leases.holder = excluded.holder OR leases.expires <= $4`,
		name, holder, expires.UnixMilli(), now.UnixMilli())
	if err != nil {
		return false, fmt.Errorf("lease %s: %w", name, explain(err))
	}
	return tag.RowsAffected() == 1, nil
}

// ReleaseLease ends holder's lease on name; it does nothing when holder
// does not hold it.
func (ix *Index) ReleaseLease(ctx context.Context, name, holder string) error {
	if _, err := ix.pool.Exec(ctx, `DELETE FROM leases WHERE name = $1 AND holder = $2`, name, holder); err != nil {
		return fmt.Errorf("release lease %s: %w", name, explain(err))
	}
	return nil
}
