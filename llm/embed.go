package llm

import (
	"context"
	"errors"
	"fmt"
	"strings"

	openai "github.com/sashabaranov/go-openai"
)

// Embed returns one vector per text, in the order of texts, from one
// embeddings request: batching is the caller's job. Empty texts are
// refused before anything is sent, since the API refuses them anyway.
// Retries and the breaker work as for Complete; the call is bounded by
// the embedding timeout.
func (c *Client) Embed(ctx context.Context, texts []string) ([][]float32, error) {
	if c.embedModel == "" {
		return nil, errors.New("llm: no embedding model set")
	}
	if len(texts) == 0 {
		return nil, nil
	}
	for i, t := range texts {
		if strings.TrimSpace(t) == "" {
			return nil, fmt.Errorf("embeddings with %s: text %d of %d is empty", c.embedModel, i+1, len(texts))
		}
	}
	var vecs [][]float32
	err := c.call(ctx, "embeddings", c.embedModel, c.embedTimeout, func(ctx context.Context) (usage, error) {
		resp, err := c.api.CreateEmbeddings(ctx, openai.EmbeddingRequestStrings{
			Input: texts,
			Model: openai.EmbeddingModel(c.embedModel),
		})
		if err != nil {
			return usage{}, describe(err)
		}
		u := usage{prompt: resp.Usage.PromptTokens, total: resp.Usage.TotalTokens, texts: len(texts)}
		vecs, err = byIndex(resp.Data, len(texts))
		return u, err
	})
	if err != nil {
		return nil, err
	}
	return vecs, nil
}

// byIndex orders the vectors of a response for n texts by their index
// field, since servers need not keep the input order, and checks that
// there is exactly one vector per text, all of one size.
func byIndex(data []openai.Embedding, n int) ([][]float32, error) {
	if len(data) != n {
		return nil, fmt.Errorf("the reply has %d vectors for %d texts", len(data), n)
	}
	out := make([][]float32, n)
	for _, d := range data {
		switch {
		case d.Index < 0 || d.Index >= n:
			return nil, fmt.Errorf("the reply has a vector with index %d for %d texts", d.Index, n)
		case out[d.Index] != nil:
			return nil, fmt.Errorf("the reply has two vectors with index %d", d.Index)
		case len(d.Embedding) == 0:
			return nil, fmt.Errorf("the reply has an empty vector for text %d", d.Index+1)
		case len(d.Embedding) != len(data[0].Embedding):
			return nil, fmt.Errorf("the reply mixes vectors of %d and %d dimensions", len(data[0].Embedding), len(d.Embedding))
		}
		out[d.Index] = d.Embedding
	}
	return out, nil
}
