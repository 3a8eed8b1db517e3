package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/byline-news/byline/retrieval"
)

// AddWatch stores w, giving it an ID and, as its FromDoc, the newest
// article's first document number, so that it matches only news.
func (ix *Index) AddWatch(ctx context.Context, w retrieval.Watch) (retrieval.Watch, error) {
	tx, err := ix.db.BeginTx(ctx, nil)
	if err != nil {
		return w, fmt.Errorf("add watch: %w", explain(err))
	}
	defer tx.Rollback()
	if err := tx.QueryRowContext(ctx, `SELECT coalesce(max(first_doc), 0) FROM articles`).Scan(&w.FromDoc); err != nil {
		return w, fmt.Errorf("add watch: %w", explain(err))
	}
	err = tx.QueryRowContext(ctx, `INSERT INTO watches(platform, workspace, channel, topic, added_by, created, from_doc)
		VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id`, w.Platform, w.Workspace, w.Channel, w.Topic, w.AddedBy,
		w.Created.Unix(), w.FromDoc).Scan(&w.ID)
	if err == nil {
		_, err = tx.ExecContext(ctx, `UPDATE meta SET value = value + 1 WHERE key = 'watches'`)
	}
	if err == nil {
		err = tx.Commit()
	}
	if err != nil {
		return w, fmt.Errorf("add watch: %w", explain(err))
	}
	w.Created = timeUnix(w.Created.Unix())
	return w, nil
}

// RemoveWatch deletes watch id and what was found for it; it reports
// false when there was no such watch.
func (ix *Index) RemoveWatch(ctx context.Context, id int64) (bool, error) {
	tx, err := ix.db.BeginTx(ctx, nil)
	if err != nil {
		return false, fmt.Errorf("remove watch %d: %w", id, explain(err))
	}
	defer tx.Rollback()
	res, err := tx.ExecContext(ctx, `DELETE FROM watches WHERE id = ?`, id)
	var n int64
	if err == nil {
		n, err = res.RowsAffected()
	}
	if err == nil && n > 0 {
		_, err = tx.ExecContext(ctx, `DELETE FROM watch_hits WHERE watch = ?`, id)
		if err == nil {
			_, err = tx.ExecContext(ctx, `UPDATE meta SET value = value + 1 WHERE key = 'watches'`)
		}
	}
	if err == nil {
		err = tx.Commit()
	}
	if err != nil {
		return false, fmt.Errorf("remove watch %d: %w", id, explain(err))
	}
	return n > 0, nil
}

// RemoveChannelWatches deletes a channel's watches and what was found
// for them, posted or pending, in one transaction, and returns how many
// watches it removed: the channel is gone.
func (ix *Index) RemoveChannelWatches(ctx context.Context, platform, workspace, channel string) (int, error) {
	tx, err := ix.db.BeginTx(ctx, nil)
	if err != nil {
		return 0, fmt.Errorf("remove watches of %s: %w", channel, explain(err))
	}
	defer tx.Rollback()
	_, err = tx.ExecContext(ctx, `DELETE FROM watch_hits WHERE watch IN
		(SELECT id FROM watches WHERE platform = ? AND workspace = ? AND channel = ?)`, platform, workspace, channel)
	var n int64
	if err == nil {
		var res sql.Result
		res, err = tx.ExecContext(ctx, `DELETE FROM watches WHERE platform = ? AND workspace = ? AND channel = ?`,
			platform, workspace, channel)
		if err == nil {
			n, err = res.RowsAffected()
		}
	}
	if err == nil && n > 0 {
		_, err = tx.ExecContext(ctx, `UPDATE meta SET value = value + 1 WHERE key = 'watches'`)
	}
	if err == nil {
		err = tx.Commit()
	}
	if err != nil {
		return 0, fmt.Errorf("remove watches of %s: %w", channel, explain(err))
	}
	return int(n), nil
}

const watchColumns = `id, platform, workspace, channel, topic, added_by, created, from_doc`

// ChannelWatches lists a channel's watches, oldest first.
func (ix *Index) ChannelWatches(ctx context.Context, platform, workspace, channel string) ([]retrieval.Watch, error) {
	return ix.queryWatches(ctx, `SELECT `+watchColumns+` FROM watches
		WHERE platform = ? AND workspace = ? AND channel = ? ORDER BY id`, platform, workspace, channel)
}

// AllWatches lists every watch, oldest first.
func (ix *Index) AllWatches(ctx context.Context) ([]retrieval.Watch, error) {
	return ix.queryWatches(ctx, `SELECT `+watchColumns+` FROM watches ORDER BY id`)
}

func (ix *Index) queryWatches(ctx context.Context, q string, args ...any) ([]retrieval.Watch, error) {
	rows, err := ix.db.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("list watches: %w", explain(err))
	}
	defer rows.Close()
	var out []retrieval.Watch
	for rows.Next() {
		var w retrieval.Watch
		var created int64
		if err := rows.Scan(&w.ID, &w.Platform, &w.Workspace, &w.Channel, &w.Topic, &w.AddedBy, &created, &w.FromDoc); err != nil {
			return nil, fmt.Errorf("list watches: %w", explain(err))
		}
		w.Created = timeUnix(created)
		out = append(out, w)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("list watches: %w", explain(err))
	}
	return out, nil
}

// WatchesVersion changes whenever a watch is added or removed, so that
// every process reloads its percolator.
func (ix *Index) WatchesVersion(ctx context.Context) (int64, error) {
	var v int64
	if err := ix.db.QueryRowContext(ctx, `SELECT value FROM meta WHERE key = 'watches'`).Scan(&v); err != nil {
		return 0, fmt.Errorf("watches version: %w", explain(err))
	}
	return v, nil
}

// WatchCursor is the first document number of the last article the
// watch loop has seen; before its first round, where the oldest watch
// starts, or with none the newest article's.
func (ix *Index) WatchCursor(ctx context.Context) (int64, error) {
	var v int64
	err := ix.db.QueryRowContext(ctx, `SELECT value FROM meta WHERE key = 'watch_cursor'`).Scan(&v)
	if errors.Is(err, sql.ErrNoRows) {
		err = ix.db.QueryRowContext(ctx, `SELECT coalesce((SELECT min(from_doc) FROM watches), (SELECT max(first_doc) FROM articles), 0)`).Scan(&v)
	}
	if err != nil {
		return 0, fmt.Errorf("watch cursor: %w", explain(err))
	}
	return v, nil
}

// SetWatchCursor records how far the watch loop has read.
func (ix *Index) SetWatchCursor(ctx context.Context, doc int64) error {
	if _, err := ix.db.ExecContext(ctx, `INSERT INTO meta(key, value) VALUES ('watch_cursor', ?)
		ON CONFLICT(key) DO UPDATE SET value = excluded.value`, doc); err != nil {
		return fmt.Errorf("set watch cursor: %w", explain(err))
	}
	return nil
}

// ArticlesAfter returns up to limit articles whose first document
// number is above doc, in that order, with their paragraphs.
func (ix *Index) ArticlesAfter(ctx context.Context, doc int64, limit int) ([]retrieval.NewArticle, error) {
	rows, err := ix.db.QueryContext(ctx, `
		SELECT a.first_doc, a.ext_id, a.url, a.title, a.outlet, a.author, a.category, a.feed, a.published, a.indexed, a.simhash, p.text
		FROM articles a JOIN paragraphs p ON p.article = a.id
		WHERE a.id IN (SELECT id FROM articles WHERE first_doc > ? ORDER BY first_doc LIMIT ?)
		ORDER BY a.first_doc, p.n`, doc, limit)
	if err != nil {
		return nil, fmt.Errorf("articles after %d: %w", doc, explain(err))
	}
	defer rows.Close()
	var out []retrieval.NewArticle
	for rows.Next() {
		var n retrieval.NewArticle
		var pub sql.NullInt64
		var indexed, sim int64
		var text string
		a := &n.Article
		if err := rows.Scan(&n.Doc, &a.ID, &a.URL, &a.Title, &a.Outlet, &a.Author, &a.Category, &a.Feed, &pub, &indexed, &sim, &text); err != nil {
			return nil, fmt.Errorf("articles after %d: %w", doc, explain(err))
		}
		if k := len(out); k > 0 && out[k-1].Doc == n.Doc {
			out[k-1].Article.Paragraphs = append(out[k-1].Article.Paragraphs, text)
			continue
		}
		a.Published, a.Indexed, a.Paragraphs, n.Simhash = fromNull(pub), timeUnix(indexed), []string{text}, uint64(sim)
		out = append(out, n)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("articles after %d: %w", doc, explain(err))
	}
	return out, nil
}

// AddWatchHit stores h, pending, unless its watch has its article
// already; it reports whether it did, with the stored hit's ID.
func (ix *Index) AddWatchHit(ctx context.Context, h retrieval.WatchHit) (retrieval.WatchHit, bool, error) {
	err := ix.db.QueryRowContext(ctx, `INSERT INTO watch_hits(watch, article, simhash, title, url, outlet, published, sentence, found)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT(watch, article) DO NOTHING RETURNING id`,
		h.Watch, h.Article, int64(h.Simhash), h.Title, h.URL, h.Outlet, nullTime(h.Published), h.Sentence,
		h.Found.UnixMilli()).Scan(&h.ID)
	if errors.Is(err, sql.ErrNoRows) {
		return h, false, nil
	}
	if err != nil {
		return h, false, fmt.Errorf("add watch hit %d/%s: %w", h.Watch, h.Article, explain(err))
	}
	return h, true, nil
}

// RecordWatchHits stores hits, pending, leaving out those whose watch
// has their article already, and moves the watch cursor to cursor, in
// one transaction; it returns how many it stored.
func (ix *Index) RecordWatchHits(ctx context.Context, hits []retrieval.WatchHit, cursor int64) (int, error) {
	tx, err := ix.db.BeginTx(ctx, nil)
	if err != nil {
		return 0, fmt.Errorf("record watch hits: %w", explain(err))
	}
	defer tx.Rollback()
	n := 0
	for _, h := range hits {
		res, err := tx.ExecContext(ctx, `INSERT INTO watch_hits(watch, article, simhash, title, url, outlet, published, sentence, found)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT(watch, article) DO NOTHING`,
			h.Watch, h.Article, int64(h.Simhash), h.Title, h.URL, h.Outlet, nullTime(h.Published), h.Sentence, h.Found.UnixMilli())
		if err != nil {
			return 0, fmt.Errorf("record watch hits: %w", explain(err))
		}
		k, _ := res.RowsAffected()
		n += int(k)
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO meta(key, value) VALUES ('watch_cursor', ?)
		ON CONFLICT(key) DO UPDATE SET value = excluded.value`, cursor); err != nil {
		return 0, fmt.Errorf("record watch hits: %w", explain(err))
	}
	if err := tx.Commit(); err != nil {
		return 0, fmt.Errorf("record watch hits: %w", explain(err))
	}
	return n, nil
}

const hitColumns = `h.id, h.watch, h.article, h.simhash, h.title, h.url, h.outlet, h.published, h.sentence, h.found, h.post, h.sent,
	w.platform, w.workspace, w.channel, w.topic`

// WatchHits lists what was found for watch since a time, oldest first.
func (ix *Index) WatchHits(ctx context.Context, watch int64, since time.Time) ([]retrieval.WatchHit, error) {
	return ix.queryHits(ctx, `SELECT `+hitColumns+` FROM watch_hits h JOIN watches w ON w.id = h.watch
		WHERE h.watch = ? AND h.found >= ? ORDER BY h.id`, watch, since.UnixMilli())
}

// PendingWatchHits lists the hits not posted yet, oldest first, with
// their watches' channels and topics.
func (ix *Index) PendingWatchHits(ctx context.Context) ([]retrieval.WatchHit, error) {
	return ix.queryHits(ctx, `SELECT `+hitColumns+` FROM watch_hits h JOIN watches w ON w.id = h.watch
		WHERE h.post = 0 ORDER BY h.id`)
}

func (ix *Index) queryHits(ctx context.Context, q string, args ...any) ([]retrieval.WatchHit, error) {
	rows, err := ix.db.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("list watch hits: %w", explain(err))
	}
	defer rows.Close()
	var out []retrieval.WatchHit
	for rows.Next() {
		var h retrieval.WatchHit
		var sim, found int64
		var pub, sent sql.NullInt64
		if err := rows.Scan(&h.ID, &h.Watch, &h.Article, &sim, &h.Title, &h.URL, &h.Outlet, &pub, &h.Sentence, &found,
			&h.Post, &sent, &h.Platform, &h.Workspace, &h.Channel, &h.Topic); err != nil {
			return nil, fmt.Errorf("list watch hits: %w", explain(err))
		}
		h.Simhash, h.Published, h.Found = uint64(sim), fromNull(pub), time.UnixMilli(found).UTC()
		if sent.Valid {
			h.Sent = time.UnixMilli(sent.Int64).UTC()
		}
		out = append(out, h)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("list watch hits: %w", explain(err))
	}
	return out, nil
}

// MarkWatchHitsSent records that the hits ids went out in one message
// at a time; the message is known by the first of ids.
func (ix *Index) MarkWatchHitsSent(ctx context.Context, ids []int64, at time.Time) error {
	if len(ids) == 0 {
		return nil
	}
	args := []any{ids[0], at.UnixMilli()}
	for _, id := range ids {
		args = append(args, id)
	}
	_, err := ix.db.ExecContext(ctx, `UPDATE watch_hits SET post = ?, sent = ? WHERE id IN (`+
		strings.TrimSuffix(strings.Repeat("?,", len(ids)), ",")+`)`, args...)
	if err != nil {
		return fmt.Errorf("mark watch hits sent: %w", explain(err))
	}
	return nil
}

// ChannelPostsSince counts the messages the watches of a channel posted
// at or after since: a digest counts once.
func (ix *Index) ChannelPostsSince(ctx context.Context, platform, workspace, channel string, since time.Time) (int, error) {
	var n int
	err := ix.db.QueryRowContext(ctx, `SELECT count(DISTINCT h.post) FROM watch_hits h JOIN watches w ON w.id = h.watch
		WHERE w.platform = ? AND w.workspace = ? AND w.channel = ? AND h.post <> 0 AND h.sent >= ?`,
		platform, workspace, channel, since.UnixMilli()).Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("count channel posts: %w", explain(err))
	}
	return n, nil
}
