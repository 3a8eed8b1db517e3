package answer

import (
	"slices"
	"strings"

	"github.com/byline-news/byline/retrieval/analysis"
)

// maxSentences is the most sentences an answer quotes.
const maxSentences = 3

// excerpt is the answer's sentences in document order around the key one.
type excerpt struct {
	before []sent // context, in order, ending just before key
	key    sent
	after  []sent // context, in order, starting just after key
}

// sents returns all the sentences of e in document order.
func (e excerpt) sents() []sent {
	out := append(slices.Clone(e.before), e.key)
	return append(out, e.after...)
}

// size is the length in characters of e's sentences joined by spaces.
func (e excerpt) size() int {
	n := -1
	for _, s := range e.sents() {
		n += runeLen(s.text) + 1
	}
	return n
}

// expand makes the key sentence of c stand alone: it adds the previous
// sentence when the key leans on it ("But that is something Liang
// denied"), and the next one when the key points forward or lacks the
// answer the next one has.
func (sc *scorer) expand(c candidate, maxLen int) excerpt {
	e := excerpt{key: c.p.sents[c.i]}
	prev, next := neighbours(c)
	if c.i == len(c.p.sents)-1 && isQuotation(e.key) {
		// A quotation is attributed in its own paragraph; the next one
		// opens with another speaker, who did not say it.
		next = nil
	}
	fwd := len(next) > 0 && sc.refersForward(e.key, next[0], prev)
	if len(next) > 0 && (fwd || e.key.endsPointing() || sc.cueOnlyIn(e.key, next[0])) {
		e.after = next[:1]
	}
	if !fwd && len(prev) > 0 && sc.needsPrev(e, prev[len(prev)-1], maxLen) {
		e.before, prev = prev[len(prev)-1:], prev[:len(prev)-1]
	}
	e = fit(chainBack(e, prev, maxLen), maxLen)
	if len(e.after) == 0 && len(next) > 0 {
		e = sc.continueWith(e, next[0], maxLen)
	}
	return sc.withQuote(e, next, maxLen)
}

// withQuote adds the quotation that follows e when the question asks
// what someone said or thought and the quotation names its speaker only
// by a pronoun, so its speaker is someone e has named ("But Redford is
// not worried. "The more the merrier," he says."): it is their answer in
// their own words.
func (sc *scorer) withQuote(e excerpt, next []sent, maxLen int) excerpt {
	n := len(e.after)
	if sc.q.speech == "" || n >= len(next) || len(e.sents()) >= maxSentences || !saidByPronoun(next[n]) {
		return e
	}
	grown := e
	grown.after = append(slices.Clip(e.after), next[n])
	if grown.size() > maxLen {
		return e
	}
	return grown
}

// continueWith adds next to e when it goes on with the same subject (it
// refers back, or names something the question asks about) and the
// answer stays within maxLen and maxSentences: the answer to "who
// stepped down" is often in the sentence after the one that matches the
// question best.
func (sc *scorer) continueWith(e excerpt, next sent, maxLen int) excerpt {
	grown := e
	grown.after = []sent{next}
	if len(grown.sents()) > maxSentences || grown.size() > maxLen {
		return e
	}
	if !leansBack(next) && !hasTerm(next.toks, sc.q.has) {
		return e
	}
	return grown
}

// fit drops context sentences, the earliest first, until e fits in
// maxLen: the key sentence is the answer, and cutting it short to make
// room for its context would lose what was asked for.
func fit(e excerpt, maxLen int) excerpt {
	for e.size() > maxLen && len(e.before) > 0 {
		e.before = e.before[1:]
	}
	for e.size() > maxLen && len(e.after) > 0 {
		e.after = e.after[:len(e.after)-1]
	}
	return e
}

// chainBack keeps adding earlier sentences while the first one quoted
// leans on the one before it, as long as the answer stays within maxLen
// and maxSentences: "And often, China is cited…" needs its own
// antecedent too.
func chainBack(e excerpt, prev []sent, maxLen int) excerpt {
	for len(prev) > 0 && len(e.before) > 0 && len(e.sents()) < maxSentences && (leansBack(e.before[0]) || saidByPronoun(e.before[0])) {
		grown := e
		grown.before = append([]sent{prev[len(prev)-1]}, e.before...)
		if grown.size() > maxLen {
			break
		}
		e, prev = grown, prev[:len(prev)-1]
	}
	return e
}

// neighbours returns the sentences before and after c's key sentence,
// reaching into the Before and After paragraphs at the edges.
func neighbours(c candidate) (prev, next []sent) {
	ss := c.p.sents
	prev = slices.Clone(ss[:c.i])
	if c.i == 0 && c.p.hit.Before != "" {
		prev = splitSents(c.p.hit.Before)
	}
	next = slices.Clone(ss[c.i+1:])
	if c.i == len(ss)-1 && c.p.hit.After != "" {
		next = splitSents(c.p.hit.After)
	}
	return prev, next
}

// needsPrev reports whether e's key sentence cannot stand without prev:
// it opens with a pronoun, connective or stand-in noun phrase, or it
// attributes the asked-about speech to a pronoun. If only prev holds the
// kind of answer asked for, prev is added when it fits in maxLen, so that
// the key sentence is not cut.
func (sc *scorer) needsPrev(e excerpt, prev sent, maxLen int) bool {
	q, key := sc.q, e.key
	switch {
	case leansBack(key):
		return true
	case q.speech != "" && !hasTerm(key.toks, q.doer) && hasPronoun(key.toks) && hasTerm(prev.toks, q.doer):
		return true
	case q.kind == kindName && isQuotation(key) && !attributed(key):
		// "Who said …?" of a quotation that names no speaker: the
		// sentence before it says who is speaking.
		e.before = []sent{prev}
		return e.size() <= maxLen
	}
	e.before = []sent{prev}
	return sc.cueOnlyIn(key, prev) && e.size() <= maxLen
}

// cueOnlyIn reports whether the kind of answer asked for is missing from
// key but present in other: "The Conservatives' campaign director…"
// followed by the sentence that names him.
func (sc *scorer) cueOnlyIn(key, other sent) bool {
	return sc.q.kind != kindAny && !sc.hasCue(key) && sc.hasCue(other)
}

// refersForward reports whether key opens with a stand-in ("The
// Conservatives' campaign director has denied…") for a name of the
// question that next gives and the sentence before does not.
func (sc *scorer) refersForward(key, next sent, prev []sent) bool {
	if !leansBack(key) || sc.namesIn(key.toks) || !sc.namesIn(next.toks) {
		return false
	}
	return len(prev) == 0 || !sc.namesIn(prev[len(prev)-1].toks)
}

// namesIn reports whether toks hold one of the question's names or
// speakers.
func (sc *scorer) namesIn(toks []analysis.Token) bool {
	m := map[string]bool{}
	sc.addEntities(m, toks)
	return len(m) > 0
}

// leansBack reports whether s opens in a way that refers to what came
// before: "He", "But", "However", "The firm", "The Spaniard".
//
// A pronoun followed by a capital is part of a name or title instead:
// "It's A Wonderful Life was based on…", "He Zhiwen". A stand-in that
// opens a quotation is the speaker's own words ("The American business
// is…," said its chief executive), which name their subject themselves.
func leansBack(s sent) bool {
	w := s.firstWords(5)
	switch {
	case len(w) == 0:
		return false
	case connectives[w[0]]:
		return true
	case pronounOpeners[w[0]]:
		return len(s.toks) < 2 || !s.toks[1].Cap
	}
	return w[0] == "the" && len(w) > 1 && standIn(w[1:]) && !strings.ContainsAny(s.gap(0), "\"“‘'")
}

// standIn reports whether the words after an opening "the" make a noun
// phrase that stands in for a name: "firm", "US firm", "51-year-old".
func standIn(w []string) bool {
	for i, x := range w {
		if standInNouns[x] || (x == "old" && i > 0 && w[i-1] == "year") {
			return true
		}
		if i >= 2 {
			return false
		}
	}
	return false
}

var pronounOpeners = set("he", "she", "it", "they", "this", "that",
	"these", "those", "his", "her", "its", "their", "such", "both", "neither")

var connectives = set("but", "however", "and", "also", "yet", "so",
	"still", "instead", "nevertheless", "nonetheless", "moreover",
	"furthermore", "indeed", "besides", "or", "thus", "therefore")

var standInNouns = set("firm", "company", "group", "minister", "player",
	"star", "singer", "actor", "actress", "band", "club", "side", "team",
	"government", "country", "move", "deal", "plan", "bank", "airline",
	"carrier", "spokesman", "spokeswoman", "official", "officials", "report",
	"film", "show", "game", "man", "woman", "couple", "pair", "chain",
	"retailer", "giant", "maker", "manufacturer", "operator", "agency",
	"body", "party", "organisation", "organization", "union", "court",
	"judge", "director", "chief", "boss", "manager", "coach", "striker",
	"midfielder", "defender", "keeper", "goalkeeper", "winger", "forward",
	"champion", "veteran", "duo", "trio", "designer", "writer", "author",
	"musician", "rapper", "charity", "comedian", "presenter", "announcement", "decision",
	"spaniard", "frenchman", "briton", "scot", "welshman", "irishman",
	"american", "australian", "russian", "german", "italian", "dutchman",
	"swiss", "swede", "dane", "argentine", "brazilian", "serb", "croat",
	"belgian", "austrian", "englishman", "kenyan", "ethiopian", "canadian",
	"japanese", "chinese", "indian", "greek", "pole", "czech", "finn",
	"norwegian", "portuguese", "argentinian", "moroccan", "nigerian",
	"former", "latter")

// isQuotation reports whether s is a quotation: it opens with a quotation
// mark.
func isQuotation(s sent) bool {
	t := strings.TrimSpace(s.text)
	return strings.HasPrefix(t, "\"") || strings.HasPrefix(t, "“") || strings.HasPrefix(t, "'") || strings.HasPrefix(t, "‘")
}

// saidByPronoun reports whether s is a quotation its speaker is named in
// only by a pronoun ("'…,' she said."): who she is comes before.
func saidByPronoun(s sent) bool {
	return isQuotation(s) && hasPronoun(s.toks) && attributed(s)
}

// attributed reports whether s has a reporting verb ("said", "denied").
func attributed(s sent) bool {
	return anyTok(s.toks, func(t analysis.Token) bool { return speechVerb(t) != "" })
}
