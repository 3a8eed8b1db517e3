package answer

import (
	"maps"
	"math"
	"slices"
	"strings"
)

// Term weight multipliers. Without corpus statistics, rarity is guessed
// from the retrieved paragraphs themselves and from the shape of a word.
const (
	weightFloor  = 0.3 // weight of a term found in every retrieved paragraph
	nameBoost    = 1.6 // names carry the question: "Liang", "Krivorizhstal"
	numberBoost  = 1.4 // "2004", "60m": precise, rarely incidental
	shortPenalty = 0.7 // words of 3 letters or fewer are often vague ("win", "cut")
	commonFactor = 0.5 // words common in any news story ("said", "year")
	speechFactor = 0.6 // the reporting verb of a speech question is matched separately
)

// termWeights estimates how much each question term matters, and which
// terms are names: capitalised inside the question, or inside a sentence
// of some paragraph (questions are often typed in lower case) unless the
// question, capitalising its names, writes it in lower case (q.lower).
// A term's rarity in the whole index, when known (rarity), says how much
// it tells stories apart; otherwise it is guessed from the retrieved
// paragraphs: terms that appear in all of them are weak, because
// retrieval found them everywhere; terms that appear in none are strong,
// because the answer would have to contain them.
func termWeights(q *question, paras []*para, rarity map[string]float64) (w, rare map[string]float64, names map[string]bool) {
	w, rare, names = make(map[string]float64, len(q.terms)), make(map[string]float64, len(q.terms)), map[string]bool{}
	for _, t := range q.terms {
		df, name := 0, q.caps[t]
		for _, p := range paras {
			if p.terms[t] {
				df++
			}
			name = name || p.capitals[t] && !q.lower[t]
		}
		r, ok := rarity[t]
		if !ok {
			r = hitRarity(df, len(paras))
		}
		rare[t] = r
		w[t] = (weightFloor + (1-weightFloor)*r) * shape(t, name, q.speech != "")
		if q.unit == unitPercent && q.typed[t] && percentTerms[t] {
			w[t] = 0 // "what share of sales…?" asks for a share; "Shares in X rose" holds the word, not the answer
		}
		names[t] = name
	}
	return w, rare, names
}

// percentTerms are the stems of percentNouns, as question terms come.
var percentTerms = stems(slices.Collect(maps.Keys(percentNouns))...)

// hitRarity maps a document frequency among n paragraphs to 0..1: 1 when no
// paragraph has the term, near 0 when all do.
func hitRarity(df, n int) float64 {
	return math.Log(float64(n+1)/(float64(df)+0.5)) / math.Log(float64(n+1)/0.5)
}

// shape is the part of a term's weight that comes from the word itself.
// A reporting verb weighs less in a speech question, where attribution
// matches it separately.
func shape(term string, name, speech bool) float64 {
	f := 1.0
	switch {
	case name:
		f = nameBoost
	case strings.ContainsAny(term, "0123456789"):
		f = numberBoost
	case len(term) <= 3:
		f = shortPenalty
	}
	if newsCommon[term] {
		f *= commonFactor
	}
	if speech && speechVerbs[term] != "" {
		f *= speechFactor
	}
	return f
}

// newsCommon stands in for corpus IDF: stems that occur in a large share
// of news stories and so say little about which story is meant.
var newsCommon = stems("said", "say", "year", "years", "new", "people",
	"time", "last", "first", "told", "world", "mr", "one", "two", "made",
	"make", "get", "got", "going", "week", "day", "month", "news", "report",
	"number", "government", "uk", "us", "like", "well", "back", "still",
	"take", "way", "come", "use", "used", "want", "need", "know", "think",
	"good", "big")
