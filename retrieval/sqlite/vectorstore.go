package sqlite

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/byline-news/byline/retrieval/engine"
)

// hashChunk is how many old paragraphs get their hash, or old vectors
// their int8 form, per transaction.
const hashChunk = 10000

func (b backend) VectorCoverage(ctx context.Context, model string, fn func(doc int64, hash []byte, has bool)) error {
	rows, err := b.db.QueryContext(ctx, `
		SELECT doc, hash, hash IN (`+modelHashesSQL+`) FROM paragraphs
		WHERE hash IS NOT NULL ORDER BY doc`, model)
	if err != nil {
		return explain(err)
	}
	defer rows.Close()
	for rows.Next() {
		var doc int64
		var hash []byte
		var has bool
		if err := rows.Scan(&doc, &hash, &has); err != nil {
			return explain(err)
		}
		fn(doc, hash, has)
	}
	return explain(rows.Err())
}

func (b backend) ParagraphTexts(ctx context.Context, docs []int64) (map[int64]string, error) {
	args := make([]any, len(docs))
	for i, d := range docs {
		args[i] = d
	}
	out := make(map[int64]string, len(docs))
	if len(docs) == 0 {
		return out, nil
	}
	rows, err := b.db.QueryContext(ctx, `SELECT doc, text FROM paragraphs WHERE doc IN (`+placeholders(len(args))+`)`, args...)
	if err != nil {
		return nil, explain(err)
	}
	defer rows.Close()
	for rows.Next() {
		var doc int64
		var text string
		if err := rows.Scan(&doc, &text); err != nil {
			return nil, explain(err)
		}
		out[doc] = text
	}
	return out, explain(rows.Err())
}

func (b backend) StoreVectors(ctx context.Context, model string, rows []engine.VectorRow) error {
	tx, err := b.db.BeginTx(ctx, nil)
	if err != nil {
		return explain(err)
	}
	defer tx.Rollback()
	ins, err := tx.PrepareContext(ctx, `INSERT OR IGNORE INTO embeddings(model, hash, vec, q8) VALUES (?, ?, ?, ?)`)
	if err != nil {
		return explain(err)
	}
	defer ins.Close()
	for _, r := range rows {
		if _, err := ins.ExecContext(ctx, model, r.Hash, r.Vec, r.Q8); err != nil {
			return explain(err)
		}
	}
	if err := bumpEmbeddings(ctx, tx); err != nil {
		return explain(err)
	}
	return explain(tx.Commit())
}

// bumpEmbeddings tells searchers that the stored vectors changed.
func bumpEmbeddings(ctx context.Context, tx *sql.Tx) error {
	_, err := tx.ExecContext(ctx, `UPDATE meta SET value = value + 1 WHERE key = 'embeddings'`)
	return err
}

func (b backend) PruneVectors(ctx context.Context, keep string) (int, error) {
	tx, err := b.db.BeginTx(ctx, nil)
	if err != nil {
		return 0, explain(err)
	}
	defer tx.Rollback()
	// NOT IN builds a temporary index of the live hashes once; a
	// correlated NOT EXISTS would scan paragraphs per vector.
	res, err := tx.ExecContext(ctx, `DELETE FROM embeddings WHERE model <> ?
		OR hash NOT IN (SELECT hash FROM paragraphs WHERE hash IS NOT NULL)`, keep)
	if err != nil {
		return 0, explain(err)
	}
	n, err := res.RowsAffected()
	if err != nil || n == 0 {
		return 0, explain(err)
	}
	if err := bumpEmbeddings(ctx, tx); err != nil {
		return 0, explain(err)
	}
	return int(n), explain(tx.Commit())
}

func (b backend) VectorStats(ctx context.Context, model string) (total, vectors int, err error) {
	err = b.db.QueryRowContext(ctx, `
		SELECT count(*), count(*) FILTER (WHERE hash IN (`+modelHashesSQL+`)) FROM paragraphs`, model).Scan(&total, &vectors)
	return total, vectors, explain(err)
}

// Embed stores a vector by opt.Model for every live paragraph that lacks
// one (see engine.Index.Embed), after giving paragraphs and vectors
// stored by an older byline what this one stores with them.
func (ix *Index) Embed(ctx context.Context, e Embedder, opt EmbedOptions) (EmbedResult, error) {
	if opt.Model != "" {
		if err := ix.fillHashes(ctx); err != nil {
			return EmbedResult{}, fmt.Errorf("embed with model %q: %w", opt.Model, explain(err))
		}
		if err := ix.fillQ8(ctx, opt.Model); err != nil {
			return EmbedResult{}, fmt.Errorf("embed with model %q: %w", opt.Model, explain(err))
		}
	}
	return ix.Index.Embed(ctx, e, opt)
}

// PruneEmbeddings deletes the vectors of every model but keepModel ("" keeps
// none) and the vectors whose text no live paragraph has any more. It
// returns how many vectors it deleted.
func (ix *Index) PruneEmbeddings(ctx context.Context, keepModel string) (int, error) {
	// Old paragraphs get their hash first, or their vectors would look
	// orphaned.
	if err := ix.fillHashes(ctx); err != nil {
		return 0, fmt.Errorf("prune vectors: %w", explain(err))
	}
	return ix.Index.PruneEmbeddings(ctx, keepModel)
}

// fillHashes computes the hash of paragraphs written before hashing
// existed (migration 6), a chunk per transaction. The partial index
// paragraphs_nohash makes this free once every paragraph has its hash.
func (ix *Index) fillHashes(ctx context.Context) error {
	last := int64(0)
	for {
		n, next, err := ix.fillHashChunk(ctx, last)
		if err != nil {
			return fmt.Errorf("hash old paragraphs: %w", err)
		}
		if n < hashChunk {
			return nil
		}
		last = next
	}
}

// unhashedSQL finds paragraphs without a hash through paragraphs_nohash.
const unhashedSQL = `SELECT doc, text FROM paragraphs WHERE hash IS NULL AND doc > ? ORDER BY doc LIMIT ?`

// fillHashChunk hashes up to hashChunk paragraphs after doc last and
// returns how many, and the last doc it saw. It reads before it takes the
// write lock, so the usual case (nothing to hash) never waits for a writer.
func (ix *Index) fillHashChunk(ctx context.Context, last int64) (int, int64, error) {
	pending, err := ix.unhashed(ctx, last)
	if err != nil || len(pending) == 0 {
		return 0, last, err
	}
	tx, err := ix.db.BeginTx(ctx, nil)
	if err != nil {
		return 0, last, err
	}
	defer tx.Rollback()
	for _, u := range pending {
		// Paragraph rows never change, so the hash read above still holds
		// (a paragraph deleted meanwhile is simply not updated).
		if _, err := tx.ExecContext(ctx, `UPDATE paragraphs SET hash = ? WHERE doc = ?`, u.hash[:], u.doc); err != nil {
			return 0, last, err
		}
	}
	if err := bumpEmbeddings(ctx, tx); err != nil {
		return 0, last, err
	}
	return len(pending), pending[len(pending)-1].doc, tx.Commit()
}

type unhashed struct {
	doc  int64
	hash [16]byte
}

// unhashed reads and hashes up to hashChunk paragraphs without a hash
// after doc last.
func (ix *Index) unhashed(ctx context.Context, last int64) ([]unhashed, error) {
	rows, err := ix.db.QueryContext(ctx, unhashedSQL, last, hashChunk)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var pending []unhashed
	for rows.Next() {
		var u unhashed
		var text string
		if err := rows.Scan(&u.doc, &text); err != nil {
			return nil, err
		}
		u.hash = engine.ParagraphHash(text)
		pending = append(pending, u)
	}
	return pending, rows.Err()
}

// fillQ8 stores the int8 form of model's vectors stored before
// migration 8, a chunk per transaction, so loading them stops converting
// each. embeddings_noq8 makes this free once done. The vectors do not
// change, so searchers need not reload.
func (ix *Index) fillQ8(ctx context.Context, model string) error {
	after := []byte{} // not nil, which would bind as NULL
	for {
		n, last, err := ix.fillQ8Chunk(ctx, model, after)
		if err != nil {
			return fmt.Errorf("store int8 vectors: %w", err)
		}
		if n < hashChunk {
			return nil
		}
		after = last
	}
}

// noQ8SQL finds vectors without q8. Left to itself, SQLite may walk the
// (model, hash) index, which lists every vector, instead of the small
// partial index of those still to fill.
const noQ8SQL = `SELECT hash, vec FROM embeddings INDEXED BY embeddings_noq8
	WHERE model = ? AND q8 IS NULL AND hash > ? ORDER BY hash LIMIT ?`

// fillQ8Chunk fills q8 for up to hashChunk of model's vectors after hash
// after and returns how many, and the last hash. Like fillHashChunk, it
// reads before it takes the write lock.
func (ix *Index) fillQ8Chunk(ctx context.Context, model string, after []byte) (int, []byte, error) {
	rows, err := ix.db.QueryContext(ctx, noQ8SQL, model, after, hashChunk)
	if err != nil {
		return 0, nil, err
	}
	var hashes, q8s [][]byte
	for rows.Next() {
		var hash, vec []byte
		if err := rows.Scan(&hash, &vec); err != nil {
			rows.Close()
			return 0, nil, err
		}
		v := make([]float32, len(vec)/4)
		engine.DecodeVector(v, vec)
		hashes, q8s = append(hashes, hash), append(q8s, engine.EncodeQ8(v))
	}
	rows.Close()
	if err := rows.Err(); err != nil || len(hashes) == 0 {
		return 0, nil, err
	}
	tx, err := ix.db.BeginTx(ctx, nil)
	if err != nil {
		return 0, nil, err
	}
	defer tx.Rollback()
	for i, h := range hashes {
		// A vector is never rewritten, so q8 computed above still holds
		// (one deleted meanwhile is simply not updated).
		if _, err := tx.ExecContext(ctx, `UPDATE embeddings SET q8 = ? WHERE model = ? AND hash = ?`, q8s[i], model, h); err != nil {
			return 0, nil, err
		}
	}
	return len(hashes), hashes[len(hashes)-1], tx.Commit()
}
