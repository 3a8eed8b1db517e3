package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/byline-news/byline/retrieval"
)

// AddFeed subscribes to url, polled every every; adding it again only
// changes the interval. The first poll is due at once.
func (ix *Index) AddFeed(ctx context.Context, url string, every time.Duration, now time.Time) error {
	_, err := ix.db.ExecContext(ctx, `
		INSERT INTO feeds(url, every_s, added, next_poll) VALUES (?, ?, ?, ?)
		ON CONFLICT(url) DO UPDATE SET every_s = excluded.every_s`,
		url, int64(every.Seconds()), now.Unix(), now.Unix())
	if err != nil {
		return fmt.Errorf("add feed %s: %w", url, explain(err))
	}
	return nil
}

// RemoveFeed unsubscribes; articles already indexed stay.
func (ix *Index) RemoveFeed(ctx context.Context, url string) error {
	res, err := ix.db.ExecContext(ctx, `DELETE FROM feeds WHERE url = ?`, url)
	if err != nil {
		return fmt.Errorf("remove feed %s: %w", url, explain(err))
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return fmt.Errorf("remove feed %s: %w", url, retrieval.ErrNotFound)
	}
	return nil
}

const feedColumns = `url, title, every_s, etag, last_modified, added, last_polled, next_poll, failures, last_error, articles`

// Feeds returns every subscribed feed, by URL.
func (ix *Index) Feeds(ctx context.Context) ([]FeedState, error) {
	return ix.queryFeeds(ctx, `SELECT `+feedColumns+` FROM feeds ORDER BY url`)
}

// DueFeeds returns the feeds whose next poll is at or before now.
func (ix *Index) DueFeeds(ctx context.Context, now time.Time) ([]FeedState, error) {
	return ix.queryFeeds(ctx, `SELECT `+feedColumns+` FROM feeds WHERE next_poll <= ? ORDER BY next_poll`, now.Unix())
}

// Feed returns one feed.
func (ix *Index) Feed(ctx context.Context, url string) (FeedState, error) {
	fs, err := ix.queryFeeds(ctx, `SELECT `+feedColumns+` FROM feeds WHERE url = ?`, url)
	if err != nil {
		return FeedState{}, err
	}
	if len(fs) == 0 {
		return FeedState{}, fmt.Errorf("feed %s: %w", url, retrieval.ErrNotFound)
	}
	return fs[0], nil
}

func (ix *Index) queryFeeds(ctx context.Context, q string, args ...any) ([]FeedState, error) {
	rows, err := ix.db.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("read feeds: %w", explain(err))
	}
	defer rows.Close()
	var out []FeedState
	for rows.Next() {
		var f FeedState
		var every, added, next int64
		var polled sql.NullInt64
		if err := rows.Scan(&f.URL, &f.Title, &every, &f.ETag, &f.LastModified, &added, &polled, &next,
			&f.Failures, &f.LastError, &f.Articles); err != nil {
			return nil, fmt.Errorf("read feeds: %w", err)
		}
		f.Every, f.Added, f.LastPolled, f.NextPoll = time.Duration(every)*time.Second, timeUnix(added), fromNull(polled), timeUnix(next)
		out = append(out, f)
	}
	return out, rows.Err()
}

// SaveFeedState records the outcome of a poll. The feed must exist: a
// feed removed while it was being polled stays removed.
func (ix *Index) SaveFeedState(ctx context.Context, f FeedState) error {
	res, err := ix.db.ExecContext(ctx, `
		UPDATE feeds SET title = ?, etag = ?, last_modified = ?, last_polled = ?, next_poll = ?,
		       failures = ?, last_error = ?, articles = ?
		WHERE url = ?`,
		f.Title, f.ETag, f.LastModified, nullTime(f.LastPolled), f.NextPoll.Unix(), f.Failures, f.LastError, f.Articles, f.URL)
	if err != nil {
		return fmt.Errorf("save feed %s: %w", f.URL, explain(err))
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return fmt.Errorf("save feed %s: %w", f.URL, retrieval.ErrNotFound)
	}
	return nil
}
