package engine

import (
	"context"

	"github.com/byline-news/byline/retrieval/analysis"
)

// synonymWeight scales a synonym's BM25 contribution relative to the
// question's own word. Questions in chat use other words than articles
// ("quit" for "resigned", "attorney" for "lawyer"), so a paragraph with
// only the article's word should still be found; but WordNet's synonyms
// are of any of a word's two most frequent senses, so the question's
// own word must count for more. 0.2 was chosen on squad-1.1 and
// bbc-chat-dev (0.1 and 0.3 did no better) and holds on bbc-dev and
// squad-2.0-half (BENCHMARKS.md).
const synonymWeight = 0.2

// synonymTerms returns the WordNet synonyms of the question's terms and
// two-word verbs ("step down") that
// the index holds, other than the question's own terms, each weighted
// by synonymWeight. They are scored with BM25 but not reranked as
// phrases: the question's word pairs are its own.
func synonymTerms(ctx context.Context, q Reader, text string, terms []string, st *state) ([]*queryTerm, error) {
	asked := make(map[string]bool, len(terms))
	for _, t := range terms {
		asked[t] = true
	}
	seen := map[string]bool{}
	var syns []string
	add := func(ss []string) {
		for _, s := range ss {
			if !asked[s] && !seen[s] {
				seen[s] = true
				syns = append(syns, s)
			}
		}
	}
	for _, t := range terms {
		add(analysis.Synonyms(t))
	}
	analysis.PairSynonyms(analysis.Tokens(text), func(_ int, ss []string) { add(ss) })
	if len(syns) == 0 {
		return nil, nil
	}
	qts, err := fetchPostings(ctx, q, syns, st)
	for _, qt := range qts {
		qt.weight = synonymWeight
	}
	return qts, err
}
