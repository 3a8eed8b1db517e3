package answer

import (
	"slices"
	"strings"
	"unicode"

	"github.com/byline-news/byline/retrieval/analysis"
)

// acronyms finds what the question's acronyms stand for in the retrieved
// stories, which often spell a name out and never abbreviate it: "how
// many files did the DWP shred?" over "The Department of Work and
// Pensions destroyed nearly 37,000 files". A sentence that spells the
// name out holds the acronym, and so do its paragraph and its story; and
// an acronym spelled out in the hits is no word the index lacks.
//
// A question word is taken for an acronym when it is written in capitals
// ("DWP", "MPs"), or is short and in no indexed paragraph ("dwp"): chat
// questions are mostly lower case.
func (sc *scorer) acronyms(paras []*para) {
	for _, t := range sc.q.toks {
		letters := sc.abbreviation(t)
		if letters == "" {
			continue
		}
		for _, p := range paras {
			if sc.spelledOut(p, t.Term, letters) {
				k := articleKey(p.hit)
				if sc.spelled[k] == nil {
					sc.spelled[k] = map[string]bool{}
				}
				sc.spelled[k][t.Term] = true
				sc.spelled[""][t.Term] = true
			}
		}
	}
}

// abbreviation returns the letters of question token t when it may be an
// acronym, lower case ("MPs" gives "mp"), or "".
func (sc *scorer) abbreviation(t analysis.Token) string {
	w := sc.q.text[t.Start:t.End]
	if t.Stop || len(w) < 2 || len(w) > 6 || strings.ContainsFunc(w, notASCIILetter) {
		return ""
	}
	if up := strings.TrimSuffix(w, "s"); len(up) >= 2 && strings.ToUpper(up) == up {
		return strings.ToLower(up)
	}
	if sc.indexed && len(w) <= 5 && sc.rarity[t.Term] >= unknownRarity {
		return t.Word
	}
	return ""
}

func notASCIILetter(r rune) bool {
	return r > unicode.MaxASCII || !unicode.IsLetter(r)
}

// spelledOut marks the sentences of p that spell out the acronym term
// acr, whose letters are letters, and reports whether any does.
func (sc *scorer) spelledOut(p *para, acr, letters string) bool {
	found := false
	for j := range p.sents {
		s := &p.sents[j]
		for i := range s.toks {
			if _, ok := expands(*s, i, letters); ok && !slices.Contains(s.abbr, acr) {
				s.abbr = append(s.abbr, acr)
				p.terms[acr] = true
				found = true
			}
		}
	}
	return found
}

// expands reports whether the capitalised words of s from token i spell
// letters, their initials in order, and returns the end of the name.
// The small words inside a name may give a letter or not: "Freedom of
// Information" is FOI, "Securities and Exchange Commission" SEC. A name
// is words apart by single spaces: "Honda, Toyota" is no HT.
func expands(s sent, i int, letters string) (int, bool) {
	toks := s.toks
	if !toks[i].Cap || toks[i].Stop {
		return 0, false
	}
	var match func(i, l int) (int, bool)
	match = func(i, l int) (int, bool) {
		if l == len(letters) {
			return i, toks[i-1].Cap && !toks[i-1].Stop
		}
		if i >= len(toks) || l > 0 && s.gap(i) != " " {
			return 0, false
		}
		t := toks[i]
		switch {
		case t.Cap && !t.Stop:
			if t.Word[0] != letters[l] {
				return 0, false
			}
			return match(i+1, l+1)
		case nameLinks[t.Word]:
			if t.Word[0] == letters[l] {
				if end, ok := match(i+1, l+1); ok {
					return end, true
				}
			}
			return match(i+1, l)
		}
		return 0, false
	}
	end, ok := match(i, 0)
	return end, ok && end-i > 1
}

// nameLinks are the small words inside names: "Department for Work and
// Pensions", "Bank of England", "Food and Drug Administration".
var nameLinks = set("of", "and", "for", "the", "on", "in")
