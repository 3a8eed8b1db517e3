package answer

import (
	"strings"

	"github.com/byline-news/byline/retrieval"
)

// Penalties applied to the coverage to make Answer.Confidence. They were
// set on the dev questions to separate right answers from wrong ones and
// from unanswerable questions (ROC AUC about 0.76).
const (
	missingNamePenalty = 0.6 // per question name or number absent from the answer's story
	noCuePenalty       = 0.5 // the answer lacks the kind asked for (no number for "how many")
	noSpeakerPenalty   = 0.8 // a speech question, but the answer attributes nothing
)

// Extract answers question from hits (best first, as retrieval ranked
// them) by quoting one to three sentences of one paragraph. It abstains,
// rather than guess, when the best sentence and its story cover too
// little of the question.
func Extract(question string, hits []retrieval.Hit, opt Options) Answer {
	opt = opt.withDefaults()
	q := parseQuestion(question)
	if len(q.terms) == 0 {
		return abstain(question, noWordsReason, 0)
	}
	paras := make([]*para, len(hits))
	for i := range hits {
		paras[i] = newPara(&hits[i], i)
	}
	sc := newScorer(q, paras, opt.weights)
	all := sc.best(paras)
	key := top(all)
	if key.i < 0 {
		return abstain(question, notFoundReason(opt.Corpus), 0)
	}
	e := sc.expand(key, opt.MaxLen)
	conf := sc.confidence(key, e)
	if opt.MinConfidence >= 0 && conf < opt.MinConfidence {
		return abstain(question, notFoundReason(opt.Corpus), conf)
	}
	return Answer{
		Question:   question,
		Text:       render(e, opt.MaxLen),
		Sources:    sources(q, key, all, opt.MaxSources),
		Confidence: conf,
	}
}

// abstain is the answer that gives none, for reason.
func abstain(question, reason string, conf float64) Answer {
	return Answer{Question: question, Abstained: true, Reason: reason, Confidence: conf}
}

// top returns the highest-scoring candidate, the earliest on ties; its
// i is -1 when there is no sentence at all.
func top(all []candidate) candidate {
	best := candidate{i: -1}
	for _, c := range all {
		if c.i >= 0 && (best.i < 0 || c.score > best.score) {
			best = c
		}
	}
	return best
}

// confidence averages the share of the question's weight found in the
// key sentence (names it refers to count) and the share found in the
// answer's sentences, paragraph and title. It is lowered for each name or
// number of the question missing from the latter, when the expected kind
// of answer is absent, and when a speech question gets no attribution.
func (sc *scorer) confidence(key candidate, e excerpt) float64 {
	found := map[string]bool{}
	for t := range key.p.terms {
		found[t] = true
	}
	cue := false
	for _, s := range e.sents() {
		for t := range contentTerms(s.toks) {
			found[t] = true
		}
		cue = cue || sc.hasCue(s.toks)
	}
	c := (sc.coverage(in(found)) + key.f.overlap) / 2
	for _, t := range sc.q.terms {
		if !found[t] && sc.isKey(t) {
			c *= missingNamePenalty
		}
	}
	if sc.q.kind != kindAny && !cue {
		c *= noCuePenalty
	}
	if sc.q.speech != "" && key.f.speech == 0 {
		c *= noSpeakerPenalty
	}
	return c
}

// isKey reports whether t is a name or number: the question is about
// something else if the story lacks it.
func (sc *scorer) isKey(t string) bool {
	return sc.names[t] || strings.ContainsAny(t, "0123456789")
}
