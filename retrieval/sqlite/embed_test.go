package sqlite_test

import (
	"context"
	"crypto/sha256"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/byline-news/byline/retrieval"
	"github.com/byline-news/byline/retrieval/sqlite"
	"github.com/byline-news/byline/retrieval/storetest"
)

func TestParagraphHashes(t *testing.T) {
	path := filepath.Join(t.TempDir(), "byline.db")
	ix := MustOpenPath(t, path, sqlite.Options{Create: true})
	MustPut(t, ix, harbourStrike, orchardFrost)
	db := rawDB(t, path)
	checkHashes := func(when string) {
		t.Helper()
		rows, err := db.Query(`SELECT text, hash FROM paragraphs`)
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		n := 0
		for rows.Next() {
			var text string
			var hash []byte
			if err := rows.Scan(&text, &hash); err != nil {
				t.Fatal(err)
			}
			if sum := sha256.Sum256([]byte(text)); !slices.Equal(hash, sum[:16]) {
				t.Errorf("%s: hash of %q = %x, want %x", when, text, hash, sum[:16])
			}
			n++
		}
		if n != storetest.ParagraphCount(harbourStrike, orchardFrost) {
			t.Errorf("%s: %d paragraphs", when, n)
		}
	}
	checkHashes("written by Put")

	// Paragraphs from before hashing (migration 6) have NULL hashes: Embed
	// fills them and finds their cached vectors; PruneEmbeddings keeps
	// their vectors.
	storetest.MustEmbed(t, ix, &storetest.FakeEmbedder{}, sqlite.EmbedOptions{})
	if _, err := db.Exec(`UPDATE paragraphs SET hash = NULL`); err != nil {
		t.Fatal(err)
	}
	all := storetest.ParagraphCount(harbourStrike, orchardFrost)
	if v, m := storetest.MustEmbeddingStats(t, ix, storetest.FakeModel); v != 0 || m != all {
		t.Errorf("with NULL hashes: %d vectors, %d missing; want 0, %d", v, m, all)
	}
	e := &storetest.FakeEmbedder{}
	res := storetest.MustEmbed(t, ix, e, sqlite.EmbedOptions{})
	if e.Sent() != 0 || res.Cached != all {
		t.Errorf("Embed after NULLing hashes = %+v, sent %d; want all %d cached, none sent", res, e.Sent(), all)
	}
	checkHashes("filled by Embed")
	if _, err := db.Exec(`UPDATE paragraphs SET hash = NULL WHERE n = 0`); err != nil {
		t.Fatal(err)
	}
	if n, err := ix.PruneEmbeddings(context.Background(), storetest.FakeModel); err != nil || n != 0 {
		t.Errorf("PruneEmbeddings with NULL hashes = %d, %v; want 0 deleted", n, err)
	}
	checkHashes("filled by PruneEmbeddings")
}

// TestMigrationFromVersion5 rebuilds a version-5 file (no paragraph
// hashes, no embeddings table) and checks that opening it migrates and
// that Embed then covers its old paragraphs.
func TestMigrationFromVersion5(t *testing.T) {
	path := filepath.Join(t.TempDir(), "byline.db")
	ix := MustOpenPath(t, path, sqlite.Options{Create: true})
	MustPut(t, ix, harbourStrike, bridgeVote)
	ix.Close()
	db := rawDB(t, path)
	for _, q := range []string{
		`DROP TABLE watch_hits`, // migration 12
		`DROP TABLE watches`,
		`DELETE FROM meta WHERE key IN ('watches', 'watch_cursor')`,
		`DROP TABLE briefings`,       // migration 11
		`DROP TABLE channel_sources`, // migration 10
		`DROP INDEX articles_first_doc`,
		`ALTER TABLE articles DROP COLUMN feed`,
		`DROP TABLE claims`, // migration 9
		`DROP TABLE leases`,
		`DROP TABLE chat_state`, // migration 7
		`DROP TABLE embeddings`, // and migration 8's column and index
		`DROP INDEX paragraphs_nohash`,
		`ALTER TABLE paragraphs DROP COLUMN hash`,
		`DELETE FROM meta WHERE key = 'embeddings'`,
		`PRAGMA user_version = 5`,
	} {
		if _, err := db.Exec(q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	db.Close()

	ix = MustOpenPath(t, path, sqlite.Options{})
	all := storetest.ParagraphCount(harbourStrike, bridgeVote)
	if v, m := storetest.MustEmbeddingStats(t, ix, storetest.FakeModel); v != 0 || m != all {
		t.Errorf("after migration: %d vectors, %d missing; want 0, %d", v, m, all)
	}
	e := &storetest.FakeEmbedder{}
	if res := storetest.MustEmbed(t, ix, e, sqlite.EmbedOptions{}); res.Embedded != all || e.Sent() != all {
		t.Errorf("Embed = %+v, sent %d; want %d", res, e.Sent(), all)
	}
	hits := MustSearch(t, ix, retrieval.Query{Text: "strike", Vector: storetest.FakeVector("strike"), VectorModel: storetest.FakeModel})
	if len(hits) == 0 || hits[0].Article.ID != harbourStrike.ID {
		t.Errorf("hybrid search after migration = %v", hitIDs(hits))
	}
}

// TestMigrationFromVersion7 rebuilds a version-7 file (vectors without
// their int8 form) and checks that opening it migrates, that searches
// rank as before from the float32 vectors, and that Embed then stores
// the int8 form of every vector without embedding anything again.
func TestMigrationFromVersion7(t *testing.T) {
	path := filepath.Join(t.TempDir(), "byline.db")
	ix := MustOpenPath(t, path, sqlite.Options{Create: true})
	MustPut(t, ix, storetest.SedanRecall, storetest.ToyRecall, storetest.BusBrakes, storetest.UndatedNotice, harbourStrike, orchardFrost)
	MustPut(t, ix, genArticles(newCorpus(8), "old", 30, 3)...)
	storetest.MustEmbed(t, ix, &storetest.FakeEmbedder{}, sqlite.EmbedOptions{})
	queries := []retrieval.Query{
		storetest.HybridQuery(storetest.RecallQuestion, 10),
		{K: 40, Vector: storetest.FakeVector("harbour strike talks"), VectorModel: storetest.FakeModel},
		{K: 40, Vector: storetest.FakeVector(storetest.SedanRecall.Paragraphs[0]), VectorModel: storetest.FakeModel, Since: time.Date(2025, 1, 1, 12, 0, 0, 0, time.UTC)},
	}
	var want [][]retrieval.Hit
	for _, q := range queries {
		want = append(want, MustSearch(t, ix, q))
	}
	ix.Close()
	db := rawDB(t, path)
	for _, q := range []string{
		`DROP TABLE watch_hits`, // migration 12
		`DROP TABLE watches`,
		`DELETE FROM meta WHERE key IN ('watches', 'watch_cursor')`,
		`DROP TABLE briefings`,       // migration 11
		`DROP TABLE channel_sources`, // migration 10
		`DROP INDEX articles_first_doc`,
		`ALTER TABLE articles DROP COLUMN feed`,
		`DROP TABLE claims`, // migration 9
		`DROP TABLE leases`,
		`DROP INDEX embeddings_noq8`,
		`ALTER TABLE embeddings DROP COLUMN q8`,
		`PRAGMA user_version = 7`,
	} {
		if _, err := db.Exec(q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}

	ix = MustOpenPath(t, path, sqlite.Options{})
	var version int
	if err := db.QueryRow(`PRAGMA user_version`).Scan(&version); err != nil || version != sqlite.SchemaVersion {
		t.Fatalf("user_version = %d, %v; want %d", version, err, sqlite.SchemaVersion)
	}
	checkQ8 := func(when string, wantNull bool) {
		t.Helper()
		var n, nulls, bad int
		err := db.QueryRow(`SELECT count(*), count(*) FILTER (WHERE q8 IS NULL),
			count(*) FILTER (WHERE length(q8) <> 4 + length(vec)/4) FROM embeddings`).Scan(&n, &nulls, &bad)
		if err != nil {
			t.Fatal(err)
		}
		if wantNull && nulls != n || !wantNull && (nulls != 0 || bad != 0) || n == 0 {
			t.Errorf("%s: %d vectors, %d without q8, %d with q8 of the wrong length", when, n, nulls, bad)
		}
	}
	checkQ8("after migration", true)
	checkSearch := func(when string, ix *sqlite.Index) {
		t.Helper()
		for i, q := range queries {
			if got := MustSearch(t, ix, q); !storetest.SameScoredHits(got, want[i]) {
				t.Errorf("%s: query %d = %v, want %v", when, i, hitIDs(got), hitIDs(want[i]))
			}
		}
	}
	checkSearch("int8 from vec after migration", ix)
	e := &storetest.FakeEmbedder{}
	if res := storetest.MustEmbed(t, ix, e, sqlite.EmbedOptions{}); e.Sent() != 0 || res.Embedded != 0 {
		t.Errorf("Embed after migration = %+v, sent %d; want nothing embedded", res, e.Sent())
	}
	checkQ8("after Embed", false)
	ix.Close()
	checkSearch("int8 from q8 filled by Embed", MustOpenPath(t, path, sqlite.Options{}))
}
