package answer

import "github.com/byline-news/byline/retrieval/analysis"

// tokens is analysis.Tokens with irregular verb forms mapped to the term
// of their base form, so that "how much did they pay" meets "paid" and
// "who won" meets "win". The index does not need this (it searches
// paragraphs, and one matching word is enough), but picking the sentence
// that answers does.
func tokens(text string) []analysis.Token {
	toks := analysis.Tokens(text)
	for i, t := range toks {
		if base, ok := analysis.IrregularBase(t.Word); ok {
			toks[i].Term = analysis.Stem(base)
		}
	}
	return toks
}

// contentTerms is the set of non-stop terms of toks.
func contentTerms(toks []analysis.Token) map[string]bool {
	m := make(map[string]bool, len(toks))
	for _, t := range toks {
		if !t.Stop {
			m[t.Term] = true
		}
	}
	return m
}
