// Package percolate matches new articles against standing queries (the
// channels' watches), the way Elasticsearch's percolator does: the
// queries are indexed, and an article's terms look up the few that may
// match it, so the cost of matching grows with the article, not with
// the number of watches.
//
// A watch is the searchable terms of its topic (folded, stemmed, stop
// words dropped: the analysis search uses), and it matches an article
// that holds every one of them, in its title or text, when at least half
// of them (rounded up) also stand together in the title or in one
// sentence: a story about the topic, not one that mentions its words in
// passing. Each watch is indexed under one term, its anchor (the
// longest, a cheap stand-in for the rarest, as Luwak's term weighting
// does): every article that matches holds the anchor, so looking up an
// article's terms finds every watch that can match it, and each
// candidate is then checked.
package percolate

import (
	"cmp"
	"slices"
	"strings"

	"github.com/byline-news/byline/retrieval"
	"github.com/byline-news/byline/retrieval/analysis"
	"github.com/byline-news/byline/retrieval/sentence"
)

// Percolator is an index of watches. It is read-only once built, so safe
// for concurrent use; a changed set of watches makes a new one.
type Percolator struct {
	byAnchor map[string][]query
	n        int
}

// query is one watch as indexed.
type query struct {
	id    int64
	terms []string // distinct, sorted
}

// Match is a watch that an article matches, with the sentence that
// shows it best (the title's first sentence when no sentence of the
// text holds more of the watch's terms).
type Match struct {
	Watch    int64
	Sentence string
}

// Terms returns the distinct searchable terms of a topic, sorted; none
// means the topic cannot be watched (only stop words or punctuation).
func Terms(topic string) []string {
	t := analysis.Terms(topic)
	slices.Sort(t)
	return slices.Compact(t)
}

// New indexes watches; those without searchable terms are left out.
func New(watches []retrieval.Watch) *Percolator {
	p := &Percolator{byAnchor: map[string][]query{}}
	for _, w := range watches {
		terms := Terms(w.Topic)
		if len(terms) == 0 {
			continue
		}
		a := anchor(terms)
		p.byAnchor[a] = append(p.byAnchor[a], query{id: w.ID, terms: terms})
		p.n++
	}
	return p
}

// Len is the number of watches indexed.
func (p *Percolator) Len() int { return p.n }

// anchor picks the term a watch is indexed under: the longest, ties to
// the greatest, so the choice is stable.
func anchor(terms []string) string {
	return slices.MaxFunc(terms, func(a, b string) int {
		return cmp.Or(cmp.Compare(len(a), len(b)), strings.Compare(a, b))
	})
}

// Match returns the watches a matches, in the order of their IDs. The
// article's sentences are analysed only when some watch holds all its
// words in it, which most articles do not.
func (p *Percolator) Match(a retrieval.Article) []Match {
	if p.n == 0 {
		return nil
	}
	terms := termSet(a)
	var cands []query
	for t := range terms {
		for _, q := range p.byAnchor[t] {
			if holdsAll(terms, q.terms) {
				cands = append(cands, q)
			}
		}
	}
	if len(cands) == 0 {
		return nil
	}
	units := sentences(a)
	var out []Match
	for _, q := range cands {
		if s, ok := best(units, q.terms); ok {
			out = append(out, Match{Watch: q.id, Sentence: s})
		}
	}
	slices.SortFunc(out, func(x, y Match) int { return cmp.Compare(x.Watch, y.Watch) })
	return out
}

// termSet is every searchable term of a's title and text.
func termSet(a retrieval.Article) map[string]struct{} {
	set := make(map[string]struct{}, 256)
	add := func(tok analysis.Token) {
		if !tok.Stop {
			set[tok.Term] = struct{}{}
		}
		if tok.Joined != "" { // as the index holds it: "wifi" of "Wi-Fi"
			set[tok.Joined] = struct{}{}
		}
	}
	analysis.Each(a.Title, add)
	for _, p := range a.Paragraphs {
		analysis.Each(p, add)
	}
	return set
}

func holdsAll(set map[string]struct{}, terms []string) bool {
	for _, t := range terms {
		if _, ok := set[t]; !ok {
			return false
		}
	}
	return true
}

// unit is a sentence of the article (the title is the first) and its
// terms.
type unit struct {
	text  string
	terms map[string]struct{}
	title bool
}

// sentences splits a into its title and sentences, with their terms.
func sentences(a retrieval.Article) []unit {
	add := func(text string, title bool) unit {
		u := unit{text: text, terms: map[string]struct{}{}, title: title}
		analysis.Each(text, func(tok analysis.Token) {
			if !tok.Stop {
				u.terms[tok.Term] = struct{}{}
			}
			if tok.Joined != "" {
				u.terms[tok.Joined] = struct{}{}
			}
		})
		return u
	}
	out := []unit{add(a.Title, true)}
	for _, p := range a.Paragraphs {
		for _, s := range sentence.Split(p) {
			out = append(out, add(s, false))
		}
	}
	return out
}

// best finds the sentence of the text holding most of terms (the first
// of equals, so the lead when none does: the title is shown anyway), and
// reports whether the title or a sentence holds at least half of them.
func best(units []unit, terms []string) (string, bool) {
	need := (len(terms) + 1) / 2
	bestText, bestN, enough := "", 0, false
	for _, u := range units {
		n := 0
		for _, t := range terms {
			if _, ok := u.terms[t]; ok {
				n++
			}
		}
		enough = enough || n >= need
		if !u.title && (n > bestN || bestText == "") {
			bestText, bestN = u.text, n
		}
	}
	return strings.TrimSpace(bestText), enough
}
