package answer

import (
	"strings"

	"github.com/byline-news/byline/retrieval"
	"github.com/byline-news/byline/retrieval/analysis"
	"github.com/byline-news/byline/retrieval/sentence"
)

// para is one retrieved paragraph, split into sentences.
type para struct {
	hit      *retrieval.Hit
	rank     int             // position in the hits, 0 = best
	sents    []sent          // sentences of hit.Text
	terms    map[string]bool // content terms of the paragraph and the title
	capitals map[string]bool // terms written with a capital inside a sentence
	lowers   map[string]bool // terms written in lower case in some sentence
	title    []analysis.Token
	before   []analysis.Token // tokens of hit.Before, once needed
	next     *sent            // the first sentence of hit.After, once needed (see nextSent)
}

// sent is one sentence of a paragraph.
type sent struct {
	text string           // the sentence, as written
	toks []analysis.Token // offsets relative to the paragraph
	off  int              // offset of text in the paragraph
	abbr []string         // question acronyms the sentence spells out (see acronyms)
}

// terms returns the content terms of s, with the question's acronyms it
// spells out.
func (s sent) terms() map[string]bool {
	m := contentTerms(s.toks)
	for _, a := range s.abbr {
		m[a] = true
	}
	return m
}

// newPara splits a hit's paragraph and indexes its terms once, so that
// scoring every sentence needs no further tokenising.
func newPara(h *retrieval.Hit, rank int) *para {
	p := &para{hit: h, rank: rank, terms: map[string]bool{}, capitals: map[string]bool{}, lowers: map[string]bool{}}
	p.sents = splitSents(h.Text)
	for _, s := range p.sents {
		for i, t := range s.toks {
			p.addToken(t, i > 0)
		}
	}
	p.title = tokens(h.Article.Title)
	for _, t := range p.title {
		p.addToken(t, false)
	}
	return p
}

// addToken records a token's term; inside tells whether it was preceded
// by another word of its sentence, where a capital marks a name.
func (p *para) addToken(t analysis.Token, inside bool) {
	if t.Stop {
		return
	}
	p.terms[t.Term] = true
	if t.Cap && inside {
		p.capitals[t.Term] = true
	}
	if !t.Cap {
		p.lowers[t.Term] = true
	}
}

// splitSents splits text into sentences with their tokens. Offsets of
// tokens stay relative to text so that they can become Marks.
func splitSents(text string) []sent {
	spans := sentence.Spans(text)
	toks := tokens(text)
	out := make([]sent, 0, len(spans))
	k := 0
	for _, sp := range spans {
		s := sent{text: text[sp[0]:sp[1]], off: sp[0]}
		for k < len(toks) && toks[k].Start < sp[1] {
			if toks[k].Start >= sp[0] {
				s.toks = append(s.toks, toks[k])
			}
			k++
		}
		out = append(out, s)
	}
	return out
}

// gap returns the text between token i-1 and token i of s (from the
// start of the sentence for i = 0; to its end for i = len(s.toks)).
func (s sent) gap(i int) string {
	from, to := 0, len(s.text)
	if i > 0 {
		from = s.toks[i-1].End - s.off
	}
	if i < len(s.toks) {
		to = s.toks[i].Start - s.off
	}
	return s.text[from:to]
}

// word returns token i of s as written.
func (s sent) word(i int) string {
	return s.text[s.toks[i].Start-s.off : s.toks[i].End-s.off]
}

// firstWords returns the folded words that open s, up to n of them.
func (s sent) firstWords(n int) []string {
	var out []string
	for i := 0; i < len(s.toks) && i < n; i++ {
		out = append(out, s.toks[i].Word)
	}
	return out
}

// endsPointing reports whether s hands over to the next sentence, as a
// sentence ending in a colon does.
func (s sent) endsPointing() bool {
	return strings.HasSuffix(strings.TrimRight(s.text, " \"'”’"), ":")
}
