package main

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"time"

	"github.com/byline-news/byline/answer"
	"github.com/byline-news/byline/llm"
	"github.com/byline-news/byline/retrieval"
	"github.com/byline-news/byline/retrieval/sqlite"
)

// questionEmbedTimeout bounds embedding one question: past it, the
// question is searched by its words alone rather than keep a user
// waiting on a slow endpoint.
const questionEmbedTimeout = 3 * time.Second

// model returns the client of the configured OpenAI-compatible endpoint,
// made once per run, or nil when neither a chat nor an embedding model
// is configured.
func (a *app) model() (*llm.Client, error) {
	if a.llm != nil || a.llmErr != nil {
		return a.llm, a.llmErr
	}
	l := a.cfg.LLM
	if !l.ChatEnabled() && !l.EmbedEnabled() {
		return nil, nil
	}
	a.llm, a.llmErr = llm.New(llm.Options{BaseURL: l.BaseURL, APIKey: l.APIKey, Model: l.ChatModel,
		EmbedModel: l.EmbedModel, Timeout: l.Timeout, Logger: a.log})
	return a.llm, a.llmErr
}

// searcher is what ask and the bot search with: the index, plus the
// question's embedding when embeddings are configured.
type searcher interface {
	Search(ctx context.Context, q retrieval.Query) ([]retrieval.Hit, error)
	Count(ctx context.Context) (int, error)
	Stats(ctx context.Context) (retrieval.Stats, error)
}

// queryEmbedder embeds questions.
type queryEmbedder interface {
	Embed(ctx context.Context, texts []string) ([][]float32, error)
	EmbedModel() string
}

// hybrid searches ix by words and, when the question's embedding is
// available, by meaning too (the index fuses the two rankings). An
// embedding failure costs the question its vector, not its answer.
type hybrid struct {
	store
	emb queryEmbedder
	log *slog.Logger
}

func (h hybrid) Search(ctx context.Context, q retrieval.Query) ([]retrieval.Hit, error) {
	if q.Vector == nil && q.Text != "" {
		ectx, cancel := context.WithTimeout(ctx, questionEmbedTimeout)
		v, err := h.emb.Embed(ectx, []string{q.Text})
		cancel()
		switch {
		case err != nil && ctx.Err() == nil:
			h.log.Warn("question embedding failed; searching by words only", "err", err)
		case err == nil:
			q.Vector, q.VectorModel = v[0], h.emb.EmbedModel()
		}
	}
	hits, err := h.store.Search(ctx, q)
	if errors.Is(err, sqlite.ErrVectorDimensions) {
		// The model behind the name changed: words still work.
		h.log.Warn("stored vectors do not fit the question's; searching by words only until byline reembed", "err", err)
		q.Vector, q.VectorModel = nil, ""
		return h.store.Search(ctx, q)
	}
	return hits, err
}

// searcherFor returns the searcher over ix: hybrid when an embedding
// model is configured and lexical is false.
func (a *app) searcherFor(ix store, lexical bool) (searcher, error) {
	if lexical || !a.cfg.LLM.EmbedEnabled() {
		return ix, nil
	}
	c, err := a.model()
	if err != nil {
		return nil, err
	}
	return hybrid{store: ix, emb: c, log: a.log}, nil
}

// generatorFor returns the chat model for generated answers, or nil when
// answers are to be extractive.
func (a *app) generatorFor() (answer.Generator, error) {
	if !a.cfg.LLM.ChatEnabled() {
		return nil, nil
	}
	c, err := a.model()
	if err != nil {
		return nil, err
	}
	return c, nil
}

// embedMissing embeds the paragraphs of ix that have no vector by the
// configured model, reporting progress on w (nil: quiet). It does nothing
// without an embedding model.
func (a *app) embedMissing(ctx context.Context, ix store, w io.Writer, batch int) (sqlite.EmbedResult, error) {
	l := a.cfg.LLM
	if !l.EmbedEnabled() {
		return sqlite.EmbedResult{}, nil
	}
	c, err := a.model()
	if err != nil {
		return sqlite.EmbedResult{}, err
	}
	opt := sqlite.EmbedOptions{Model: l.EmbedModel, Batch: cmp.Or(batch, l.EmbedBatch)}
	if w != nil {
		p := newPercent(w, isTerminal(w), "embedding")
		opt.Progress = p.set
		defer p.done()
	}
	res, err := ix.Embed(ctx, c, opt)
	if errors.Is(err, llm.ErrUnavailable) {
		err = fmt.Errorf("%w (the endpoint failed repeatedly; try again later)", err)
	}
	if err != nil {
		return res, fmt.Errorf("embed paragraphs with %s: %w", l.EmbedModel, err)
	}
	return res, nil
}

// embedAfterIndex embeds what an index, add or poll run left without a
// vector. A failure leaves the articles indexed and searchable by words,
// so it is reported with the way to finish the job, as exit status 1.
func (a *app) embedAfterIndex(ctx context.Context, ix store, quiet bool) error {
	var w io.Writer
	if !quiet {
		w = a.err
	}
	res, err := a.embedMissing(ctx, ix, w, 0)
	if err != nil {
		fmt.Fprintf(a.err, "byline: %v\nbyline: the articles are indexed and searchable by words; run \"byline reembed\" to finish embedding them.\n", err)
		return exitError{code: 1}
	}
	if !quiet && res.Embedded > 0 {
		fmt.Fprintf(a.err, "byline: embedded %s with %s (%s already had vectors)\n",
			count(res.Embedded, "paragraph"), a.cfg.LLM.EmbedModel, answer.Thousands(res.Cached))
	}
	return nil
}

// embedEvery is how often serve embeds paragraphs that feeds or chat
// commands added.
const embedEvery = 30 * time.Second

// embedLoop keeps the vectors of a serving index current until ctx ends.
func (a *app) embedLoop(ctx context.Context, ix store) error {
	if !a.cfg.LLM.EmbedEnabled() {
		return nil
	}
	t := time.NewTicker(embedEvery)
	defer t.Stop()
	done := int64(-1) // the index generation last embedded completely
	for {
		// Looking for paragraphs without vectors reads them all; the
		// generation says in one row whether anything changed.
		gen, err := ix.Generation(ctx)
		if err == nil && gen != done {
			var complete bool
			if complete, err = a.embedLeased(ctx, ix); complete {
				done = gen
				// Load now what the next question would otherwise wait for.
				_, err = ix.LoadVectors(ctx, a.cfg.LLM.EmbedModel)
			}
		}
		if err != nil && ctx.Err() == nil {
			a.log.Warn("embedding new paragraphs failed; they are searchable by words until it succeeds", "err", err)
		}
		select {
		case <-ctx.Done():
			return nil
		case <-t.C:
		}
	}
}

// embedLeaseTTL is how long the embed lease lasts; it is renewed while
// paragraphs are embedded.
const embedLeaseTTL = 2 * time.Minute

// embedLeased embeds the paragraphs that have no vector while holding
// the database's "embed" lease, so that of replicas sharing it one
// embeds each paragraph (the model bills each call); complete is false
// when another process holds the lease (it is embedding them) or the
// work failed.
func (a *app) embedLeased(ctx context.Context, ix store) (complete bool, err error) {
	var res sqlite.EmbedResult
	held, lerr := retrieval.HoldLease(ctx, ix, "embed", a.leaseHolder(), embedLeaseTTL, time.Now, func(ctx context.Context) {
		res, err = a.embedMissing(ctx, ix, nil, 0)
	})
	if res.Embedded > 0 {
		a.log.Info("embedded new paragraphs", "paragraphs", res.Embedded, "model", a.cfg.LLM.EmbedModel)
	}
	if lerr != nil {
		return false, lerr
	}
	return held && err == nil, err
}
