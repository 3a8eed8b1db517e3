package answer

import (
	"math"
	"strings"
)

// The signals the answerability model reads about the chosen answer,
// each about 0..1. Each stands for one kind of evidence that the answer
// is, or is not, there; the model weighs them (see Model), fitted by
// `byline eval --fit` on some question sets and checked on the others.
const (
	sProb         = iota // the ranker's probability for the chosen sentence among all candidates
	sMargin              // its score's lead over the best sentence of any other paragraph (at most 2, halved)
	sOverlap             // share of the question's weight in the chosen sentence
	sStory               // share of the question's weight in the answer's story
	sMissingRare         // the rarity of the rarest question term missing from the story
	sMissingNames        // names and numbers of the question missing from the story, at most 2, halved
	sMissingYear         // a year of the question missing from the story: another year is another event
	sCue                 // a kind of answer is asked for and the answer holds it
	sCueMissing          // a kind of answer is asked for and the answer lacks it
	sPredicate           // share of the question's predicate words in the answer
	sFuture              // the question asks what happened, the answer tells what is to come
	sNoSpeaker           // a question about what someone said, and the answer attributes nothing
	sCorroborated        // another paragraph repeats an answer of the asked kind
	sTerms               // the question's content terms, on a log scale: long questions miss words by chance
	numSignals
)

// signalNames name the signals, for fitting and reports.
var signalNames = [numSignals]string{"prob", "margin", "overlap", "story", "missing_rare", "missing_names", "missing_year",
	"cue", "cue_missing", "predicate", "future", "no_speaker", "corroborated", "terms"}

// SignalNames returns the names of Answer.Signals, in order.
func SignalNames() []string { return signalNames[:] }

// FeatureNames returns the names of the ranker's features
// (Trace.Candidates' Features), in order.
func FeatureNames() []string { return featureNames[:] }

// signals measures the chosen answer: key, expanded to e, among all the
// candidates.
func (sc *scorer) signals(key candidate, e excerpt, all []candidate) []float64 {
	s := make([]float64, numSignals)
	s[sProb] = probability(key, all)
	s[sMargin] = min(margin(key, all), 2) / 2
	s[sOverlap] = key.x[fOverlap]
	found := sc.story(key, e)
	s[sStory] = sc.coverage(in(found))
	names, years := 0, 0
	for _, t := range sc.q.terms {
		if found[t] {
			continue
		}
		s[sMissingRare] = max(s[sMissingRare], sc.rarity[t])
		switch {
		case isYear(t):
			years++
		case sc.isKey(t):
			names++
		}
	}
	s[sMissingNames] = float64(min(names, 2)) / 2
	s[sMissingYear] = float64(min(years, 1))
	cue := false
	for _, st := range e.sents() {
		cue = cue || sc.hasCue(st)
	}
	if sc.q.kind != kindAny && sc.q.kind != kindReason {
		if cue {
			s[sCue] = 1
		} else {
			s[sCueMissing] = 1
		}
	}
	s[sPredicate] = sc.predicate(excerptToks(e)...)
	if sc.q.past && tellsFuture(e.key.toks) {
		s[sFuture] = 1
	}
	if sc.q.speech != "" && key.x[fSpeech] == 0 {
		s[sNoSpeaker] = 1
	}
	if cue && sc.corroborated(e, key.p, all) {
		s[sCorroborated] = 1
	}
	s[sTerms] = math.Log1p(float64(len(sc.q.terms))) / math.Log(16)
	return s
}

// probability is the softmax share of key's score among all candidates:
// how sure the ranker is of its choice.
func probability(key candidate, all []candidate) float64 {
	var z float64
	for _, c := range all {
		z += math.Exp(c.score - key.score)
	}
	if z == 0 {
		return 0
	}
	return 1 / z
}

// margin is how far key's score leads the best candidate of another
// paragraph; 2 when there is none.
func margin(key candidate, all []candidate) float64 {
	best, ok := 0.0, false
	for _, c := range all {
		if c.p != key.p && (!ok || c.score > best) {
			best, ok = c.score, true
		}
	}
	if !ok {
		return 2
	}
	return max(key.score-best, 0)
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
		for t := range contentTerms(s.toks) {
			found[t] = true
		}
	}
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
	}
	flush()
}

// corroborated reports whether another retrieved paragraph than p holds
// one of the answers of the asked kind that e holds: news repeats a fact
// across the stories of an event, while the name or number that merely
// stands near the question's words in one story is seldom repeated.
func (sc *scorer) corroborated(e excerpt, p *para, all []candidate) bool {
	for _, s := range e.sents() {
		for i, t := range s.toks {
			if sc.q.has[t.Term] || t.Stop || !sc.cueAt(s, i) {
				continue
			}
			for _, c := range all {
				if c.p != p && c.p.terms[t.Term] {
					return true
				}
			}
		}
	}
	return false
}
