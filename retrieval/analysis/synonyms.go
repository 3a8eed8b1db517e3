package analysis

import (
	_ "embed"
	"slices"
	"strings"
	"sync"
)

//go:generate go run ./internal/wngen -o synonyms.txt -antonyms antonyms.txt

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
// a two-word verb's PairKey: WordNet's, then the register table's. The
// answer ranker and the search's query expansion use them. WordNet's are
// a binary search over the table's sorted lines: a cold `byline ask` reads
// the few lines it needs instead of parsing them all (32,768 lines took
// 23 ms).
func Synonyms(term string) []string {
	syns := wordNet(term)
	for _, r := range registerTable()[term] {
		if !slices.Contains(syns, r) {
			syns = append(syns, r)
		}
	}
	return syns
}

// antonymTable is WordNet's direct antonyms of nouns, adjectives and
// adverbs, in every sense, with their irregular forms and adjectives'
// comparatives, as stems (see internal/wngen; licence in
// synonyms.LICENSE).
//
//go:embed antonyms.txt
var antonymTable string

// Antonyms returns the words WordNet gives as opposites of term, a stem
// as Terms gives it: "small" for "larg", "privat" for "public". The
// answerer reads a question that says the opposite of its answer as one
// the answer does not answer.
func Antonyms(term string) []string { return lookup(antonymTable, term) }

// wordNet returns term's synonyms from synonymTable.
func wordNet(term string) []string { return lookup(synonymTable, term) }

// lookup returns the words on term's line of a generated table, "stem
// word word…" sorted by stem, by binary search.
func lookup(body, term string) []string {
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

// registerText is the words headlines and chat use for what stories
// write otherwise ("axe" for "cut", "boss" for "chief executive",
// "greenback" for "dollar"), which WordNet lacks or ranks below other
// senses; see register.txt.
//
//go:embed register.txt
var registerText string

// registerTable parses registerText once into stems: each word's
// synonyms, and each synonym's word, except that a two-word verb ("light
// up") is only a key, under PairKey.
var registerTable = sync.OnceValue(func() map[string][]string {
	m := map[string][]string{}
	add := func(k, v string) {
		if k != v && !slices.Contains(m[k], v) {
			m[k] = append(m[k], v)
		}
	}
	for _, line := range strings.Split(registerText, "\n") {
		word, syns, ok := strings.Cut(line, ":")
		if !ok || strings.HasPrefix(line, "#") {
			continue
		}
		key, toks := Terms(word), Tokens(word)
		pair := len(toks) == 2
		if pair {
			key = []string{PairKey(toks[0], toks[1])}
		}
		if len(key) != 1 {
			continue
		}
		for _, syn := range Terms(syns) {
			add(key[0], syn)
			if !pair {
				add(syn, key[0])
			}
		}
	}
	return m
})
