package sqlite_test

import (
	"context"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"testing"

	"github.com/byline-news/byline/retrieval"
	"github.com/byline-news/byline/retrieval/sqlite"
)

// TestNewFilesPrivate: the database holds readers' questions, user IDs
// and feedback, so a new one, its -wal and -shm files and the folders
// made for it are for their owner only, whatever the umask allows.
func TestNewFilesPrivate(t *testing.T) {
	old := syscall.Umask(0o002) // permissive, as on many desktops
	defer syscall.Umask(old)
	root := t.TempDir()
	path := filepath.Join(root, "data", "byline", "byline.db")
	ix := MustOpenPath(t, path, sqlite.Options{Create: true})
	MustPut(t, ix, retrieval.Article{ID: "a", Title: "Ferries", Paragraphs: []string{"Ferries ran late on Sunday."}})
	for _, name := range []string{path, path + "-wal", path + "-shm"} {
		st, err := os.Stat(name)
		if err != nil {
			t.Fatalf("stat: %v", err)
		}
		if perm := st.Mode().Perm(); perm != 0o600 {
			t.Errorf("%s: mode %v, want 0600", filepath.Base(name), perm)
		}
	}
	for _, dir := range []string{filepath.Dir(path), filepath.Dir(filepath.Dir(path))} {
		st, err := os.Stat(dir)
		if err != nil {
			t.Fatal(err)
		}
		if perm := st.Mode().Perm(); perm != 0o700 {
			t.Errorf("%s: mode %v, want 0700", dir, perm)
		}
	}
}

// TestExistingFileKeepsMode: byline does not change the permissions of a
// database file the user made (a team may share one on purpose).
func TestExistingFileKeepsMode(t *testing.T) {
	path := filepath.Join(t.TempDir(), "team.db")
	if err := os.WriteFile(path, nil, 0o640); err != nil {
		t.Fatal(err)
	}
	MustOpenPath(t, path, sqlite.Options{Create: true})
	st, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if perm := st.Mode().Perm(); perm != 0o640&^fs.FileMode(currentUmask()) {
		t.Errorf("mode %v changed", perm)
	}
}

func currentUmask() int {
	m := syscall.Umask(0)
	syscall.Umask(m)
	return m
}

func art(id, url, text string) retrieval.Article {
	return retrieval.Article{ID: id, URL: url, Title: "Story " + id, Paragraphs: []string{text}}
}

// TestPlaceholderURLsIdentifyNothing: "n/a" in the URL column is no
// address, so articles that share it stay apart.
func TestPlaceholderURLsIdentifyNothing(t *testing.T) {
	ix := MustOpen(t)
	res := MustPut(t, ix,
		art("a", "n/a", "The first story is about ferries."),
		art("b", "n/a", "The second story is about trains."),
		art("c", "", "The third story is about buses."))
	if res.Added != 3 || res.Replaced != 0 {
		t.Errorf("Put = %+v, want 3 added", res)
	}
	res = MustPut(t, ix, art("d", "https://example.com/x", "The fourth story is about trams."),
		art("e", "https://example.com/x", "The fifth story is about bicycles."))
	if res.Added != 1 || res.Replaced != 0 || MustStats(t, ix).Articles != 4 {
		t.Errorf("Put with one real URL twice = %+v, want 1 added (the later replaces the earlier)", res)
	}
}

// TestReplacementsInOneCall: a record that replaces another record of
// the same call is reported, with both sources; replacing what an
// earlier call stored is ordinary and is not.
func TestReplacementsInOneCall(t *testing.T) {
	ctx := context.Background()
	ix := MustOpen(t)
	MustPut(t, ix, art("old", "https://example.com/old", "An older story about the harbour wall."))
	w, err := ix.Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer w.Rollback()
	var got []string
	w.OnReplace(func(r sqlite.Replacement) {
		got = append(got, r.Source+" "+r.ID+" replaced "+r.Previous+" "+r.Replaced+" by "+r.By)
	})
	adds := []struct {
		src string
		a   retrieval.Article
	}{
		{"in.jsonl:1", art("a", "", "Ferries ran late on Sunday after the storm.")},
		{"in.jsonl:2", art("a", "", "Ferries ran on time on Monday.")},
		{"in.jsonl:3", art("b", "https://example.com/b", "Trains were cancelled.")},
		{"in.jsonl:4", art("c", "https://example.com/b", "Trains were cancelled again.")},
		{"in.jsonl:5", art("d", "", "Buses replaced the trains on the coast line.")},
		{"in.jsonl:6", art("e", "", "Buses replaced the trains on the coast line.")},
		{"in.jsonl:7", art("f", "https://example.com/old", "A newer story about the harbour wall.")},
		{"in.jsonl:8", art("c", "https://example.com/b", "Trains were cancelled again.")}, // identical: unchanged
	}
	for _, x := range adds {
		if err := w.AddFrom(x.a, x.src); err != nil {
			t.Fatal(err)
		}
	}
	res, err := w.Commit()
	if err != nil {
		t.Fatal(err)
	}
	want := []string{
		"in.jsonl:2 a replaced in.jsonl:1 a by ID",
		"in.jsonl:4 c replaced in.jsonl:3 b by URL",
		"in.jsonl:6 e replaced in.jsonl:5 d by text",
	}
	if !slices.Equal(got, want) {
		t.Errorf("replacements:\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	// Left: old's replacement f (replaced), a, c, e (added).
	if res.Added != 3 || res.Replaced != 1 || res.Unchanged != 1 {
		t.Errorf("Commit = %+v", res)
	}
}

func TestIDsRefused(t *testing.T) {
	ix := MustOpen(t)
	for _, id := range []string{"a\x00b", "a\u200bb", "\xff"} {
		if _, err := ix.Put(context.Background(), []retrieval.Article{art(id, "", "Some text here.")}); err == nil {
			t.Errorf("Put with ID %q: no error", id)
		}
	}
}

// TestProvisional: stand-in articles (the samples) stay while only they
// are indexed, and go in the same transaction as the first real article.
func TestProvisional(t *testing.T) {
	ctx := context.Background()
	ix := MustOpen(t)
	if ok, err := ix.Pristine(ctx); err != nil || !ok {
		t.Fatalf("Pristine on a new index = %v, %v", ok, err)
	}
	w, err := ix.Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	w.Provisional()
	for _, id := range []string{"sample-1", "sample-2"} {
		if err := w.Add(art(id, "", "Sample story "+id+" about the harbour.")); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := w.Commit(); err != nil {
		t.Fatal(err)
	}
	if n, err := ix.Provisional(ctx); err != nil || n != 2 {
		t.Fatalf("Provisional = %d, %v, want 2", n, err)
	}
	if ok, _ := ix.Pristine(ctx); ok {
		t.Error("Pristine after indexing samples")
	}
	// Nothing new: an unchanged re-index keeps them.
	if _, err := ix.Put(ctx, nil); err != nil {
		t.Fatal(err)
	}
	if n, _ := ix.Provisional(ctx); n != 2 {
		t.Fatalf("an empty call removed the samples")
	}
	MustPut(t, ix, art("real", "https://example.com/real", "A real story about the council vote."))
	if n, err := ix.Provisional(ctx); err != nil || n != 0 {
		t.Errorf("Provisional after a real article = %d, %v, want 0", n, err)
	}
	if c, _ := ix.Count(ctx); c != 1 {
		t.Errorf("Count = %d, want 1 (the real article only)", c)
	}
	if hits := MustSearch(t, ix, retrieval.Query{Text: "harbour sample", K: 5}); len(hits) != 0 {
		t.Errorf("samples still found: %v", hits)
	}
}

// TestZeroWidthFound: a name written with a zero-width space is found by
// the name typed plainly, and the reverse.
func TestZeroWidthFound(t *testing.T) {
	ix := MustOpen(t)
	MustPut(t, ix, art("zw", "", "Councillor Gr\u200bimbald denied the claims on Monday."),
		art("plain", "", "Mayor Osterley opened the new bridge."))
	for q, want := range map[string]string{"Grimbald": "zw", "Oster\u200bley": "plain", "Gr\u00adimbald denied": "zw"} {
		hits := MustSearch(t, ix, retrieval.Query{Text: q, K: 3})
		if len(hits) == 0 || hits[0].Article.ID != want {
			t.Errorf("Search(%q) = %v, want %s first", q, hits, want)
		}
	}
}
