package sqlite

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/binary"
	"errors"
	"fmt"
	"math"
)

// DefaultEmbedBatch is how many texts Embed sends per Embedder call when
// EmbedOptions.Batch is 0.
const DefaultEmbedBatch = 64

// hashChunk is how many old paragraphs get their hash, or old vectors
// their int8 form, per transaction.
const hashChunk = 10000

// Embedder turns texts into vectors, one per text, in order.
type Embedder interface {
	Embed(ctx context.Context, texts []string) ([][]float32, error)
}

// EmbedOptions control Embed.
type EmbedOptions struct {
	Model    string                // required: the cache key with the text hash
	Batch    int                   // texts per Embed call; 0 means DefaultEmbedBatch
	Progress func(done, total int) // may be nil; called after each batch
}

// EmbedResult reports what Embed did.
type EmbedResult struct {
	Embedded int // distinct texts sent to the embedder (and stored)
	Cached   int // live paragraphs that already had a vector
}

// pendingText is a distinct paragraph text that has no vector yet, found
// by one of the paragraphs that hold it.
type pendingText struct {
	doc  int64
	hash []byte
}

// paragraphHash is the cache key of a paragraph's text, exactly as stored.
func paragraphHash(text string) [16]byte {
	sum := sha256.Sum256([]byte(text))
	return [16]byte(sum[:16])
}

// Embed stores a vector by opt.Model for every live paragraph that lacks
// one. Identical texts are embedded once. Each batch is committed on its
// own, so an error or a crash loses at most one batch and a rerun resumes.
func (ix *Index) Embed(ctx context.Context, e Embedder, opt EmbedOptions) (EmbedResult, error) {
	var res EmbedResult
	if opt.Model == "" {
		return res, errors.New("embed: no model name given")
	}
	if opt.Batch <= 0 {
		opt.Batch = DefaultEmbedBatch
	}
	fail := func(err error) (EmbedResult, error) {
		return res, fmt.Errorf("embed with model %q: %w", opt.Model, explain(err))
	}
	if err := ix.fillHashes(ctx); err != nil {
		return fail(err)
	}
	if err := ix.fillQ8(ctx, opt.Model); err != nil {
		return fail(err)
	}
	pending, cached, err := ix.missingVectors(ctx, opt.Model)
	if err != nil {
		return fail(err)
	}
	res.Cached = cached
	dim, err := ix.storedDim(ctx, opt.Model)
	if err != nil {
		return fail(err)
	}
	for start := 0; start < len(pending); start += opt.Batch {
		batch := pending[start:min(start+opt.Batch, len(pending))]
		n, err := ix.embedBatch(ctx, e, opt.Model, batch, &dim)
		if err != nil {
			return fail(fmt.Errorf("batch %d: %w", start/opt.Batch+1, err))
		}
		res.Embedded += n
		if opt.Progress != nil {
			opt.Progress(start+len(batch), len(pending))
		}
	}
	return res, nil
}

// fillHashes computes the hash of paragraphs written before hashing
// existed, a chunk per transaction. The partial index paragraphs_nohash
// makes this free once every paragraph has its hash.
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
		u.hash = paragraphHash(text)
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
		decodeVector(v, vec)
		hashes, q8s = append(hashes, hash), append(q8s, encodeQ8(v))
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

// modelHashesSQL lists the hashes with a vector by the model given as
// its parameter. Used as "hash IN (...)", SQLite reads them once into a
// temporary index, which is five times faster than a lookup per
// paragraph. The unique (model, hash) index covers it, so no vector is
// read.
const modelHashesSQL = `SELECT hash FROM embeddings WHERE model = ?`

// bumpEmbeddings tells searchers that the stored vectors changed.
func bumpEmbeddings(ctx context.Context, tx *sql.Tx) error {
	_, err := tx.ExecContext(ctx, `UPDATE meta SET value = value + 1 WHERE key = 'embeddings'`)
	return err
}

// missingVectors returns one paragraph per distinct text that has no
// vector by model, in document order, and how many live paragraphs
// already have one. Texts are read per batch, so memory stays small.
func (ix *Index) missingVectors(ctx context.Context, model string) ([]pendingText, int, error) {
	rows, err := ix.db.QueryContext(ctx, `
		SELECT doc, hash, hash IN (`+modelHashesSQL+`) FROM paragraphs
		WHERE hash IS NOT NULL ORDER BY doc`, model)
	if err != nil {
		return nil, 0, fmt.Errorf("find paragraphs without vectors: %w", err)
	}
	defer rows.Close()
	var pending []pendingText
	cached := 0
	seen := map[[16]byte]bool{}
	for rows.Next() {
		var p pendingText
		var has bool
		if err := rows.Scan(&p.doc, &p.hash, &has); err != nil {
			return nil, 0, fmt.Errorf("find paragraphs without vectors: %w", err)
		}
		if has {
			cached++
			continue
		}
		if k := [16]byte(p.hash); !seen[k] {
			seen[k] = true
			pending = append(pending, p)
		}
	}
	return pending, cached, rows.Err()
}

// storedDim returns the dimension of model's stored vectors, 0 if none.
func (ix *Index) storedDim(ctx context.Context, model string) (int, error) {
	var n int
	err := ix.db.QueryRowContext(ctx, `SELECT length(vec) FROM embeddings WHERE model = ? LIMIT 1`, model).Scan(&n)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, nil
	}
	if err != nil {
		return 0, fmt.Errorf("read stored vectors: %w", err)
	}
	return n / 4, nil
}

// embedBatch embeds and stores one batch, returning how many texts it
// sent. *dim is the model's dimension, 0 until the first vector is known.
func (ix *Index) embedBatch(ctx context.Context, e Embedder, model string, batch []pendingText, dim *int) (int, error) {
	texts, hashes, err := ix.batchTexts(ctx, batch)
	if err != nil || len(texts) == 0 {
		return 0, err
	}
	vecs, err := e.Embed(ctx, texts)
	if err != nil {
		return 0, fmt.Errorf("embedder: %w", err)
	}
	d, err := checkVectors(vecs, len(texts), *dim)
	if err != nil {
		return 0, err
	}
	if err := ix.storeVectors(ctx, model, hashes, vecs); err != nil {
		return 0, fmt.Errorf("store vectors: %w", err)
	}
	*dim = d
	return len(texts), nil
}

// batchTexts reads the batch's texts. A paragraph deleted since the list
// was made is skipped: nothing needs its vector now.
func (ix *Index) batchTexts(ctx context.Context, batch []pendingText) ([]string, [][]byte, error) {
	args := make([]any, len(batch))
	for i, p := range batch {
		args[i] = p.doc
	}
	rows, err := ix.db.QueryContext(ctx, `SELECT doc, text FROM paragraphs WHERE doc IN (`+placeholders(len(args))+`)`, args...)
	if err != nil {
		return nil, nil, fmt.Errorf("read paragraphs: %w", err)
	}
	defer rows.Close()
	byDoc := make(map[int64]string, len(batch))
	for rows.Next() {
		var doc int64
		var text string
		if err := rows.Scan(&doc, &text); err != nil {
			return nil, nil, fmt.Errorf("read paragraphs: %w", err)
		}
		byDoc[doc] = text
	}
	if err := rows.Err(); err != nil {
		return nil, nil, fmt.Errorf("read paragraphs: %w", err)
	}
	var texts []string
	var hashes [][]byte
	for _, p := range batch {
		if text, ok := byDoc[p.doc]; ok {
			texts = append(texts, text)
			hashes = append(hashes, p.hash)
		}
	}
	return texts, hashes, nil
}

// checkVectors validates an embedder's reply to n texts and returns the
// vectors' dimension, which must equal dim unless dim is 0.
func checkVectors(vecs [][]float32, n, dim int) (int, error) {
	if len(vecs) != n {
		return 0, fmt.Errorf("embedder returned %d vectors for %d texts", len(vecs), n)
	}
	for i, v := range vecs {
		if len(v) == 0 {
			return 0, fmt.Errorf("vector %d is empty", i)
		}
		if dim == 0 {
			dim = len(v)
		}
		if len(v) != dim {
			return 0, fmt.Errorf("vector %d has %d dimensions, the model's other vectors have %d", i, len(v), dim)
		}
		if err := checkFinite(v); err != nil {
			return 0, fmt.Errorf("vector %d %w", i, err)
		}
	}
	return dim, nil
}

// checkFinite rejects vectors that cannot be normalized.
func checkFinite(v []float32) error {
	zero := true
	for _, x := range v {
		if math.IsNaN(float64(x)) || math.IsInf(float64(x), 0) {
			return errors.New("has NaN or infinite components")
		}
		if x != 0 {
			zero = false
		}
	}
	if zero {
		return errors.New("is all zeros")
	}
	return nil
}

// storeVectors writes one batch in its own transaction.
func (ix *Index) storeVectors(ctx context.Context, model string, hashes [][]byte, vecs [][]float32) error {
	tx, err := ix.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	ins, err := tx.PrepareContext(ctx, `INSERT OR IGNORE INTO embeddings(model, hash, vec, q8) VALUES (?, ?, ?, ?)`)
	if err != nil {
		return err
	}
	defer ins.Close()
	for i, v := range vecs {
		if _, err := ins.ExecContext(ctx, model, hashes[i], encodeVector(v), encodeQ8(v)); err != nil {
			return err
		}
	}
	if err := bumpEmbeddings(ctx, tx); err != nil {
		return err
	}
	return tx.Commit()
}

func encodeVector(v []float32) []byte {
	buf := make([]byte, 4*len(v))
	for i, x := range v {
		binary.LittleEndian.PutUint32(buf[4*i:], math.Float32bits(x))
	}
	return buf
}

// decodeVector fills dst (len(blob)/4 long) from a stored vector.
func decodeVector(dst []float32, blob []byte) {
	for i := range dst {
		dst[i] = math.Float32frombits(binary.LittleEndian.Uint32(blob[4*i:]))
	}
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
	n, err := ix.prune(ctx, keepModel)
	if err != nil {
		return 0, fmt.Errorf("prune vectors: %w", explain(err))
	}
	return n, nil
}

func (ix *Index) prune(ctx context.Context, keepModel string) (int, error) {
	tx, err := ix.db.BeginTx(ctx, nil)
	if err != nil {
		return 0, err
	}
	defer tx.Rollback()
	// NOT IN builds a temporary index of the live hashes once; a
	// correlated NOT EXISTS would scan paragraphs per vector.
	res, err := tx.ExecContext(ctx, `DELETE FROM embeddings WHERE model <> ?
		OR hash NOT IN (SELECT hash FROM paragraphs WHERE hash IS NOT NULL)`, keepModel)
	if err != nil {
		return 0, err
	}
	n, err := res.RowsAffected()
	if err != nil || n == 0 {
		return 0, err
	}
	if err := bumpEmbeddings(ctx, tx); err != nil {
		return 0, err
	}
	return int(n), tx.Commit()
}

// EmbeddingStats counts the live paragraphs that have a vector by model
// and those that have none yet (what Embed would work on, before it
// merges identical texts).
func (ix *Index) EmbeddingStats(ctx context.Context, model string) (vectors, missing int, err error) {
	var total int
	err = ix.db.QueryRowContext(ctx, `
		SELECT count(*), count(*) FILTER (WHERE hash IN (`+modelHashesSQL+`)) FROM paragraphs`, model).Scan(&total, &vectors)
	if err != nil {
		return 0, 0, fmt.Errorf("vector stats for %q: %w", model, explain(err))
	}
	return vectors, total - vectors, nil
}
