package sqlite_test

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/byline-news/byline/retrieval/sqlite"
)

func mustSaveStates(t *testing.T, ix *sqlite.Index, entries ...sqlite.ChatState) {
	t.Helper()
	if err := ix.SaveStates(context.Background(), entries); err != nil {
		t.Fatalf("SaveStates: %v", err)
	}
}

// TestMigrationFromVersion6 rebuilds a version-6 file (no chat_state)
// and checks that opening it migrates, keeping what it held.
func TestMigrationFromVersion6(t *testing.T) {
	path := filepath.Join(t.TempDir(), "byline.db")
	ix := MustOpenPath(t, path, sqlite.Options{Create: true})
	MustPut(t, ix, harbourStrike)
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
		`DROP INDEX embeddings_noq8`, // migration 8
		`ALTER TABLE embeddings DROP COLUMN q8`,
		`DROP TABLE chat_state`,
		`PRAGMA user_version = 6`,
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
	if st := MustStats(t, ix); st.Articles != 1 {
		t.Errorf("after migration: %d articles, want 1", st.Articles)
	}
	now := clock
	mustSaveStates(t, ix, sqlite.ChatState{NS: "slack.threads", Key: "C1:1.2", Value: []byte(`{}`), Expires: now.Add(time.Hour)})
	if _, _, ok, err := ix.LoadState(context.Background(), "slack.threads", "C1:1.2", now); !ok || err != nil {
		t.Errorf("LoadState after migration = %v, %v; want the saved entry", ok, err)
	}
}
