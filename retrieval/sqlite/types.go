package sqlite

import (
	"github.com/byline-news/byline/retrieval"
	"github.com/byline-news/byline/retrieval/engine"
)

// The engine's and the records' types, under the names this package has
// always given them.
type (
	Params       = engine.Params
	Writer       = engine.Writer
	Replacement  = engine.Replacement
	Embedder     = engine.Embedder
	EmbedOptions = engine.EmbedOptions
	EmbedResult  = engine.EmbedResult
	VectorFormat = engine.VectorFormat
	FeedState    = retrieval.FeedState
	ChatState    = retrieval.ChatState
	Feedback     = retrieval.Feedback
)

const (
	VectorInt8        = engine.VectorInt8
	VectorFloat32     = engine.VectorFloat32
	DefaultEmbedBatch = engine.DefaultEmbedBatch
)

// ErrVectorDimensions is wrapped by Search's error when the query vector's
// length differs from the stored vectors' of its model.
var ErrVectorDimensions = engine.ErrVectorDimensions
