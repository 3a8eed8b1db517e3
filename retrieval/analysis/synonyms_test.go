package analysis

import (
	"slices"
	"strings"
	"testing"
)

// TestSynonymsOf checks the binary search against every line of the
// table, and a few words that must and must not be there.
func TestSynonymsOf(t *testing.T) {
	checkTable(t, "wordNet", synonymTable, wordNet, 30000)
	if !slices.Contains(Synonyms("attorney"), "lawyer") || !slices.Contains(Synonyms("quit"), "resign") {
		t.Errorf("attorney → %q, quit → %q; want lawyer and resign among them", Synonyms("attorney"), Synonyms("quit"))
	}
	// Derived words of the same senses: a question asks "when did she
	// die?" of a story that reports her death. WordNet marks some
	// adjectives ("prior(a)"), whose derived words count too.
	for w, want := range map[string]string{"grow": "growth", "die": "death", "decid": "decis", "prior": "prioriti"} {
		if !slices.Contains(Synonyms(w), want) {
			t.Errorf("%s → %q; want %s among them", w, Synonyms(w), want)
		}
	}
	for _, w := range []string{"", "zzzz", "aaaa", "~"} {
		if got := Synonyms(w); got != nil {
			t.Errorf("Synonyms(%q) = %q, want none", w, got)
		}
	}
}

// TestAntonyms checks the antonym table line by line, and that it holds
// opposites of nouns, adjectives and adverbs, with their irregular
// forms, but not of verbs nor of synonyms.
func TestAntonyms(t *testing.T) {
	checkTable(t, "Antonyms", antonymTable, Antonyms, 3000)
	for w, want := range map[string]string{"larg": "small", "public": "privat", "increas": "decreas", "north": "south", "weak": "strongest"} {
		if !slices.Contains(Antonyms(w), want) {
			t.Errorf("Antonyms(%q) = %q; want %s among them", w, Antonyms(w), want)
		}
	}
	for w, not := range map[string]string{"give": "take", "larg": "big", "come": "go"} {
		if slices.Contains(Antonyms(w), not) {
			t.Errorf("Antonyms(%q) = %q; want no %s", w, Antonyms(w), not)
		}
	}
}

// checkTable checks lookup, named name, against every line of a generated
// table, which must have at least minLines lines.
func checkTable(t *testing.T, name, table string, lookup func(string) []string, minLines int) {
	t.Helper()
	n := 0
	for _, line := range strings.Split(table, "\n") {
		if line == "" || line[0] == '#' {
			continue
		}
		fs := strings.Fields(line)
		if got := lookup(fs[0]); !slices.Equal(got, fs[1:]) {
			t.Fatalf("%s(%q) = %q, want %q", name, fs[0], got, fs[1:])
		}
		n++
	}
	if n < minLines {
		t.Errorf("the table has %d lines, want the whole WordNet table", n)
	}
}

// TestPairSynonyms checks that two-word verbs are found in any
// inflection, and that adjacent words that are not one are not.
func TestPairSynonyms(t *testing.T) {
	for _, tc := range []struct {
		text string
		at   int    // the pair's first word, -1 for none
		want string // among the pair's synonyms
	}{
		{"who stepped down as chairman?", 1, "resign"},
		{"how much has he set aside for tax cuts?", 4, "earmark"},
		{"the bank's results", -1, ""},
		{"down step", -1, ""},
	} {
		var got []string
		at := -1
		PairSynonyms(Tokens(tc.text), func(i int, syns []string) {
			if at < 0 {
				at, got = i, syns
			}
		})
		if at != tc.at || (tc.want != "" && !slices.Contains(got, tc.want)) {
			t.Errorf("PairSynonyms(%q): pair at %d with %q; want at %d with %q", tc.text, at, got, tc.at, tc.want)
		}
	}
}

// TestRegister checks the headline and chat words added to WordNet's:
// both ways for words, one way for two-word verbs, found by the stems
// that questions and articles are analysed to.
func TestRegister(t *testing.T) {
	for _, tt := range []struct{ word, syn string }{
		{"axed", "cut"}, {"cuts", "axe"}, {"greenback", "dollar"}, {"dollars", "greenback"},
		{"boss", "chief"}, {"probe", "investigation"}, {"quizzed", "questioned"}, {"mobiles", "phone"},
		{"grows", "rise"}, {"rises", "grow"}, {"dropped", "fall"}, {"declining", "fall"},
	} {
		w, s := Terms(tt.word)[0], Terms(tt.syn)[0]
		if !slices.Contains(Synonyms(w), s) {
			t.Errorf("Synonyms(%q) = %q, want %q among them", w, Synonyms(w), s)
		}
	}
	var got []string
	PairSynonyms(Tokens("how many people light up in China?"), func(_ int, syns []string) { got = append(got, syns...) })
	if !slices.Contains(got, Terms("smoke")[0]) {
		t.Errorf("PairSynonyms(light up) = %q, want smoke", got)
	}
	if slices.Contains(Synonyms(Terms("smoke")[0]), "light") || slices.Contains(Synonyms(Terms("snapped")[0]), "buy") {
		t.Errorf("a two-word verb's synonym leads back to its first word alone: smoke → %q, snap → %q",
			Synonyms(Terms("smoke")[0]), Synonyms(Terms("snapped")[0]))
	}
}
