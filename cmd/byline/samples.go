package main

import (
	"bytes"
	"context"
	"fmt"
	"io/fs"

	"github.com/byline-news/byline/ingest"
	"github.com/byline-news/byline/ingest/samples"
)

// indexSamples indexes the sample articles compiled into the binary and
// returns how many articles the index then holds.
func indexSamples(ctx context.Context, ix store) (int, error) {
	w, err := ix.Begin(ctx)
	if err != nil {
		return 0, err
	}
	defer w.Rollback()
	for _, name := range samples.Names() {
		data, err := fs.ReadFile(samples.FS(), name)
		if err != nil {
			return 0, fmt.Errorf("sample %s: %w", name, err)
		}
		err = ingest.Read(ctx, name, bytes.NewReader(data), ingest.Options{}, func(it ingest.Item) error {
			if it.Err != nil || it.Skip != "" {
				return fmt.Errorf("sample %s: %v%s", name, it.Err, it.Skip)
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
