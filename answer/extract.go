package answer

import (
	"cmp"
	"fmt"
	"maps"
	"math"
	"slices"

	"github.com/byline-news/byline/retrieval"
)

// Extract answers question from hits (best first, as retrieval ranked
// them) by quoting one to three sentences of one paragraph: the sentence
// the ranker judges most likely to answer, among all the sentences of
// all the hits, with the sentence before it when it refers back. It
// abstains, rather than guess, when the answerability model judges the
// answer unlikely; the closest stories are then given as its sources.
func Extract(question string, hits []retrieval.Hit, opt Options) Answer {
	opt = opt.withDefaults()
	q := parseQuestion(question)
	if len(q.terms) == 0 {
		return abstain(question, noWordsReason, 0, nil, opt)
	}
	cands := withNeighbours(hits)
	paras := make([]*para, len(cands))
	for i := range cands {
		paras[i] = newPara(&cands[i], i)
	}
	sc := newScorer(q, paras, opt.Model, opt.rarity)
	all := sc.candidates(paras)
	key := sc.preferNamed(top(all), all, paras)
	if key.i < 0 {
		return abstain(question, withWhy(notFoundReason(opt.Corpus), sc.unknownWhy(excerpt{})), 0, hits, opt)
	}
	e := sc.expand(key, opt.MaxLen)
	sig := sc.signals(key, e)
	conf := opt.Model.confidence(sig)
	ans := Answer{
		Question:   question,
		Text:       render(e, opt.MaxLen),
		Sources:    sources(q, key, all, opt.MaxSources, sc.sameTopic),
		Confidence: conf,
		Signals:    sig,
	}
	ans.Note = newerNote(ans.Sources, sc.sameTopic)
	if opt.Trace {
		ans.Trace = sc.trace(all, key, opt.MaxLen)
	}
	if opt.MinConfidence >= 0 && conf < opt.MinConfidence {
		a := abstain(question, withWhy(notFoundReason(opt.Corpus), sc.why(key, e, sig)), conf, hits, opt)
		a.Signals, a.Trace = ans.Signals, ans.Trace
		return a
	}
	return ans
}

// abstain is the answer that gives none, for reason. It still shows the
// closest stories, so the asker can judge for themselves: the gold story
// is often among them when byline is not sure enough to answer.
func abstain(question, reason string, conf float64, hits []retrieval.Hit, opt Options) Answer {
	return Answer{Question: question, Abstained: true, Reason: reason, Confidence: conf, Sources: closest(hits, opt.MaxSources)}
}

// closest returns the best hit of each of the first maxN articles.
func closest(hits []retrieval.Hit, maxN int) []Source {
	var out []Source
	seen := map[string]bool{}
	for i := range hits {
		h := &hits[i]
		k := articleKey(h)
		if seen[k] {
			continue
		}
		seen[k] = true
		out = append(out, Source{N: len(out) + 1, Hit: *h})
		if len(out) == maxN {
			break
		}
	}
	return out
}

// articleKey names the article of h: its ID, else its URL or title.
func articleKey(h *retrieval.Hit) string {
	return cmp.Or(h.Article.ID, h.Article.URL, h.Article.Title, h.Text)
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

// trace lists every candidate with the answer it would give.
func (sc *scorer) trace(all []candidate, key candidate, maxLen int) []Candidate {
	out := make([]Candidate, len(all))
	for i, c := range all {
		out[i] = Candidate{Text: render(sc.expand(c, maxLen), maxLen), Features: slices.Clone(c.x[:]),
			Chosen: c.p == key.p && c.i == key.i}
	}
	return out
}

// citeRatio is how likely, relative to the answer's sentence, another
// paragraph's best sentence must be to answer for it to be cited too.
var citeRatio = math.Log(4)

// sources cites the answer's paragraph first. When the answer comes
// from another story than the one retrieval ranked first, that story is
// cited next: it matched the question best, and the asker can check the
// answer against it. Then come the paragraphs whose best sentence the
// ranker finds at least a quarter as likely to answer, best first, and
// a later story about the same thing (laterStory). Two paragraphs of one
// article may both be cited: the second may hold the answer when the
// first does not. Other stories that close come first, though: they
// let the asker check the answer, where the answer's story is a click
// away.
func sources(q *question, key candidate, all []candidate, maxN int, same func(a, b *retrieval.Hit) bool) []Source {
	best := map[*para]candidate{}
	for _, c := range all {
		if b, ok := best[c.p]; !ok || c.score > b.score {
			best[c.p] = c
		}
	}
	ranked := make([]candidate, 0, len(best))
	for _, c := range best {
		ranked = append(ranked, c)
	}
	slices.SortFunc(ranked, func(a, b candidate) int {
		return cmp.Or(cmp.Compare(b.score, a.score), cmp.Compare(a.p.rank, b.p.rank))
	})
	picked := []candidate{key}
	cited := func(c candidate) bool {
		return slices.ContainsFunc(picked, func(p candidate) bool { return p.p == c.p })
	}
	if lead := slices.IndexFunc(ranked, func(c candidate) bool { return c.p.rank == 0 }); lead >= 0 &&
		articleKey(ranked[lead].p.hit) != articleKey(key.p.hit) && len(picked) < maxN {
		picked = append(picked, ranked[lead])
	}
	for _, other := range []bool{true, false} {
		for _, c := range ranked {
			if len(picked) >= maxN || key.score-c.score > citeRatio {
				break
			}
			if !cited(c) && (articleKey(c.p.hit) != articleKey(key.p.hit)) == other {
				picked = append(picked, c)
			}
		}
	}
	if later, ok := laterStory(key, ranked, picked, same); ok && len(picked) < maxN {
		picked = append(picked, later)
	}
	out := make([]Source, len(picked))
	for i, c := range picked {
		out[i] = Source{N: i + 1, Hit: *c.p.hit, Marks: marks(q, c.p)}
	}
	return out
}

// laterStory returns the best paragraph of a story published after the
// answer's that is about the same thing, when none is cited: news
// revises itself ("the first trains are now expected in mid-2031 rather
// than late 2030"), and the asker should see that later coverage exists
// even when the earlier story answers the question's words better. Its
// paragraph, title and what it refers to must hold two-thirds of the
// question's weight that the answer's do (the fContext feature), and
// be about what the answer is (same). Undated stories are never later.
func laterStory(key candidate, ranked, picked []candidate, same func(a, b *retrieval.Hit) bool) (candidate, bool) {
	published := key.p.hit.Article.Published
	if published.IsZero() {
		return candidate{}, false
	}
	for _, c := range picked {
		if c.p.hit.Article.Published.After(published) && same(key.p.hit, c.p.hit) {
			return candidate{}, false // already cited
		}
	}
	for _, c := range ranked { // best first
		if c.p.hit.Article.Published.After(published) && 3*c.x[fContext] >= 2*key.x[fContext] && same(key.p.hit, c.p.hit) {
			return c, true
		}
	}
	return candidate{}, false
}

// newerNote points to the first source published after the answer's
// own story: news revises itself, so the answer may be out of date
// ("first trains expected in late 2030", where November's story says
// mid-2031). "" when no source is newer and about the same thing (same),
// or the answer's story is undated.
func newerNote(srcs []Source, same func(a, b *retrieval.Hit) bool) string {
	if len(srcs) < 2 || srcs[0].Hit.Article.Published.IsZero() {
		return ""
	}
	first := srcs[0].Hit.Article.Published
	for _, s := range srcs[1:] {
		if p := s.Hit.Article.Published; p.After(first) && same(&srcs[0].Hit, &s.Hit) {
			return fmt.Sprintf("Newer coverage: [%d], %s.", s.N, p.UTC().Format("2 Jan 2006"))
		}
	}
	return ""
}

// sameTopic reports whether b, a paragraph with its title, is about what
// a is about as far as the question goes: it holds two-thirds of the
// question's weight that a holds. A newer story is newer coverage of the
// answer only then ("earns the Herons … prize money" is none of "how
// much did Pellworth earn?", nor "run phishing awareness training" of
// "when will the first trains run on the tunnel?").
func (sc *scorer) sameTopic(a, b *retrieval.Hit) bool {
	ta, tb := hitTerms(a), hitTerms(b)
	var inA, inBoth float64
	for _, t := range sc.q.terms { // in order, so that equal sums stay equal from run to run
		if ta[t] {
			inA += sc.w[t]
			if tb[t] {
				inBoth += sc.w[t]
			}
		}
	}
	return 3*inBoth >= 2*inA
}

// hitTerms is the content terms of h's paragraph and title.
func hitTerms(h *retrieval.Hit) map[string]bool {
	return contentTerms(tokens(h.Article.Title + ". " + h.Text))
}

// withNeighbours adds, after the hits, the paragraph after each hit when
// it was not retrieved itself: news puts a claim in one paragraph and the
// figure or quote that backs it in the next, and a question worded unlike
// the article retrieves only the first. (The paragraph before brought
// more distractors than answers.) Not retrieved, a neighbour has no
// retrieval score, and ranks after every hit.
func withNeighbours(hits []retrieval.Hit) []retrieval.Hit {
	out := slices.Clone(hits)
	has := func(id string, n int) bool {
		return slices.ContainsFunc(out, func(x retrieval.Hit) bool { return x.Article.ID == id && x.Paragraph == n })
	}
	for _, h := range hits {
		if h.After != "" && !has(h.Article.ID, h.Paragraph+1) {
			out = append(out, retrieval.Hit{Article: h.Article, Paragraph: h.Paragraph + 1, Text: h.After, Before: h.Text})
		}
	}
	return out
}

// namedMargin is how much lower in the ranker's score a candidate from a
// story that names the question's subject may be than the best one and
// still be preferred to it: about the weight of one cue. Chosen on
// bbc-dev and SQuAD 1.1 (0.25 to 2 tried; 0.75 and 1 did best on both),
// and reported on the other sets (BENCHMARKS.md).
const namedMargin = 1.0

// preferNamed returns key, the best candidate, unless its story lacks
// the question's rarest name while another story has it and that
// story's best candidate is within namedMargin of it. "What city would
// the US EastEnders be set in?" is about EastEnders: a game's story
// that never names it ("the fictional US state of San Andreas,
// comprising three major cities") does not answer it, however well its
// other words match. Only a near tie is broken this way: a story may
// name its subject in a paragraph that was not retrieved.
func (sc *scorer) preferNamed(key candidate, all []candidate, paras []*para) candidate {
	named := sc.namingStories(paras)
	if key.i < 0 || len(named) == 0 || named[articleKey(key.p.hit)] {
		return key
	}
	best := candidate{i: -1}
	for _, c := range all {
		if named[articleKey(c.p.hit)] && (best.i < 0 || c.score > best.score) {
			best = c
		}
	}
	if best.i >= 0 && best.score >= key.score-namedMargin {
		return best
	}
	return key
}

// namingStories returns the stories (articleKey) whose retrieved
// paragraphs or title hold the question's rarest name, or a name of its
// kin ("Italian" for "Italy"; see namesKin), or nil when the question
// has none. The rarest name tells stories apart ("Quayside Lane", not
// "US", in "what city would the US remake of Quayside Lane be set
// in?"). Only names sure to be names count: capitalised in the
// question, or never written in lower case in the hits ("Good Hope"
// does not make "hope" one).
func (sc *scorer) namingStories(paras []*para) map[string]bool {
	lower := map[string]bool{}
	for _, p := range paras {
		maps.Copy(lower, p.lowers)
	}
	name := ""
	for _, t := range sc.q.terms {
		if sc.names[t] && (sc.q.caps[t] || !lower[t]) && (name == "" || sc.rarity[t] > sc.rarity[name]) {
			name = t
		}
	}
	if name == "" {
		return nil
	}
	named := map[string]bool{}
	for _, p := range paras {
		k := articleKey(p.hit)
		named[k] = named[k] || p.terms[name] || sc.spelled[k][name] || namesKin(name, p.capitals)
	}
	return named
}

// kinLen is how many leading letters a capitalised word shares with a
// name to be its kin: "Italian" and "Italy", "Chinese" and "China",
// "German" and "Germany".
const kinLen = 4

// namesKin reports whether a term of capitals, the words a story writes
// with a capital, is kin to the name t: a people or a language named
// after a place names the place ("Italian Prime Minister" is Italy's).
func namesKin(t string, capitals map[string]bool) bool {
	if len(t) < kinLen {
		return false
	}
	for c := range capitals {
		if len(c) >= kinLen && c[:kinLen] == t[:kinLen] {
			return true
		}
	}
	return false
}
