package analysis

import (
	_ "embed"
	"strings"
)

//go:generate go run ./internal/wngen -o synonyms.txt

// synonymTable is WordNet's synonyms of the most frequent senses of each
// word, as stems (see internal/wngen; licence in synonyms.LICENSE).
//
//go:embed synonyms.txt
var synonymTable string

// Synonyms returns the synonyms of term, a stem as Terms gives it. The
// answer ranker and the search's query expansion use them. It is a
// binary search over the table's sorted lines: a cold `byline ask` reads
// the few lines it needs instead of parsing all 31,000 (which took 23 ms).
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
