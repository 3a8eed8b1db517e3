package answer

import (
	"errors"
	"math"
)

// Model is the extractive answerer's two small linear models: Rank picks
// the sentence that answers among all those of the retrieved paragraphs,
// and Answerable says how likely it is that the chosen answer answers
// the question at all. Both are fitted by `byline eval --fit` (see
// model_fit.go) on some of the question sets and reported on the others,
// so no hand-set constant tuned on one set decides what users get.
type Model struct {
	Rank       vec                 // weights of the ranker features (FeatureNames)
	Answerable [numSignals]float64 // weights of the signals (SignalNames)
	Bias       float64             // the answerability model's intercept
	// Threshold is the answerability below which byline abstains, the
	// default of Options.MinConfidence.
	Threshold float64
}

// confidence is the answerability model's probability for signals s.
func (m *Model) confidence(s []float64) float64 {
	z := m.Bias
	for i, v := range s {
		z += m.Answerable[i] * v
	}
	return 1 / (1 + math.Exp(-z))
}

// NewModel returns a model with the given weights, in the order of
// FeatureNames and SignalNames; `byline eval --fit` uses it to try the
// weights it fits.
func NewModel(rank, answerable []float64, bias, threshold float64) (*Model, error) {
	if len(rank) != numFeatures || len(answerable) != numSignals {
		return nil, errModelShape
	}
	m := &Model{Bias: bias, Threshold: threshold}
	copy(m.Rank[:], rank)
	copy(m.Answerable[:], answerable)
	return m, nil
}

// DefaultModel returns the fitted model byline answers with.
func DefaultModel() *Model {
	m := fitted
	return &m
}

var errModelShape = errors.New("answer: model weights of the wrong length")

// ModelConfidence is m's answerability for signals s (SignalNames).
func ModelConfidence(m *Model, s []float64) float64 { return m.confidence(s) }
