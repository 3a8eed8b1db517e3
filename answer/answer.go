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

	// Confidence is how well the best answer found covers the question,
	// from 0 (nothing) to 1 (every question term, names and the expected
	// kind of answer are there). It is set even when Abstained, so an
	// evaluation can sweep Options.MinConfidence after the fact.
	Confidence float64

	// Generated is set when a model wrote the answer (or decided that the
	// passages do not answer), not the extractive answerer.
	Generated bool
}

// MaxLen is the longest answer text, in characters.
const MaxLen = 320

// Defaults for Options fields left at zero.
const (
	DefaultMaxSources = 3
	// DefaultMinConfidence is chosen from the abstention sweep of
	// `byline eval --only bbc` (qa/bbc-dev.jsonl, steps of 0.005) by this
	// rule: take the range of thresholds at which both abstention targets
	// hold (at least 60% of the unanswerable questions abstained on, at
	// most 10% of the answerable ones), and use its middle, so that one
	// question moving either way does not break them. On 2026-11-26 the
	// range was 0.225–0.245. Re-run the sweep whenever Confidence changes.
	DefaultMinConfidence = 0.235
)

// Options tunes Extract. The zero value gives the defaults.
type Options struct {
	MaxLen     int // longest answer in characters; 0 means MaxLen
	MaxSources int // most sources cited; 0 means DefaultMaxSources
	Corpus     int // number of indexed articles, quoted when abstaining

	// MinConfidence is the Answer.Confidence below which Extract abstains.
	// 0 means DefaultMinConfidence; a negative value never abstains on
	// confidence (an evaluation sweeping the threshold wants that).
	MinConfidence float64

	weights featureWeights // zero: defaultWeights(); set by tuning tests
}

// withDefaults fills the zero fields of o.
func (o Options) withDefaults() Options {
	if o.MaxLen <= 0 {
		o.MaxLen = MaxLen
	}
	if o.MaxSources <= 0 {
		o.MaxSources = DefaultMaxSources
	}
	if o.MinConfidence == 0 {
		o.MinConfidence = DefaultMinConfidence
	}
	if o.weights == (featureWeights{}) {
		o.weights = defaultWeights()
	}
	return o
}
