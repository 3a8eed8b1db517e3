package answer

import (
	_ "embed"
	"strings"
	"sync"
)

//go:generate go run ./internal/wngen -o synonyms.txt

// synonymTable is WordNet's synonyms of the most frequent senses of each
// word, as stems (see internal/wngen; licence in synonyms.LICENSE).
//
//go:embed synonyms.txt
var synonymTable string

// synonyms returns the synonyms of a term, parsed from synonymTable on
// first use.
var synonyms = sync.OnceValue(func() map[string][]string {
	m := make(map[string][]string, 32000)
	for _, line := range strings.Split(synonymTable, "\n") {
		if line == "" || line[0] == '#' {
			continue
		}
		fs := strings.Fields(line)
		m[fs[0]] = fs[1:]
	}
	return m
})
