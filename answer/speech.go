package answer

import (
	"strings"

	"github.com/byline-news/byline/retrieval/analysis"
)

// speechVerbs maps the stem of every form of a reporting verb to one
// canonical verb, so "deny" in a question finds "denied" in an article and
// "say" finds "said". Irregular forms are listed in their group.
var speechVerbs = speechTable([][]string{
	{"say", "says", "said", "saying"},
	{"tell", "tells", "told", "telling"},
	{"add", "adds", "added"},
	{"write", "writes", "wrote", "written"},
	{"deny"}, {"claim"}, {"warn"}, {"argue"}, {"admit"}, {"insist"},
	{"promise"}, {"announce"}, {"describe"}, {"accuse"}, {"blame"},
	{"urge"}, {"predict"}, {"reveal"}, {"confirm"}, {"explain"},
	{"suggest"}, {"call"}, {"criticise", "criticize"}, {"vow"}, {"pledge"},
	{"declare"}, {"comment"}, {"reply"}, {"dismiss"}, {"reject"},
	{"concede"}, {"acknowledge"}, {"stress"}, {"ask"}, {"threaten"},
	{"complain"}, {"allege"}, {"react", "reaction"}, {"respond", "response"}, {"think"},
	{"feel"}, {"believe"}, {"compare"}, {"attack"},
})

// speechTable builds speechVerbs: the first word of each group is its
// canonical form.
func speechTable(groups [][]string) map[string]string {
	m := map[string]string{}
	for _, g := range groups {
		for _, w := range g {
			m[analysis.Stem(w)] = g[0]
		}
	}
	return m
}

// speechVerb returns the canonical reporting verb of t, or "". "ads" is
// excluded because it shares the stem of "added".
func speechVerb(t analysis.Token) string {
	if t.Word == "ad" || t.Word == "ads" {
		return ""
	}
	return speechVerbs[t.Term]
}

// otherVerb is the credit for a reporting verb other than the question's:
// "X said" may report what X thinks, but "X denied" answers "what did X
// deny" better than "X said" does.
const otherVerb = 0.3

// attribution scores from 0 to 1 how well sentence i of p attributes the
// speech the question asks about ("what did Liang deny") to its speaker.
// The sentence with most question words is often the quote's topic, not
// its attribution; this feature finds "…, Liang denied" instead.
// refs are the names the sentence refers to (see resolved).
func (sc *scorer) attribution(p *para, i int, refs map[string]bool) float64 {
	if sc.q.speech == "" {
		return 0
	}
	v := verbMatch(sc.q.speech, p.sents[i].toks)
	if v == 0 || sc.otherSpeaker(unquoted(p.sents[i])) {
		return 0
	}
	return v * sc.speakerMatch(p, i, refs)
}

// unquoted returns the tokens of s outside double quotation marks: who
// speaks is said there, while a quotation's own words may look like an
// attribution ("We say Krivorizhstal was stolen," Mr Yushchenko told…).
// A sentence whose first mark closes a quotation began inside it.
func unquoted(s sent) []analysis.Token {
	inside := make([]bool, len(s.text)+1)
	in, seen := false, false
	for i, r := range s.text {
		switch {
		case r == '“' || r == '"' && opensQuote(s.text, i):
			in, seen = true, true
		case r == '”' || r == '"' && !afterDigit(s.text, i):
			if !seen && !in {
				for j := range inside[:i] {
					inside[j] = true // the sentence continues a quotation
				}
			}
			in, seen = false, true
		}
		inside[i] = in
	}
	var out []analysis.Token
	for _, t := range s.toks {
		if k := t.Start - s.off; k < 0 || k >= len(inside) || !inside[k] {
			out = append(out, t)
		}
	}
	return out
}

// opensQuote reports whether the straight quotation mark at byte i of
// text opens a quotation: it starts the text or follows a space or an
// opening bracket.
func opensQuote(text string, i int) bool {
	return i == 0 || strings.ContainsRune(" \t\n([", rune(text[i-1]))
}

// afterDigit reports whether byte i of text follows a digit: a straight
// mark there is inches ("a 5" screen"), not a quotation's end.
func afterDigit(text string, i int) bool {
	return i > 0 && text[i-1] >= '0' && text[i-1] <= '9'
}

// otherSpeaker reports whether toks name someone else as the speaker:
// "Bryan said" or "…," said Mike Bryan. when the question asks about
// Tommy Haas. Only "said" takes its speaker after it; a name after
// "warned" or "told" is whom they spoke to. When the question asks who
// spoke, its words before the verb say where they work ("who at Swiss
// Re said…"), and the name is the answer, not someone else.
func (sc *scorer) otherSpeaker(toks []analysis.Token) bool {
	if len(sc.q.doer) == 0 || sc.q.kind == kindName {
		return false
	}
	// other reads back from the name before the verb through its title:
	// "Refugee Council Chief Executive Maeve Sherlock called…" is the
	// Refugee Council's boss the question asks about, and so is "Ferry
	// Union chief Ada Quell".
	other := func(j int) bool {
		if j < 0 || j >= len(toks) || !toks[j].Cap || toks[j].Stop {
			return false
		}
		for k := j; k >= 0 && k > j-6 && !toks[k].Stop; k-- {
			if sc.q.doer[toks[k].Term] {
				return false
			}
		}
		return true
	}
	// after reads on from the name after "said" through the words that
	// describe the speaker: "said Herons coach Marguerite Olowe" is the
	// coach the question asks about.
	after := func(j int) bool {
		for k := j; k < len(toks) && k < j+4 && !toks[k].Stop; k++ {
			if sc.q.doer[toks[k].Term] {
				return false
			}
		}
		return other(j)
	}
	for i, t := range toks {
		v := speechVerb(t)
		if v != "" && (other(i-1) || v == "say" && after(i+1)) {
			return true
		}
	}
	return false
}

// verbMatch is 1 when toks hold the question's own reporting verb, or a
// plain "said" when the question asks for an opinion ("how did X feel",
// "how did X describe"), or "called" for "describe"; otherVerb for
// another reporting verb; else 0.
func verbMatch(want string, toks []analysis.Token) float64 {
	best := 0.0
	for _, t := range toks {
		switch v := speechVerb(t); {
		case v == want, opinionVerbs[want] && plainVerbs[v], want == "describe" && v == "call":
			return 1 // news describes with "called": "X called the plans \"dangerous\""
		case v != "":
			best = otherVerb
		}
	}
	return best
}

// speakerMatch is how sure we are that the speaker of sentence i is the
// one the question names: named in the sentence (1), referred to by a
// pronoun or stand-in (resolvedCredit), named elsewhere in the paragraph
// (0.5).
func (sc *scorer) speakerMatch(p *para, i int, refs map[string]bool) float64 {
	q := sc.q
	switch {
	case len(q.doer) == 0 || hasTerm(p.sents[i].toks, q.doer):
		return 1
	case anyKey(refs, q.doer):
		return resolvedCredit
	case anyKey(p.terms, q.doer):
		return 0.5
	}
	return 0
}

// hasTerm reports whether any content token of toks is in terms.
func hasTerm(toks []analysis.Token, terms map[string]bool) bool {
	for _, t := range toks {
		if !t.Stop && terms[t.Term] {
			return true
		}
	}
	return false
}

// anyKey reports whether any key of want is in have.
func anyKey(have, want map[string]bool) bool {
	for k := range want {
		if have[k] {
			return true
		}
	}
	return false
}

// hasPronoun reports whether toks hold a pronoun that could stand for a
// speaker named earlier.
func hasPronoun(toks []analysis.Token) bool {
	return anyTok(toks, func(t analysis.Token) bool { return speakerPronouns[t.Word] })
}

// opinionVerbs are question verbs that news reports with a plain "said".
var opinionVerbs = set("feel", "think", "believe", "react", "describe", "respond", "comment")

// plainVerbs are the neutral reporting verbs.
var plainVerbs = set("say", "tell", "add", "write")

var speakerPronouns = set("he", "she", "they", "his", "her", "their", "him",
	"them", "we", "it")
