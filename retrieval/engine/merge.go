package engine

import (
	"context"
	"fmt"
	"slices"
)

// Merge policy: at most maxSegments segments (each query reads one blob
// per term per segment), and a segment whose documents are more than
// maxDeadFraction tombstones is rewritten without them.
const (
	maxSegments     = 8
	maxDeadFraction = 0.2
)

type segInfo struct {
	id, ndocs, dead int64
	minDoc          int64
}

// maybeMerge merges segments inside tx when the policy asks for it.
func maybeMerge(ctx context.Context, tx Tx) error {
	infos, err := segmentInfos(ctx, tx)
	if err != nil {
		return err
	}
	for _, group := range mergeGroups(infos) {
		if err := mergeSegments(ctx, tx, group); err != nil {
			return fmt.Errorf("merge segments: %w", err)
		}
	}
	return nil
}

func segmentInfos(ctx context.Context, tx Tx) ([]segInfo, error) {
	heads, err := tx.SegmentHeads(ctx)
	if err != nil {
		return nil, err
	}
	infos := make([]segInfo, len(heads))
	for i, h := range heads {
		d, err := decodeDocs(h.Docs, h.NDocs)
		if err != nil || len(d) == 0 {
			return nil, fmt.Errorf("segment %d: %v", h.ID, err)
		}
		infos[i] = segInfo{id: h.ID, ndocs: int64(h.NDocs), minDoc: d[0]}
		if infos[i].dead, err = tx.CountTombstones(ctx, d[0], d[len(d)-1]); err != nil {
			return nil, err
		}
	}
	slices.SortFunc(infos, func(a, b segInfo) int { return int(a.minDoc - b.minDoc) })
	return infos, nil
}

// mergeGroups returns runs of adjacent segments (in document order) to
// merge: the adjacent pair with the fewest live documents is joined until
// at most maxSegments remain, so large old segments are rarely rewritten.
func mergeGroups(infos []segInfo) [][]segInfo {
	groups := make([][]segInfo, len(infos))
	for i, s := range infos {
		groups[i] = []segInfo{s}
	}
	live := func(g []segInfo) (n int64) {
		for _, s := range g {
			n += s.ndocs - s.dead
		}
		return n
	}
	for len(groups) > maxSegments {
		best := 0
		for i := 1; i+1 < len(groups); i++ {
			if live(groups[i])+live(groups[i+1]) < live(groups[best])+live(groups[best+1]) {
				best = i
			}
		}
		groups[best] = append(groups[best], groups[best+1]...)
		groups = slices.Delete(groups, best+1, best+2)
	}
	var out [][]segInfo
	for _, g := range groups {
		if len(g) > 1 || float64(g[0].dead) > maxDeadFraction*float64(g[0].ndocs) {
			out = append(out, g)
		}
	}
	return out
}

// mergeSegments rewrites the segments of group (adjacent, in document
// order) as one, dropping tombstoned documents.
func mergeSegments(ctx context.Context, tx Tx, group []segInfo) error {
	segs := make([]*segment, len(group))
	for i, g := range group {
		s, err := loadSegment(ctx, tx, g.id)
		if err != nil {
			return err
		}
		if err := loadTombstones(ctx, tx, s); err != nil {
			return err
		}
		segs[i] = s
	}
	b := newBuilder()
	remaps := make(map[int64][]int32, len(segs))
	for _, s := range segs {
		remaps[s.id] = b.addLive(s)
	}
	if err := mergePostings(ctx, tx, segs, remaps, b); err != nil {
		return err
	}
	return replaceSegments(ctx, tx, segs, b)
}

// addLive appends s's live documents to b and returns each old ordinal's
// new ordinal (-1 for dropped documents).
func (b *builder) addLive(s *segment) []int32 {
	remap := make([]int32, s.ndocs())
	for i, doc := range s.docs {
		if s.deleted != nil && s.deleted[i] {
			remap[i] = -1
			continue
		}
		remap[i] = int32(len(b.docs))
		b.docs = append(b.docs, doc)
		b.lens = append(b.lens, s.lens[i])
		b.titleLen = append(b.titleLen, s.titleLen[i])
		b.pubs = append(b.pubs, s.pubs[i])
		b.totalLen += int64(s.lens[i])
		b.titleSum += int64(s.titleLen[i])
	}
	return remap
}

// mergePostings re-encodes every posting list of segs into b, term by term.
func mergePostings(ctx context.Context, tx Tx, segs []*segment, remaps map[int64][]int32, b *builder) error {
	ids := make([]int64, len(segs))
	for i, s := range segs {
		ids[i] = s.id
	}
	cur := ""
	blobs := map[int64][]byte{}
	emit := func() error {
		for _, s := range segs { // document order
			if data, ok := blobs[s.id]; ok {
				if err := b.appendList(cur, data, remaps[s.id]); err != nil {
					return fmt.Errorf("term %q: %w", cur, err)
				}
			}
		}
		clear(blobs)
		return nil
	}
	err := tx.MergePostings(ctx, ids, func(term string, seg int64, data []byte) error {
		if term != cur && len(blobs) > 0 {
			if err := emit(); err != nil {
				return err
			}
		}
		cur = term
		blobs[seg] = data
		return nil
	})
	if err != nil {
		return err
	}
	return emit()
}

func (b *builder) appendList(term string, data []byte, remap []int32) error {
	return decodePostings(data, func(p posting) {
		if int(p.ord) >= len(remap) || remap[p.ord] < 0 {
			return
		}
		l := b.lists[term]
		if l == nil {
			l = &plist{last: -1}
			b.lists[term] = l
		}
		ord := int64(remap[p.ord])
		l.buf = appendPosting(l.buf, l.last, posting{ord: uint32(ord), tf: p.tf, titleTF: p.titleTF})
		l.last = ord
		l.df++
		b.postings++
	})
}

// replaceSegments writes b and deletes the merged segments, their
// postings and the tombstones that no segment references any more.
func replaceSegments(ctx context.Context, tx Tx, segs []*segment, b *builder) error {
	if !b.empty() {
		if _, err := b.write(ctx, tx); err != nil {
			return err
		}
	}
	for _, s := range segs {
		if err := tx.DropSegment(ctx, s.id, s.docs[0], s.docs[len(s.docs)-1]); err != nil {
			return err
		}
	}
	return nil
}
