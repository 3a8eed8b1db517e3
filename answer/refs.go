package answer

import "github.com/byline-news/byline/retrieval/analysis"

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
	if i+1 < len(p.sents) {
		return p.sents[i+1].toks
	}
	if p.after == nil && p.hit.After != "" {
		if ss := splitSents(p.hit.After); len(ss) > 0 {
			p.after = ss[0].toks
		}
	}
	return p.after
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
