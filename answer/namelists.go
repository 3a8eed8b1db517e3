package answer

import (
	_ "embed"
	"strings"
	"sync"

	"github.com/byline-news/byline/retrieval/analysis"
)

// Lists of the names that answer "which country…?", "what language…?"
// and "what religion…?"; see each file's header for its source.
var (
	//go:embed countries.txt
	countryText string
	//go:embed languages.txt
	languageText string
	//go:embed religions.txt
	religionText string
)

// nameList maps the first folded word of each name to the names' folded
// words: "united" to [united states] [united kingdom]….
type nameList map[string][][]string

func parseNames(text string) nameList {
	m := nameList{}
	for _, line := range strings.Split(text, "\n") {
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
}

var (
	countryNames  = sync.OnceValue(func() nameList { return parseNames(countryText) })
	languageNames = sync.OnceValue(func() nameList { return parseNames(languageText) })
	religionNames = sync.OnceValue(func() nameList { return parseNames(religionText) })
)

// listFor returns the names that answer a question whose answer typed
// describes (see typeTerms), or nil: a country's for "which country" or
// "nation", a language's, a religion's.
func listFor(typed map[string]bool) nameList {
	switch {
	case typed[countryTerm] || typed[nationTerm]:
		return countryNames()
	case typed[languageTerm]:
		return languageNames()
	case typed[religionTerm]:
		return religionNames()
	}
	return nil
}

var (
	countryTerm  = analysis.Stem("country")
	nationTerm   = analysis.Stem("nation")
	languageTerm = analysis.Stem("language")
	religionTerm = analysis.Stem("religion")
)

// at reports whether toks[i] is part of a name of the list written with
// a capital: "France", "the Czech Republic", "Old English".
func (l nameList) at(toks []analysis.Token, i int) bool {
	for j := i; j >= 0 && j > i-4; j-- {
		if !toks[j].Cap {
			continue
		}
		for _, name := range l[toks[j].Word] {
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

// listedAnswers returns the question's list of answering names (listFor)
// when a sentence of paras holds one of them that the question does not,
// so that only those names answer it; nil otherwise, so that a list that
// lacks the answer's name cannot refuse it.
func (sc *scorer) listedAnswers(paras []*para) nameList {
	if sc.q.kind != kindPlace && sc.q.kind != kindName {
		return nil
	}
	l := listFor(sc.q.typed)
	if l == nil {
		return nil
	}
	for _, p := range paras {
		for _, s := range p.sents {
			for i, t := range s.toks {
				if !sc.q.has[t.Term] && l.at(s.toks, i) {
					return l
				}
			}
		}
	}
	return nil
}
