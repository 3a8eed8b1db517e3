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

	// Confidence is the answerability model's probability that the best
	// answer found answers the question. It is set even when Abstained,
	// so an evaluation can sweep Options.MinConfidence after the fact.
	Confidence float64

	// Generated is set when a model wrote the answer (or decided that the
	// passages do not answer), not the extractive answerer.
	Generated bool
	// Signals are what Confidence was worked out from (SignalNames), for
	// evaluation.
	Signals []float64

	// Trace, when Options.Trace asked for it, lists every candidate.
	Trace []Candidate

	// Digest is set when the question asked only what is new ("what
	// happened last week?"): Text introduces the newest stories, which
	// are the Sources.
	Digest bool

	// Filtered is set when a date filter (time words or bounds) limited
	// the search.
	Filtered bool

	// Fallback is why a generated answer was replaced by the extractive
	// one, for operators ("" when it was not, or no model was asked).
	Fallback string

	// Corrected is the question as it was searched when words the index
	// lacks were corrected to ones it has ("goverment" → "government");
	// "" when none was.
	Corrected string

	// Note tells the asker what they should know to read the answer:
	// that the story their question links to is not indexed, so the
	// answer comes from other stories; that a source is newer than the
	// answer's story ("Newer coverage: [2], 19 Nov 2026."). "" when there
	// is nothing.
	Note string
}

// MaxLen is the longest answer text, in characters.
const MaxLen = 320

// DefaultMaxSources is the most sources an answer cites.
const DefaultMaxSources = 3

// Options tunes Extract. The zero value gives the defaults.
type Options struct {
	MaxLen     int // longest answer in characters; 0 means MaxLen
	MaxSources int // most sources cited; 0 means DefaultMaxSources
	Corpus     int // number of indexed articles, quoted when abstaining

	// MinConfidence is the Answer.Confidence below which Extract abstains.
	// 0 means the model's threshold; a negative value never abstains on
	// confidence (an evaluation fitting the model wants that).
	MinConfidence float64

	// Model is the answerer's model; nil means DefaultModel().
	Model *Model

	// Trace asks for Answer.Trace: every candidate sentence with its
	// features, for fitting the model.
	Trace bool

	// rarity is each question term's rarity in the whole index, when the
	// searcher knows it (see Ask); nil: estimated from the hits.
	rarity map[string]float64
}

// withDefaults fills the zero fields of o.
func (o Options) withDefaults() Options {
	if o.MaxLen <= 0 {
		o.MaxLen = MaxLen
	}
	if o.MaxSources <= 0 {
		o.MaxSources = DefaultMaxSources
	}
	if o.Model == nil {
		o.Model = DefaultModel()
	}
	if o.MinConfidence == 0 {
		o.MinConfidence = o.Model.Threshold
	}
	return o
}

// Candidate is one sentence Extract considered, for fitting the ranker.
type Candidate struct {
	Text     string    // the answer it would give
	Features []float64 // FeatureNames
	Chosen   bool
}
