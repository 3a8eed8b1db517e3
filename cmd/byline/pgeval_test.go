package main

import (
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"sync"
	"testing"

	"github.com/byline-news/byline/retrieval/postgres/pgtest"
)

// TestEvalPostgresParity runs "byline eval" on SQLite and on PostgreSQL
// and holds the rule: recall@1 and answer containment within
// 0.005 of each other on SQuAD and bbc-dev. Both backends run the same
// engine, so they should agree exactly; 600 evenly spaced SQuAD
// questions (of 10,570), both backends at once, keep it quick.
func TestEvalPostgresParity(t *testing.T) {
	for _, p := range []string{"qa/squad-v1.1-dev.jsonl", "qa/bbc-dev.jsonl", "news/articles.jsonl"} {
		if _, err := os.Stat(filepath.Join(sharedData, p)); err != nil {
			t.Skipf("shared data absent (%v): skipping the parity evaluation", err)
		}
	}
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
	if s.SQuAD == nil || s.BBC == nil || p.SQuAD == nil || p.BBC == nil || s.SQuADAnswers == nil || p.SQuADAnswers == nil ||
		s.BBCAnswers == nil || p.BBCAnswers == nil {
		t.Fatalf("a report lacks a set: SQLite %+v, PostgreSQL %+v", s, p)
	}
	for _, m := range []struct {
		name       string
		lite, post float64
	}{
		{"SQuAD recall@1", s.SQuAD.Recall1, p.SQuAD.Recall1},
		{"SQuAD answer contains gold", s.SQuADAnswers.Contained, p.SQuADAnswers.Contained},
		{"bbc-dev recall@1", s.BBC.Recall1, p.BBC.Recall1},
		{"bbc-dev answer contains gold", s.BBCAnswers.Contained, p.BBCAnswers.Contained},
	} {
		t.Logf("%s: SQLite %.4f, PostgreSQL %.4f", m.name, m.lite, m.post)
		if math.Abs(m.lite-m.post) > 0.005 {
			t.Errorf("%s: SQLite %.4f, PostgreSQL %.4f; want within 0.005", m.name, m.lite, m.post)
		}
	}
	if s.SQuAD.Questions != 600 || p.SQuAD.Questions != 600 {
		t.Errorf("SQuAD questions asked: %d and %d, want 600 each", s.SQuAD.Questions, p.SQuAD.Questions)
	}
}
