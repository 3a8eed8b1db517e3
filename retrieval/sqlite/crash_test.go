package sqlite_test

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"runtime"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/byline-news/byline/retrieval"
	"github.com/byline-news/byline/retrieval/sqlite"
	"github.com/byline-news/byline/retrieval/storetest"
)

// The crash test re-runs this test binary as a helper process that indexes
// into the database until it is killed.
const (
	crashHelperEnv = "BYLINE_CRASH_HELPER"
	crashDBEnv     = "BYLINE_CRASH_DB"
	crashReady     = 1000    // articles added before the helper reports "adding",
	crashWAL       = 1 << 20 // and bytes of WAL the open transaction has spilled
)

// crashArticle is the helper's i-th article. Every one mentions
// "quokkanews", which the committed articles never do.
func crashArticle(c *corpus, i int) retrieval.Article {
	a := c.Article(fmt.Sprintf("crash-%d", i), 0)
	a.URL = fmt.Sprintf("https://crash.example/%d", i)
	for k := range 4 {
		a.Paragraphs = append(a.Paragraphs, c.Paragraph(80+(i*37+k*11)%60))
	}
	a.Paragraphs[0] += " Quokkanews bulletin."
	return a
}

// TestCrashHelper is not a test: it is the process TestCrashKeepsCommittedState kills.
func TestCrashHelper(t *testing.T) {
	if os.Getenv(crashHelperEnv) != "1" {
		t.Skip("helper process for TestCrashKeepsCommittedState")
	}
	ctx := context.Background()
	ix, err := sqlite.Open(ctx, os.Getenv(crashDBEnv), sqlite.Options{})
	if err != nil {
		fmt.Fprintln(os.Stderr, "open:", err)
		os.Exit(2)
	}
	w, err := ix.Begin(ctx)
	if err != nil {
		fmt.Fprintln(os.Stderr, "begin:", err)
		os.Exit(2)
	}
	c := newCorpus(77)
	reported := false
	for i := 0; ; i++ {
		if err := w.Add(crashArticle(c, i)); err != nil {
			fmt.Fprintln(os.Stderr, "add:", err)
			os.Exit(2)
		}
		if !reported && i+1 >= crashReady && i%50 == 0 {
			if fi, err := os.Stat(os.Getenv(crashDBEnv) + "-wal"); err == nil && fi.Size() >= crashWAL {
				fmt.Println("adding")
				reported = true
			}
		}
	}
}

func TestCrashKeepsCommittedState(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("the crash test sends SIGKILL to a helper process; it runs on Linux only")
	}
	if os.Getenv(crashHelperEnv) == "1" {
		t.Skip("inside the helper process")
	}
	ctx := context.Background()
	path := t.TempDir() + "/crash.db"

	// The committed state: two Puts, so there is more than one segment.
	ix, err := sqlite.Open(ctx, path, sqlite.Options{Create: true})
	if err != nil {
		t.Fatal(err)
	}
	committed := genArticles(newCorpus(70), "kept", 50, 3)
	for _, batch := range [][]retrieval.Article{committed[:25], append(committed[25:], harbourStrike)} {
		if _, err := ix.Put(ctx, batch); err != nil {
			t.Fatal(err)
		}
	}
	before, err := ix.Stats(ctx)
	if err != nil {
		t.Fatal(err)
	}
	vellacott := MustSearch(t, ix, retrieval.Query{Text: "Vellacott strike"})
	if err := ix.Close(); err != nil {
		t.Fatal(err)
	}
	dbSize := statFile(t, path).size

	cmd := exec.Command(os.Args[0], "-test.run=^TestCrashHelper$", "-test.count=1")
	cmd.Env = append(os.Environ(), crashHelperEnv+"=1", crashDBEnv+"="+path)
	var stderr strings.Builder
	cmd.Stderr = &stderr
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	killed := false
	defer func() {
		if !killed {
			cmd.Process.Kill()
			cmd.Wait()
		}
	}()

	// Wait for "adding" (or for the helper to die). The timer only guards
	// against a hung helper.
	ready := make(chan bool, 1)
	go func() {
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			if sc.Text() == "adding" {
				ready <- true
				return
			}
		}
		ready <- false
	}()
	select {
	case ok := <-ready:
		if !ok {
			cmd.Wait()
			killed = true
			t.Fatalf("helper exited before adding %d articles: %s", crashReady, stderr.String())
		}
	case <-time.After(2 * time.Minute):
		t.Fatalf("helper did not report progress: %s", stderr.String())
	}

	// The index call is mid-transaction: its pages are spilling into the WAL.
	wal, err := os.Stat(path + "-wal")
	if err != nil {
		t.Fatalf("no WAL while the helper indexes: %v", err)
	}
	if wal.Size() < crashWAL {
		t.Errorf("WAL is %d bytes; want the index call's pages (at least %d bytes) in it", wal.Size(), crashWAL)
	}
	t.Logf("killing the helper with a %d-byte WAL (database %d bytes)", wal.Size(), dbSize)

	if err := cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	err = cmd.Wait()
	killed = true
	var exit *exec.ExitError
	if !errors.As(err, &exit) || exit.Sys().(syscall.WaitStatus).Signal() != syscall.SIGKILL {
		t.Fatalf("helper ended with %v, want killed by SIGKILL; stderr: %s", err, stderr.String())
	}

	// Reopen: the committed state is intact, the killed index call is gone.
	ix = MustOpenPath(t, path, sqlite.Options{})
	var check string
	if err := rawDB(t, path).QueryRow("PRAGMA integrity_check").Scan(&check); err != nil || check != "ok" {
		t.Fatalf("integrity_check = %q, %v", check, err)
	}
	after := MustStats(t, ix)
	if after.Articles != before.Articles || after.Paragraphs != before.Paragraphs || after.Segments != before.Segments || after.Terms != before.Terms {
		t.Errorf("Stats after the crash = %+v, want %+v", after, before)
	}
	storetest.SameHits(t, "Vellacott strike", MustSearch(t, ix, retrieval.Query{Text: "Vellacott strike"}), vellacott)
	for _, q := range newCorpus(70).Queries() {
		for _, h := range MustSearch(t, ix, retrieval.Query{Text: q, K: 100}) {
			if !strings.HasPrefix(h.Article.ID, "kept-") && h.Article.ID != harbourStrike.ID {
				t.Errorf("Search(%q) found %s from the killed index call", q, h.Article.ID)
			}
		}
	}
	if hits := MustSearch(t, ix, retrieval.Query{Text: "quokkanews"}); len(hits) != 0 {
		t.Errorf("Search(quokkanews) = %v, want nothing", hitIDs(hits))
	}
	for _, i := range []int{0, 1, crashReady - 1} {
		id := "crash-" + strconv.Itoa(i)
		if _, err := ix.Article(ctx, id); !errors.Is(err, retrieval.ErrNotFound) {
			t.Errorf("Article(%s) = %v, want ErrNotFound", id, err)
		}
	}
	// And the index takes new writes.
	MustPut(t, ix, crashArticle(newCorpus(77), 0))
	if hits := MustSearch(t, ix, retrieval.Query{Text: "quokkanews"}); len(hits) != 1 {
		t.Errorf("Search(quokkanews) after a new Put = %v, want 1 hit", hitIDs(hits))
	}
}
