package answer

import (
	_ "embed"
	"strings"
	"sync"

	"github.com/byline-news/byline/retrieval/analysis"
)

// countryText lists country names; see countries.txt.
//
//go:embed countries.txt
var countryText string

// countryNames maps the first folded word of each country name to the
// names' folded words: "united" to [united states] [united kingdom]….
var countryNames = sync.OnceValue(func() map[string][][]string {
	m := map[string][][]string{}
	for _, line := range strings.Split(countryText, "\n") {
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		var words []string
		for _, t := range analysis.Tokens(line) {
			words = append(words, t.Word)
		}
		if len(words) > 0 {
			m[words[0]] = append(m[words[0]], words)
		}
	}
	return m
})

// countryAt reports whether toks[i] is part of a country's name written
// with a capital: "France", "the Czech Republic", "Papua New Guinea".
func countryAt(toks []analysis.Token, i int) bool {
	for j := i; j >= 0 && j > i-4; j-- {
		if !toks[j].Cap {
			continue
		}
		for _, name := range countryNames()[toks[j].Word] {
			if j+len(name) > i && j+len(name) <= len(toks) && sameWords(toks[j:j+len(name)], name) {
				return true
			}
		}
	}
	return false
}

func sameWords(toks []analysis.Token, words []string) bool {
	for k, w := range words {
		if toks[k].Word != w {
			return false
		}
	}
	return true
}

// asksCountry reports whether the question asks which country (or
// nation): its answer is a country's name, not any name.
func (q *question) asksCountry() bool {
	return q.kind == kindPlace && (q.typed["countri"] || q.typed["nation"])
}

// countryAnswers reports whether a sentence of paras names a country the
// question does not, so that "which country…?" may ask for one: when
// none does, a country list that lacks the answer's must not refuse it.
func (sc *scorer) countryAnswers(paras []*para) bool {
	for _, p := range paras {
		for _, s := range p.sents {
			for i, t := range s.toks {
				if !sc.q.has[t.Term] && countryAt(s.toks, i) {
					return true
				}
			}
		}
	}
	return false
}
