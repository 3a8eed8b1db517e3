package main

import (
	"bytes"
	"context"
	"fmt"
	"io/fs"

	"github.com/byline-news/byline/ingest"
	"github.com/byline-news/byline/ingest/samples"
)

// The sample articles let a newcomer's first question be answered. They
// are indexed only by "byline ask" into the default database when it has
// never held an article, marked provisional, and removed by the index
// call that first adds real articles (index, add, feeds, or serve's feed
// polling), which says so. serve never adds them.

// indexSamples indexes the sample articles compiled into the binary, as
// provisional articles, and returns how many articles the index then
// holds.
func indexSamples(ctx context.Context, ix store) (int, error) {
	w, err := ix.Begin(ctx)
	if err != nil {
		return 0, err
	}
	defer w.Rollback()
	w.Provisional()
	for _, name := range samples.Names() {
		data, err := fs.ReadFile(samples.FS(), name)
		if err != nil {
			return 0, fmt.Errorf("sample %s: %w", name, err)
		}
		err = ingest.Read(ctx, name, bytes.NewReader(data), ingest.Options{}, func(it ingest.Item) error {
			if it.Err != nil {
				return fmt.Errorf("sample %s: %w", name, it.Err)
			}
			if it.Skip != "" {
				return fmt.Errorf("sample %s: %s", name, it.Skip)
			}
			return w.Add(it.Article)
		})
		if err != nil {
			return 0, err
		}
	}
	if _, err := w.Commit(); err != nil {
		return 0, err
	}
	return ix.Count(ctx)
}

// maybeSamples fills the default database with the samples when it has
// never held an article, saying so, and returns the article count.
func (a *app) maybeSamples(ctx context.Context, ix store, path string, n int) (int, error) {
	fresh, err := ix.Pristine(ctx)
	if err != nil || !fresh {
		return n, err
	}
	fmt.Fprintf(a.err, "byline: %s is new: answering from the built-in sample articles, which go as soon as you index your own (byline index PATH...).\n", displayDB(path))
	return indexSamples(ctx, ix)
}

// sampleCount is how many sample articles ix holds, before an index
// call; samplesGone compares it with what is left after.
func sampleCount(ctx context.Context, ix store) int {
	n, _ := ix.Provisional(ctx) // only decides whether a note is printed
	return n
}

// samplesGone says so when an index call removed the sample articles.
func (a *app) samplesGone(ctx context.Context, ix store, before int) {
	if before == 0 || sampleCount(ctx, ix) > 0 {
		return
	}
	fmt.Fprintf(a.err, "byline: removed the %s from %s, now that it holds your own articles.\n",
		count(before, "built-in sample article"), storeName(ix))
}
