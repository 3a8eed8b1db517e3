package main

import (
	"bytes"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/byline-news/byline/answer"
	"github.com/byline-news/byline/eval"
)

// TestThreshold checks the abstention threshold rule: the highest at
// which no training set's answerable questions are refused more than 5%
// of the time, set halfway down to the next confidence level.
func TestThreshold(t *testing.T) {
	m := oneSignalModel(t)
	var d fitData
	add := func(set string, n int, signal float64) {
		for range n {
			x := make([]float64, len(answer.SignalNames()))
			x[0] = signal
			d.ans = append(d.ans, eval.Example{Set: set, X: x, Y: true})
		}
	}
	// Set a: 2% at 0.5 and 3% at 0.269; set b: 10% at 0.5. Refusing below
	// 0.5 refuses 1.5% on average, below 0.731 7.5%: 0.5 is the level.
	add("a", 95, 0)
	add("a", 2, 0.5)
	add("a", 3, 1)
	add("b", 90, 0)
	add("b", 10, 0.5)
	// Unanswerable questions do not move the threshold.
	d.ans = append(d.ans, eval.Example{Set: "a", X: make([]float64, len(answer.SignalNames())), Y: false})
	low, level := answer.ModelConfidence(m, []float64{1}), answer.ModelConfidence(m, []float64{0.5})
	want := (low + level) / 2
	if got := threshold(m, d); math.Abs(got-want) > 1e-9 {
		t.Errorf("threshold %.4f, want %.4f (halfway between the levels %.4f and %.4f)", got, want, low, level)
	}
}

// TestThresholdHoldsForEverySet checks that one set's refusals cannot
// hide behind another's: refusing 6% of one set and none of the other is
// 3% on average, and still too many.
func TestThresholdHoldsForEverySet(t *testing.T) {
	m := oneSignalModel(t)
	var d fitData
	for i := range 200 {
		x := make([]float64, len(answer.SignalNames()))
		set := "b"
		if i < 100 {
			set = "a"
			if i < 6 {
				x[0] = 1 // confidence 0.269
			}
		}
		d.ans = append(d.ans, eval.Example{Set: set, X: x, Y: true})
	}
	low := answer.ModelConfidence(m, []float64{1})
	if got := threshold(m, d); got > low {
		t.Errorf("threshold %.4f refuses 6%% of set a; want at most %.4f", got, low)
	}
}

// oneSignalModel is a model reading the first signal only: confidence
// 0.731 without it, 0.5 at half, 0.269 at full.
func oneSignalModel(t *testing.T) *answer.Model {
	t.Helper()
	answerable := make([]float64, len(answer.SignalNames()))
	answerable[0] = -2
	m, err := answer.NewModel(make([]float64, len(answer.FeatureNames())), answerable, 1, 0)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// TestWriteModelReproduces checks that writing the committed model gives
// answer/model_fit.go byte for byte, so that a fit reproduces the file
// it wrote: rounding must not move a weight (a negative one once rose
// by 0.0001 at each write).
func TestWriteModelReproduces(t *testing.T) {
	committed, err := os.ReadFile(filepath.Join("..", "..", "answer", "model_fit.go"))
	if err != nil {
		t.Fatal(err)
	}
	var sets []eval.Set
	for _, n := range eval.SetNames() {
		sets = append(sets, eval.Set{Name: n})
	}
	out := filepath.Join(t.TempDir(), "model_fit.go")
	keep := bytes.Contains(committed, []byte("--keep-ranker"))
	if err := writeModel(out, answer.DefaultModel(), sets, keep); err != nil {
		t.Fatal(err)
	}
	got, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, committed) {
		t.Errorf("writing the committed model gives\n%s\nwant answer/model_fit.go:\n%s", got, committed)
	}
}

// TestFitKeepRanker runs "byline eval --fit --keep-ranker" on a few
// questions of the news sets: the model it writes keeps the committed
// ranker's weights and says how to reproduce it, and fits its own
// answerability weights.
func TestFitKeepRanker(t *testing.T) {
	needShared(t, "the fit", "qa/bbc-dev.jsonl", "qa/bbc-chat-dev.jsonl", "news/articles.jsonl")
	t.Parallel()
	e := newEnv(t)
	out := filepath.Join(t.TempDir(), "model_fit.go")
	e.mustRun(0, "eval", "--fit", "--keep-ranker", "--only", "bbc-dev,bbc-chat-dev", "--max", "30", "--data", sharedData, "--write", out)
	got, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	committed, err := os.ReadFile(filepath.Join("..", "..", "answer", "model_fit.go"))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(got, []byte(`"byline eval --fit --keep-ranker --write answer/model_fit.go"`)) {
		t.Errorf("the written model does not name the command that reproduces it:\n%s", got)
	}
	section := func(src []byte, from, to string) string {
		s := string(src)
		i, j := strings.Index(s, from), strings.Index(s, to)
		if i < 0 || j < i {
			t.Fatalf("no %q…%q in\n%s", from, to, s)
		}
		return s[i:j]
	}
	if g, c := section(got, "Rank:", "Answerable:"), section(committed, "Rank:", "Answerable:"); g != c {
		t.Errorf("ranker weights changed:\n%s\nwant the committed\n%s", g, c)
	}
	if g, c := section(got, "Answerable:", "Threshold:"), section(committed, "Answerable:", "Threshold:"); g == c {
		t.Errorf("answerability weights are the committed ones: nothing was fitted on 60 questions")
	}
}

// TestFitFlagsNeedFit checks that the fit's own flags without --fit are
// refused rather than ignored: the run would measure, not fit, and
// write nothing.
func TestFitFlagsNeedFit(t *testing.T) {
	e := newEnv(t)
	for _, args := range [][]string{{"--keep-ranker"}, {"--write", e.path("model_fit.go")}} {
		r := e.mustRun(2, append([]string{"eval", "--data", t.TempDir()}, args...)...)
		if !strings.Contains(r.err, "go with --fit") {
			t.Errorf("eval %v: stderr %q, want it to say the flag goes with --fit", args, r.err)
		}
	}
}
