package analysis

import (
	_ "embed"
	"strings"
)

//go:generate go run ./internal/wngen -o synonyms.txt

// synonymTable is WordNet's synonyms of the most frequent senses of each
// word, and the words derived from it in those senses ("growth" for
// "grow"), as stems (see internal/wngen; licence in synonyms.LICENSE).
//
//go:embed synonyms.txt
var synonymTable string

// PairKey is the key under which Synonyms finds a two-word verb ("step
// down", "stepped down": "step_down"): its words' terms joined by "_".
// The second word is often a stop word, whose term is the word itself.
func PairKey(a, b Token) string { return a.Term + "_" + b.Term }

// PairSynonyms calls fn with each pair of adjacent words of toks that
// WordNet lists as a two-word verb, and the pair's synonyms: "set aside"
// in a question finds "earmarked" in an article. i is the pair's first
// word.
func PairSynonyms(toks []Token, fn func(i int, syns []string)) {
	for i := 0; i+1 < len(toks); i++ {
		if toks[i].Stop {
			continue
		}
		if syns := Synonyms(PairKey(toks[i], toks[i+1])); len(syns) > 0 {
			fn(i, syns)
		}
	}
}

// Synonyms returns the synonyms of term, a stem as Terms gives it, or of
// a two-word verb's PairKey. The
// answer ranker and the search's query expansion use them. It is a
// binary search over the table's sorted lines: a cold `byline ask` reads
// the few lines it needs instead of parsing them all (32,768 lines took
// 23 ms).
func Synonyms(term string) []string {
	body := synonymTable
	if i := strings.IndexByte(body, '\n'); strings.HasPrefix(body, "#") && i >= 0 {
		body = body[i+1:] // the header
	}
	lo, hi := 0, len(body)
	for lo < hi {
		start := strings.LastIndexByte(body[:(lo+hi)/2], '\n') + 1
		end := strings.IndexByte(body[start:], '\n')
		if end < 0 {
			end = len(body) - start
		}
		key, rest, _ := strings.Cut(body[start:start+end], " ")
		switch {
		case key == term:
			return strings.Fields(rest)
		case key < term:
			lo = start + end + 1
		default:
			hi = start
		}
	}
	return nil
}

// IsEnglish reports whether term, a stem as Terms gives it, is a word of
// the synonym table's English vocabulary: a word a question may mean as
// typed, unlike "goverment".
func IsEnglish(term string) bool { return len(Synonyms(term)) > 0 }
