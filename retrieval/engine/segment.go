package engine

import (
	"encoding/binary"
	"fmt"
	"math"
	"slices"
)

// Posting lists are one blob per (term, segment): for each document that
// contains the term, in increasing ordinal order,
//
//	uvarint((ordinal - previous ordinal - 1) << 1 | hasTitle)
//	uvarint(term frequency in the paragraph text)
//	uvarint(term frequency in the article title)   only when hasTitle
//
// where an ordinal is the document's position within its segment. Segments
// store their documents' global numbers (delta-coded) and, per document,
// text length (uint16), title length (uint8) and published day (int32).

const unknownDay = math.MinInt32

// posting is one decoded entry of a posting list.
type posting struct {
	ord     uint32
	tf      uint32
	titleTF uint32
}

// appendPosting encodes p after prev (the previous ordinal, -1 at start).
func appendPosting(buf []byte, prev int64, p posting) []byte {
	v := uint64(int64(p.ord)-prev-1) << 1
	if p.titleTF > 0 {
		v |= 1
	}
	buf = binary.AppendUvarint(buf, v)
	buf = binary.AppendUvarint(buf, uint64(p.tf))
	if p.titleTF > 0 {
		buf = binary.AppendUvarint(buf, uint64(p.titleTF))
	}
	return buf
}

// decodePostings calls fn for each posting in data. It is the query hot
// path, so the varint decoding is inlined for the one-byte case.
func decodePostings(data []byte, fn func(p posting)) error {
	ord := int64(-1)
	for i := 0; i < len(data); {
		v, n := uvarint(data[i:])
		if n <= 0 {
			return fmt.Errorf("corrupt posting list at byte %d", i)
		}
		i += n
		ord += int64(v>>1) + 1
		p := posting{ord: uint32(ord)}
		tf, n := uvarint(data[i:])
		if n <= 0 {
			return fmt.Errorf("corrupt posting list at byte %d", i)
		}
		i += n
		p.tf = uint32(tf)
		if v&1 == 1 {
			ttf, n := uvarint(data[i:])
			if n <= 0 {
				return fmt.Errorf("corrupt posting list at byte %d", i)
			}
			i += n
			p.titleTF = uint32(ttf)
		}
		fn(p)
	}
	return nil
}

func uvarint(b []byte) (uint64, int) {
	if len(b) > 0 && b[0] < 0x80 {
		return uint64(b[0]), 1
	}
	return binary.Uvarint(b)
}

// segment is a loaded segment's per-document data.
type segment struct {
	id       int64
	docs     []int64  // global document numbers, ascending
	lens     []uint16 // paragraph length in terms
	titleLen []uint8  // title length in terms
	pubs     []int32  // published day since the Unix epoch, unknownDay if unknown
	totalLen int64
	titleSum int64
	deleted  []bool      // nil when nothing is deleted
	src      *segSources // each document's source, read when a scope needs it (scope.go)
}

func (s *segment) ndocs() int { return len(s.docs) }

// ordinal returns the position of global document doc, or -1.
func (s *segment) ordinal(doc int64) int {
	i, ok := slices.BinarySearch(s.docs, doc)
	if !ok {
		return -1
	}
	return i
}

func encodeDocs(docs []int64) []byte {
	buf := make([]byte, 0, len(docs)*2)
	prev := int64(0)
	for _, d := range docs {
		buf = binary.AppendUvarint(buf, uint64(d-prev))
		prev = d
	}
	return buf
}

func decodeDocs(data []byte, n int) ([]int64, error) {
	docs := make([]int64, 0, n)
	prev := int64(0)
	for i := 0; i < len(data); {
		v, k := binary.Uvarint(data[i:])
		if k <= 0 {
			return nil, fmt.Errorf("corrupt document list")
		}
		i += k
		prev += int64(v)
		docs = append(docs, prev)
	}
	if len(docs) != n {
		return nil, fmt.Errorf("document list has %d entries, want %d", len(docs), n)
	}
	return docs, nil
}

func encodeLens(lens []uint16, titleLen []uint8) []byte {
	buf := make([]byte, 3*len(lens))
	for i := range lens {
		binary.LittleEndian.PutUint16(buf[3*i:], lens[i])
		buf[3*i+2] = titleLen[i]
	}
	return buf
}

func decodeLens(data []byte, n int) ([]uint16, []uint8, error) {
	if len(data) != 3*n {
		return nil, nil, fmt.Errorf("length table has %d bytes, want %d", len(data), 3*n)
	}
	lens := make([]uint16, n)
	titleLen := make([]uint8, n)
	for i := range n {
		lens[i] = binary.LittleEndian.Uint16(data[3*i:])
		titleLen[i] = data[3*i+2]
	}
	return lens, titleLen, nil
}

func encodePubs(pubs []int32) []byte {
	buf := make([]byte, 4*len(pubs))
	for i, p := range pubs {
		binary.LittleEndian.PutUint32(buf[4*i:], uint32(p))
	}
	return buf
}

func decodePubs(data []byte, n int) ([]int32, error) {
	if len(data) != 4*n {
		return nil, fmt.Errorf("date table has %d bytes, want %d", len(data), 4*n)
	}
	pubs := make([]int32, n)
	for i := range n {
		pubs[i] = int32(binary.LittleEndian.Uint32(data[4*i:]))
	}
	return pubs, nil
}
