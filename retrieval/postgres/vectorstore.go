package postgres

import (
	"context"

	"github.com/byline-news/byline/retrieval/engine"
	"github.com/jackc/pgx/v5"
)

func (b backend) VectorCoverage(ctx context.Context, model string, fn func(doc int64, hash []byte, has bool)) error {
	rows, err := b.ix.pool.Query(ctx, `
		SELECT doc, hash, hash IN (SELECT hash FROM embeddings WHERE model = $1) FROM paragraphs ORDER BY doc`, model)
	if err != nil {
		return explain(err)
	}
	var doc int64
	var hash []byte
	var has bool
	_, err = pgx.ForEachRow(rows, []any{&doc, &hash, &has}, func() error { fn(doc, hash, has); return nil })
	return explain(err)
}

func (b backend) ParagraphTexts(ctx context.Context, docs []int64) (map[int64]string, error) {
	out := make(map[int64]string, len(docs))
	rows, err := b.ix.pool.Query(ctx, `SELECT doc, text FROM paragraphs WHERE doc = ANY($1)`, docs)
	if err != nil {
		return nil, explain(err)
	}
	var doc int64
	var text string
	_, err = pgx.ForEachRow(rows, []any{&doc, &text}, func() error { out[doc] = text; return nil })
	return out, explain(err)
}

// StoreVectors inserts the batch with one statement; a vector stored
// meanwhile by another process for the same text is kept.
func (b backend) StoreVectors(ctx context.Context, model string, rows []engine.VectorRow) error {
	hashes, vecs, q8s := make([][]byte, len(rows)), make([][]byte, len(rows)), make([][]byte, len(rows))
	for i, r := range rows {
		hashes[i], vecs[i], q8s[i] = r.Hash, r.Vec, r.Q8
	}
	return pgx.BeginFunc(ctx, b.ix.pool, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `INSERT INTO embeddings(model, hash, vec, q8)
			SELECT $1, h, v, q FROM unnest($2::bytea[], $3::bytea[], $4::bytea[]) AS r(h, v, q)
			ON CONFLICT DO NOTHING`, model, hashes, vecs, q8s); err != nil {
			return explain(err)
		}
		_, err := tx.Exec(ctx, `UPDATE meta SET value = value + 1 WHERE key = 'embeddings'`)
		return explain(err)
	})
}

func (b backend) PruneVectors(ctx context.Context, keep string) (int, error) {
	var n int64
	err := pgx.BeginFunc(ctx, b.ix.pool, func(tx pgx.Tx) error {
		tag, err := tx.Exec(ctx, `DELETE FROM embeddings WHERE model <> $1
			OR hash NOT IN (SELECT hash FROM paragraphs)`, keep)
		if err != nil {
			return explain(err)
		}
		if n = tag.RowsAffected(); n == 0 {
			return nil
		}
		_, err = tx.Exec(ctx, `UPDATE meta SET value = value + 1 WHERE key = 'embeddings'`)
		return explain(err)
	})
	return int(n), err
}

func (b backend) VectorStats(ctx context.Context, model string) (total, vectors int, err error) {
	err = b.ix.pool.QueryRow(ctx, `SELECT count(*), count(*) FILTER (WHERE hash IN (SELECT hash FROM embeddings WHERE model = $1))
		FROM paragraphs`, model).Scan(&total, &vectors)
	return total, vectors, explain(err)
}
