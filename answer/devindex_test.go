package answer

import (
	"bufio"
	"cmp"
	"encoding/json"
	"math"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/byline-news/byline/retrieval"
	"github.com/byline-news/byline/retrieval/analysis"
)

// devIndex is a throwaway in-memory BM25 index over every paragraph of
// the dev articles, standing in for the real index in TestDevQA. The
// title is indexed with each paragraph.
type devIndex struct {
	arts  []retrieval.Article
	paras []devPara
	post  map[string][]int // term → paragraph numbers, once per occurrence
	avg   float64          // average paragraph length in terms
}

type devPara struct {
	art, n int // article index and paragraph number in it
	len    int // length in terms
}

func loadDevIndex(t *testing.T, path string) *devIndex {
	idx := &devIndex{post: map[string][]int{}}
	total := 0
	readJSONL(t, path, func(b []byte) {
		var r struct{ ID, Title, Body string }
		if err := json.Unmarshal(b, &r); err != nil {
			t.Fatal(err)
		}
		a := retrieval.Article{ID: r.ID, Title: r.Title, Paragraphs: strings.Split(r.Body, "\n\n")}
		idx.arts = append(idx.arts, a)
		for n, p := range a.Paragraphs {
			terms := analysis.Terms(a.Title + "\n" + p)
			for _, term := range terms {
				idx.post[term] = append(idx.post[term], len(idx.paras))
			}
			idx.paras = append(idx.paras, devPara{len(idx.arts) - 1, n, len(terms)})
			total += len(terms)
		}
	})
	idx.avg = float64(total) / float64(len(idx.paras))
	return idx
}

// search returns the k paragraphs with the best BM25 score for q.
func (idx *devIndex) search(q string, k int) []retrieval.Hit {
	score := map[int]float64{}
	for _, term := range analysis.Terms(q) {
		tf := map[int]int{}
		for _, p := range idx.post[term] {
			tf[p]++
		}
		n, df := float64(len(idx.paras)), float64(len(tf))
		idf := math.Log(1 + (n-df+0.5)/(df+0.5))
		for p, f := range tf {
			norm := 0.25 + 0.75*float64(idx.paras[p].len)/idx.avg
			score[p] += idf * float64(f) * 2.2 / (float64(f) + 1.2*norm)
		}
	}
	ids := make([]int, 0, len(score))
	for p := range score {
		ids = append(ids, p)
	}
	slices.SortFunc(ids, func(a, b int) int { return cmp.Or(cmp.Compare(score[b], score[a]), a-b) })
	var hits []retrieval.Hit
	for _, p := range ids[:min(k, len(ids))] {
		hits = append(hits, idx.hit(p, score[p]))
	}
	return hits
}

// hit builds the Hit for paragraph p, as an index would.
func (idx *devIndex) hit(p int, score float64) retrieval.Hit {
	dp := idx.paras[p]
	a := idx.arts[dp.art]
	h := retrieval.Hit{Article: a, Paragraph: dp.n, Text: a.Paragraphs[dp.n], Score: score}
	h.Article.Paragraphs = nil
	if dp.n > 0 {
		h.Before = a.Paragraphs[dp.n-1]
	}
	if dp.n+1 < len(a.Paragraphs) {
		h.After = a.Paragraphs[dp.n+1]
	}
	return h
}

// readJSONL calls fn with each line of the file at path.
func readJSONL(t *testing.T, path string, fn func([]byte)) {
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 1<<24)
	for sc.Scan() {
		fn(sc.Bytes())
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
}
