package main

import (
	"encoding/json"
	"math"
	"sync"
	"testing"

	"github.com/byline-news/byline/retrieval/postgres/pgtest"
)

// TestEvalPostgresParity runs "byline eval" on SQLite and on PostgreSQL
// and holds the rule: recall@1 and answer containment within
// 0.005 of each other on every question set, through the whole question
// path (abstentions included). Both backends run the same engine, so
// they should agree exactly; at most 600 evenly spaced questions a set,
// both backends at once, keep it quick.
func TestEvalPostgresParity(t *testing.T) {
	needShared(t, "the parity evaluation", "qa/squad-v1.1-dev.jsonl", "qa/bbc-dev.jsonl", "news/articles.jsonl")
	server := pgtest.Server(t)
	t.Parallel()
	e := newEnv(t)
	args := []string{"eval", "--json", "--data", sharedData, "--max", "600", "--embed", "none"}
	var reports [2]evalReport
	var wg sync.WaitGroup
	for i, extra := range [][]string{nil, {"--db", server}} {
		wg.Go(func() {
			r := e.run(append(args, extra...)...)
			if r.code != 0 || json.Unmarshal([]byte(r.out), &reports[i]) != nil {
				t.Errorf("eval %q: exit %d\n%s\n%s", extra, r.code, r.out, r.err)
			}
		})
	}
	wg.Wait()
	s, p := reports[0], reports[1]
	if len(s.Sets) != 4 || len(p.Sets) != 4 {
		t.Fatalf("reports lack sets: SQLite %d, PostgreSQL %d, want every set", len(s.Sets), len(p.Sets))
	}
	for i := range s.Sets {
		ls, ps := s.Sets[i], p.Sets[i]
		for _, m := range []struct {
			name       string
			lite, post float64
		}{
			{"recall@1", ls.Retrieval.Recall1, ps.Retrieval.Recall1},
			{"answer in short answer", ls.Answers.Contained, ps.Answers.Contained},
			{"false abstentions", ls.Answers.FalseAbstain, ps.Answers.FalseAbstain},
			{"unanswerable abstained", ls.Answers.AbstainCorrect, ps.Answers.AbstainCorrect},
		} {
			t.Logf("%s %s: SQLite %.4f, PostgreSQL %.4f", ls.Name, m.name, m.lite, m.post)
			if math.Abs(m.lite-m.post) > 0.005 {
				t.Errorf("%s %s: SQLite %.4f, PostgreSQL %.4f; want within 0.005", ls.Name, m.name, m.lite, m.post)
			}
		}
		if want := min(600, ls.Answers.Questions); ls.Answers.Questions != ps.Answers.Questions || ls.Answers.Questions > 600 {
			t.Errorf("%s: questions asked %d and %d, want %d each", ls.Name, ls.Answers.Questions, ps.Answers.Questions, want)
		}
	}
}
