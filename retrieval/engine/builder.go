package engine

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"math"
	"runtime"
	"sync"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/byline-news/byline/retrieval"
	"github.com/byline-news/byline/retrieval/analysis"
)

// termFreq is one distinct term of a paragraph.
type termFreq struct {
	term    string
	tf      uint32
	titleTF uint32
}

// analyzed is a paragraph ready for the inverted index.
type analyzed struct {
	terms    []termFreq
	length   uint16
	titleLen uint8
}

// analyzeArticle turns an article's title and paragraphs into term counts.
func analyzeArticle(a *retrieval.Article) []analyzed {
	title := titleTerms(a.Title)
	out := make([]analyzed, len(a.Paragraphs))
	counts := map[string]uint32{}
	for i, p := range a.Paragraphs {
		out[i] = analyzeParagraph(title, p, counts)
	}
	return out
}

// titleCounts are a title's term counts and its length in terms.
type titleCounts struct {
	counts map[string]uint32
	len    int
}

func titleTerms(title string) titleCounts {
	t := titleCounts{counts: map[string]uint32{}}
	analysis.Each(title, func(tok analysis.Token) {
		if !tok.Stop {
			t.counts[tok.Term]++
			t.len++
		}
		if tok.Joined != "" {
			t.counts[tok.Joined]++
		}
	})
	return t
}

// analyzeParagraph counts the terms of a paragraph of an article titled
// title, in counts (cleared first: the caller's, reused).
func analyzeParagraph(title titleCounts, text string, counts map[string]uint32) analyzed {
	clear(counts)
	n := 0
	analysis.Each(text, func(t analysis.Token) {
		if !t.Stop {
			counts[t.Term]++
			n++
		}
		if t.Joined != "" { // not in the length: the compound's words are
			counts[t.Joined]++
		}
	})
	return analyzed{terms: mergeTitle(counts, title.counts), length: clamp16(n), titleLen: clamp8(title.len)}
}

func mergeTitle(counts, title map[string]uint32) []termFreq {
	terms := make([]termFreq, 0, len(counts)+len(title))
	for t, c := range counts {
		terms = append(terms, termFreq{term: t, tf: c, titleTF: title[t]})
	}
	for t, c := range title {
		if counts[t] == 0 {
			terms = append(terms, termFreq{term: t, titleTF: c})
		}
	}
	return terms
}

func clamp16(n int) uint16 { return uint16(min(n, math.MaxUint16)) }
func clamp8(n int) uint8   { return uint8(min(n, math.MaxUint8)) }

// analyzeAll analyzes articles on every core; indexing is CPU-bound here.
func analyzeAll(articles []retrieval.Article) ([][]analyzed, []uint64) {
	out := make([][]analyzed, len(articles))
	sims := make([]uint64, len(articles))
	workers := runtime.GOMAXPROCS(0)
	var wg sync.WaitGroup
	next := make(chan int)
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				out[i] = analyzeArticle(&articles[i])
				sims[i] = simhash(articles[i].Paragraphs)
			}
		}()
	}
	for i := range articles {
		next <- i
	}
	close(next)
	wg.Wait()
	return out, sims
}

// plist is a posting list being built.
type plist struct {
	buf  []byte
	last int64
	df   int
}

// builder accumulates one segment in memory.
type builder struct {
	docs     []int64
	lens     []uint16
	titleLen []uint8
	pubs     []int32
	totalLen int64
	titleSum int64
	lists    map[string]*plist
	postings int
}

func newBuilder() *builder { return &builder{lists: map[string]*plist{}} }

func (b *builder) add(doc int64, pub int32, p analyzed) {
	ord := int64(len(b.docs))
	b.docs = append(b.docs, doc)
	b.lens = append(b.lens, p.length)
	b.titleLen = append(b.titleLen, p.titleLen)
	b.pubs = append(b.pubs, pub)
	b.totalLen += int64(p.length)
	b.titleSum += int64(p.titleLen)
	for _, t := range p.terms {
		l := b.lists[t.term]
		if l == nil {
			l = &plist{last: -1}
			b.lists[t.term] = l
		}
		l.buf = appendPosting(l.buf, l.last, posting{ord: uint32(ord), tf: t.tf, titleTF: t.titleTF})
		l.last = ord
		l.df++
		b.postings++
	}
}

func (b *builder) empty() bool { return len(b.docs) == 0 }

// write stores the segment in tx and returns its id.
func (b *builder) write(ctx context.Context, tx Tx) (int64, error) {
	lists := make([]PostingList, 0, len(b.lists))
	for term, l := range b.lists {
		lists = append(lists, PostingList{Term: term, DF: l.df, Data: l.buf})
	}
	id, err := tx.WriteSegment(ctx, SegmentRow{NDocs: len(b.docs), Docs: encodeDocs(b.docs), Lens: encodeLens(b.lens, b.titleLen),
		Pubs: encodePubs(b.pubs), TotalLen: b.totalLen, TitleLen: b.titleSum}, lists)
	if err != nil {
		return 0, fmt.Errorf("write segment: %w", err)
	}
	return id, nil
}

// day converts a time to the day number stored in segments.
func day(t time.Time) int32 {
	if t.IsZero() {
		return unknownDay
	}
	return int32(t.Unix() / 86400)
}

// textHash identifies an article's body regardless of spacing and case, so
// the same story indexed under another ID or URL replaces the first copy.
func textHash(a *retrieval.Article) string {
	h := sha256.New()
	buf := make([]byte, 0, 1024)
	for _, p := range a.Paragraphs {
		buf = appendNormalized(buf[:0], p)
		buf = append(buf, '\n')
		h.Write(buf)
	}
	return hex.EncodeToString(h.Sum(nil)[:16])
}

// appendNormalized appends s lower-cased with runs of white space as one
// space and none at the ends.
func appendNormalized(buf []byte, s string) []byte {
	space := false
	for _, r := range s {
		if unicode.IsSpace(r) {
			space = len(buf) > 0
			continue
		}
		if space {
			buf = append(buf, ' ')
			space = false
		}
		buf = utf8.AppendRune(buf, unicode.ToLower(r))
	}
	return buf
}
