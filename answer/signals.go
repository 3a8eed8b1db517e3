package answer

import (
	"maps"
	"slices"
	"strings"

	"github.com/byline-news/byline/retrieval/analysis"
)

// The signals the answerability model reads about the chosen answer,
// each 0..1. Each is evidence that the answer is not there: something
// the question names or asks for that the answer's story lacks. Weak
// matching is not such evidence: questions asked in other words than
// the article's (bbc-chat-dev) match weakly and are answerable, while
// near misses reuse the article's words; signals of match strength
// (coverage, the ranker's margin) fitted on one kind of question did not
// hold on the other. The model weighs the signals (see Model), fitted by
// `byline eval --fit` on some question sets and checked on the others.
const (
	sMissingYear  = iota // a year of the question missing from the story, or a year or month of it from the answer that gives another: another year is another event
	sMissingNames        // names and numbers of the question missing from the story, at most 2, halved
	sUnknown             // share of the question's weight in words no indexed paragraph has, nor a synonym in the answer ("boss" for "chief")
	sCueMissing          // a number or a time is asked for and the answer lacks one
	sFuture              // the question and the answer disagree in time: what happened against what was to come, or the reverse
	sNegation            // the question has a negation ("not", "never") that the answer lacks, or a word whose opposite the answer says instead
	sWindowNames         // names and numbers of the question missing from the answer's sentences (and what they refer to), at most 2, halved
	numSignals
)

// signalNames name the signals, for fitting and reports.
var signalNames = [numSignals]string{"missing_year", "missing_names", "unknown", "cue_missing", "future", "negation", "window_names"}

// SignalNames returns the names of Answer.Signals, in order.
func SignalNames() []string { return signalNames[:] }

// FeatureNames returns the names of the ranker's features
// (Trace.Candidates' Features), in order.
func FeatureNames() []string { return featureNames[:] }

// signals measures the chosen answer: key, expanded to e.
func (sc *scorer) signals(key candidate, e excerpt) []float64 {
	s := make([]float64, numSignals)
	story := sc.story(key, e)
	names, years := sc.missing(story)
	s[sMissingNames] = float64(min(names, 2)) / 2
	s[sMissingYear] = float64(min(years, 1))
	if sc.otherDate(e) {
		s[sMissingYear] = 1
	}
	said := answerTerms(e)
	s[sUnknown] = sc.coverage(func(t string) float64 {
		if sc.unknown(t, said) {
			return 1
		}
		return 0
	})
	if writtenKind(sc.q.kind) && !slices.ContainsFunc(e.sents(), sc.hasCue) {
		s[sCueMissing] = 1
	}
	if sc.tenseDisagrees(key, e) {
		s[sFuture] = 1
	}
	echo := hasWord(sc.q.toks, "without") // then the answer's "without" may only repeat the question's
	lacksNegation := negated(sc.q.toks) && !slices.ContainsFunc(e.sents(), func(st sent) bool { return negated(st.toks) || !echo && hasWord(st.toks, "without") })
	if lacksNegation || sc.opposes(e, said) {
		s[sNegation] = 1
	}
	wnames, _ := sc.missing(sc.window(key, said))
	s[sWindowNames] = float64(min(wnames, 2)) / 2
	return s
}

// opposes reports whether the answer says the opposite of a question
// word it lacks: "smallest" for "largest", "private" for "public". Like a
// negation the answer lacks, it makes the question one the answer does
// not answer ("what is the smallest state?" of "Alaska is the largest
// state"), and so does a name that differs by one ("North Carolina" for
// "South Carolina"). Verbs are not read so (see analysis.Antonyms), nor
// positions.
func (sc *scorer) opposes(e excerpt, said map[string]bool) bool {
	if sc.opposesDegree(e) {
		return true
	}
	for _, t := range sc.q.toks {
		if t.Stop || said[t.Term] || numberHow[t.Word] || positions[t.Term] {
			continue
		}
		for _, a := range analysis.Antonyms(t.Term) {
			if said[a] && !sc.q.has[a] && !positions[a] {
				return true
			}
		}
	}
	return false
}

// opposesDegree reports whether the answer says the opposite degree of
// one the question asks about, in the words the stop list holds: "most"
// for "least", "more" for "fewer" ("what is the least abundant
// phagocyte?" of "the most abundant").
func (sc *scorer) opposesDegree(e excerpt) bool {
	words := map[string]bool{}
	for _, st := range e.sents() {
		for _, t := range st.toks {
			words[t.Word] = true
		}
	}
	for _, t := range sc.q.toks {
		if words[t.Word] {
			continue
		}
		for _, o := range degreeOpposites[t.Word] {
			if words[o] && !hasWord(sc.q.toks, o) {
				return true
			}
		}
	}
	return false
}

var degreeOpposites = map[string][]string{
	"more": {"less", "fewer"}, "less": {"more"}, "fewer": {"more"},
	"most": {"least", "fewest"}, "least": {"most"}, "fewest": {"most"},
}

// positions name a place in a sequence: another one is another item, no
// opposite ("the first" and "the last" train). The frame of a number
// question ("long" in "how long") is no claim either (numberHow).
var positions = stems("first", "second", "third", "last", "final", "next", "previous", "former", "latter")

// answerTerms returns the content terms of the answer's sentences.
func answerTerms(e excerpt) map[string]bool {
	said := map[string]bool{}
	for _, st := range e.sents() {
		maps.Copy(said, st.terms())
	}
	return said
}

// unknown reports whether question term t is in no indexed paragraph
// and no synonym of it is among said, the answer's terms, nor is it
// an acronym some hit spells out.
func (sc *scorer) unknown(t string, said map[string]bool) bool {
	return sc.rarity[t] >= unknownRarity && !lightVerbs[t] && !sc.spelled[""][t] && !sc.saidOtherwise(t, said)
}

// unknownRarity is the rarity of a term no indexed paragraph has.
const unknownRarity = 0.999

// lightVerbs say little of their own ("how many votes did the plan
// get?"): a small index may hold none of them without lacking what the
// question asks about.
var lightVerbs = stems("get", "got", "make", "have", "go", "take", "give", "put", "come")

// saidOtherwise reports whether a synonym of question term t is among
// said, the answer's terms: "chief" for "boss", "lawyer" for "attorney".
func (sc *scorer) saidOtherwise(t string, said map[string]bool) bool {
	return slices.ContainsFunc(sc.synonyms[t], func(syn string) bool { return said[syn] })
}

// window returns the terms of the answer's sentences (said) and of what
// its key sentence refers to, with the names their last word completes
// and those the answer says in other words: "attorney", a name where the
// stories write "District Attorney", said as "lawyer".
func (sc *scorer) window(key candidate, said map[string]bool) map[string]bool {
	w := sc.resolved(key.p, key.i)
	if w == nil {
		w = map[string]bool{}
	}
	maps.Copy(w, said)
	for _, t := range key.p.title {
		if !t.Stop {
			w[t.Term] = true
		}
	}
	sc.completeNames(w)
	for _, t := range sc.q.terms {
		if sc.names[t] && !w[t] && sc.saidOtherwise(t, said) {
			w[t] = true
		}
	}
	return w
}

// otherDate reports whether the answer dates what it says by another
// year or month than the question's, and never by the question's: "Who
// went to Fort Duquesne in July 1755?" is not answered by "an expedition
// in June 1755", nor "the price in 1970" by "from 1974 to 1979". The
// story may still hold the question's year elsewhere, so sMissingYear's
// story-wide count does not see it. A story's month counts when
// capitalised ("may" is a verb), and so does a question's "March" or
// "May"; chat writes the other months in lower case. A question that
// asks for a time is answered by another ("since when?"), and a date
// that bounds a span ("since 2005", "by 2008") names no event.
func (sc *scorer) otherDate(e excerpt) bool {
	if sc.q.kind == kindTime {
		return false
	}
	asked := [2]map[string]bool{{}, {}} // years, months
	given := [2]map[string]bool{{}, {}}
	dates := func(toks []analysis.Token, into [2]map[string]bool, question bool) {
		for i, t := range toks {
			switch {
			case question && i > 0 && boundWords[toks[i-1].Word]: // "since 2005" names no event
			case isYear(t.Word):
				into[0][strings.TrimSuffix(t.Word, "s")] = true
			case months[t.Word] && (t.Cap || question && !verbMonths[t.Word]):
				into[1][t.Word] = true
			}
		}
	}
	dates(sc.q.toks, asked, true)
	for _, st := range e.sents() {
		dates(st.toks, given, false)
	}
	for i := range asked {
		if len(asked[i]) > 0 && len(given[i]) > 0 && !anyKey(given[i], asked[i]) {
			return true
		}
	}
	return false
}

// verbMonths are months that are verbs too: chat, which writes months in
// lower case ("back in december"), must capitalise these to date by them.
var verbMonths = set("march", "may")

// boundWords before a date make it a bound of a span: spanWords, and
// the bounds that do not answer "how long".
var boundWords = set("since", "until", "till", "from", "to", "after", "before", "between", "by", "through")

// writtenKind reports whether answers of kind k are marked in writing, so
// that an answer lacking the mark most likely does not give one: a count
// or an amount is written with digits or number words, a time with a
// year, month, day or time word. A person, group or place is not always
// a capitalised name ("the public", "church bishops", "in the stems"):
// among the answerable "where" questions of SQuAD and bbc-dev a quarter
// lack one, as many as of SQuAD 2.0's unanswerable ones, so its absence
// tells nothing of answerability (the ranker still prefers names).
func writtenKind(k kind) bool {
	return k == kindNumber || k == kindTime
}

// missing counts the question's names and numbers, and its years,
// missing from found.
func (sc *scorer) missing(found map[string]bool) (names, years int) {
	for _, t := range sc.q.terms {
		switch {
		case found[t]:
		case isYear(t):
			years++
		case sc.isKey(t):
			names++
		}
	}
	return names, years
}

// story returns the terms of the answer's story: its sentences, the key
// paragraph and title, the names the key sentence refers to, and the
// names and numbers of the paragraphs before and after. The first word
// of a name counts when its last word is there ("Michael Howard" is "Mr
// Howard" after the first mention).
func (sc *scorer) story(key candidate, e excerpt) map[string]bool {
	found := map[string]bool{}
	for t := range key.p.terms {
		found[t] = true
	}
	for _, s := range e.sents() {
		for t := range s.terms() {
			found[t] = true
		}
	}
	maps.Copy(found, sc.spelled[articleKey(key.p.hit)])
	for t := range sc.resolved(key.p, key.i) {
		found[t] = true
	}
	for _, t := range append(key.p.beforeToks(), key.p.afterToks()...) {
		if !t.Stop && sc.isKey(t.Term) {
			found[t.Term] = true
		}
	}
	sc.completeNames(found)
	return found
}

// isKey reports whether t is a name or number: the question is about
// something else if the story lacks it.
func (sc *scorer) isKey(t string) bool {
	return sc.names[t] || strings.ContainsAny(t, "0123456789")
}

// completeNames marks as found the other words of a question name whose
// last word is found: a story names "Mr Howard" once it has said
// "Michael Howard", so "Michael" is not missing from it.
func (sc *scorer) completeNames(found map[string]bool) {
	var run []string
	flush := func() {
		if len(run) > 1 && found[run[len(run)-1]] {
			for _, t := range run {
				found[t] = true
			}
		}
		run = run[:0]
	}
	for _, t := range sc.q.toks {
		if t.Stop || !sc.names[t.Term] {
			flush()
			continue
		}
		run = append(run, t.Term)
		if possessive(sc.q.text, t) {
			flush() // "Bill Cosby's attorney": the name ends at the possessive
		}
	}
	flush()
}

// negated reports whether toks hold a negation. "Or not" offers the
// alternative of a yes-or-no question ("did the council approve it or
// not?", "whether or not"), and negates nothing; nor does "no" before a
// number, which is short for number ("No 10", "climbed to no 7"). Nor
// is "without" one in a question: "how many players are Sale without?"
// is answered by "Sale are missing 14 players"; in an answer it may say
// the question's "no" ("without a coach"), which the negation signal
// allows for unless the question says "without" too.
func negated(toks []analysis.Token) bool {
	for i, t := range toks {
		if !negations[t.Word] || i > 0 && toks[i-1].Word == "or" {
			continue
		}
		if t.Word == "no" && i+1 < len(toks) && strings.Trim(toks[i+1].Word, "0123456789") == "" {
			continue
		}
		return true
	}
	return false
}

var negations = set("not", "no", "never", "nor", "neither", "none", "nobody", "nothing", "cannot", "non",
	"didnt", "doesnt", "dont", "isnt", "wasnt", "werent", "wont", "cant", "couldnt", "wouldnt", "hasnt", "havent", "hadnt")
