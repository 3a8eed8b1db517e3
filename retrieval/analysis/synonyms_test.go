package analysis

import (
	"slices"
	"strings"
	"testing"
)

// TestSynonymsOf checks the binary search against every line of the
// table, and a few words that must and must not be there.
func TestSynonymsOf(t *testing.T) {
	n := 0
	for _, line := range strings.Split(synonymTable, "\n") {
		if line == "" || line[0] == '#' {
			continue
		}
		fs := strings.Fields(line)
		if got := Synonyms(fs[0]); !slices.Equal(got, fs[1:]) {
			t.Fatalf("Synonyms(%q) = %q, want %q", fs[0], got, fs[1:])
		}
		n++
	}
	if n < 30000 {
		t.Errorf("the table has %d lines, want the whole WordNet table", n)
	}
	if !slices.Contains(Synonyms("attorney"), "lawyer") || !slices.Contains(Synonyms("quit"), "resign") {
		t.Errorf("attorney → %q, quit → %q; want lawyer and resign among them", Synonyms("attorney"), Synonyms("quit"))
	}
	for _, w := range []string{"", "zzzz", "aaaa", "~"} {
		if got := Synonyms(w); got != nil {
			t.Errorf("Synonyms(%q) = %q, want none", w, got)
		}
	}
}
