package bot

import (
	"bytes"
	"context"
	"log/slog"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/byline-news/byline/retrieval/sqlite"
)

func TestDedup(t *testing.T) {
	clk := &clock{t: testNow}
	d := NewDedup(time.Hour, clk.Now)
	steps := []struct {
		advance time.Duration
		key     string
		want    bool
	}{
		{0, "Ev1", false},
		{0, "Ev1", true},
		{0, "C1/1336.1", false},
		{59 * time.Minute, "Ev1", true}, // a repeat does not renew it
		{time.Minute, "Ev1", false},     // an hour after the first sighting
		{0, "Ev1", true},
	}
	for i, s := range steps {
		clk.Add(s.advance)
		if got := d.Seen(s.key); got != s.want {
			t.Fatalf("step %d: Seen(%q) = %v, want %v", i, s.key, got, s.want)
		}
	}
	if got := d.set.len(); got != 1 {
		t.Errorf("%d keys kept, want 1 (the expired one dropped)", got)
	}
}

func TestThreads(t *testing.T) {
	clk := &clock{t: testNow}
	th := NewThreads(time.Hour, 2, clk.Now)
	th.Mark("a")
	th.Mark("b")
	if !th.Active("a") || !th.Active("b") || th.Active("c") {
		t.Fatal("want a and b active, c not")
	}
	th.Mark("a") // renews a, so b is now the least recently answered
	th.Mark("c")
	if !th.Active("a") || th.Active("b") || !th.Active("c") {
		t.Fatal("over max: want b dropped, a and c kept")
	}
	clk.Add(59 * time.Minute)
	th.Mark("c")
	clk.Add(time.Minute)
	if th.Active("a") || !th.Active("c") {
		t.Fatal("after an hour: want a expired, c (renewed) active")
	}
	if got := th.set.len(); got != 1 {
		t.Errorf("%d threads kept, want 1", got)
	}
}

func TestExpiringDefaults(t *testing.T) {
	if d := NewDedup(0, nil); d.set.ttl != DefaultDedupTTL || d.Seen("x") || !d.Seen("x") {
		t.Error("NewDedup(0, nil) should use the default TTL and time.Now")
	}
	if th := NewThreads(0, 0, nil); th.set.ttl != DefaultThreadTTL || th.set.max != DefaultMaxThreads {
		t.Error("NewThreads(0, 0, nil) should use the defaults")
	}
}

// TestSharedDedup: two processes' Dedups over one database (here two
// handles on one SQLite file) see each other's keys; memory answers a
// repeat without the database; a database that fails counts every key
// as new, and says so once.
func TestSharedDedup(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "shared.db")
	open := func() *sqlite.Index {
		ix, err := sqlite.Open(ctx, path, sqlite.Options{Create: true})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { ix.Close() })
		return ix
	}
	clk := &clock{t: testNow}
	var logs bytes.Buffer
	lg := slog.New(slog.NewTextHandler(&logs, nil))
	dbA, dbB := open(), open()
	a := NewSharedDedup("slack", time.Hour, clk.Now, dbA, lg)
	b := NewSharedDedup("slack", time.Hour, clk.Now, dbB, lg)
	other := NewSharedDedup("discord", time.Hour, clk.Now, dbB, lg)
	steps := []struct {
		d    *Dedup
		key  string
		want bool
	}{
		{a, "trigger:1", false},
		{b, "trigger:1", true},      // a retry to the other replica
		{a, "trigger:1", true},      // and to the first again
		{other, "trigger:1", false}, // namespaces are apart
		{b, "trigger:2", false},
		{a, "trigger:2", true},
	}
	for i, s := range steps {
		if got := s.d.Seen(s.key); got != s.want {
			t.Fatalf("step %d: Seen(%q) = %v, want %v", i, s.key, got, s.want)
		}
	}
	if b.SeenHere("trigger:3") || a.Seen("trigger:3") {
		t.Error("SeenHere claimed a key in the database")
	}
	clk.Add(time.Hour)
	if b.Seen("trigger:1") {
		t.Error("a claim an hour old still counts")
	}

	dbA.Close() // the database goes away
	if a.Seen("trigger:4") || a.Seen("trigger:5") {
		t.Error("with the database failing, new keys must count as new")
	}
	if !a.Seen("trigger:4") {
		t.Error("memory forgot a key while the database failed")
	}
	if n := strings.Count(logs.String(), "shared dedup failed"); n != 1 {
		t.Errorf("failure logged %d times, want once:\n%s", n, logs.String())
	}
}
