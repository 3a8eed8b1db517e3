package answer

import (
	"strings"

	"github.com/byline-news/byline/retrieval/analysis"
)

// predicate is the share of the weight of the question's predicate words
// found in toks: the words that say what is asked about the names
// ("successor", "raised", "fined", "voted"). A story that names the
// people but lacks these words tells something else about them. Words that share
// their first prefixLen letters count as found ("chair", "chairman").
// It is 1 when the question has no such word.
func (sc *scorer) predicate(toks ...[]analysis.Token) float64 {
	var words []string
	terms := map[string]bool{}
	for _, ts := range toks {
		for _, t := range ts {
			if !t.Stop {
				words, terms[t.Term] = append(words, t.Word), true
			}
		}
	}
	var total, got float64
	for i, t := range sc.q.toks {
		if !sc.isPredicate(t) || sc.afterName(i) {
			continue
		}
		total += sc.w[t.Term]
		if terms[t.Term] || samePrefix(t.Word, words) {
			got += sc.w[t.Term]
		}
	}
	if total == 0 {
		return 1
	}
	return got / total
}

// isPredicate reports whether question token t is a predicate word: not
// a name or number, nor a word that only frames the question ("price"
// in "what price", "long" in "how long", "say", "get").
func (sc *scorer) isPredicate(t analysis.Token) bool {
	switch {
	case t.Stop, sc.isKey(t.Term), sc.q.typed[t.Term], newsCommon[t.Term]:
		return false
	case speechVerbs[t.Term] != "", numberHow[t.Word]:
		return false
	}
	_, frame := whatNouns[t.Word]
	return !frame
}

// afterName reports whether question token i follows a name directly:
// "festival" in "the Lakeside festival" is part of what is asked about,
// not of what is asked.
func (sc *scorer) afterName(i int) bool {
	j := i - 1
	for j >= 0 && !sc.q.toks[j].Stop && sc.names[sc.q.toks[j].Term] {
		j--
	}
	return j < i-1 && (j < 0 || determiners[sc.q.toks[j].Word] || sc.q.possessive(i-1))
}

var determiners = set("the", "a", "an", "its", "his", "her", "their", "of", "in", "on", "at", "for", "with", "to", "from")

// prefixLen is how many leading letters two words must share to count
// as one word when the stemmer keeps them apart.
const prefixLen = 5

// samePrefix reports whether one of words starts with the first
// prefixLen letters of w.
func samePrefix(w string, words []string) bool {
	if len(w) < prefixLen {
		return false
	}
	for _, x := range words {
		if strings.HasPrefix(x, w[:prefixLen]) {
			return true
		}
	}
	return false
}
