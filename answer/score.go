package answer

import "github.com/byline-news/byline/retrieval/analysis"

// featureWeights weigh the features of a sentence in its score.
type featureWeights struct {
	overlap float64 // share of the question's weight found in the sentence
	context float64 // share found in the sentence's paragraph or title
	phrase  float64 // per question bigram found as a phrase (at most 2)
	cue     float64 // the sentence holds the expected kind of answer
	speech  float64 // the sentence attributes the asked-about speech (× context)
	rank    float64 // retrieval's own opinion: 1/(1+rank)
}

// defaultWeights are the weights Extract uses. Overlap with the question
// is the base; the paragraph's coverage picks the right story, since dev
// questions reuse only a fifth of their evidence sentence's words; the
// cue and the speech bonus pick the sentence that holds the kind of
// answer asked for.
func defaultWeights() featureWeights {
	return featureWeights{overlap: 1, context: 0.35, phrase: 0.05, cue: 0.6, speech: 0.75, rank: 0.15}
}

// candidate is a sentence scored as the core of an answer.
type candidate struct {
	p     *para
	i     int // sentence index in p.sents
	f     features
	score float64
}

// scorer holds what scoring needs about the question.
type scorer struct {
	fw    featureWeights
	q     *question
	w     map[string]float64 // weight of each question term
	names map[string]bool    // question terms that are names
	// capitals are the terms capitalised inside a sentence of some hit:
	// names, even where they open a sentence.
	capitals map[string]bool
	total    float64
	bigram   map[[2]string]bool
}

// newScorer prepares to score the sentences of paras for q: it weighs
// the question's terms against the paragraphs and collects the names.
func newScorer(q *question, paras []*para, fw featureWeights) *scorer {
	sc := &scorer{fw: fw, q: q, bigram: map[[2]string]bool{}}
	sc.w, sc.names = termWeights(q, paras)
	sc.capitals = map[string]bool{}
	for _, p := range paras {
		for t := range p.capitals {
			sc.capitals[t] = true
		}
	}
	for _, t := range q.terms {
		sc.total += sc.w[t]
	}
	for i := 1; i < len(q.seq); i++ {
		if q.seq[i-1] != q.seq[i] {
			sc.bigram[[2]string{q.seq[i-1], q.seq[i]}] = true
		}
	}
	return sc
}

// best returns the best sentence of each paragraph, in paragraph order;
// a paragraph with no sentence gets a candidate with i = -1.
func (sc *scorer) best(paras []*para) []candidate {
	out := make([]candidate, len(paras))
	for k, p := range paras {
		out[k] = candidate{p: p, i: -1, score: -1}
		for i := range p.sents {
			f := sc.features(p, i)
			if s := f.total(sc.fw); s > out[k].score {
				out[k] = candidate{p: p, i: i, f: f, score: s}
			}
		}
	}
	return out
}

// features are what a sentence is scored on.
type features struct {
	overlap float64 // share of the question's weight in the sentence
	context float64 // share in the sentence, its paragraph, the title or what it refers to
	phrases int     // question bigrams found as phrases
	cue     bool    // holds the kind of answer asked for
	speech  float64 // attributes the asked-about speech, 0..1
	rank    int     // the paragraph's retrieval rank
}

// total is the weighted sum of f.
func (f features) total(w featureWeights) float64 {
	v := w.overlap*f.overlap + w.context*f.context +
		w.phrase*float64(min(f.phrases, 2)) + w.speech*f.speech*f.context +
		w.rank/float64(1+f.rank)
	if f.cue {
		v += w.cue
	}
	return v
}

// features measures sentence i of p. Names the sentence only refers to
// count as resolvedCredit; names elsewhere in its story as topicCredit.
func (sc *scorer) features(p *para, i int) features {
	s := p.sents[i]
	terms, refs := contentTerms(s.toks), sc.resolved(p, i)
	return features{
		overlap: sc.coverage(func(t string) float64 {
			switch {
			case terms[t]:
				return 1
			case refs[t]:
				return resolvedCredit
			case sc.names[t] && p.terms[t]:
				return topicCredit
			}
			return 0
		}),
		context: sc.coverage(in(p.terms, refs)),
		phrases: sc.phrases(s.toks),
		cue:     sc.hasCue(s),
		speech:  sc.attribution(p, i, refs),
		rank:    p.rank,
	}
}

// coverage is the share of the question's weight found, where credit
// says how much of each term was found (0..1). It sums in question order
// so that equal scores stay equal from run to run.
func (sc *scorer) coverage(credit func(string) float64) float64 {
	if sc.total == 0 {
		return 0
	}
	var c float64
	for _, t := range sc.q.terms {
		c += sc.w[t] * credit(t)
	}
	return c / sc.total
}

// in returns a credit function that gives 1 to the terms of any of ms.
func in(ms ...map[string]bool) func(string) float64 {
	return func(t string) float64 {
		for _, m := range ms {
			if m[t] {
				return 1
			}
		}
		return 0
	}
}

// phrases counts the question's adjacent content-word pairs that are also
// adjacent in toks: "South China Sea", "Liang Guanglie".
func (sc *scorer) phrases(toks []analysis.Token) int {
	n, prev := 0, ""
	for _, t := range toks {
		if t.Stop {
			continue
		}
		if sc.bigram[[2]string{prev, t.Term}] {
			n++
		}
		prev = t.Term
	}
	return n
}
