package engine

import (
	"context"
	"crypto/sha256"
	"encoding/binary"
	"errors"
	"fmt"
	"math"
)

// DefaultEmbedBatch is how many texts Embed sends per Embedder call when
// EmbedOptions.Batch is 0.
const DefaultEmbedBatch = 64

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

// ParagraphHash is the cache key of a paragraph's text, exactly as stored:
// the first 16 bytes of its SHA-256.
func ParagraphHash(text string) [16]byte {
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
		return res, fmt.Errorf("embed with model %q: %w", opt.Model, err)
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

// missingVectors returns one paragraph per distinct text that has no
// vector by model, in document order, and how many live paragraphs
// already have one. Texts are read per batch, so memory stays small.
func (ix *Index) missingVectors(ctx context.Context, model string) ([]pendingText, int, error) {
	var pending []pendingText
	cached := 0
	seen := map[[16]byte]bool{}
	err := ix.b.VectorCoverage(ctx, model, func(doc int64, hash []byte, has bool) {
		if has {
			cached++
			return
		}
		if k := [16]byte(hash); !seen[k] {
			seen[k] = true
			pending = append(pending, pendingText{doc: doc, hash: hash})
		}
	})
	if err != nil {
		return nil, 0, fmt.Errorf("find paragraphs without vectors: %w", err)
	}
	return pending, cached, nil
}

// storedDim returns the dimension of model's stored vectors, 0 if none.
func (ix *Index) storedDim(ctx context.Context, model string) (int, error) {
	snap, err := ix.b.Snapshot(ctx)
	if err != nil {
		return 0, fmt.Errorf("read stored vectors: %w", err)
	}
	defer snap.Close()
	n, err := snap.VectorBytes(ctx, model)
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
	rows := make([]VectorRow, len(vecs))
	for i, v := range vecs {
		rows[i] = VectorRow{Hash: hashes[i], Vec: encodeVector(v), Q8: EncodeQ8(v)}
	}
	if err := ix.b.StoreVectors(ctx, model, rows); err != nil {
		return 0, fmt.Errorf("store vectors: %w", err)
	}
	*dim = d
	return len(texts), nil
}

// batchTexts reads the batch's texts. A paragraph deleted since the list
// was made is skipped: nothing needs its vector now.
func (ix *Index) batchTexts(ctx context.Context, batch []pendingText) ([]string, [][]byte, error) {
	docs := make([]int64, len(batch))
	for i, p := range batch {
		docs[i] = p.doc
	}
	byDoc, err := ix.b.ParagraphTexts(ctx, docs)
	if err != nil {
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

// EncodeVector returns v as stored: float32 little-endian.
func EncodeVector(v []float32) []byte { return encodeVector(v) }

// DecodeVector fills dst (len(blob)/4 long) from a stored vector.
func DecodeVector(dst []float32, blob []byte) { decodeVector(dst, blob) }

// PruneEmbeddings deletes the vectors of every model but keepModel ("" keeps
// none) and the vectors whose text no live paragraph has any more. It
// returns how many vectors it deleted.
func (ix *Index) PruneEmbeddings(ctx context.Context, keepModel string) (int, error) {
	n, err := ix.b.PruneVectors(ctx, keepModel)
	if err != nil {
		return 0, fmt.Errorf("prune vectors: %w", err)
	}
	return n, nil
}

// EmbeddingStats counts the live paragraphs that have a vector by model
// and those that have none yet (what Embed would work on, before it
// merges identical texts).
func (ix *Index) EmbeddingStats(ctx context.Context, model string) (vectors, missing int, err error) {
	total, vectors, err := ix.b.VectorStats(ctx, model)
	if err != nil {
		return 0, 0, fmt.Errorf("vector stats for %q: %w", model, err)
	}
	return vectors, total - vectors, nil
}
