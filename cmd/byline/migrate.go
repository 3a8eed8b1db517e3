package main

import (
	"context"
	"errors"
	"fmt"
	"text/tabwriter"

	"github.com/byline-news/byline/answer"
	"github.com/byline-news/byline/config"
	"github.com/byline-news/byline/retrieval/transfer"
)

func runMigrate(ctx context.Context, a *app, args []string) error {
	var from, to string
	var replace, asJSON bool
	fs := a.flags("migrate", "--from FILE.db --to postgres://…", `
Copies a byline SQLite database into PostgreSQL: articles, the index,
vectors, feeds, chat state and feedback, every table in one transaction.
Before it commits, it reads every table back and checks its row count and
a SHA-256 of its rows against the source's; it prints both. Nothing is
committed unless all match.

It is safe to run again: when the destination holds this copy already,
it says so and changes nothing. A destination that holds other data is
refused unless --replace. The source is only read (an older file's schema
is upgraded first, as any byline command does). Stop the processes that
write to the source first, or what they write after the copy is lost.

The destination's schema (?search_path=, default public) is created when
missing. Point every byline at it afterwards with BYLINE_DATABASE_URL.`)
	fs.StringVar(&from, "from", "", "the SQLite database `file` (default: BYLINE_DB or "+a.cfg.DBPath+")")
	fs.StringVar(&to, "to", "", "the PostgreSQL database `URL` (default: BYLINE_DATABASE_URL)")
	fs.BoolVar(&replace, "replace", false, "overwrite a destination that holds other data")
	fs.BoolVar(&asJSON, "json", false, "print the report as JSON")
	if _, err := parse(fs, args); err != nil {
		return err
	}
	if from == "" {
		from = a.cfg.DBPath
	}
	if to == "" {
		to = a.cfg.DatabaseURL
	}
	switch {
	case to == "":
		return fmt.Errorf("%w: migrate needs --to postgres://… (or BYLINE_DATABASE_URL)", errUsage)
	case !config.IsPostgresURL(to):
		return fmt.Errorf("%w: --to must be a postgres:// URL, not %q", errUsage, to)
	case config.IsPostgresURL(from):
		return fmt.Errorf("%w: --from must be a SQLite file", errUsage)
	}
	rep, err := transfer.Copy(ctx, from, to, transfer.Options{Replace: replace, Progress: func(table string, rows int64) {
		if !asJSON {
			fmt.Fprintf(a.err, "byline: copied %s (%s rows)\n", table, answer.Thousands(int(rows)))
		}
	}})
	if errors.Is(err, transfer.ErrNotEmpty) {
		return fmt.Errorf("%s: %w; nothing was copied (pass --replace to overwrite it)", displayDB(to), err)
	}
	if err != nil {
		return noSource(err, from)
	}
	if asJSON {
		return writeJSON(a.out, rep)
	}
	if rep.Unchanged {
		fmt.Fprintf(a.out, "%s holds this copy of %s already: nothing to do.\n", displayDB(to), from)
	} else {
		fmt.Fprintf(a.out, "Copied %s to %s; every table checked:\n", from, displayDB(to))
	}
	w := tabwriter.NewWriter(a.out, 0, 0, 2, ' ', 0)
	fmt.Fprintln(w, "table\trows\tsha256")
	for _, t := range rep.Tables {
		fmt.Fprintf(w, "%s\t%s\t%s\n", t.Name, answer.Thousands(int(t.Rows)), t.Checksum[:16])
	}
	return w.Flush()
}
