package engine

import (
	"context"
	"fmt"
	"slices"
	"sync"

	"github.com/byline-news/byline/retrieval"
)

// A scoped search (retrieval.Query.Scope) filters documents inside the
// ranking, as the date filter does: the BM25 loop and the vector scan
// skip every document outside the scope, so a channel limited to one
// small outlet still gets its K best paragraphs. To decide that per
// document without reading articles, each loaded segment learns, once,
// which source (outlet, feed, category) each of its documents has: an
// id into the index's dictionary of the sources seen. Segments are
// immutable and an article's source never changes, so this is read once
// per segment, and only when a scoped search first needs it.

// source is what a scope looks at in an article.
type source struct{ outlet, feed, category string }

// sourceDict numbers the distinct sources of the loaded segments; id 0
// is "no article" (a document deleted before its segment was read).
type sourceDict struct {
	mu   sync.Mutex
	ids  map[source]uint32
	list []source
}

func (d *sourceDict) id(s source) uint32 {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.ids == nil {
		d.ids, d.list = map[source]uint32{}, []source{{}}
	}
	id, ok := d.ids[s]
	if !ok {
		id = uint32(len(d.list))
		d.ids[s], d.list = id, append(d.list, s)
	}
	return id
}

func (d *sourceDict) snapshot() []source {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.list
}

// segSources holds a segment's document sources once loaded; clones of
// the segment share it.
type segSources struct {
	mu  sync.Mutex
	ids []uint32 // per ordinal; nil until loaded
}

// sources returns s's per-document source ids, reading them through q
// the first time.
func (ix *Index) sources(ctx context.Context, q Reader, s *segment) ([]uint32, error) {
	s.src.mu.Lock()
	defer s.src.mu.Unlock()
	if s.src.ids != nil || s.ndocs() == 0 {
		return s.src.ids, nil
	}
	ids := make([]uint32, s.ndocs())
	i := 0
	err := q.ArticleSources(ctx, s.docs[0], s.docs[len(s.docs)-1], func(first int64, n int, outlet, feed, category string) {
		id := ix.dict.id(source{outlet, feed, category})
		for i < len(s.docs) && s.docs[i] < first {
			i++
		}
		for ; i < len(s.docs) && s.docs[i] < first+int64(n); i++ {
			ids[i] = id
		}
	})
	if err != nil {
		return nil, fmt.Errorf("segment %d sources: %w", s.id, err)
	}
	s.src.ids = ids
	return ids, nil
}

// docSet is a set of document numbers.
type docSet []uint64

func (b docSet) has(doc int64) bool {
	i := uint64(doc) >> 6
	return i < uint64(len(b)) && b[i]&(1<<(uint64(doc)&63)) != 0
}

func (b docSet) add(doc int64) { b[uint64(doc)>>6] |= 1 << (uint64(doc) & 63) }

// maxScopes bounds the scopes whose document sets a state keeps.
const maxScopes = 32

// scopeDocs returns the live documents of st in scope, computed once per
// state and scope.
func (ix *Index) scopeDocs(ctx context.Context, q Reader, st *state, scope retrieval.Scope) (docSet, error) {
	key := scope.Key()
	st.mu.Lock()
	set, ok := st.scopes[key]
	st.mu.Unlock()
	if ok {
		return set, nil
	}
	in, err := ix.inScope(ctx, q, st, scope)
	if err != nil {
		return nil, err
	}
	var top int64
	for _, s := range st.segs {
		if n := s.ndocs(); n > 0 {
			top = max(top, s.docs[n-1])
		}
	}
	set = make(docSet, top/64+1)
	for _, s := range st.segs {
		ids := s.src.ids
		for ord, id := range ids {
			if in[id] && (s.deleted == nil || !s.deleted[ord]) {
				set.add(s.docs[ord])
			}
		}
	}
	st.mu.Lock()
	if st.scopes == nil || len(st.scopes) >= maxScopes {
		st.scopes = map[string]docSet{}
	}
	st.scopes[key] = set
	st.mu.Unlock()
	return set, nil
}

// inScope loads every segment's sources and tells, per source id,
// whether scope holds it.
func (ix *Index) inScope(ctx context.Context, q Reader, st *state, scope retrieval.Scope) ([]bool, error) {
	for _, s := range st.segs {
		if _, err := ix.sources(ctx, q, s); err != nil {
			return nil, err
		}
	}
	list := ix.dict.snapshot()
	in := make([]bool, len(list))
	for id, src := range list[1:] {
		in[id+1] = scope.Holds(src.outlet, src.feed, src.category)
	}
	return in, nil
}

// exactScope resolves scope to the stored spellings of the outlets and
// categories it names, for a backend that compares exactly
// (Reader.Newest); ok is false when it can hold no stored article.
func (ix *Index) exactScope(ctx context.Context, q Reader, st *state, scope retrieval.Scope) (retrieval.Scope, bool, error) {
	if _, err := ix.inScope(ctx, q, st, scope); err != nil {
		return retrieval.Scope{}, false, err
	}
	outlets := retrieval.Scope{Outlets: scope.Outlets}
	cats := retrieval.Scope{Categories: scope.Categories}
	out := retrieval.Scope{Feeds: scope.Feeds}
	for _, src := range ix.dict.snapshot()[1:] {
		if len(scope.Outlets) > 0 && outlets.Holds(src.outlet, "", "") && !slices.Contains(out.Outlets, src.outlet) {
			out.Outlets = append(out.Outlets, src.outlet)
		}
		if len(scope.Categories) > 0 && cats.Holds("", "", src.category) && !slices.Contains(out.Categories, src.category) {
			out.Categories = append(out.Categories, src.category)
		}
	}
	return out, !out.IsZero(), nil
}

// Sources lists the outlets, feeds and categories of the indexed
// articles, each once in its stored spelling: what a scope can name.
func (ix *Index) Sources(ctx context.Context) (retrieval.Scope, error) {
	out, err := ix.sourceNames(ctx)
	if err != nil {
		return out, fmt.Errorf("list sources: %w", err)
	}
	return out, nil
}

func (ix *Index) sourceNames(ctx context.Context) (retrieval.Scope, error) {
	snap, err := ix.b.Snapshot(ctx)
	if err != nil {
		return retrieval.Scope{}, err
	}
	defer snap.Close()
	gen, _, err := snap.Counters(ctx)
	if err != nil {
		return retrieval.Scope{}, err
	}
	st, err := ix.current(ctx, snap, gen)
	if err != nil {
		return retrieval.Scope{}, err
	}
	used := map[uint32]bool{}
	for _, s := range st.segs {
		ids, err := ix.sources(ctx, snap, s)
		if err != nil {
			return retrieval.Scope{}, err
		}
		for ord, id := range ids {
			if s.deleted == nil || !s.deleted[ord] {
				used[id] = true
			}
		}
	}
	var out retrieval.Scope
	seen := map[string]bool{}
	addOnce := func(l *[]string, kind, v string) {
		if v != "" && !seen[kind+v] {
			seen[kind+v] = true
			*l = append(*l, v)
		}
	}
	for id, src := range ix.dict.snapshot() {
		if used[uint32(id)] {
			addOnce(&out.Outlets, "o", src.outlet)
			addOnce(&out.Feeds, "f", src.feed)
			addOnce(&out.Categories, "c", src.category)
		}
	}
	slices.Sort(out.Outlets)
	slices.Sort(out.Feeds)
	slices.Sort(out.Categories)
	return out, nil
}
