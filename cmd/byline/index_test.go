package main

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"
)

// mixedFiles is a directory of every input kind index meets: the four
// formats it reads, a file type it does not, and an empty file.
func mixedFiles(t *testing.T) map[string]string {
	return map[string]string{
		"ferry.txt": "Ferry strike halts river crossings\n\n" +
			"Workers at the Marrowby ferry company walked out on Tuesday over rota changes, halting every river crossing.\n\n" +
			"The union said talks with the company would resume next week.\n",
		"food/plums.md": "---\n" +
			"id: plums-2025\n" +
			"title: Orchard growers report record plum harvest\n" +
			"url: https://example.org/plums\n" +
			"outlet: Valley Gazette\n" +
			"published: 2025-08-14\n" +
			"---\n\n" +
			"Growers in the Quillon valley picked a record plum crop this summer, helped by a mild spring.\n\n" +
			"Prices at the Quillon market fell by a fifth as a result.\n",
		"garden.html": `<!doctype html><html><head><title>Library opens rooftop garden</title></head><body>
<article><h1>Library opens rooftop garden</h1>
<p>The Esterby public library opened a rooftop garden on Saturday, with beds tended by volunteers from the reading club.</p>
<p>The librarian said the garden would host poetry evenings in summer.</p></article></body></html>`,
		"wire/news.jsonl": jsonLines(t,
			map[string]any{"id": "tram-1", "title": "Tram line extension approved", "source": "Dunmore Daily", "published": "2025-03-02",
				"body": "The Dunmore council approved a tram line extension to the airport on Monday.\n\nConstruction is due to start in spring."},
			map[string]any{"id": "bakery-1", "title": "Bakery wins bread prize", "source": "Tollhaven Times", "published": "2025-04-10",
				"body": "A small bakery in Tollhaven won the national sourdough prize for its rye loaf."},
		),
		"report.pdf": "%PDF-1.4 not really a PDF\n",
		"empty.txt":  "",
	}
}

// indexedRE matches the summary line "Indexed N articles (M paragraphs)".
var indexedRE = regexp.MustCompile(`Indexed (\d+) articles? \((\d+) paragraphs?\)`)

func TestIndexDirectory(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	db := e.path("mixed.db")
	in := writeFiles(t, e.path("in"), mixedFiles(t))

	r := e.mustRun(0, "index", "--db", db, in)
	if m := indexedRE.FindStringSubmatch(r.out); m == nil || m[1] != "5" || m[2] != "9" {
		t.Errorf("summary does not say 5 articles (9 paragraphs):\n%s", r.out)
	}
	if !strings.Contains(r.out, "5 new, 0 replaced, 0 unchanged") {
		t.Errorf("summary lacks the new/replaced/unchanged counts:\n%s", r.out)
	}
	if want := "Skipped 2 inputs: empty file (1), unsupported file type .pdf (1).\n"; !strings.Contains(r.out, want) {
		t.Errorf("summary lacks %q:\n%s", want, r.out)
	}
	for _, name := range []string{"empty.txt", "report.pdf"} {
		if !strings.Contains(r.err, "skipped "+filepath.Join(in, name)) {
			t.Errorf("stderr does not name skipped %s:\n%s", name, r.err)
		}
	}

	ids := e.listIDs(db)
	if len(ids) != 5 {
		t.Errorf("list shows %d articles, want 5: %v", len(ids), ids)
	}
	for _, id := range []string{"plums-2025", "tram-1", "bakery-1"} {
		if !slices.Contains(ids, id) {
			t.Errorf("list lacks %s: %v", id, ids)
		}
	}
	text := e.mustRun(0, "list", "--db", db).out
	for _, want := range []string{"Orchard growers report record plum harvest", "Valley Gazette", "2025-08-14",
		"Library opens rooftop garden", "Ferry strike halts river crossings"} {
		if !strings.Contains(text, want) {
			t.Errorf("list lacks %q:\n%s", want, text)
		}
	}
	if arts, paras := e.stats(db); arts != 5 || paras != 9 {
		t.Errorf("stats: %d articles, %d paragraphs; want 5, 9", arts, paras)
	}
	st := e.mustRun(0, "stats", "--db", db).out
	if !strings.Contains(st, "2 Mar 2025 to 14 Aug 2025") {
		t.Errorf("stats lacks the date range:\n%s", st)
	}

	// Indexing the same files again changes nothing.
	r = e.mustRun(0, "index", "--db", db, in)
	if !strings.Contains(r.out, "0 new, 0 replaced, 5 unchanged") {
		t.Errorf("re-index summary:\n%s\nwant 5 unchanged", r.out)
	}
	if arts, paras := e.stats(db); arts != 5 || paras != 9 {
		t.Errorf("after re-index, stats: %d articles, %d paragraphs; want 5, 9", arts, paras)
	}

	// Every format is searchable.
	for q, id := range map[string]string{
		"what did the Tollhaven bakery win?": "bakery-1",
		"how big was the Quillon plum crop?": "plums-2025",
	} {
		if got := cited(e.askJSON("--db", db, q)); !slices.Contains(got, id) {
			t.Errorf("ask %q cited %v, want %s", q, got, id)
		}
	}
}

func TestIndexMalformedJSONL(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	db := e.path("jsonl.db")
	good := jsonLines(t,
		map[string]any{"id": "g1", "title": "Harbour seals counted", "body": "Volunteers counted 212 harbour seals on the Penwick sandbanks."},
		map[string]any{"id": "g2", "title": "Bridge repainted", "body": "The Aldmoor footbridge was repainted green after a public vote."},
	)
	lines := strings.SplitAfter(good, "\n")
	file := filepath.Join(writeFiles(t, e.path("in"), map[string]string{
		"feed.jsonl": lines[0] + `{"id": "bad", "title": "cut off` + "\n" + lines[1],
	}), "feed.jsonl")

	r := e.run("index", "--db", db, file)
	if r.code != 1 {
		t.Fatalf("exit %d, want 1\nstdout:\n%s\nstderr:\n%s", r.code, r.out, r.err)
	}
	if !strings.Contains(r.err, file+":2:") {
		t.Errorf("stderr does not name %s:2:\n%s", file, r.err)
	}
	if !strings.Contains(r.out, "1 error (listed above); everything else was indexed.") {
		t.Errorf("summary does not count the error:\n%s", r.out)
	}
	if got := e.listIDs(db); !slices.Equal(sorted(got), []string{"g1", "g2"}) {
		t.Errorf("indexed %v, want [g1 g2]", got)
	}
}

func sorted(s []string) []string {
	s = slices.Clone(s)
	slices.Sort(s)
	return s
}

func TestIndexStdin(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	db := e.path("stdin.db")
	story := "Village pond restored\n\n" +
		"Residents of Hollin Green dredged and replanted the village pond, which had been silted up for a decade.\n"
	r := e.runIn(story, "index", "--db", db, "-")
	if r.code != 0 {
		t.Fatalf("exit %d\nstdout:\n%s\nstderr:\n%s", r.code, r.out, r.err)
	}
	if !strings.Contains(r.out, "Indexed 1 article (1 paragraph)") {
		t.Errorf("summary:\n%s", r.out)
	}
	doc := e.askJSON("--db", db, "what did Hollin Green residents restore?")
	if len(doc.Sources) == 0 || doc.Sources[0].Title != "Village pond restored" {
		t.Errorf("ask cited %+v, want the piped story", doc.Sources)
	}
	// Piping the same story again is a no-op: its ID comes from its text.
	r = e.runIn(story, "index", "--db", db, "-")
	if !strings.Contains(r.out, "1 unchanged") {
		t.Errorf("second pipe:\n%s\nwant 1 unchanged", r.out)
	}
	if n, _ := e.stats(db); n != 1 {
		t.Errorf("stats: %d articles, want 1", n)
	}
}

// TestIndexOddFiles covers files that are not clean text: binary data
// named .txt is skipped, text with invalid UTF-8 is repaired and indexed,
// and a file far over the size limit is skipped without being read.
func TestIndexOddFiles(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	db := e.path("odd.db")
	dir := writeFiles(t, e.path("in"), map[string]string{
		"blob.txt": "\x00\x01\x02\x03binary\x00\x00\xff\xfe" + strings.Repeat("\x00", 100),
		"latin.txt": "Caf\xe9 owners protest new parking rules\n\n" +
			"Owners of the Brindle Street caf\xe9s say the new parking rules will keep customers away.\n",
	})
	// A sparse 50 MB .txt: its size alone must get it skipped, since
	// reading it would cost 50 MB for nothing.
	huge := filepath.Join(dir, "huge.txt")
	if err := os.WriteFile(huge, []byte("Big file\n\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Truncate(huge, 50<<20); err != nil {
		t.Fatal(err)
	}

	r := e.mustRun(0, "index", "--db", db, dir)
	if !strings.Contains(r.out, "Indexed 1 article ") {
		t.Errorf("summary:\n%s\nwant 1 article (latin.txt)", r.out)
	}
	for name, reason := range map[string]string{"blob.txt": "binary file", "huge.txt": "too large"} {
		re := regexp.MustCompile(`skipped ` + regexp.QuoteMeta(filepath.Join(dir, name)) + `: [^\n]*` + reason)
		if !re.MatchString(r.err) {
			t.Errorf("stderr does not skip %s as %q:\n%s", name, reason, r.err)
		}
	}
	if !strings.Contains(r.out, "Skipped 2 inputs:") {
		t.Errorf("summary does not count 2 skipped:\n%s", r.out)
	}

	out := e.mustRun(0, "list", "--json", "--db", db).out
	var art struct{ Title string }
	if err := json.Unmarshal([]byte(out), &art); err != nil {
		t.Fatalf("list --json: %v\n%s", err, out)
	}
	if !utf8.ValidString(art.Title) || !strings.HasPrefix(art.Title, "Caf") || !strings.HasSuffix(art.Title, "owners protest new parking rules") {
		t.Errorf("title = %q, want the repaired first line", art.Title)
	}
	doc := e.askJSON("--db", db, "what do Brindle Street owners say about parking rules?")
	if len(doc.Sources) == 0 || !utf8.ValidString(doc.Sources[0].Text) {
		t.Errorf("ask on the repaired file: %+v", doc)
	}

	// Named explicitly, the huge file is skipped the same way.
	r = e.mustRun(0, "index", "--db", db, huge)
	if !strings.Contains(r.out, "Skipped 1 input: file too large") {
		t.Errorf("summary:\n%s", r.out)
	}
}

// TestIndexRefusesForeignFiles: a --db that is not a byline database is
// reported and left exactly as it was, by every command.
func TestIndexRefusesForeignFiles(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	in := writeFiles(t, e.path("in"), map[string]string{
		"a.txt": "Swift colony returns\n\nThe swift colony returned to the Oakhurst church tower in May.\n",
	})

	notes := e.path("notes.db")
	content := []byte("my shopping list: eggs, flour, a new kettle\n")
	if err := os.WriteFile(notes, content, 0o644); err != nil {
		t.Fatal(err)
	}
	foreign := e.path("other-app.db")
	mustForeignSQLite(t, foreign)
	foreignBytes, err := os.ReadFile(foreign)
	if err != nil {
		t.Fatal(err)
	}

	tests := []struct {
		name, db, stderr string
		before           []byte
	}{
		{"text file", notes, "not an SQLite file", content},
		{"another app's SQLite", foreign, "not a byline database", foreignBytes},
	}
	for _, tt := range tests {
		for _, args := range [][]string{
			{"index", "--db", tt.db, in},
			{"ask", "--db", tt.db, "swift colony"},
			{"list", "--db", tt.db},
			{"stats", "--db", tt.db},
			{"delete", "--db", tt.db, "some-id"},
		} {
			t.Run(tt.name+"/"+args[0], func(t *testing.T) {
				r := e.run(args...)
				if r.code != 1 {
					t.Errorf("exit %d, want 1\nstdout:\n%s\nstderr:\n%s", r.code, r.out, r.err)
				}
				if !strings.Contains(r.err, tt.stderr) || !strings.Contains(r.err, tt.db) {
					t.Errorf("stderr lacks %q and the path:\n%s", tt.stderr, r.err)
				}
				if got, err := os.ReadFile(tt.db); err != nil || !bytes.Equal(got, tt.before) {
					t.Errorf("%s changed (err %v)", tt.db, err)
				}
				for _, suffix := range []string{"-wal", "-shm", "-journal"} {
					if fileExists(tt.db + suffix) {
						t.Errorf("%s%s was created", tt.db, suffix)
					}
				}
			})
		}
	}
}

// mustForeignSQLite writes an SQLite database of some other program.
func mustForeignSQLite(t *testing.T, path string) {
	t.Helper()
	db, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for _, stmt := range []string{
		`CREATE TABLE recipes (name TEXT, steps TEXT)`,
		`INSERT INTO recipes VALUES ('soda bread', 'mix, shape, bake')`,
	} {
		if _, err := db.Exec(stmt); err != nil {
			t.Fatal(err)
		}
	}
}

// TestIndexInterrupted: an index run that is cancelled leaves the index
// exactly as it was, whether the cancel comes before it starts or while
// it reads.
func TestIndexInterrupted(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	db := e.path("int.db")
	first := writeFiles(t, e.path("first"), map[string]string{
		"a.txt": "Swift colony returns\n\nThe swift colony returned to the Oakhurst church tower in May.\n",
	})
	e.mustRun(0, "index", "--db", db, first)
	wantIDs := e.listIDs(db)
	more := writeFiles(t, e.path("more"), mixedFiles(t))

	t.Run("cancelled before", func(t *testing.T) {
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		r := e.runCtx(ctx, "", "index", "--db", db, more)
		if r.code == 0 {
			t.Errorf("exit 0, want non-zero\nstdout:\n%s\nstderr:\n%s", r.out, r.err)
		}
		t.Logf("stderr: %s", r.err)
		if got := e.listIDs(db); !slices.Equal(got, wantIDs) {
			t.Errorf("after an interrupted run the index holds %v, want %v", got, wantIDs)
		}
	})

	t.Run("cancelled while reading", func(t *testing.T) {
		// The directory is read and its articles are added to the open
		// transaction; then reading stdin cancels the run.
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		stdin := &cancellingReader{cancel: cancel, r: strings.NewReader("Late story\n\nA late story arrives on stdin as the run is cancelled.\n")}
		r := e.runReader(ctx, stdin, "index", "--db", db, more, "-")
		if r.code != 130 {
			t.Errorf("exit %d, want 130 (interrupted)\nstdout:\n%s\nstderr:\n%s", r.code, r.out, r.err)
		}
		for _, want := range []string{"interrupted", "the index is unchanged"} {
			if !strings.Contains(r.err, want) {
				t.Errorf("stderr lacks %q:\n%s", want, r.err)
			}
		}
		if strings.Contains(r.out, "Indexed") {
			t.Errorf("an interrupted run printed a summary:\n%s", r.out)
		}
		if got := e.listIDs(db); !slices.Equal(got, wantIDs) {
			t.Errorf("after an interrupted run the index holds %v, want %v", got, wantIDs)
		}
	})
}

// cancellingReader cancels its context on the first read, as a Ctrl-C
// during a long index run would.
type cancellingReader struct {
	cancel func()
	r      *strings.Reader
}

func (c *cancellingReader) Read(p []byte) (int, error) {
	c.cancel()
	return c.r.Read(p)
}
