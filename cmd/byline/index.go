package main

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/byline-news/byline/answer"
	"github.com/byline-news/byline/ingest"
	"github.com/byline-news/byline/retrieval"
	"github.com/byline-news/byline/retrieval/engine"
)

func runIndex(ctx context.Context, a *app, args []string) error {
	var db string
	var quiet bool
	fs := a.flags("index", "PATH...", `
Indexes articles from each PATH: .txt and .md files (first line or
"# heading" is the title; YAML front matter between "---" lines or TOML
between "+++" lines may give id, title, url, outlet, author, published),
.html pages (text, title, date and outlet from the page), .jsonl files
with one article per line ({"id", "title", "body", "url", "source",
"published", "category"}), directories (recursively), and - for
standard input. Only an http(s) url counts ("n/a" is ignored); control
and zero-width characters are removed from the text, and an id holding
one is refused.

Re-indexing an article with the same ID, URL or text replaces it (the
same text from another named outlet is a syndicated copy: it is kept,
and answers show it as "also carried by" that outlet); when two records
of this run are one article, the later is kept and a warning names both.
The whole run is one transaction: if it fails or is interrupted, the
index is left exactly as it was. Malformed lines, unreadable files and
front matter that does not parse are reported with their location and
skipped; the rest is indexed, and the exit status is 1. The first run
that adds your own articles removes the built-in samples.

Examples:
  byline index ~/news
  byline index --db team.db articles.jsonl
  curl -s https://example.org/story.html | byline index -`)
	fs.StringVar(&db, "db", "", "database `file` (created if missing), or postgres:// URL")
	fs.BoolVar(&quiet, "quiet", false, "print only errors")
	paths, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(paths) == 0 {
		return fmt.Errorf("%w: index needs at least one PATH (a file, a directory or -)", errUsage)
	}
	path, _ := a.dbPath(db)
	ix, err := a.openIndex(ctx, path, true)
	if err != nil {
		return err
	}
	defer ix.Close()
	samples := sampleCount(ctx, ix)
	sum, err := a.indexPaths(ctx, ix, paths, quiet)
	if err != nil {
		return err
	}
	if !quiet {
		sum.print(a.out, displayDB(path))
	}
	a.samplesGone(ctx, ix, samples)
	embedErr := a.embedAfterIndex(ctx, ix, quiet)
	if sum.errors > 0 {
		return exitError{code: 1}
	}
	return embedErr
}

// summary counts what an index run did.
type summary struct {
	res      retrieval.PutResult
	skipped  map[string]int // reason -> count
	errors   int
	replaced int // records that replaced another record of this run
	took     time.Duration
}

func (a *app) indexPaths(ctx context.Context, ix store, paths []string, quiet bool) (summary, error) {
	sum := summary{skipped: map[string]int{}}
	start := time.Now()
	prog := newProgress(a.err, isTerminal(a.err))
	w, err := ix.Begin(ctx)
	if err != nil {
		return sum, err
	}
	defer w.Rollback()
	w.OnReplace(func(r engine.Replacement) {
		sum.replaced++
		if !quiet {
			prog.note("byline: warning: %s", replacementText(r))
		}
	})
	err = ingest.Walk(ctx, paths, ingest.Options{Stdin: a.in}, func(it ingest.Item) error {
		switch {
		case it.Err != nil:
			sum.errors++
			prog.note("byline: %v", it.Err)
		case it.Skip != "":
			sum.skipped[it.Skip]++
			if !quiet {
				prog.note("byline: skipped %s: %s", it.Source, it.Skip)
			}
		default:
			if err := w.AddFrom(it.Article, it.Source); err != nil {
				return fmt.Errorf("%s: %w", it.Source, err)
			}
			if !quiet {
				prog.add(len(it.Article.Paragraphs))
			}
		}
		return ctx.Err()
	})
	prog.done()
	if err != nil {
		return sum, fmt.Errorf("%w (nothing was indexed: the index is unchanged)", err)
	}
	if sum.res, err = w.Commit(); err != nil {
		return sum, commitFailed(err)
	}
	sum.took = time.Since(start)
	return sum, nil
}

// commitFailed says what a failed commit left: nothing, or, when the
// connection was lost during the commit itself, perhaps everything.
func commitFailed(err error) error {
	if errors.Is(err, retrieval.ErrUnavailable) && !errors.Is(err, engine.ErrRolledBack) {
		return fmt.Errorf("%w (the connection was lost while committing: the run may or may not have been saved; "+
			"running it again is safe, as unchanged articles are skipped)", err)
	}
	return err
}

// replacementText words a Replacement: one input record lost to another.
func replacementText(r engine.Replacement) string {
	name := func(src, id string) string {
		if src == "" {
			return "article " + id
		}
		return fmt.Sprintf("%s (ID %s)", src, id)
	}
	return fmt.Sprintf("%s replaces %s from this same run (same %s); only the later is kept",
		name(r.Source, r.ID), name(r.Previous, r.Replaced), r.By)
}

func (s summary) print(w interface{ Write([]byte) (int, error) }, path string) {
	r := s.res
	fmt.Fprintf(w, "Indexed %s (%s) into %s in %s: %s new, %s replaced, %s unchanged.\n",
		count(r.Added+r.Replaced, "article"), count(r.Paragraphs, "paragraph"), path, s.took.Round(time.Millisecond),
		answer.Thousands(r.Added), answer.Thousands(r.Replaced), answer.Thousands(r.Unchanged))
	if s.replaced > 0 {
		fmt.Fprintf(w, "%s replaced another from this run (listed above): give each story its own id or URL to keep both.\n",
			count(s.replaced, "input record"))
	}
	if len(s.skipped) > 0 {
		var parts []string
		total := 0
		for _, reason := range sortedKeys(s.skipped) {
			parts = append(parts, fmt.Sprintf("%s (%d)", reason, s.skipped[reason]))
			total += s.skipped[reason]
		}
		fmt.Fprintf(w, "Skipped %s: %s.\n", count(total, "input"), strings.Join(parts, ", "))
	}
	if s.errors > 0 {
		fmt.Fprintf(w, "%s (listed above); everything else was indexed.\n", count(s.errors, "error"))
	}
}
