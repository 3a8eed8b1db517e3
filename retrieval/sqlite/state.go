package sqlite

import (
	"context"
	"database/sql"
	"fmt"
)

// querier is what both *sql.Tx and *sql.Conn offer.
type querier interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// state is the index as of one generation: its segments with their
// per-document arrays, and corpus statistics for BM25.
type state struct {
	generation int64
	segs       []*segment
	docs       int64 // live documents
	avgLen     float64
	avgTitle   float64
}

// current returns the state for the snapshot q reads, reusing segments
// already loaded: they are immutable, only their tombstones change.
func (ix *Index) current(ctx context.Context, q querier) (*state, error) {
	var gen int64
	if err := q.QueryRowContext(ctx, `SELECT value FROM meta WHERE key = 'generation'`).Scan(&gen); err != nil {
		return nil, explain(err)
	}
	ix.mu.Lock()
	defer ix.mu.Unlock()
	if ix.state != nil && ix.state.generation == gen {
		return ix.state, nil
	}
	st, err := loadState(ctx, q, gen, ix.state)
	if err != nil {
		return nil, fmt.Errorf("load index: %w", explain(err))
	}
	ix.state = st
	return st, nil
}

func loadState(ctx context.Context, q querier, gen int64, prev *state) (*state, error) {
	cached := map[int64]*segment{}
	if prev != nil {
		for _, s := range prev.segs {
			cached[s.id] = s
		}
	}
	ids, err := segmentIDs(ctx, q)
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

func segmentIDs(ctx context.Context, q querier) ([]int64, error) {
	rows, err := q.QueryContext(ctx, `SELECT id FROM segments ORDER BY id`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var ids []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		ids = append(ids, id)
	}
	return ids, rows.Err()
}

func loadSegment(ctx context.Context, q querier, id int64) (*segment, error) {
	var n int
	var docs, lens, pubs []byte
	s := &segment{id: id}
	err := q.QueryRowContext(ctx, `SELECT ndocs, docs, lens, pubs, total_len, title_len FROM segments WHERE id = ?`, id).
		Scan(&n, &docs, &lens, &pubs, &s.totalLen, &s.titleSum)
	if err != nil {
		return nil, fmt.Errorf("segment %d: %w", id, err)
	}
	if s.docs, err = decodeDocs(docs, n); err != nil {
		return nil, fmt.Errorf("segment %d: %w", id, err)
	}
	if s.lens, s.titleLen, err = decodeLens(lens, n); err != nil {
		return nil, fmt.Errorf("segment %d: %w", id, err)
	}
	if s.pubs, err = decodePubs(pubs, n); err != nil {
		return nil, fmt.Errorf("segment %d: %w", id, err)
	}
	return s, nil
}

// loadTombstones marks s's deleted documents.
func loadTombstones(ctx context.Context, q querier, s *segment) error {
	s.deleted = nil
	if s.ndocs() == 0 {
		return nil
	}
	rows, err := q.QueryContext(ctx, `SELECT doc FROM tombstones WHERE doc BETWEEN ? AND ?`, s.docs[0], s.docs[len(s.docs)-1])
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var doc int64
		if err := rows.Scan(&doc); err != nil {
			return err
		}
		if i := s.ordinal(doc); i >= 0 {
			if s.deleted == nil {
				s.deleted = make([]bool, s.ndocs())
			}
			s.deleted[i] = true
		}
	}
	return rows.Err()
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
