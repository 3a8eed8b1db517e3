package answer

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/byline-news/byline/retrieval"
)

// TestDevQA runs Extract over the team's qa/bbc-dev.jsonl with a small
// in-test BM25 retriever (devindex_test.go), to tune the answerer before
// `byline eval` exists. It is skipped unless BYLINE_DEV_DATA names the
// shared data directory. With -v it logs every miss; BYLINE_DEV_DEBUG=1
// adds the features of the chosen and the gold sentences, and
// BYLINE_DEV_SWEEP=1 varies each feature weight in turn.
//
// The data is for internal evaluation only: nothing of it is copied here.
func TestDevQA(t *testing.T) {
	dir := os.Getenv("BYLINE_DEV_DATA")
	if dir == "" {
		t.Skip("set BYLINE_DEV_DATA to the shared data directory")
	}
	idx := loadDevIndex(t, filepath.Join(dir, "news/articles.jsonl"))
	recs := loadDevQuestions(t, filepath.Join(dir, "qa/bbc-dev.jsonl"))
	for i := range recs {
		recs[i].hits = idx.search(recs[i].Question, 10)
	}
	if os.Getenv("BYLINE_DEV_SWEEP") != "" {
		sweepWeights(t, recs)
	}
	var res []devResult
	for _, r := range recs {
		a := Extract(r.Question, r.hits, Options{Corpus: len(idx.arts), MinConfidence: -1})
		res = append(res, devResult{a.Confidence, len(r.Answers) > 0, containsAny(a.Text, r.Answers)})
		logMiss(t, r, a)
	}
	logThresholds(t, res)
}

// devRec is one dev question, with the hits retrieved for it.
type devRec struct {
	ID, Question string
	Answers      []string
	hits         []retrieval.Hit
}

// devResult is how Extract did on one question.
type devResult struct {
	conf       float64
	answerable bool
	correct    bool // the answer text holds a gold answer
}

func loadDevQuestions(t *testing.T, path string) []devRec {
	var recs []devRec
	readJSONL(t, path, func(b []byte) {
		var r devRec
		if err := json.Unmarshal(b, &r); err != nil {
			t.Fatal(err)
		}
		recs = append(recs, r)
	})
	return recs
}

// containsAny applies the dev set's scoring rule: any gold answer occurs
// in the text, ignoring case, runs of white space and curly quotes.
func containsAny(text string, answers []string) bool {
	norm := func(s string) string {
		s = strings.NewReplacer("“", `"`, "”", `"`, "‘", "'", "’", "'").Replace(s)
		return strings.ToLower(strings.Join(strings.Fields(s), " "))
	}
	for _, a := range answers {
		if strings.Contains(norm(text), norm(a)) {
			return true
		}
	}
	return false
}

// logMiss logs a wrong answer (and, for unanswerable questions, any
// answer) when testing verbosely.
func logMiss(t *testing.T, r devRec, a Answer) {
	if !testing.Verbose() || (len(r.Answers) > 0 && containsAny(a.Text, r.Answers)) {
		return
	}
	if len(r.Answers) == 0 {
		t.Logf("UNANSWERABLE %s %.2f %q\n  got  %q", r.ID, a.Confidence, r.Question, a.Text)
		return
	}
	retrieved := false
	for _, h := range r.hits {
		retrieved = retrieved || containsAny(h.Text, r.Answers)
	}
	t.Logf("MISS(retrieved=%v) %s %.2f %q\n  want %q\n  got  %q", retrieved, r.ID, a.Confidence, r.Question, r.Answers[0], a.Text)
	if retrieved && os.Getenv("BYLINE_DEV_DEBUG") != "" {
		debugMiss(t, r)
	}
}

// logThresholds logs, for a range of MinConfidence values, how many
// questions would be answered right or rightly abstained on.
func logThresholds(t *testing.T, res []devResult) {
	for _, th := range []float64{0, 0.1, 0.15, 0.2, 0.25, 0.3, 0.35, 0.4, 0.5, 0.6} {
		right, abstained, answered := 0, 0, 0
		for _, x := range res {
			on := x.conf >= th
			switch {
			case x.answerable && on && x.correct:
				right++
			case !x.answerable && !on:
				abstained++
			}
			if on {
				answered++
			}
		}
		t.Logf("MinConfidence %.2f: %d answerable right, %d unanswerable abstained, total %d/%d, answered %d",
			th, right, abstained, right+abstained, len(res), answered)
	}
}

// debugMiss logs the features of the chosen sentence and of the
// retrieved sentences that hold a gold answer.
func debugMiss(t *testing.T, r devRec) {
	q := parseQuestion(r.Question)
	paras := make([]*para, len(r.hits))
	for i := range r.hits {
		paras[i] = newPara(&r.hits[i], i)
	}
	sc := newScorer(q, paras, defaultWeights())
	show := func(tag string, p *para, i int) {
		f := sc.features(p, i)
		t.Logf("    %s %.2f %+v %.60q", tag, f.total(sc.fw), f, p.sents[i].text)
	}
	t.Logf("    weights %v kind %d speech %q doer %v", sc.w, q.kind, q.speech, q.doer)
	key := top(sc.best(paras))
	show("chosen", key.p, key.i)
	for _, p := range paras {
		for i, s := range p.sents {
			if containsAny(s.text, r.Answers) {
				show("gold  ", p, i)
			}
		}
	}
}

// sweepWeights varies one feature weight at a time and logs how many
// answerable questions get a right answer.
func sweepWeights(t *testing.T, recs []devRec) {
	count := func(w featureWeights) int {
		n := 0
		for _, r := range recs {
			a := Extract(r.Question, r.hits, Options{MinConfidence: -1, weights: w})
			if len(r.Answers) > 0 && containsAny(a.Text, r.Answers) {
				n++
			}
		}
		return n
	}
	base := defaultWeights()
	t.Logf("sweep base %+v: %d", base, count(base))
	for _, f := range []struct {
		name string
		ptr  func(*featureWeights) *float64
	}{
		{"overlap", func(w *featureWeights) *float64 { return &w.overlap }},
		{"context", func(w *featureWeights) *float64 { return &w.context }},
		{"phrase", func(w *featureWeights) *float64 { return &w.phrase }},
		{"cue", func(w *featureWeights) *float64 { return &w.cue }},
		{"speech", func(w *featureWeights) *float64 { return &w.speech }},
		{"rank", func(w *featureWeights) *float64 { return &w.rank }},
	} {
		var line []string
		for _, m := range []float64{0.01, 0.5, 0.75, 1.5, 2, 3} {
			w := base
			*f.ptr(&w) *= m
			line = append(line, fmt.Sprintf("x%.2g:%d", m, count(w)))
		}
		t.Logf("sweep %-8s %s", f.name, strings.Join(line, " "))
	}
}
