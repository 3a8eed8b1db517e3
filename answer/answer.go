// Package answer turns retrieved paragraphs into a short answer that
// cites its sources. The extractive answerer needs no model: it picks the
// sentences that answer, and abstains when nothing does.
package answer

import "github.com/byline-news/byline/retrieval"

// Source is one cited paragraph, numbered as the answer refers to it.
type Source struct {
	N     int           // 1-based, as shown to the user
	Hit   retrieval.Hit // the article and paragraph cited
	Marks [][2]int      // byte ranges of Hit.Text that matched the question, for highlighting
}

// Answer is what byline replies with.
type Answer struct {
	Question  string
	Text      string // at most MaxLen characters; "" when Abstained
	Abstained bool
	Reason    string // why it abstained, in plain words, e.g. "I couldn't find that in the 2,127 articles I have indexed."
	Sources   []Source
}

// MaxLen is the longest answer text, in characters.
const MaxLen = 320
