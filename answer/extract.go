package answer

import "github.com/byline-news/byline/retrieval"

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
	conf := sc.confidence(key, e, paras)
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
