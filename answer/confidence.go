package answer

import "strings"

// Penalties applied to the coverage to make Answer.Confidence. Each one
// stands for one kind of evidence that the answer is not there; they
// multiply. missingName, noCue and noSpeaker came with the first
// version; the others were added with a round value each and checked on
// qa/bbc-dev.jsonl (ROC AUC of answerable against unanswerable questions
// 0.60 before them, 0.82 after).
const (
	missingNamePenalty = 0.6 // per question name or number absent from the answer's story
	missingYearPenalty = 0.3 // per question year absent from it: another year is another event
	noCuePenalty       = 0.5 // the answer lacks the kind asked for (no money for "how much did they pay")
	noSpeakerPenalty   = 0.8 // a speech question, but the answer attributes nothing
	predicatePenalty   = 0.5 // the answer lacks all of the question's predicate words (scaled by the share missing)
	futurePenalty      = 0.5 // the question asks what happened, the answer tells what is to come
	alonePenalty       = 0.7 // no other retrieved paragraph repeats the answer
)

// confidence averages the share of the question's weight found in the
// key sentence (names it refers to count) and the share found in the
// answer's story (its sentences, paragraph, title, and the names of the
// paragraphs around it), then multiplies in the penalties: the story is
// about something else (a name or year is missing), or it is about the
// right thing but does not say what was asked (the answer lacks the
// kind asked for, the attribution, the predicate words, or tells of a
// future event when the question asks what happened).
//
// Near misses name the people of the question but give another fact
// about them, so it is the answer-side penalties that tell them apart.
func (sc *scorer) confidence(key candidate, e excerpt, paras []*para) float64 {
	found := sc.story(key, e)
	c := (sc.coverage(in(found)) + key.f.overlap) / 2
	c *= sc.topicPenalty(found)
	c *= sc.answerPenalty(key, e, paras)
	return c * (1 - predicatePenalty*(1-sc.predicate(excerptToks(e)...)))
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

// topicPenalty is the product of the penalties for the question's years,
// names and numbers missing from found.
func (sc *scorer) topicPenalty(found map[string]bool) float64 {
	c := 1.0
	for _, t := range sc.q.terms {
		switch {
		case found[t]:
		case isYear(t):
			c *= missingYearPenalty
		case sc.isKey(t):
			c *= missingNamePenalty
		}
	}
	return c
}

// answerPenalty is the product of the penalties for what e lacks as an
// answer. A missing cue counts for every kind but "why": reasons are
// often given without a word such as "because".
func (sc *scorer) answerPenalty(key candidate, e excerpt, paras []*para) float64 {
	c, cue := 1.0, false
	for _, s := range e.sents() {
		cue = cue || sc.hasCue(s)
	}
	if sc.q.kind != kindAny && sc.q.kind != kindReason && !cue {
		c *= noCuePenalty
	}
	if sc.q.speech != "" && key.f.speech == 0 {
		c *= noSpeakerPenalty
	}
	if sc.q.past && tellsFuture(e.key.toks) {
		c *= futurePenalty
	}
	if cue && !sc.corroborated(e, key.p, paras) {
		c *= alonePenalty
	}
	return c
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
func (sc *scorer) corroborated(e excerpt, p *para, paras []*para) bool {
	for _, s := range e.sents() {
		for i, t := range s.toks {
			if sc.q.has[t.Term] || t.Stop || !sc.cueAt(s, i) {
				continue
			}
			for _, o := range paras {
				if o != p && o.terms[t.Term] {
					return true
				}
			}
		}
	}
	return false
}
