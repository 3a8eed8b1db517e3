package sqlite_test

import (
	"context"
	"fmt"
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

func TestChatStateLoad(t *testing.T) {
	ix := MustOpen(t)
	// A clock of the test's own, near the real one: SaveStates prunes by
	// the real clock.
	now := time.Now().Truncate(time.Millisecond)
	mustSaveStates(t, ix,
		sqlite.ChatState{NS: "slack.answers", Key: "a1", Value: []byte(`{"text":"one"}`), Expires: now.Add(time.Hour)},
		sqlite.ChatState{NS: "slack.threads", Key: "a1", Value: []byte(`{}`), Expires: now.Add(2 * time.Hour)},
		sqlite.ChatState{NS: "slack.answers", Key: "old", Value: []byte(`{}`), Expires: now.Add(time.Minute)},
		sqlite.ChatState{NS: "slack.answers", Key: "empty", Expires: now.Add(time.Hour)},
	)
	// The same key again, in a later save, replaces the value.
	mustSaveStates(t, ix, sqlite.ChatState{NS: "slack.answers", Key: "a1", Value: []byte(`{"text":"two"}`), Expires: now.Add(3 * time.Hour)})

	tests := []struct {
		name, ns, key string
		at            time.Time
		want          string
		wantExpires   time.Time
		wantOK        bool
	}{
		{"replaced by the later save", "slack.answers", "a1", now, `{"text":"two"}`, now.Add(3 * time.Hour), true},
		{"namespaces apart", "slack.threads", "a1", now, `{}`, now.Add(2 * time.Hour), true},
		{"unexpired", "slack.answers", "old", now.Add(time.Minute - time.Millisecond), `{}`, now.Add(time.Minute), true},
		{"expired", "slack.answers", "old", now.Add(time.Minute), "", time.Time{}, false},
		{"empty value", "slack.answers", "empty", now, "", now.Add(time.Hour), true},
		{"unknown key", "slack.answers", "nope", now, "", time.Time{}, false},
		{"unknown namespace", "discord.answers", "a1", now, "", time.Time{}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v, exp, ok, err := ix.LoadState(context.Background(), tt.ns, tt.key, tt.at)
			if err != nil {
				t.Fatal(err)
			}
			if ok != tt.wantOK || string(v) != tt.want || !exp.Equal(tt.wantExpires) {
				t.Errorf("LoadState = %q, %v, %v; want %q, %v, %v", v, exp, ok, tt.want, tt.wantExpires, tt.wantOK)
			}
		})
	}
}

// TestChatStatePrune checks that saves delete expired rows, a bounded
// number at a time, and never unexpired ones.
func TestChatStatePrune(t *testing.T) {
	path := filepath.Join(t.TempDir(), "byline.db")
	ix := MustOpenPath(t, path, sqlite.Options{Create: true})
	now := time.Now()
	var expired []sqlite.ChatState
	for i := range 1200 {
		expired = append(expired, sqlite.ChatState{NS: "discord.votes", Key: fmt.Sprint(i), Expires: now.Add(-time.Hour)})
	}
	live := sqlite.ChatState{NS: "discord.threads", Key: "live", Value: []byte(`{}`), Expires: now.Add(time.Hour)}
	mustSaveStates(t, ix, append(expired, live)...)

	count := func() (expired, live int) {
		t.Helper()
		err := rawDB(t, path).QueryRow(`SELECT count(*) FILTER (WHERE expires <= ?), count(*) FILTER (WHERE expires > ?) FROM chat_state`,
			now.UnixMilli(), now.UnixMilli()).Scan(&expired, &live)
		if err != nil {
			t.Fatal(err)
		}
		return expired, live
	}
	if e, l := count(); e != 1200 || l != 1 {
		t.Fatalf("after the first save: %d expired, %d live rows; want 1200, 1 (a save prunes before it writes)", e, l)
	}
	steps := []struct{ wantExpired, wantLive int }{
		{200, 2}, // at most 1,000 expired rows go per save of one entry
		{0, 3},
	}
	for i, s := range steps {
		mustSaveStates(t, ix, sqlite.ChatState{NS: "discord.threads", Key: fmt.Sprint("new", i), Value: []byte(`{}`), Expires: now.Add(time.Hour)})
		if e, l := count(); e != s.wantExpired || l != s.wantLive {
			t.Errorf("after save %d: %d expired, %d live rows; want %d, %d", i+2, e, l, s.wantExpired, s.wantLive)
		}
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
	if err := db.QueryRow(`PRAGMA user_version`).Scan(&version); err != nil || version != 8 {
		t.Fatalf("user_version = %d, %v; want 8", version, err)
	}
	if st := MustStats(t, ix); st.Articles != 1 {
		t.Errorf("after migration: %d articles, want 1", st.Articles)
	}
	now := time.Now()
	mustSaveStates(t, ix, sqlite.ChatState{NS: "slack.threads", Key: "C1:1.2", Value: []byte(`{}`), Expires: now.Add(time.Hour)})
	if _, _, ok, err := ix.LoadState(context.Background(), "slack.threads", "C1:1.2", now); !ok || err != nil {
		t.Errorf("LoadState after migration = %v, %v; want the saved entry", ok, err)
	}
}
