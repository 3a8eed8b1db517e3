package main

import (
	"context"
	"fmt"

	"github.com/byline-news/byline/answer"
)

func runReembed(ctx context.Context, a *app, args []string) error {
	var db string
	var batch int
	var prune bool
	fs := a.flags("reembed", "", `
Embeds every indexed paragraph that has no vector by the configured
embedding model (BYLINE_EMBED_MODEL, at OPENAI_BASE_URL), for hybrid
search: questions then find paragraphs that share their meaning but not
their words. index, add and serve embed new paragraphs themselves; run
reembed after changing the model, or to finish a run that failed.

Vectors are cached by the paragraph's text and the model's name, so
unchanged paragraphs are never sent twice, and each batch is saved as it
arrives: an interrupted run resumes where it stopped. --prune then
deletes the vectors of other models and of paragraphs no longer indexed.

Examples:
  BYLINE_EMBED_MODEL=text-embedding-3-small OPENAI_API_KEY=sk-… byline reembed
  OPENAI_BASE_URL=http://localhost:11434/v1 BYLINE_EMBED_MODEL=nomic-embed-text byline reembed --prune`)
	fs.StringVar(&db, "db", "", "database `file` or postgres:// URL (default: BYLINE_DATABASE_URL, BYLINE_DB or "+a.cfg.DBPath+")")
	fs.IntVar(&batch, "batch", 0, "paragraphs per embeddings request (default: BYLINE_EMBED_BATCH or 64)")
	fs.BoolVar(&prune, "prune", false, "afterwards, delete vectors of other models and of removed paragraphs")
	if _, err := parse(fs, args); err != nil {
		return err
	}
	if !a.cfg.LLM.EmbedEnabled() {
		return fmt.Errorf("%w: reembed needs an embedding model: set BYLINE_EMBED_MODEL (and OPENAI_BASE_URL and OPENAI_API_KEY for the endpoint)", errUsage)
	}
	if batch < 0 || batch > 2048 {
		return fmt.Errorf("%w: --batch must be between 1 and 2048", errUsage)
	}
	ix, _, err := a.existingIndex(ctx, db)
	if err != nil {
		return err
	}
	defer ix.Close()
	res, err := a.embedMissing(ctx, ix, a.err, batch)
	if err != nil {
		return err
	}
	model := a.cfg.LLM.EmbedModel
	fmt.Fprintf(a.out, "Embedded %s with %s; %s already had vectors.\n",
		count(res.Embedded, "paragraph"), model, answer.Thousands(res.Cached))
	if prune {
		n, err := ix.PruneEmbeddings(ctx, model)
		if err != nil {
			return err
		}
		fmt.Fprintf(a.out, "Deleted %s of other models or removed paragraphs.\n", count(n, "vector"))
	}
	return nil
}
