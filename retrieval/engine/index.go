// Package engine is byline's index, shared by its storage backends: the
// analysis of articles into posting lists kept in immutable segments,
// their merging, BM25F scoring with the phrase and recency rerank, the
// grouping of syndicated copies, and the in-memory vector scan fused
// with it. A backend (retrieval/sqlite, retrieval/postgres) stores the
// rows and blobs behind Backend (store.go); the engine decides the rest,
// so both backends give the same answers by construction.
package engine

import (
	"context"
	"fmt"
	"sync"
	"time"
)

// Options configure an Index.
type Options struct {
	Params Params // ranking parameters; zero fields take defaults
	// Now stamps articles' indexed time; nil means time.Now.
	Now func() time.Time
}

// Index is the engine over one backend. It is safe for concurrent use;
// searches run while an index call writes.
type Index struct {
	b      Backend
	params Params
	now    func() time.Time

	mu    sync.Mutex // guards state
	state *state
	dict  sourceDict // the sources of loaded segments' documents (scope.go)

	vmu     sync.Mutex // guards vecs and vformat; held while vectors load
	vecs    *vecSet    // the last model's vectors (vectors.go)
	vformat VectorFormat
}

// New returns the engine over b.
func New(b Backend, opt Options) *Index {
	ix := &Index{b: b, params: opt.Params.withDefaults(), now: opt.Now}
	if ix.now == nil {
		ix.now = time.Now
	}
	return ix
}

// Generation returns a number that changes whenever articles are added,
// replaced or deleted, so a background job, or another replica, can tell
// cheaply whether there is anything new.
func (ix *Index) Generation(ctx context.Context) (int64, error) {
	snap, err := ix.b.Snapshot(ctx)
	if err != nil {
		return 0, fmt.Errorf("read index generation: %w", err)
	}
	defer snap.Close()
	gen, _, err := snap.Counters(ctx)
	if err != nil {
		return 0, fmt.Errorf("read index generation: %w", err)
	}
	return gen, nil
}

// Delete removes the article with the given ID.
func (ix *Index) Delete(ctx context.Context, id string) error {
	_, err := ix.removeKey(ctx, ArticleKey{ID: id})
	return err
}
