package engine

import (
	"context"
	"fmt"
	"sync"
)

// state is the index as of one generation: its segments with their
// per-document arrays, and corpus statistics for BM25.
type state struct {
	generation int64
	segs       []*segment
	docs       int64 // live documents
	avgLen     float64
	avgTitle   float64

	mu     sync.Mutex        // guards scopes
	scopes map[string]docSet // live documents per scope key (scope.go)
}

// current returns the state as of generation gen, read through q,
// reusing segments already loaded: they are immutable, only their
// tombstones change.
func (ix *Index) current(ctx context.Context, q Reader, gen int64) (*state, error) {
	ix.mu.Lock()
	defer ix.mu.Unlock()
	if ix.state != nil && ix.state.generation == gen {
		return ix.state, nil
	}
	st, err := loadState(ctx, q, gen, ix.state)
	if err != nil {
		return nil, fmt.Errorf("load index: %w", err)
	}
	ix.state = st
	return st, nil
}

func loadState(ctx context.Context, q Reader, gen int64, prev *state) (*state, error) {
	cached := map[int64]*segment{}
	if prev != nil {
		for _, s := range prev.segs {
			cached[s.id] = s
		}
	}
	ids, err := q.SegmentIDs(ctx)
	if err != nil {
		return nil, err
	}
	st := &state{generation: gen}
	var total, titles int64
	for _, id := range ids {
		s := cached[id]
		if s == nil {
			if s, err = loadSegment(ctx, q, id); err != nil {
				return nil, err
			}
		} else {
			s = s.clone()
		}
		if err := loadTombstones(ctx, q, s); err != nil {
			return nil, err
		}
		st.segs = append(st.segs, s)
		st.docs += int64(s.ndocs()) - s.dead()
		total += s.totalLen
		titles += s.titleSum
	}
	if n := st.allDocs(); n > 0 {
		st.avgLen = float64(total) / float64(n)
		st.avgTitle = float64(titles) / float64(n)
	}
	return st, nil
}

func (st *state) allDocs() (n int64) {
	for _, s := range st.segs {
		n += int64(s.ndocs())
	}
	return n
}

func loadSegment(ctx context.Context, q Reader, id int64) (*segment, error) {
	row, err := q.Segment(ctx, id)
	if err != nil {
		return nil, fmt.Errorf("segment %d: %w", id, err)
	}
	s := &segment{id: id, totalLen: row.TotalLen, titleSum: row.TitleLen, src: &segSources{}}
	n := row.NDocs
	if s.docs, err = decodeDocs(row.Docs, n); err != nil {
		return nil, fmt.Errorf("segment %d: %w", id, err)
	}
	if s.lens, s.titleLen, err = decodeLens(row.Lens, n); err != nil {
		return nil, fmt.Errorf("segment %d: %w", id, err)
	}
	if s.pubs, err = decodePubs(row.Pubs, n); err != nil {
		return nil, fmt.Errorf("segment %d: %w", id, err)
	}
	return s, nil
}

// loadTombstones marks s's deleted documents.
func loadTombstones(ctx context.Context, q Reader, s *segment) error {
	s.deleted = nil
	if s.ndocs() == 0 {
		return nil
	}
	return q.Tombstones(ctx, s.docs[0], s.docs[len(s.docs)-1], func(doc int64) {
		if i := s.ordinal(doc); i >= 0 {
			if s.deleted == nil {
				s.deleted = make([]bool, s.ndocs())
			}
			s.deleted[i] = true
		}
	})
}

// clone copies the segment header so tombstones can differ per state;
// the large arrays are shared, as they never change.
func (s *segment) clone() *segment {
	c := *s
	c.deleted = nil
	return &c
}

func (s *segment) dead() (n int64) {
	for _, d := range s.deleted {
		if d {
			n++
		}
	}
	return n
}
