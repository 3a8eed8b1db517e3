package sqlite_test

import (
	"io/fs"
	"os"
	"path/filepath"
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
