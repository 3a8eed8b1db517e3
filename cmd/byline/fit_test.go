package main

import (
	"math"
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
