package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/byline-news/byline/retrieval"
	"github.com/byline-news/byline/retrieval/engine"
)

// backend stores the engine's rows in the SQLite file (see engine.Backend).
type backend struct{ db *sql.DB }

var _ engine.Backend = backend{}

// querier is what both *sql.Tx and *sql.Conn offer.
type querier interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
}

// Snapshot opens a read transaction on a connection of its own: in WAL
// mode it sees one committed state until it ends.
func (b backend) Snapshot(ctx context.Context) (engine.Snapshot, error) {
	conn, err := b.db.Conn(ctx)
	if err != nil {
		return nil, explain(err)
	}
	if _, err := conn.ExecContext(ctx, "BEGIN"); err != nil {
		conn.Close()
		return nil, explain(err)
	}
	return snapshot{reader{conn}, conn}, nil
}

type snapshot struct {
	reader
	conn *sql.Conn
}

func (s snapshot) Close() {
	s.conn.ExecContext(context.Background(), "ROLLBACK")
	s.conn.Close()
}

// reader reads the index through a snapshot or a write transaction.
type reader struct{ q querier }

func (r reader) Counters(ctx context.Context) (gen, vectors int64, err error) {
	err = r.q.QueryRowContext(ctx, `SELECT (SELECT value FROM meta WHERE key = 'generation'),
		(SELECT value FROM meta WHERE key = 'embeddings')`).Scan(&gen, &vectors)
	return gen, vectors, explain(err)
}

func (r reader) Meta(ctx context.Context, key string) (int64, bool, error) {
	var v int64
	err := r.q.QueryRowContext(ctx, `SELECT value FROM meta WHERE key = ?`, key).Scan(&v)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, false, nil
	}
	return v, err == nil, explain(err)
}

func (r reader) SegmentIDs(ctx context.Context) ([]int64, error) {
	rows, err := r.q.QueryContext(ctx, `SELECT id FROM segments ORDER BY id`)
	if err != nil {
		return nil, explain(err)
	}
	defer rows.Close()
	var ids []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, explain(err)
		}
		ids = append(ids, id)
	}
	return ids, explain(rows.Err())
}

func (r reader) Segment(ctx context.Context, id int64) (engine.SegmentRow, error) {
	s := engine.SegmentRow{ID: id}
	err := r.q.QueryRowContext(ctx, `SELECT ndocs, docs, lens, pubs, total_len, title_len FROM segments WHERE id = ?`, id).
		Scan(&s.NDocs, &s.Docs, &s.Lens, &s.Pubs, &s.TotalLen, &s.TitleLen)
	return s, explain(err)
}

func (r reader) Tombstones(ctx context.Context, lo, hi int64, fn func(doc int64)) error {
	rows, err := r.q.QueryContext(ctx, `SELECT doc FROM tombstones WHERE doc BETWEEN ? AND ?`, lo, hi)
	if err != nil {
		return explain(err)
	}
	defer rows.Close()
	for rows.Next() {
		var doc int64
		if err := rows.Scan(&doc); err != nil {
			return explain(err)
		}
		fn(doc)
	}
	return explain(rows.Err())
}

// Postings reads one term at a time: each is a lookup in postings_term.
func (r reader) Postings(ctx context.Context, terms []string, fn func(term string, segment, df int64, data []byte)) error {
	for _, term := range terms {
		rows, err := r.q.QueryContext(ctx, `SELECT segment, df, data FROM postings WHERE term = ?`, term)
		if err != nil {
			return explain(err)
		}
		for rows.Next() {
			var seg, df int64
			var data []byte
			if err := rows.Scan(&seg, &df, &data); err != nil {
				rows.Close()
				return explain(err)
			}
			fn(term, seg, df, data)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return explain(err)
		}
	}
	return nil
}

func (r reader) Docs(ctx context.Context, docs []int64, fn func(engine.DocRow)) error {
	if len(docs) == 0 {
		return nil
	}
	args := make([]any, len(docs))
	for i, doc := range docs {
		args[i] = doc
	}
	rows, err := r.q.QueryContext(ctx, `
		SELECT p.doc, p.n, p.text, a.ext_id, a.url, a.title, a.outlet, a.author, a.category, a.published, a.indexed, a.simhash, a.updated, a.feed
		FROM paragraphs p JOIN articles a ON a.id = p.article
		WHERE p.doc IN (`+placeholders(len(args))+`)`, args...)
	if err != nil {
		return explain(err)
	}
	defer rows.Close()
	for rows.Next() {
		d, err := scanDoc(rows)
		if err != nil {
			return err
		}
		fn(d)
	}
	return explain(rows.Err())
}

func (r reader) DocFreqs(ctx context.Context, terms []string) (map[string]int64, error) {
	out := make(map[string]int64, len(terms))
	if len(terms) == 0 {
		return out, nil
	}
	// One statement for all: a misspelt word asks for hundreds of
	// variants (engine.Index.Correct).
	list, err := json.Marshal(terms)
	if err != nil {
		return nil, err
	}
	rows, err := r.q.QueryContext(ctx, `SELECT term, sum(df) FROM postings
		WHERE term IN (SELECT value FROM json_each(?)) GROUP BY term`, string(list))
	if err != nil {
		return nil, explain(err)
	}
	defer rows.Close()
	for rows.Next() {
		var term string
		var df int64
		if err := rows.Scan(&term, &df); err != nil {
			return nil, explain(err)
		}
		out[term] = df
	}
	return out, explain(rows.Err())
}

func (r reader) Newest(ctx context.Context, from, to int64, limit int, only retrieval.Scope, fn func(engine.DocRow)) error {
	where, args := scopeWhere(only)
	rows, err := r.q.QueryContext(ctx, `
		SELECT p.doc, p.n, p.text, a.ext_id, a.url, a.title, a.outlet, a.author, a.category, a.published, a.indexed, a.simhash, a.updated, a.feed
		FROM articles a JOIN paragraphs p ON p.article = a.id AND p.n = 0
		WHERE a.published >= ? AND a.published < ?`+where+`
		ORDER BY a.published DESC, a.ext_id LIMIT ?`, append(append([]any{from, to}, args...), limit)...)
	if err != nil {
		return explain(err)
	}
	defer rows.Close()
	for rows.Next() {
		d, err := scanDoc(rows)
		if err != nil {
			return err
		}
		fn(d)
	}
	return explain(rows.Err())
}

// scopeWhere is the condition " AND (a.outlet IN (…) OR …)" keeping the
// articles of a non-zero scope, compared exactly, with its arguments.
func scopeWhere(only retrieval.Scope) (string, []any) {
	if only.IsZero() {
		return "", nil
	}
	var conds []string
	var args []any
	for _, c := range []struct {
		col  string
		vals []string
	}{{"a.outlet", only.Outlets}, {"a.feed", only.Feeds}, {"a.category", only.Categories}} {
		if len(c.vals) == 0 {
			continue
		}
		conds = append(conds, c.col+" IN ("+placeholders(len(c.vals))+")")
		for _, v := range c.vals {
			args = append(args, v)
		}
	}
	return " AND (" + strings.Join(conds, " OR ") + ")", args
}

// ArticleSources reads articles by first document (articles_first_doc).
func (r reader) ArticleSources(ctx context.Context, lo, hi int64, fn func(first int64, n int, outlet, feed, category string)) error {
	rows, err := r.q.QueryContext(ctx, `SELECT first_doc, paragraphs, outlet, feed, category FROM articles
		WHERE first_doc BETWEEN ? AND ? ORDER BY first_doc`, lo, hi)
	if err != nil {
		return explain(err)
	}
	defer rows.Close()
	for rows.Next() {
		var first int64
		var n int
		var outlet, feed, category string
		if err := rows.Scan(&first, &n, &outlet, &feed, &category); err != nil {
			return explain(err)
		}
		fn(first, n, outlet, feed, category)
	}
	return explain(rows.Err())
}

func scanDoc(rows *sql.Rows) (engine.DocRow, error) {
	var d engine.DocRow
	var pub, updated sql.NullInt64
	var indexed, sim int64
	if err := rows.Scan(&d.Doc, &d.N, &d.Text, &d.ArticleID, &d.URL, &d.Title, &d.Outlet, &d.Author, &d.Category,
		&pub, &indexed, &sim, &updated, &d.Feed); err != nil {
		return d, explain(err)
	}
	d.Published, d.Updated, d.Indexed, d.Simhash = fromNull(pub), fromNull(updated), timeUnix(indexed), uint64(sim)
	return d, nil
}

// Paragraphs reads each article's wanted paragraphs with one lookup.
func (r reader) Paragraphs(ctx context.Context, refs []engine.ParagraphRef, fn func(i int, text string)) error {
	var order []string
	byArticle := map[string][]int{}
	for i, ref := range refs {
		if _, ok := byArticle[ref.ArticleID]; !ok {
			order = append(order, ref.ArticleID)
		}
		byArticle[ref.ArticleID] = append(byArticle[ref.ArticleID], i)
	}
	for _, id := range order {
		idx := byArticle[id]
		args := []any{id}
		for _, i := range idx {
			args = append(args, refs[i].N)
		}
		if err := r.articleParagraphs(ctx, args, func(n int, text string) {
			for _, i := range idx {
				if refs[i].N == n {
					fn(i, text)
				}
			}
		}); err != nil {
			return err
		}
	}
	return nil
}

func (r reader) articleParagraphs(ctx context.Context, args []any, fn func(n int, text string)) error {
	rows, err := r.q.QueryContext(ctx, `
		SELECT p.n, p.text FROM paragraphs p JOIN articles a ON a.id = p.article
		WHERE a.ext_id = ? AND p.n IN (`+placeholders(len(args)-1)+`)`, args...)
	if err != nil {
		return explain(err)
	}
	defer rows.Close()
	for rows.Next() {
		var n int
		var text string
		if err := rows.Scan(&n, &text); err != nil {
			return explain(err)
		}
		fn(n, text)
	}
	return explain(rows.Err())
}

func (r reader) VectorBytes(ctx context.Context, model string) (int, error) {
	var n int
	err := r.q.QueryRowContext(ctx, `SELECT length(vec) FROM embeddings WHERE model = ? LIMIT 1`, model).Scan(&n)
	if err == sql.ErrNoRows {
		return 0, nil
	}
	return n, explain(err)
}

// modelHashesSQL lists the hashes with a vector by the model given as
// its parameter. Used as "hash IN (...)", SQLite reads them once into a
// temporary index, which is five times faster than a lookup per
// paragraph. The unique (model, hash) index covers it, so no vector is
// read.
const modelHashesSQL = `SELECT hash FROM embeddings WHERE model = ?`

func (r reader) VectorDocs(ctx context.Context, model string, fn func(doc int64, published time.Time, hash []byte)) error {
	rows, err := r.q.QueryContext(ctx, `
		SELECT p.doc, a.published, p.hash FROM paragraphs p JOIN articles a ON a.id = p.article
		WHERE p.hash IN (`+modelHashesSQL+`) ORDER BY p.doc`, model)
	if err != nil {
		return explain(err)
	}
	defer rows.Close()
	for rows.Next() {
		var doc int64
		var pub sql.NullInt64
		var hash []byte
		if err := rows.Scan(&doc, &pub, &hash); err != nil {
			return explain(err)
		}
		fn(doc, fromNull(pub), hash)
	}
	return explain(rows.Err())
}

func (r reader) Vectors(ctx context.Context, model string, hashes [][]byte, int8 bool, fn func(hash, q8, vec []byte) error) error {
	cols := `hash, NULL, vec`
	if int8 {
		// vec only where q8 is missing, so the conversion is done for
		// vectors stored before migration 8 alone.
		cols = `hash, q8, iif(q8 IS NULL, vec, NULL)`
	}
	if hashes == nil {
		// The unary + keeps SQLite from choosing the (model, hash) index
		// and a lookup per row for what is a scan.
		return r.readVectors(ctx, `SELECT `+cols+` FROM embeddings WHERE +model = ?`, []any{model}, fn)
	}
	args := []any{model}
	for _, h := range hashes {
		args = append(args, h)
	}
	return r.readVectors(ctx, `SELECT `+cols+` FROM embeddings WHERE model = ? AND hash IN (`+
		placeholders(len(hashes))+`)`, args, fn)
}

func (r reader) readVectors(ctx context.Context, query string, args []any, fn func(hash, q8, vec []byte) error) error {
	rows, err := r.q.QueryContext(ctx, query, args...)
	if err != nil {
		return explain(err)
	}
	defer rows.Close()
	for rows.Next() {
		var hash, q8, vec []byte
		if err := rows.Scan(&hash, &q8, &vec); err != nil {
			return explain(err)
		}
		if err := fn(hash, q8, vec); err != nil {
			return err
		}
	}
	return explain(rows.Err())
}

func placeholders(n int) string {
	return strings.TrimSuffix(strings.Repeat("?,", n), ",")
}

func fromNull(n sql.NullInt64) time.Time {
	if !n.Valid {
		return time.Time{}
	}
	return time.Unix(n.Int64, 0).UTC()
}

func nullTime(t time.Time) sql.NullInt64 {
	if t.IsZero() {
		return sql.NullInt64{}
	}
	return sql.NullInt64{Int64: t.Unix(), Valid: true}
}

func timeUnix(sec int64) time.Time { return time.Unix(sec, 0).UTC() }

// Begin starts a write transaction; BEGIN IMMEDIATE (the DSN's _txlock)
// takes the write lock at once, waiting up to the busy timeout.
func (b backend) Begin(ctx context.Context) (engine.Tx, error) {
	tx, err := b.db.BeginTx(ctx, nil)
	if err != nil {
		return nil, explain(err)
	}
	return &writeTx{reader: reader{tx}, tx: tx}, nil
}

// writeTx is an index call's transaction, with the statements used per
// article prepared once.
type writeTx struct {
	reader
	tx                      *sql.Tx
	lookup, insArt, insPara *sql.Stmt
}

// lookupSQL finds an article by ID, URL or text hash; a UNION of three
// indexed lookups, as SQLite would answer one OR of them with a scan.
const lookupSQL = `
	SELECT id, ext_id, hash, url, title, outlet, author, category, published FROM articles WHERE ext_id = ?1
	UNION SELECT id, ext_id, hash, url, title, outlet, author, category, published FROM articles WHERE url = ?2 AND url <> ''
	UNION SELECT id, ext_id, hash, url, title, outlet, author, category, published FROM articles WHERE hash = ?3`

func (t *writeTx) prepare(ctx context.Context, stmt **sql.Stmt, query string) error {
	if *stmt != nil {
		return nil
	}
	s, err := t.tx.PrepareContext(ctx, query)
	if err != nil {
		return explain(err)
	}
	*stmt = s
	return nil
}

func (t *writeTx) NextDoc(ctx context.Context) (int64, error) {
	var next int64
	err := t.tx.QueryRowContext(ctx, `SELECT value FROM meta WHERE key = 'next_doc'`).Scan(&next)
	return next, explain(err)
}

func (t *writeTx) SetNextDoc(ctx context.Context, next int64) error {
	_, err := t.tx.ExecContext(ctx, `UPDATE meta SET value = ? WHERE key = 'next_doc'`, next)
	return explain(err)
}

func (t *writeTx) SetMeta(ctx context.Context, key string, value int64) error {
	_, err := t.tx.ExecContext(ctx, `INSERT INTO meta(key, value) VALUES (?, ?)
		ON CONFLICT(key) DO UPDATE SET value = excluded.value`, key, value)
	return explain(err)
}

func (t *writeTx) Lookup(ctx context.Context, keys []engine.ArticleKey) ([][]engine.StoredArticle, error) {
	if err := t.prepare(ctx, &t.lookup, lookupSQL); err != nil {
		return nil, err
	}
	out := make([][]engine.StoredArticle, len(keys))
	for i, k := range keys {
		var err error
		if out[i], err = t.lookupOne(ctx, k); err != nil {
			return nil, fmt.Errorf("article %s: %w", k.ID, err)
		}
	}
	return out, nil
}

func (t *writeTx) lookupOne(ctx context.Context, k engine.ArticleKey) ([]engine.StoredArticle, error) {
	rows, err := t.lookup.QueryContext(ctx, k.ID, k.URL, k.Hash)
	if err != nil {
		return nil, explain(err)
	}
	return scanStored(rows)
}

// RemoveArticles deletes articles; their paragraphs become tombstones
// until a merge drops them from the posting lists.
func (t *writeTx) RemoveArticles(ctx context.Context, ids []int64) error {
	for _, id := range ids {
		for _, q := range []string{
			`INSERT OR IGNORE INTO tombstones(doc) SELECT doc FROM paragraphs WHERE article = ?`,
			`DELETE FROM paragraphs WHERE article = ?`,
			`DELETE FROM articles WHERE id = ?`,
		} {
			if _, err := t.tx.ExecContext(ctx, q, id); err != nil {
				return fmt.Errorf("remove article %d: %w", id, explain(err))
			}
		}
	}
	return nil
}

func (t *writeTx) InsertArticle(ctx context.Context, a *engine.ArticleRow) error {
	if err := t.prepare(ctx, &t.insArt, `
		INSERT INTO articles(ext_id, url, hash, title, outlet, author, category, published, indexed, first_doc, paragraphs, simhash, updated, feed)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`); err != nil {
		return err
	}
	if err := t.prepare(ctx, &t.insPara, `INSERT INTO paragraphs(doc, article, n, text, hash) VALUES (?, ?, ?, ?, ?)`); err != nil {
		return err
	}
	res, err := t.insArt.ExecContext(ctx, a.ID, a.URL, a.Hash, a.Title, a.Outlet, a.Author, a.Category, nullTime(a.Published),
		a.Indexed.Unix(), a.FirstDoc, len(a.Paragraphs), int64(a.Simhash), nullTime(a.Updated), a.Feed)
	if err != nil {
		return explain(err)
	}
	artID, err := res.LastInsertId()
	if err != nil {
		return explain(err)
	}
	for i, p := range a.Paragraphs {
		if _, err := t.insPara.ExecContext(ctx, a.FirstDoc+int64(i), artID, i, p, a.Hashes[i][:]); err != nil {
			return explain(err)
		}
	}
	return nil
}

func (t *writeTx) WriteSegment(ctx context.Context, s engine.SegmentRow, lists []engine.PostingList) (int64, error) {
	// The highest id ever given is kept in meta: SQLite would hand out a
	// dropped segment's rowid again.
	var id int64
	if err := t.tx.QueryRowContext(ctx, `SELECT max(coalesce((SELECT max(id) FROM segments), 0),
		coalesce((SELECT value FROM meta WHERE key = 'last_segment'), 0)) + 1`).Scan(&id); err != nil {
		return 0, explain(err)
	}
	_, err := t.tx.ExecContext(ctx,
		`INSERT INTO segments(id, ndocs, docs, lens, pubs, total_len, title_len) VALUES (?, ?, ?, ?, ?, ?, ?)`,
		id, s.NDocs, s.Docs, s.Lens, s.Pubs, s.TotalLen, s.TitleLen)
	if err != nil {
		return 0, explain(err)
	}
	if _, err := t.tx.ExecContext(ctx, `INSERT INTO meta(key, value) VALUES ('last_segment', ?)
		ON CONFLICT(key) DO UPDATE SET value = excluded.value`, id); err != nil {
		return 0, explain(err)
	}
	stmt, err := t.tx.PrepareContext(ctx, `INSERT INTO postings(term, segment, df, data) VALUES (?, ?, ?, ?)`)
	if err != nil {
		return 0, explain(err)
	}
	defer stmt.Close()
	for _, l := range lists {
		if _, err := stmt.ExecContext(ctx, l.Term, id, l.DF, l.Data); err != nil {
			return 0, fmt.Errorf("write postings for %q: %w", l.Term, explain(err))
		}
	}
	return id, nil
}

func (t *writeTx) SegmentHeads(ctx context.Context) ([]engine.SegmentRow, error) {
	rows, err := t.tx.QueryContext(ctx, `SELECT id, ndocs, docs FROM segments`)
	if err != nil {
		return nil, explain(err)
	}
	defer rows.Close()
	var out []engine.SegmentRow
	for rows.Next() {
		var s engine.SegmentRow
		if err := rows.Scan(&s.ID, &s.NDocs, &s.Docs); err != nil {
			return nil, explain(err)
		}
		out = append(out, s)
	}
	return out, explain(rows.Err())
}

func (t *writeTx) CountTombstones(ctx context.Context, lo, hi int64) (int64, error) {
	var n int64
	err := t.tx.QueryRowContext(ctx, `SELECT count(*) FROM tombstones WHERE doc BETWEEN ? AND ?`, lo, hi).Scan(&n)
	return n, explain(err)
}

func (t *writeTx) MergePostings(ctx context.Context, segs []int64, fn func(term string, segment int64, data []byte) error) error {
	ids := make([]string, len(segs))
	for i, s := range segs {
		ids[i] = fmt.Sprint(s)
	}
	rows, err := t.tx.QueryContext(ctx, `SELECT term, segment, data FROM postings WHERE segment IN (`+
		strings.Join(ids, ",")+`) ORDER BY term`)
	if err != nil {
		return explain(err)
	}
	defer rows.Close()
	for rows.Next() {
		var term string
		var seg int64
		var data []byte
		if err := rows.Scan(&term, &seg, &data); err != nil {
			return explain(err)
		}
		if err := fn(term, seg, data); err != nil {
			return err
		}
	}
	return explain(rows.Err())
}

func (t *writeTx) DropSegment(ctx context.Context, id, lo, hi int64) error {
	for _, q := range []string{
		`DELETE FROM postings WHERE segment = ?`,
		`DELETE FROM segments WHERE id = ?`,
	} {
		if _, err := t.tx.ExecContext(ctx, q, id); err != nil {
			return explain(err)
		}
	}
	_, err := t.tx.ExecContext(ctx, `DELETE FROM tombstones WHERE doc BETWEEN ? AND ?`, lo, hi)
	return explain(err)
}

func (t *writeTx) BumpGeneration(ctx context.Context) error {
	_, err := t.tx.ExecContext(ctx, `UPDATE meta SET value = value + 1 WHERE key = 'generation'`)
	return explain(err)
}

func (t *writeTx) Commit(ctx context.Context) error { return explain(t.tx.Commit()) }

func (t *writeTx) Rollback(ctx context.Context) error {
	err := t.tx.Rollback()
	if err == sql.ErrTxDone {
		return nil
	}
	return err
}

// olderSQL lists the articles a retention removes, oldest first: each
// half reads the published index in order, so a batch costs its size.
const olderSQL = `
	SELECT id, ext_id, hash, url, title, outlet, author, category, published FROM (
		SELECT * FROM (SELECT id, ext_id, hash, url, title, outlet, author, category, published, published AS t
			FROM articles WHERE published < ?1 ORDER BY published LIMIT ?2)
		UNION ALL
		SELECT * FROM (SELECT id, ext_id, hash, url, title, outlet, author, category, published, indexed AS t
			FROM articles WHERE published IS NULL AND indexed < ?1 ORDER BY indexed LIMIT ?2))
	ORDER BY t, id LIMIT ?2`

// scanStored reads rows of (id, ext_id, hash, url, title, outlet,
// author, category, published) and closes them.
func scanStored(rows *sql.Rows) ([]engine.StoredArticle, error) {
	defer rows.Close()
	var out []engine.StoredArticle
	for rows.Next() {
		var s engine.StoredArticle
		var pub sql.NullInt64
		if err := rows.Scan(&s.Row, &s.ID, &s.Hash, &s.URL, &s.Title, &s.Outlet, &s.Author, &s.Category, &pub); err != nil {
			return nil, explain(err)
		}
		s.Published = fromNull(pub)
		out = append(out, s)
	}
	return out, explain(rows.Err())
}

func (t *writeTx) Older(ctx context.Context, before int64, limit int) ([]engine.StoredArticle, error) {
	rows, err := t.tx.QueryContext(ctx, olderSQL, before, limit)
	if err != nil {
		return nil, explain(err)
	}
	return scanStored(rows)
}
