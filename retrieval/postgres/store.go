package postgres

import (
	"context"
	"errors"
	"time"

	"github.com/byline-news/byline/retrieval"
	"github.com/byline-news/byline/retrieval/engine"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
)

// backend stores the engine's rows in PostgreSQL (see engine.Backend).
// Every read takes one round trip, whatever it asks for: the lists of
// terms, documents or paragraphs go as arrays.
type backend struct{ ix *Index }

var _ engine.Backend = backend{}

// conn is what both a pooled connection's transaction and the pool offer.
type conn interface {
	Exec(ctx context.Context, sql string, args ...any) (pgconn.CommandTag, error)
	Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error)
	QueryRow(ctx context.Context, sql string, args ...any) pgx.Row
}

// Snapshot starts a read-only REPEATABLE READ transaction: every query
// of it sees the same committed state.
func (b backend) Snapshot(ctx context.Context) (engine.Snapshot, error) {
	tx, err := b.ix.pool.BeginTx(ctx, pgx.TxOptions{IsoLevel: pgx.RepeatableRead, AccessMode: pgx.ReadOnly})
	if err != nil {
		return nil, explain(err)
	}
	return snapshot{reader{tx}, tx}, nil
}

type snapshot struct {
	reader
	tx pgx.Tx
}

func (s snapshot) Close() { s.tx.Rollback(context.Background()) }

// reader reads the index through a snapshot or a write transaction.
type reader struct{ q conn }

func (r reader) Counters(ctx context.Context) (gen, vectors int64, err error) {
	err = r.q.QueryRow(ctx, `SELECT (SELECT value FROM meta WHERE key = 'generation'),
		(SELECT value FROM meta WHERE key = 'embeddings')`).Scan(&gen, &vectors)
	return gen, vectors, explain(err)
}

func (r reader) Meta(ctx context.Context, key string) (int64, bool, error) {
	var v int64
	err := r.q.QueryRow(ctx, `SELECT value FROM meta WHERE key = $1`, key).Scan(&v)
	if errors.Is(err, pgx.ErrNoRows) {
		return 0, false, nil
	}
	return v, err == nil, explain(err)
}

func (r reader) SegmentIDs(ctx context.Context) ([]int64, error) {
	var ids []int64
	err := r.q.QueryRow(ctx, `SELECT coalesce(array_agg(id ORDER BY id), '{}') FROM segments`).Scan(&ids)
	return ids, explain(err)
}

func (r reader) Segment(ctx context.Context, id int64) (engine.SegmentRow, error) {
	s := engine.SegmentRow{ID: id}
	err := r.q.QueryRow(ctx, `SELECT ndocs, docs, lens, pubs, total_len, title_len FROM segments WHERE id = $1`, id).
		Scan(&s.NDocs, &s.Docs, &s.Lens, &s.Pubs, &s.TotalLen, &s.TitleLen)
	return s, explain(err)
}

func (r reader) Tombstones(ctx context.Context, lo, hi int64, fn func(doc int64)) error {
	rows, err := r.q.Query(ctx, `SELECT doc FROM tombstones WHERE doc BETWEEN $1 AND $2`, lo, hi)
	if err != nil {
		return explain(err)
	}
	var doc int64
	_, err = pgx.ForEachRow(rows, []any{&doc}, func() error { fn(doc); return nil })
	return explain(err)
}

func (r reader) Postings(ctx context.Context, terms []string, fn func(term string, segment, df int64, data []byte)) error {
	rows, err := r.q.Query(ctx, `SELECT term, segment, df, data FROM postings WHERE term = ANY($1)`, terms)
	if err != nil {
		return explain(err)
	}
	var term string
	var seg, df int64
	var data []byte
	_, err = pgx.ForEachRow(rows, []any{&term, &seg, &df, &data}, func() error {
		fn(term, seg, df, data) // Scan allocates data anew for each row
		return nil
	})
	return explain(err)
}

func (r reader) Docs(ctx context.Context, docs []int64, fn func(engine.DocRow)) error {
	rows, err := r.q.Query(ctx, `
		SELECT p.doc, p.n, p.text, a.ext_id, a.url, a.title, a.outlet, a.author, a.category, a.published, a.indexed, a.simhash, a.updated, a.feed
		FROM paragraphs p JOIN articles a ON a.id = p.article
		WHERE p.doc = ANY($1)`, docs)
	if err != nil {
		return explain(err)
	}
	var d engine.DocRow
	var pub, updated *int64
	var indexed, sim int64
	_, err = pgx.ForEachRow(rows, []any{&d.Doc, &d.N, &d.Text, &d.ArticleID, &d.URL, &d.Title, &d.Outlet, &d.Author, &d.Category,
		&pub, &indexed, &sim, &updated, &d.Feed}, func() error {
		d.Published, d.Updated, d.Indexed, d.Simhash = fromNull(pub), fromNull(updated), unix(indexed), uint64(sim)
		fn(d)
		return nil
	})
	return explain(err)
}

func (r reader) Paragraphs(ctx context.Context, refs []engine.ParagraphRef, fn func(i int, text string)) error {
	ids := make([]string, len(refs))
	ns := make([]int32, len(refs))
	for i, ref := range refs {
		ids[i], ns[i] = ref.ArticleID, int32(ref.N)
	}
	rows, err := r.q.Query(ctx, `
		SELECT r.i, p.text FROM unnest($1::text[], $2::integer[]) WITH ORDINALITY AS r(ext_id, n, i)
		JOIN articles a ON a.ext_id = r.ext_id JOIN paragraphs p ON p.article = a.id AND p.n = r.n`, ids, ns)
	if err != nil {
		return explain(err)
	}
	var i int
	var text string
	_, err = pgx.ForEachRow(rows, []any{&i, &text}, func() error { fn(i-1, text); return nil })
	return explain(err)
}

func (r reader) VectorBytes(ctx context.Context, model string) (int, error) {
	var n int
	err := r.q.QueryRow(ctx, `SELECT coalesce((SELECT length(vec) FROM embeddings WHERE model = $1 LIMIT 1), 0)`, model).Scan(&n)
	return n, explain(err)
}

func (r reader) VectorDocs(ctx context.Context, model string, fn func(doc int64, published time.Time, hash []byte)) error {
	rows, err := r.q.Query(ctx, `
		SELECT p.doc, a.published, p.hash FROM paragraphs p JOIN articles a ON a.id = p.article
		WHERE p.hash IN (SELECT hash FROM embeddings WHERE model = $1) ORDER BY p.doc`, model)
	if err != nil {
		return explain(err)
	}
	var doc int64
	var pub *int64
	var hash []byte
	_, err = pgx.ForEachRow(rows, []any{&doc, &pub, &hash}, func() error {
		fn(doc, fromNull(pub), hash)
		return nil
	})
	return explain(err)
}

// Vectors reads q8 for the int8 format: every vector here has it.
func (r reader) Vectors(ctx context.Context, model string, hashes [][]byte, int8 bool, fn func(hash, q8, vec []byte) error) error {
	col := `vec`
	if int8 {
		col = `q8`
	}
	var rows pgx.Rows
	var err error
	if hashes == nil {
		rows, err = r.q.Query(ctx, `SELECT hash, `+col+` FROM embeddings WHERE model = $1`, model)
	} else {
		rows, err = r.q.Query(ctx, `SELECT hash, `+col+` FROM embeddings WHERE model = $1 AND hash = ANY($2)`, model, hashes)
	}
	if err != nil {
		return explain(err)
	}
	var hash, blob []byte
	_, err = pgx.ForEachRow(rows, []any{&hash, &blob}, func() error {
		if int8 {
			return fn(hash, blob, nil)
		}
		return fn(hash, nil, blob)
	})
	return explain(err)
}

func fromNull(n *int64) time.Time {
	if n == nil {
		return time.Time{}
	}
	return unix(*n)
}

func nullTime(t time.Time) *int64 {
	if t.IsZero() {
		return nil
	}
	sec := t.Unix()
	return &sec
}

func unix(sec int64) time.Time { return time.Unix(sec, 0).UTC() }

func (r reader) DocFreqs(ctx context.Context, terms []string) (map[string]int64, error) {
	rows, err := r.q.Query(ctx, `SELECT term, sum(df)::bigint FROM postings WHERE term = ANY($1) GROUP BY term`, terms)
	if err != nil {
		return nil, explain(err)
	}
	out := make(map[string]int64, len(terms))
	var term string
	var df int64
	_, err = pgx.ForEachRow(rows, []any{&term, &df}, func() error { out[term] = df; return nil })
	return out, explain(err)
}

func (r reader) Newest(ctx context.Context, from, to int64, limit int, only retrieval.Scope, fn func(engine.DocRow)) error {
	where := ""
	if !only.IsZero() {
		where = ` AND (a.outlet = ANY($4) OR a.feed = ANY($5) OR a.category = ANY($6))`
	}
	rows, err := r.q.Query(ctx, `
		SELECT p.doc, p.n, p.text, a.ext_id, a.url, a.title, a.outlet, a.author, a.category, a.published, a.indexed, a.simhash, a.updated, a.feed
		FROM articles a JOIN paragraphs p ON p.article = a.id AND p.n = 0
		WHERE a.published >= $1 AND a.published < $2`+where+`
		ORDER BY a.published DESC, a.ext_id COLLATE "C" LIMIT $3`, newestArgs(from, to, limit, only)...)
	if err != nil {
		return explain(err)
	}
	var d engine.DocRow
	var pub, updated *int64
	var indexed, sim int64
	_, err = pgx.ForEachRow(rows, []any{&d.Doc, &d.N, &d.Text, &d.ArticleID, &d.URL, &d.Title, &d.Outlet, &d.Author, &d.Category,
		&pub, &indexed, &sim, &updated, &d.Feed}, func() error {
		d.Published, d.Updated, d.Indexed, d.Simhash = fromNull(pub), fromNull(updated), unix(indexed), uint64(sim)
		fn(d)
		return nil
	})
	return explain(err)
}

func newestArgs(from, to int64, limit int, only retrieval.Scope) []any {
	args := []any{from, to, limit}
	if only.IsZero() {
		return args
	}
	nonNil := func(l []string) []string {
		if l == nil {
			return []string{}
		}
		return l
	}
	return append(args, nonNil(only.Outlets), nonNil(only.Feeds), nonNil(only.Categories))
}

// ArticleSources reads articles by first document (articles_first_doc).
func (r reader) ArticleSources(ctx context.Context, lo, hi int64, fn func(first int64, n int, outlet, feed, category string)) error {
	rows, err := r.q.Query(ctx, `SELECT first_doc, paragraphs, outlet, feed, category FROM articles
		WHERE first_doc BETWEEN $1 AND $2 ORDER BY first_doc`, lo, hi)
	if err != nil {
		return explain(err)
	}
	var first int64
	var n int32
	var outlet, feed, category string
	_, err = pgx.ForEachRow(rows, []any{&first, &n, &outlet, &feed, &category}, func() error {
		fn(first, int(n), outlet, feed, category)
		return nil
	})
	return explain(err)
}
