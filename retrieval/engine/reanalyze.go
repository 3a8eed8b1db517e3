package engine

import (
	"context"
	"fmt"

	"github.com/byline-news/byline/retrieval/analysis"
)

// analysisKey is the meta row recording the analysis.Version that wrote
// the index's posting lists; an index without one was written by
// version 1.
const analysisKey = "analysis"

// reanalyzeBatch is how many paragraphs Reanalyze reads at a time.
const reanalyzeBatch = 1000

// Reanalyze rebuilds the posting lists of an index written by an
// earlier analysis.Version from its stored titles and paragraphs, so
// that old articles are found by this version's terms ("U.S." was "u"
// and "s" before version 2, and no question for "US" found it). It runs
// in one write transaction: a crash leaves the old index whole, and
// another process that opens the index meanwhile waits and then finds it
// current. starting, when not nil, is called before the work begins, to
// tell the user why opening takes long. It returns how many paragraphs
// it re-read, 0 when the index was current.
func (ix *Index) Reanalyze(ctx context.Context, starting func()) (int, error) {
	snap, err := ix.b.Snapshot(ctx)
	if err != nil {
		return 0, fmt.Errorf("reanalyze: %w", err)
	}
	v, ok, err := snap.Meta(ctx, analysisKey)
	snap.Close()
	if err != nil {
		return 0, fmt.Errorf("reanalyze: %w", err)
	}
	if ok && v == analysis.Version {
		return 0, nil // the common case, without taking the writer lock
	}
	tx, err := ix.b.Begin(ctx)
	if err != nil {
		return 0, fmt.Errorf("reanalyze: %w", err)
	}
	n, err := reanalyze(ctx, tx, starting)
	if err == nil {
		err = tx.Commit(ctx)
	}
	if err != nil {
		tx.Rollback(context.Background())
		return 0, fmt.Errorf("reanalyze: %w", err)
	}
	return n, nil
}

// reanalyze rewrites every segment of tx from its documents' text, unless
// another process did so meanwhile.
func reanalyze(ctx context.Context, tx Tx, starting func()) (int, error) {
	v, ok, err := tx.Meta(ctx, analysisKey)
	if err != nil || ok && v == analysis.Version {
		return 0, err
	}
	if ok && v > analysis.Version {
		return 0, fmt.Errorf("the index was written by a newer byline (analysis %d, this one knows %d): upgrade byline", v, analysis.Version)
	}
	heads, err := tx.SegmentHeads(ctx)
	if err != nil {
		return 0, err
	}
	if len(heads) > 0 && starting != nil {
		starting()
	}
	n := 0
	for _, h := range heads {
		m, err := reanalyzeSegment(ctx, tx, h.ID)
		if err != nil {
			return 0, fmt.Errorf("segment %d: %w", h.ID, err)
		}
		n += m
	}
	if err := tx.SetMeta(ctx, analysisKey, analysis.Version); err != nil {
		return 0, err
	}
	if n > 0 {
		return n, tx.BumpGeneration(ctx)
	}
	return 0, nil
}

// reanalyzeSegment replaces segment id by one analysed afresh from its
// live documents, and returns how many it holds.
func reanalyzeSegment(ctx context.Context, tx Tx, id int64) (int, error) {
	s, err := loadSegment(ctx, tx, id)
	if err != nil {
		return 0, err
	}
	if err := loadTombstones(ctx, tx, s); err != nil {
		return 0, err
	}
	b := newBuilder()
	counts := map[string]uint32{}
	for lo := 0; lo < len(s.docs); lo += reanalyzeBatch {
		hi := min(lo+reanalyzeBatch, len(s.docs))
		rows := make(map[int64]DocRow, hi-lo)
		if err := tx.Docs(ctx, s.docs[lo:hi], func(d DocRow) { rows[d.Doc] = d }); err != nil {
			return 0, err
		}
		for i := lo; i < hi; i++ {
			d, ok := rows[s.docs[i]]
			if !ok || s.deleted != nil && s.deleted[i] {
				continue // deleted: the new segment leaves it out
			}
			b.add(d.Doc, s.pubs[i], analyzeParagraph(titleTerms(d.Title), d.Text, counts))
		}
	}
	return len(b.docs), replaceSegments(ctx, tx, []*segment{s}, b)
}
