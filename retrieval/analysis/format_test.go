package analysis

import (
	"slices"
	"testing"
)

// TestFormatCharacters: invisible format characters inside a word (a
// zero-width space from a CMS, a soft hyphen, a joiner, a bidirectional
// control) do not change its term, so index and query agree whichever
// side has them.
func TestFormatCharacters(t *testing.T) {
	tests := []struct{ in, plain string }{
		{"Gr\u200bimbald denied it", "Grimbald denied it"},
		{"Grim\u00adbald", "Grimbald"},
		{"Grim\u200dbald\u200c", "Grimbald"},
		{"\u202eGrimbald\u202c", "Grimbald"},
		{"\ufeffGrimbald\u2060s", "Grimbalds"},
		{"U\u200bS officials", "US officials"}, // still an acronym, not the stop word "us"
	}
	for _, tt := range tests {
		got, want := Terms(tt.in), Terms(tt.plain)
		if !slices.Equal(got, want) || len(got) == 0 {
			t.Errorf("Terms(%q) = %q, want %q", tt.in, got, want)
		}
	}
	// Offsets still point into the text as written.
	in := "say Gr\u200bimbald"
	toks := Tokens(in)
	if len(toks) != 2 || in[toks[1].Start:toks[1].End] != "Gr\u200bimbald" || toks[1].Word != "grimbald" {
		t.Errorf("Tokens(%q) = %+v", in, toks)
	}
}
