package answer

import (
	"math"
	"slices"

	"github.com/byline-news/byline/retrieval/analysis"
)

// The features a candidate sentence is ranked on, each about 0..1. The
// ranker is linear in them (see Model); its weights are fitted by
// `byline eval --fit` on some question sets and checked on the others.
const (
	fOverlap    = iota // share of the question's weight in the sentence (names it only refers to count in part)
	fContext           // share in the sentence, its paragraph, the title or what it refers to
	fPhrase            // question bigrams found as phrases in the sentence, at most 2, halved
	fCue               // the sentence holds the kind of answer asked for (half when only the next one does, which the answer then shows)
	fCueMissing        // a kind of answer is asked for and the sentence lacks it (half when the next one has it)
	fSpeech            // attributes the asked-about speech to the asked-about speaker, times fContext
	fRank              // retrieval's order: 1/(1+rank)
	fScore             // retrieval's score, relative to the best hit's
	fLead              // the first sentence of its article
	fNovel             // share of the sentence's content words that the question lacks
	fNear              // the answer kind asked for within four words of a question word
	fPredicate         // share of the question's predicate words in the sentence ("shot", "successor")
	fSynonym           // share of the question's weight found only as a synonym in the sentence ("lawyer" for "attorney")
	// fLength is the sentence's content words, a fortieth each, at most
	// 1: a long sentence holds more of the question's words by chance,
	// and a story's lead, which restates its names, is its longest.
	fLength
	numFeatures
)

// featureNames name the ranker features, for fitting and reports.
var featureNames = [numFeatures]string{"overlap", "context", "phrase", "cue", "cue_missing", "speech", "rank", "score", "lead", "novel", "near", "predicate", "synonym", "length"}

// vec is a feature vector.
type vec [numFeatures]float64

// dot is the linear score of x under weights w.
func (w vec) dot(x vec) float64 {
	s := 0.0
	for i := range w {
		s += w[i] * x[i]
	}
	return s
}

// candidate is a sentence scored as the core of an answer.
type candidate struct {
	p     *para
	i     int // sentence index in p.sents
	x     vec
	score float64
}

// scorer holds what scoring needs about the question.
type scorer struct {
	m      *Model
	q      *question
	w      map[string]float64 // weight of each question term
	rarity map[string]float64 // rarity of each question term, 0..1
	// indexed is set when rarity is the whole index's, not guessed from
	// the hits: a term of rarity 1 is then in no indexed paragraph.
	indexed bool
	hits    int // paragraphs retrieved
	// synonyms are each question term's synonyms (analysis.Synonyms).
	synonyms map[string][]string
	names    map[string]bool // question terms that are names
	// listed is set when the question asks which country, language or
	// religion and some candidate sentence names one: only such a name
	// answers then (see listedAnswers).
	listed nameList
	// capitals are the terms capitalised inside a sentence of some hit:
	// names, even where they open a sentence.
	capitals map[string]bool
	total    float64
	// local weighs each question term by how few of the candidate
	// sentences hold it as well (see localWeights); localTotal is its sum.
	local      map[string]float64
	localTotal float64
	bigram     map[[2]string]bool
	top        float64 // the best hit's retrieval score
	// alias maps each story (articleKey) to the question names a last
	// word stands for there (see aliases).
	alias map[string]map[string][]string
	// spelled maps each story (articleKey) to the question's acronyms it
	// spells out, and "" to those any hit does (see acronyms).
	spelled map[string]map[string]bool
}

// newScorer prepares to score the sentences of paras for q: it weighs
// the question's terms (by rarity, from the index when known) and
// collects the names.
func newScorer(q *question, paras []*para, m *Model, rarity map[string]float64) *scorer {
	sc := &scorer{m: m, q: q, bigram: map[[2]string]bool{}, indexed: rarity != nil, hits: len(paras),
		spelled: map[string]map[string]bool{"": {}}}
	sc.w, sc.rarity, sc.names = termWeights(q, paras, rarity)
	sc.capitals = map[string]bool{}
	for _, p := range paras {
		for t := range p.capitals {
			sc.capitals[t] = true
		}
		sc.top = max(sc.top, p.hit.Score)
	}
	sc.synonyms = make(map[string][]string, len(q.terms))
	for _, t := range q.terms {
		sc.total += sc.w[t]
		sc.synonyms[t] = analysis.Synonyms(t)
	}
	analysis.PairSynonyms(q.toks, func(i int, syns []string) {
		t := q.toks[i].Term
		if _, ok := sc.synonyms[t]; ok { // a question term, not a stop word
			sc.synonyms[t] = append(slices.Clip(sc.synonyms[t]), syns...)
		}
	})
	sc.aliases(paras)
	sc.acronyms(paras)
	sc.localWeights(paras)
	sc.listed = sc.listedAnswers(paras)
	for i := 1; i < len(q.seq); i++ {
		if q.seq[i-1] != q.seq[i] {
			sc.bigram[[2]string{q.seq[i-1], q.seq[i]}] = true
		}
	}
	return sc
}

// candidates scores every sentence of every paragraph, in paragraph and
// sentence order: the answer may be in any of them, and the best
// paragraph's best sentence is often not it.
func (sc *scorer) candidates(paras []*para) []candidate {
	var out []candidate
	for _, p := range paras {
		for i := range p.sents {
			x := sc.features(p, i)
			out = append(out, candidate{p: p, i: i, x: x, score: sc.m.Rank.dot(x)})
		}
	}
	return out
}

// features measures sentence i of p. Names the sentence only refers to
// count as resolvedCredit; names elsewhere in its story as topicCredit.
func (sc *scorer) features(p *para, i int) vec {
	s := p.sents[i]
	terms := s.terms()
	refs := sc.aliased(p, s, sc.resolved(p, i))
	var x vec
	x[fOverlap] = sc.localCoverage(func(t string) float64 {
		switch {
		case terms[t]:
			return 1
		case refs[t]:
			return resolvedCredit
		case sc.names[t] && p.terms[t]:
			return topicCredit
		}
		return 0
	})
	x[fContext] = sc.coverage(in(p.terms, refs))
	x[fPhrase] = float64(min(sc.phrases(s.toks), 2)) / 2
	if sc.q.kind != kindAny {
		switch {
		case sc.hasCue(s):
			x[fCue] = 1
		case sc.nextHasCue(p, i):
			x[fCue], x[fCueMissing] = 0.5, 0.5 // expand adds the next sentence
		default:
			x[fCueMissing] = 1
		}
	}
	x[fSpeech] = sc.attribution(p, i, refs) * x[fContext]
	x[fRank] = 1 / float64(1+p.rank)
	if sc.top > 0 {
		x[fScore] = p.hit.Score / sc.top
	}
	if i == 0 && p.hit.Paragraph == 0 {
		x[fLead] = 1
	}
	x[fNovel] = sc.novelty(terms)
	if sc.nearCue(s) {
		x[fNear] = 1
	}
	x[fPredicate] = sc.predicate(s.toks)
	x[fLength] = min(float64(len(terms))/40, 1)
	x[fSynonym] = sc.coverage(func(t string) float64 {
		if terms[t] || refs[t] {
			return 0
		}
		for _, syn := range sc.synonyms[t] {
			if terms[syn] {
				return 1
			}
		}
		return 0
	})
	return x
}

// nextHasCue reports whether the sentence expand would add after
// sentence i of p holds the kind of answer asked for. That may be the
// next paragraph's first sentence: a story's lead is often a paragraph
// of one sentence ("The first children's commissioner for England has
// been appointed."), and the name it announces opens the next.
func (sc *scorer) nextHasCue(p *para, i int) bool {
	if i == len(p.sents)-1 && isQuotation(p.sents[i]) {
		return false // see expand: the next paragraph's speaker is another
	}
	next, ok := p.nextSent(i)
	return ok && sc.hasCue(next)
}

// novelty is the share of a sentence's content terms that the question
// does not have: a sentence that only restates the question answers
// nothing.
func (sc *scorer) novelty(terms map[string]bool) float64 {
	if len(terms) == 0 {
		return 0
	}
	n := 0
	for t := range terms {
		if !sc.q.has[t] {
			n++
		}
	}
	return float64(n) / float64(len(terms))
}

// nearDistance is how many words apart an answer and a question word
// may be to count as near: answers sit beside what the question names.
const nearDistance = 4

// nearCue reports whether the kind of answer asked for stands within
// nearDistance words of a question word in s.
func (sc *scorer) nearCue(s sent) bool {
	if sc.q.kind == kindAny {
		return false
	}
	var cues, hits []int
	for i, t := range s.toks {
		if !t.Stop && sc.q.has[t.Term] {
			hits = append(hits, i)
		} else if sc.cueAt(s, i) {
			cues = append(cues, i)
		}
	}
	for _, c := range cues {
		for _, h := range hits {
			if d := c - h; d <= nearDistance && d >= -nearDistance {
				return true
			}
		}
	}
	return false
}

// coverage is the share of the question's weight found, where credit
// says how much of each term was found (0..1).
func (sc *scorer) coverage(credit func(string) float64) float64 {
	return weighedShare(sc.q.terms, sc.w, sc.total, credit)
}

// weighedShare is the share of total, the sum of w over terms, that
// credit gives. It sums in the order of terms so that equal scores stay
// equal from run to run.
func weighedShare(terms []string, w map[string]float64, total float64, credit func(string) float64) float64 {
	if total == 0 {
		return 0
	}
	var c float64
	for _, t := range terms {
		c += w[t] * credit(t)
	}
	return c / total
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

// localWeights weighs each question term for choosing among the
// retrieved sentences: its weight times how rare it is among them. A
// word every sentence of the story holds ("broadband" in a story about
// broadband) tells them apart less than one only a few hold ("cable").
func (sc *scorer) localWeights(paras []*para) {
	n := 0
	df := make(map[string]int, len(sc.q.terms))
	last := make(map[string]int, len(sc.q.terms)) // the sentence a term was last counted in, from 1
	for _, p := range paras {
		for _, s := range p.sents {
			n++
			for _, t := range s.toks {
				if !t.Stop && sc.q.has[t.Term] && last[t.Term] != n {
					df[t.Term]++
					last[t.Term] = n
				}
			}
			for _, a := range s.abbr { // a sentence that spells an acronym out holds it
				if last[a] != n {
					df[a]++
					last[a] = n
				}
			}
		}
	}
	sc.local = make(map[string]float64, len(sc.q.terms))
	for _, t := range sc.q.terms {
		sc.local[t] = sc.w[t] * math.Log(1+float64(n)/float64(max(df[t], 1)))
		sc.localTotal += sc.local[t]
	}
}

// localCoverage is coverage under the local weights.
func (sc *scorer) localCoverage(credit func(string) float64) float64 {
	return weighedShare(sc.q.terms, sc.local, sc.localTotal, credit)
}
