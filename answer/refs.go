package answer

import (
	"slices"

	"github.com/byline-news/byline/retrieval/analysis"
)

// resolvedCredit is how much a question name counts when a sentence only
// refers to it ("he", "the firm") rather than naming it.
const resolvedCredit = 0.8

// topicCredit is how much a question name counts in a sentence of a
// paragraph or article that names it elsewhere: news sentences leave the
// story's subject implicit, so the words that tell sentences apart are
// the question's other words.
const topicCredit = 0.5

// resolved returns the question's names that sentence i of p refers to
// without naming them: it holds a pronoun or opens with a stand-in noun
// phrase, and the name is in an earlier sentence of the paragraph (or the
// paragraph before, or the title, for a paragraph's first sentence). A
// stand-in opener may also point forward to the next sentence ("The
// Conservatives' campaign director has denied… Lynton Crosby said…").
func (sc *scorer) resolved(p *para, i int) map[string]bool {
	s := p.sents[i]
	opener := leansBack(s)
	if !opener && !hasPronoun(s.toks) {
		return nil
	}
	out := map[string]bool{}
	for _, prev := range p.sents[:i] {
		sc.addEntities(out, prev.toks)
	}
	if i == 0 {
		sc.addEntities(out, p.beforeToks())
		if p.hit.Before == "" {
			sc.addEntities(out, p.title)
		}
	}
	if opener {
		sc.addEntities(out, p.nextToks(i))
	}
	return out
}

// nextToks returns the tokens of the sentence after sentence i of p,
// which for the last one is the first sentence of the next paragraph.
func (p *para) nextToks(i int) []analysis.Token {
	next, _ := p.nextSent(i)
	return next.toks
}

// nextSent returns the sentence after sentence i of p, which for the
// last one is the first sentence of the next paragraph; ok is false
// when there is none.
func (p *para) nextSent(i int) (next sent, ok bool) {
	if i+1 < len(p.sents) {
		return p.sents[i+1], true
	}
	if p.next == nil {
		p.next = &sent{}
		if ss := splitSents(p.hit.After); len(ss) > 0 {
			p.next = &ss[0]
		}
	}
	return *p.next, p.next.toks != nil
}

// addEntities adds to m the question's names and speakers found in toks.
func (sc *scorer) addEntities(m map[string]bool, toks []analysis.Token) {
	for _, t := range toks {
		if !t.Stop && (sc.names[t.Term] || sc.q.doer[t.Term]) {
			m[t.Term] = true
		}
	}
}

// beforeToks returns the tokens of the paragraph before p, computed once.
// Resolution looks at all of it, not just its last sentence: news
// paragraphs are short, and a speaker is often named a sentence earlier.
func (p *para) beforeToks() []analysis.Token {
	if p.before == nil && p.hit.Before != "" {
		p.before = tokens(p.hit.Before)
	}
	return p.before
}

// afterToks returns the tokens of the paragraph after p.
func (p *para) afterToks() []analysis.Token {
	return tokens(p.hit.After)
}

// aliasSpan is how many words before a name's last word may be called
// by it: "Boris Johnson" and "Shani Rhys James" are "Mr Johnson" and
// "Ms James" after their first mention, as "Tory MP Boris Johnson" is.
const aliasSpan = 2

// aliases finds, for each story among paras, the last words of the
// names that hold a question name ("Johnson" for "boris" when one of its
// paragraphs says "Tory MP Boris Johnson"): news names a person in full
// once and by surname after, so its later "Mr Johnson" is the question's
// Boris. Only the story that names them in full counts: elsewhere the
// last word may be someone else's ("Center" of "Moscone Center" is not
// that of "ABC Television Center"). Titles are left out: many outlets
// capitalise every word of one ("Galloway Targets 'New Labour' MP").
func (sc *scorer) aliases(paras []*para) {
	sc.alias = map[string]map[string][]string{}
	capital := func(t analysis.Token) bool { return !t.Stop && t.Cap }
	for _, p := range paras {
		k := articleKey(p.hit)
		if sc.alias[k] == nil {
			sc.alias[k] = map[string][]string{}
		}
		for _, s := range p.sents {
			sc.nameRuns(s.toks, capital, sc.alias[k])
		}
	}
}

// nameRuns adds to m, for each run of toks that inName holds, the
// question names among its last aliasSpan words but the last, under the
// last word's term.
func (sc *scorer) nameRuns(toks []analysis.Token, inName func(analysis.Token) bool, m map[string][]string) {
	start := 0
	for i := 0; i <= len(toks); i++ {
		if i < len(toks) && inName(toks[i]) {
			continue
		}
		if i-start > 1 {
			last := toks[i-1].Term
			for _, t := range toks[max(start, i-1-aliasSpan) : i-1] {
				if sc.names[t.Term] && t.Term != last && !slices.Contains(m[last], t.Term) {
					m[last] = append(m[last], t.Term)
				}
			}
		}
		start = i + 1
	}
}

// aliased adds to refs the question names that sentence s of p calls by
// their last word (aliases), and returns refs (a new map when refs is nil
// and one is found).
func (sc *scorer) aliased(p *para, s sent, refs map[string]bool) map[string]bool {
	story := sc.alias[articleKey(p.hit)]
	for _, t := range s.toks {
		if !t.Cap || t.Stop {
			continue
		}
		for _, name := range story[t.Term] {
			if refs == nil {
				refs = map[string]bool{}
			}
			refs[name] = true
		}
	}
	return refs
}
