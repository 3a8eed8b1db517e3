package main

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"

	"github.com/byline-news/byline/retrieval/postgres"
	"github.com/byline-news/byline/retrieval/sqlite"
)

// scratchStore opens a new, empty database for eval's indexes: a schema
// of its own in the PostgreSQL database pgURL when that is set, else a
// SQLite file in dir. drop closes and removes it.
func scratchStore(ctx context.Context, dir, name, pgURL string) (ix store, drop func(), err error) {
	if pgURL == "" {
		s, err := sqlite.Open(ctx, filepath.Join(dir, name+".db"), sqlite.Options{Create: true})
		if err != nil {
			return nil, nil, err
		}
		return s, func() { s.Close() }, nil
	}
	var b [4]byte
	rand.Read(b[:])
	u, err := postgres.WithSchema(pgURL, fmt.Sprintf("byline_scratch_%s_%d_%s", name, os.Getpid(), hex.EncodeToString(b[:])))
	if err != nil {
		return nil, nil, err
	}
	p, err := postgres.Open(ctx, u, postgres.Options{Create: true})
	if err != nil {
		return nil, nil, err
	}
	return p, func() {
		if err := p.DropSchema(context.Background()); err != nil {
			fmt.Fprintf(os.Stderr, "byline: removing the scratch schema %s: %v\n", p.Schema(), err)
		}
	}, nil
}
