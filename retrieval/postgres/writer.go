package postgres

import (
	"context"
	"fmt"
	"time"

	"github.com/byline-news/byline/retrieval/engine"
	"github.com/jackc/pgx/v5"
)

// Begin starts a write transaction and takes the writer lock: the
// next_doc row of meta, locked FOR UPDATE, so that index calls of every
// process are serialised (each allocates document numbers from it).
func (b backend) Begin(ctx context.Context) (engine.Tx, error) {
	tx, err := b.ix.pool.Begin(ctx)
	if err != nil {
		return nil, explain(err)
	}
	t := &writeTx{reader: reader{tx}, tx: tx}
	if err := t.lock(ctx, b.ix.lock); err != nil {
		tx.Rollback(ctx)
		return nil, explain(err)
	}
	return t, nil
}

// writeTx is an index call's transaction. Articles and paragraphs are
// buffered and written with COPY before anything else the transaction
// does, so a batch of articles costs two round trips.
type writeTx struct {
	reader
	tx       pgx.Tx
	nextDoc  int64
	articles [][]any
	paras    [][]any
}

func (t *writeTx) lock(ctx context.Context, timeout time.Duration) error {
	if timeout > 0 {
		if _, err := t.tx.Exec(ctx, `SELECT set_config('lock_timeout', $1, true)`, fmt.Sprintf("%dms", max(1, timeout.Milliseconds()))); err != nil {
			return err
		}
	}
	if err := t.tx.QueryRow(ctx, `SELECT value FROM meta WHERE key = 'next_doc' FOR UPDATE`).Scan(&t.nextDoc); err != nil {
		return err
	}
	if timeout > 0 {
		// Only the writer lock is bounded; the rest of the call holds it.
		_, err := t.tx.Exec(ctx, `SELECT set_config('lock_timeout', '0', true)`)
		return err
	}
	return nil
}

// flush writes the buffered articles and paragraphs.
func (t *writeTx) flush(ctx context.Context) error {
	if len(t.articles) > 0 {
		if _, err := t.tx.CopyFrom(ctx, pgx.Identifier{"articles"}, []string{"id", "ext_id", "url", "hash", "title", "outlet", "author",
			"category", "published", "indexed", "first_doc", "paragraphs", "simhash", "updated", "feed"}, pgx.CopyFromRows(t.articles)); err != nil {
			return fmt.Errorf("copy articles: %w", explain(err))
		}
		t.articles = t.articles[:0]
	}
	if len(t.paras) > 0 {
		if _, err := t.tx.CopyFrom(ctx, pgx.Identifier{"paragraphs"}, []string{"doc", "article", "n", "text", "hash"},
			pgx.CopyFromRows(t.paras)); err != nil {
			return fmt.Errorf("copy paragraphs: %w", explain(err))
		}
		t.paras = t.paras[:0]
	}
	return nil
}

func (t *writeTx) NextDoc(ctx context.Context) (int64, error) { return t.nextDoc, nil }

func (t *writeTx) SetNextDoc(ctx context.Context, next int64) error {
	if err := t.flush(ctx); err != nil {
		return err
	}
	_, err := t.tx.Exec(ctx, `UPDATE meta SET value = $1 WHERE key = 'next_doc'`, next)
	return explain(err)
}

func (t *writeTx) SetMeta(ctx context.Context, key string, value int64) error {
	_, err := t.tx.Exec(ctx, `INSERT INTO meta(key, value) VALUES ($1, $2)
		ON CONFLICT (key) DO UPDATE SET value = excluded.value`, key, value)
	return explain(err)
}

// Lookup finds the stored articles of every key at once: a UNION of
// three indexed joins, as one join on an OR would scan.
func (t *writeTx) Lookup(ctx context.Context, keys []engine.ArticleKey) ([][]engine.StoredArticle, error) {
	if err := t.flush(ctx); err != nil {
		return nil, err
	}
	ids, urls, hashes := make([]string, len(keys)), make([]string, len(keys)), make([]string, len(keys))
	for i, k := range keys {
		ids[i], urls[i], hashes[i] = k.ID, k.URL, k.Hash
	}
	const cols = `k.i, a.id, a.ext_id, a.hash, a.url, a.title, a.outlet, a.author, a.category, a.published`
	const keysSQL = `unnest($1::text[], $2::text[], $3::text[]) WITH ORDINALITY AS k(ext_id, url, hash, i)`
	rows, err := t.tx.Query(ctx, `
		SELECT `+cols+` FROM `+keysSQL+` JOIN articles a ON a.ext_id = k.ext_id
		UNION SELECT `+cols+` FROM `+keysSQL+` JOIN articles a ON a.url = k.url AND k.url <> ''
		UNION SELECT `+cols+` FROM `+keysSQL+` JOIN articles a ON a.hash = k.hash`, ids, urls, hashes)
	if err != nil {
		return nil, explain(err)
	}
	out := make([][]engine.StoredArticle, len(keys))
	var i int
	var s engine.StoredArticle
	var pub *int64
	_, err = pgx.ForEachRow(rows, []any{&i, &s.Row, &s.ID, &s.Hash, &s.URL, &s.Title, &s.Outlet, &s.Author, &s.Category, &pub}, func() error {
		s.Published = fromNull(pub)
		out[i-1] = append(out[i-1], s)
		return nil
	})
	return out, explain(err)
}

// RemoveArticles deletes articles; their paragraphs become tombstones
// until a merge drops them from the posting lists.
func (t *writeTx) RemoveArticles(ctx context.Context, ids []int64) error {
	if err := t.flush(ctx); err != nil {
		return err
	}
	for _, q := range []string{
		`INSERT INTO tombstones(doc) SELECT doc FROM paragraphs WHERE article = ANY($1) ON CONFLICT DO NOTHING`,
		`DELETE FROM paragraphs WHERE article = ANY($1)`,
		`DELETE FROM articles WHERE id = ANY($1)`,
	} {
		if _, err := t.tx.Exec(ctx, q, ids); err != nil {
			return fmt.Errorf("remove articles: %w", explain(err))
		}
	}
	return nil
}

// InsertArticle buffers the article for the next COPY. Its row id is its
// first document number.
func (t *writeTx) InsertArticle(ctx context.Context, a *engine.ArticleRow) error {
	t.articles = append(t.articles, []any{a.FirstDoc, a.ID, a.URL, a.Hash, a.Title, a.Outlet, a.Author, a.Category,
		nullTime(a.Published), a.Indexed.Unix(), a.FirstDoc, len(a.Paragraphs), int64(a.Simhash), nullTime(a.Updated), a.Feed})
	for i, p := range a.Paragraphs {
		t.paras = append(t.paras, []any{a.FirstDoc + int64(i), a.FirstDoc, i, p, a.Hashes[i][:]})
	}
	return nil
}

// WriteSegment stores the segment and COPYs its posting lists.
func (t *writeTx) WriteSegment(ctx context.Context, s engine.SegmentRow, lists []engine.PostingList) (int64, error) {
	if err := t.flush(ctx); err != nil {
		return 0, err
	}
	// last_segment keeps the highest id ever given, so none is reused (a
	// database copied from SQLite may not have the row yet).
	var id int64
	err := t.tx.QueryRow(ctx, `INSERT INTO meta(key, value) VALUES ('last_segment', (SELECT coalesce(max(id), 0) FROM segments) + 1)
		ON CONFLICT (key) DO UPDATE SET value = greatest(meta.value, (SELECT coalesce(max(id), 0) FROM segments)) + 1
		RETURNING value`).Scan(&id)
	if err != nil {
		return 0, explain(err)
	}
	if _, err := t.tx.Exec(ctx, `INSERT INTO segments(id, ndocs, docs, lens, pubs, total_len, title_len) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
		id, s.NDocs, s.Docs, s.Lens, s.Pubs, s.TotalLen, s.TitleLen); err != nil {
		return 0, explain(err)
	}
	_, err = t.tx.CopyFrom(ctx, pgx.Identifier{"postings"}, []string{"term", "segment", "df", "data"},
		pgx.CopyFromSlice(len(lists), func(i int) ([]any, error) {
			l := lists[i]
			return []any{l.Term, id, l.DF, l.Data}, nil
		}))
	if err != nil {
		return 0, fmt.Errorf("copy postings: %w", explain(err))
	}
	return id, nil
}

func (t *writeTx) SegmentHeads(ctx context.Context) ([]engine.SegmentRow, error) {
	if err := t.flush(ctx); err != nil {
		return nil, err
	}
	rows, err := t.tx.Query(ctx, `SELECT id, ndocs, docs FROM segments`)
	if err != nil {
		return nil, explain(err)
	}
	var out []engine.SegmentRow
	var s engine.SegmentRow
	_, err = pgx.ForEachRow(rows, []any{&s.ID, &s.NDocs, &s.Docs}, func() error { out = append(out, s); return nil })
	return out, explain(err)
}

func (t *writeTx) CountTombstones(ctx context.Context, lo, hi int64) (int64, error) {
	var n int64
	err := t.tx.QueryRow(ctx, `SELECT count(*) FROM tombstones WHERE doc BETWEEN $1 AND $2`, lo, hi).Scan(&n)
	return n, explain(err)
}

func (t *writeTx) MergePostings(ctx context.Context, segs []int64, fn func(term string, segment int64, data []byte) error) error {
	if err := t.flush(ctx); err != nil {
		return err
	}
	rows, err := t.tx.Query(ctx, `SELECT term, segment, data FROM postings WHERE segment = ANY($1) ORDER BY term`, segs)
	if err != nil {
		return explain(err)
	}
	var term string
	var seg int64
	var data []byte
	_, err = pgx.ForEachRow(rows, []any{&term, &seg, &data}, func() error { return fn(term, seg, data) })
	return explain(err)
}

func (t *writeTx) DropSegment(ctx context.Context, id, lo, hi int64) error {
	for _, q := range []struct {
		sql  string
		args []any
	}{
		{`DELETE FROM postings WHERE segment = $1`, []any{id}},
		{`DELETE FROM segments WHERE id = $1`, []any{id}},
		{`DELETE FROM tombstones WHERE doc BETWEEN $1 AND $2`, []any{lo, hi}},
	} {
		if _, err := t.tx.Exec(ctx, q.sql, q.args...); err != nil {
			return explain(err)
		}
	}
	return nil
}

func (t *writeTx) BumpGeneration(ctx context.Context) error {
	if err := t.flush(ctx); err != nil {
		return err
	}
	_, err := t.tx.Exec(ctx, `UPDATE meta SET value = value + 1 WHERE key = 'generation'`)
	return explain(err)
}

func (t *writeTx) Commit(ctx context.Context) error {
	if err := t.flush(ctx); err != nil {
		return err
	}
	return explain(t.tx.Commit(ctx))
}

func (t *writeTx) Rollback(ctx context.Context) error {
	err := t.tx.Rollback(ctx)
	if err == pgx.ErrTxClosed {
		return nil
	}
	return err
}

// olderSQL lists the articles a retention removes, oldest first: each
// half reads the published index in order, so a batch costs its size.
const olderSQL = `
	(SELECT id, ext_id, hash, url, title, outlet, author, category, published, published AS t
		FROM articles WHERE published < $1 ORDER BY published LIMIT $2)
	UNION ALL
	(SELECT id, ext_id, hash, url, title, outlet, author, category, published, indexed AS t
		FROM articles WHERE published IS NULL AND indexed < $1 ORDER BY indexed LIMIT $2)
	ORDER BY t, id LIMIT $2`

func (t *writeTx) Older(ctx context.Context, before int64, limit int) ([]engine.StoredArticle, error) {
	if err := t.flush(ctx); err != nil {
		return nil, err
	}
	rows, err := t.tx.Query(ctx, olderSQL, before, limit)
	if err != nil {
		return nil, explain(err)
	}
	var out []engine.StoredArticle
	var s engine.StoredArticle
	var pub *int64
	var at int64
	_, err = pgx.ForEachRow(rows, []any{&s.Row, &s.ID, &s.Hash, &s.URL, &s.Title, &s.Outlet, &s.Author, &s.Category, &pub, &at}, func() error {
		s.Published = fromNull(pub)
		out = append(out, s)
		return nil
	})
	return out, explain(err)
}
