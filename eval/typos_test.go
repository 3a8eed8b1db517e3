package eval

import (
	"slices"
	"strings"
	"testing"
)

// TestMisspell checks that each question gets exactly one slip, in its
// longest word, the same for the same seed, and that short questions are
// left alone.
func TestMisspell(t *testing.T) {
	qs := []Question{{Question: "what did the government announce?"}, {Question: "who won?"}, {Question: "How many Parliamentary seats fell?"}}
	a, b := Misspell(qs, 3), Misspell(qs, 3)
	if !slices.EqualFunc(a, b, func(x, y Question) bool { return x.Question == y.Question }) {
		t.Errorf("two runs with one seed differ: %v, %v", a, b)
	}
	if a[1].Question != "who won?" {
		t.Errorf("a question without a long word became %q", a[1].Question)
	}
	for i, want := range []string{"government", "", "Parliamentary"} {
		if want == "" {
			continue
		}
		got := a[i].Question
		if got == qs[i].Question || strings.Contains(got, want) || len(strings.Fields(got)) != len(strings.Fields(qs[i].Question)) {
			t.Errorf("Misspell(%q) = %q; want one slip in %q", qs[i].Question, got, want)
		}
		if d := len(got) - len(qs[i].Question); d < -1 || d > 1 {
			t.Errorf("Misspell(%q) = %q: more than one letter changed in length", qs[i].Question, got)
		}
	}
}

// TestKeysNextTo checks the keyboard layout against a few known keys.
func TestKeysNextTo(t *testing.T) {
	for c, want := range map[byte]string{'g': "fhtybv", 'q': "wa", 'm': "njk", 'p': "ol", '1': ""} {
		got := []byte(keysNextTo(c))
		slices.Sort(got)
		w := []byte(want)
		slices.Sort(w)
		if string(got) != string(w) {
			t.Errorf("keysNextTo(%c) = %q, want %q", c, got, w)
		}
	}
}
