package answer_test

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/byline-news/byline/answer"
	"github.com/byline-news/byline/retrieval/sqlite"
)

func TestZZTrace(t *testing.T) {
	db := os.Getenv("ZZDB")
	if db == "" {
		db = "/tmp/bbc.db"
	}
	var qs []string
	if q := os.Getenv("ZZQ"); q != "" {
		qs = strings.Split(q, "|")
	}
	gold := map[string]string{}
	if f := os.Getenv("ZZF"); f != "" {
		ids := map[string]bool{}
		for _, id := range strings.Split(os.Getenv("ZZIDS"), ",") {
			ids[id] = true
		}
		fh, _ := os.Open(f)
		sc := bufio.NewScanner(fh)
		sc.Buffer(make([]byte, 1<<20), 1<<24)
		for sc.Scan() {
			var r struct {
				ID, Question string
				Answers      []string
			}
			json.Unmarshal(sc.Bytes(), &r)
			if ids[r.ID] {
				qs = append(qs, r.Question)
				gold[r.Question] = strings.Join(r.Answers, " / ")
			}
		}
	}
	if len(qs) == 0 {
		t.Skip("no ZZQ/ZZF")
	}
	n := 6
	if v, _ := strconv.Atoi(os.Getenv("ZZN")); v > 0 {
		n = v
	}
	ctx := context.Background()
	ix, err := sqlite.Open(ctx, db, sqlite.Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	names := answer.FeatureNames()
	for _, q := range qs {
		a, err := answer.Ask(ctx, ix, answer.Request{Question: q, Options: answer.Options{Trace: true, Corpus: 2225}})
		if err != nil {
			t.Fatal(err)
		}
		fmt.Printf("\n=== %s   [gold: %s]\n  abst=%v conf=%.3f signals=%v\n  ANSWER: %.300s\n", q, gold[q], a.Abstained, a.Confidence, a.Signals, a.Text)
		for _, s := range a.Sources {
			fmt.Printf("  src %s#%d %s\n", s.Hit.Article.ID, s.Hit.Paragraph, s.Hit.Article.Title)
		}
		tr := a.Trace
		m := answer.DefaultModel()
		sort.SliceStable(tr, func(i, j int) bool { return dot(m.Rank[:], tr[i].Features) > dot(m.Rank[:], tr[j].Features) })
		for i, c := range tr {
			if i >= n {
				break
			}
			var fs []string
			for j, f := range c.Features {
				if f != 0 {
					fs = append(fs, fmt.Sprintf("%s=%.2f", names[j], f))
				}
			}
			fmt.Printf("  %d %.3f %v %.160s\n      %s\n", i, dot(m.Rank[:], c.Features), c.Chosen, c.Text, strings.Join(fs, " "))
		}
	}
}

func dot(w []float64, x []float64) float64 {
	s := 0.0
	for i := range w {
		s += w[i] * x[i]
	}
	return s
}
