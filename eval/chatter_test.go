package eval

import (
	"strings"
	"testing"
)

// TestChatter checks that every question keeps its words and gains a
// framing, the same ones from the same seed.
func TestChatter(t *testing.T) {
	var qs []Question
	for _, q := range []string{"who won the cup?", "what did Liang deny?", "how many ferries run?", "when did the bridge open?"} {
		for range 10 {
			qs = append(qs, Question{Question: q})
		}
	}
	a, b := Chatter(qs, 1), Chatter(qs, 1)
	wrapped := 0
	for i := range qs {
		if a[i].Question != b[i].Question {
			t.Fatalf("question %d: %q then %q from the same seed", i, a[i].Question, b[i].Question)
		}
		if !strings.Contains(a[i].Question, qs[i].Question) {
			t.Errorf("%q lost the question %q", a[i].Question, qs[i].Question)
		}
		if a[i].Question != qs[i].Question {
			wrapped++
		}
	}
	if wrapped < len(qs)*3/4 {
		t.Errorf("%d of %d questions wrapped, want most", wrapped, len(qs))
	}
}
