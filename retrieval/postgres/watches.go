package postgres

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/byline-news/byline/retrieval"
)

// AddWatch stores w, giving it an ID and, as its FromDoc, the newest
// article's first document number, so that it matches only news.
func (ix *Index) AddWatch(ctx context.Context, w retrieval.Watch) (retrieval.Watch, error) {
	err := pgx.BeginFunc(ctx, ix.pool, func(tx pgx.Tx) error {
		if err := tx.QueryRow(ctx, `SELECT coalesce(max(first_doc), 0) FROM articles`).Scan(&w.FromDoc); err != nil {
			return err
		}
		if err := tx.QueryRow(ctx, `INSERT INTO watches(platform, workspace, channel, topic, added_by, created, from_doc)
			VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`, w.Platform, w.Workspace, w.Channel, w.Topic, w.AddedBy,
			w.Created.Unix(), w.FromDoc).Scan(&w.ID); err != nil {
			return err
		}
		_, err := tx.Exec(ctx, `UPDATE meta SET value = value + 1 WHERE key = 'watches'`)
		return err
	})
	if err != nil {
		return w, fmt.Errorf("add watch: %w", explain(err))
	}
	w.Created = unix(w.Created.Unix())
	return w, nil
}

// RemoveWatch deletes watch id and what was found for it; it reports
// false when there was no such watch.
func (ix *Index) RemoveWatch(ctx context.Context, id int64) (bool, error) {
	var n int64
	err := pgx.BeginFunc(ctx, ix.pool, func(tx pgx.Tx) error {
		tag, err := tx.Exec(ctx, `DELETE FROM watches WHERE id = $1`, id)
		if err != nil || tag.RowsAffected() == 0 {
			return err
		}
		n = tag.RowsAffected()
		if _, err := tx.Exec(ctx, `DELETE FROM watch_hits WHERE watch = $1`, id); err != nil {
			return err
		}
		_, err = tx.Exec(ctx, `UPDATE meta SET value = value + 1 WHERE key = 'watches'`)
		return err
	})
	if err != nil {
		return false, fmt.Errorf("remove watch %d: %w", id, explain(err))
	}
	return n > 0, nil
}

// RemoveChannelWatches deletes a channel's watches and what was found
// for them, posted or pending, in one transaction, and returns how many
// watches it removed: the channel is gone.
func (ix *Index) RemoveChannelWatches(ctx context.Context, platform, workspace, channel string) (int, error) {
	var n int64
	err := pgx.BeginFunc(ctx, ix.pool, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `DELETE FROM watch_hits WHERE watch IN
			(SELECT id FROM watches WHERE platform = $1 AND workspace = $2 AND channel = $3)`, platform, workspace, channel); err != nil {
			return err
		}
		tag, err := tx.Exec(ctx, `DELETE FROM watches WHERE platform = $1 AND workspace = $2 AND channel = $3`,
			platform, workspace, channel)
		if err != nil || tag.RowsAffected() == 0 {
			return err
		}
		n = tag.RowsAffected()
		_, err = tx.Exec(ctx, `UPDATE meta SET value = value + 1 WHERE key = 'watches'`)
		return err
	})
	if err != nil {
		return 0, fmt.Errorf("remove watches of %s: %w", channel, explain(err))
	}
	return int(n), nil
}

const watchColumns = `id, platform, workspace, channel, topic, added_by, created, from_doc`

// ChannelWatches lists a channel's watches, oldest first.
func (ix *Index) ChannelWatches(ctx context.Context, platform, workspace, channel string) ([]retrieval.Watch, error) {
	return ix.queryWatches(ctx, `SELECT `+watchColumns+` FROM watches
		WHERE platform = $1 AND workspace = $2 AND channel = $3 ORDER BY id`, platform, workspace, channel)
}

// AllWatches lists every watch, oldest first.
func (ix *Index) AllWatches(ctx context.Context) ([]retrieval.Watch, error) {
	return ix.queryWatches(ctx, `SELECT `+watchColumns+` FROM watches ORDER BY id`)
}

func (ix *Index) queryWatches(ctx context.Context, q string, args ...any) ([]retrieval.Watch, error) {
	rows, err := ix.pool.Query(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("list watches: %w", explain(err))
	}
	out, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (retrieval.Watch, error) {
		var w retrieval.Watch
		var created int64
		err := row.Scan(&w.ID, &w.Platform, &w.Workspace, &w.Channel, &w.Topic, &w.AddedBy, &created, &w.FromDoc)
		w.Created = unix(created)
		return w, err
	})
	if err != nil {
		return nil, fmt.Errorf("list watches: %w", explain(err))
	}
	return out, nil
}

// WatchesVersion changes whenever a watch is added or removed, so that
// every process reloads its percolator.
func (ix *Index) WatchesVersion(ctx context.Context) (int64, error) {
	var v int64
	if err := ix.pool.QueryRow(ctx, `SELECT value FROM meta WHERE key = 'watches'`).Scan(&v); err != nil {
		return 0, fmt.Errorf("watches version: %w", explain(err))
	}
	return v, nil
}

// WatchCursor is the first document number of the last article the
// watch loop has seen; before its first round, where the oldest watch
// starts, or with none the newest article's.
func (ix *Index) WatchCursor(ctx context.Context) (int64, error) {
	var v int64
	err := ix.pool.QueryRow(ctx, `SELECT value FROM meta WHERE key = 'watch_cursor'`).Scan(&v)
	if errors.Is(err, pgx.ErrNoRows) {
		err = ix.pool.QueryRow(ctx, `SELECT coalesce((SELECT min(from_doc) FROM watches), (SELECT max(first_doc) FROM articles), 0)`).Scan(&v)
	}
	if err != nil {
		return 0, fmt.Errorf("watch cursor: %w", explain(err))
	}
	return v, nil
}

// SetWatchCursor records how far the watch loop has read.
func (ix *Index) SetWatchCursor(ctx context.Context, doc int64) error {
	if _, err := ix.pool.Exec(ctx, `INSERT INTO meta(key, value) VALUES ('watch_cursor', $1)
		ON CONFLICT (key) DO UPDATE SET value = excluded.value`, doc); err != nil {
		return fmt.Errorf("set watch cursor: %w", explain(err))
	}
	return nil
}

// ArticlesAfter returns up to limit articles whose first document
// number is above doc, in that order, with their paragraphs.
func (ix *Index) ArticlesAfter(ctx context.Context, doc int64, limit int) ([]retrieval.NewArticle, error) {
	rows, err := ix.pool.Query(ctx, `
		SELECT a.first_doc, a.ext_id, a.url, a.title, a.outlet, a.author, a.category, a.feed, a.published, a.indexed, a.simhash,
			(SELECT coalesce(array_agg(p.text ORDER BY p.n), '{}') FROM paragraphs p WHERE p.article = a.id)
		FROM articles a WHERE a.first_doc > $1 ORDER BY a.first_doc LIMIT $2`, doc, limit)
	if err != nil {
		return nil, fmt.Errorf("articles after %d: %w", doc, explain(err))
	}
	out, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (retrieval.NewArticle, error) {
		var n retrieval.NewArticle
		var pub *int64
		var indexed, sim int64
		a := &n.Article
		err := row.Scan(&n.Doc, &a.ID, &a.URL, &a.Title, &a.Outlet, &a.Author, &a.Category, &a.Feed, &pub, &indexed, &sim, &a.Paragraphs)
		a.Published, a.Indexed, n.Simhash = fromNull(pub), unix(indexed), uint64(sim)
		return n, err
	})
	if err != nil {
		return nil, fmt.Errorf("articles after %d: %w", doc, explain(err))
	}
	return out, nil
}

// AddWatchHit stores h, pending, unless its watch has its article
// already; it reports whether it did, with the stored hit's ID.
func (ix *Index) AddWatchHit(ctx context.Context, h retrieval.WatchHit) (retrieval.WatchHit, bool, error) {
	err := ix.pool.QueryRow(ctx, `INSERT INTO watch_hits(watch, article, simhash, title, url, outlet, published, sentence, found)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT (watch, article) DO NOTHING RETURNING id`,
		h.Watch, h.Article, int64(h.Simhash), h.Title, h.URL, h.Outlet, nullTime(h.Published), h.Sentence,
		h.Found.UnixMilli()).Scan(&h.ID)
	if errors.Is(err, pgx.ErrNoRows) {
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
	n := 0
	err := pgx.BeginFunc(ctx, ix.pool, func(tx pgx.Tx) error {
		batch := &pgx.Batch{}
		for _, h := range hits {
			batch.Queue(`INSERT INTO watch_hits(watch, article, simhash, title, url, outlet, published, sentence, found)
				VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT (watch, article) DO NOTHING`,
				h.Watch, h.Article, int64(h.Simhash), h.Title, h.URL, h.Outlet, nullTime(h.Published), h.Sentence, h.Found.UnixMilli())
		}
		batch.Queue(`INSERT INTO meta(key, value) VALUES ('watch_cursor', $1) ON CONFLICT (key) DO UPDATE SET value = excluded.value`, cursor)
		res := tx.SendBatch(ctx, batch)
		for range hits {
			tag, err := res.Exec()
			if err != nil {
				res.Close()
				return err
			}
			n += int(tag.RowsAffected())
		}
		if _, err := res.Exec(); err != nil {
			res.Close()
			return err
		}
		return res.Close()
	})
	if err != nil {
		return 0, fmt.Errorf("record watch hits: %w", explain(err))
	}
	return n, nil
}

const hitColumns = `h.id, h.watch, h.article, h.simhash, h.title, h.url, h.outlet, h.published, h.sentence, h.found, h.post, h.sent,
	w.platform, w.workspace, w.channel, w.topic`

// WatchHits lists what was found for watch since a time, oldest first.
func (ix *Index) WatchHits(ctx context.Context, watch int64, since time.Time) ([]retrieval.WatchHit, error) {
	return ix.queryHits(ctx, `SELECT `+hitColumns+` FROM watch_hits h JOIN watches w ON w.id = h.watch
		WHERE h.watch = $1 AND h.found >= $2 ORDER BY h.id`, watch, since.UnixMilli())
}

// PendingWatchHits lists the hits not posted yet, oldest first, with
// their watches' channels and topics.
func (ix *Index) PendingWatchHits(ctx context.Context) ([]retrieval.WatchHit, error) {
	return ix.queryHits(ctx, `SELECT `+hitColumns+` FROM watch_hits h JOIN watches w ON w.id = h.watch
		WHERE h.post = 0 ORDER BY h.id`)
}

func (ix *Index) queryHits(ctx context.Context, q string, args ...any) ([]retrieval.WatchHit, error) {
	rows, err := ix.pool.Query(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("list watch hits: %w", explain(err))
	}
	out, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (retrieval.WatchHit, error) {
		var h retrieval.WatchHit
		var sim, found int64
		var pub, sent *int64
		err := row.Scan(&h.ID, &h.Watch, &h.Article, &sim, &h.Title, &h.URL, &h.Outlet, &pub, &h.Sentence, &found,
			&h.Post, &sent, &h.Platform, &h.Workspace, &h.Channel, &h.Topic)
		h.Simhash, h.Published, h.Found = uint64(sim), fromNull(pub), time.UnixMilli(found).UTC()
		if sent != nil {
			h.Sent = time.UnixMilli(*sent).UTC()
		}
		return h, err
	})
	if err != nil {
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
	if _, err := ix.pool.Exec(ctx, `UPDATE watch_hits SET post = $1, sent = $2 WHERE id = ANY($3)`,
		ids[0], at.UnixMilli(), ids); err != nil {
		return fmt.Errorf("mark watch hits sent: %w", explain(err))
	}
	return nil
}

// ChannelPostsSince counts the messages the watches of a channel posted
// at or after since: a digest counts once.
func (ix *Index) ChannelPostsSince(ctx context.Context, platform, workspace, channel string, since time.Time) (int, error) {
	var n int
	err := ix.pool.QueryRow(ctx, `SELECT count(DISTINCT h.post) FROM watch_hits h JOIN watches w ON w.id = h.watch
		WHERE w.platform = $1 AND w.workspace = $2 AND w.channel = $3 AND h.post <> 0 AND h.sent >= $4`,
		platform, workspace, channel, since.UnixMilli()).Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("count channel posts: %w", explain(err))
	}
	return n, nil
}
