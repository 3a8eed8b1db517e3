package postgres_test

import (
	"context"
	"flag"
	"os"
	"testing"

	"github.com/byline-news/byline/retrieval/postgres"
	"github.com/byline-news/byline/retrieval/postgres/pgtest"
	"github.com/byline-news/byline/retrieval/storetest"
)

func TestMain(m *testing.M) {
	flag.Parse()
	// The suite waits on the server more than it computes: run more tests
	// at once than GOMAXPROCS, the default, unless -parallel says.
	set := false
	flag.Visit(func(f *flag.Flag) { set = set || f.Name == "test.parallel" })
	if !set {
		flag.Set("test.parallel", "8")
	}
	os.Exit(pgtest.Main(m))
}

// TestConformance runs the storage suite shared with SQLite, each test
// in a schema of its own.
func TestConformance(t *testing.T) {
	pgtest.Server(t)
	storetest.Run(t, backend)
}

var backend = storetest.Backend{
	Fresh: func(t testing.TB) string { return pgtest.Recycled(t, reset) },
	Blank: pgtest.URL,
	Open: func(ctx context.Context, url string, opt storetest.Options) (storetest.Store, error) {
		// Small pools: parallel tests, and other runs on a shared server,
		// stay well under max_connections.
		return postgres.Open(ctx, url+"&pool_max_conns=4", postgres.Options{Create: !opt.ReadOnly, ReadOnly: opt.ReadOnly,
			LockTimeout: opt.LockTimeout, Params: opt.Params, Now: opt.Now})
	},
	QueryInt: pgtest.QueryInt,
	Exec:     pgtest.Exec,
	Parallel: true,
}

// reset empties a schema for the next test: what the migrations leave.
const reset = `
DELETE FROM articles; DELETE FROM paragraphs; DELETE FROM segments; DELETE FROM postings; DELETE FROM tombstones;
DELETE FROM embeddings; DELETE FROM feedback; DELETE FROM feeds; DELETE FROM chat_state; DELETE FROM claims; DELETE FROM leases; DELETE FROM channel_sources;
DELETE FROM briefings; DELETE FROM watches; DELETE FROM watch_hits;
DELETE FROM meta;
INSERT INTO meta(key, value) VALUES ('next_doc', 1), ('generation', 0), ('embeddings', 0), ('last_segment', 0), ('watches', 0);
ALTER TABLE feedback ALTER COLUMN id RESTART;
`
