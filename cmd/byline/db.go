package main

import (
	"context"
	"errors"
	"flag"
	"fmt"

	"github.com/byline-news/byline/retrieval/sqlite"
)

// dbPath returns the database path: --db, else BYLINE_DB, else the
// default, and whether the user chose it explicitly.
func (a *app) dbPath(flagDB string) (string, bool) {
	a.dbFlag = flagDB
	if flagDB != "" {
		return flagDB, true
	}
	return a.cfg.DBPath, a.cfg.DBExplicit()
}

// openIndex opens the index for a command. Commands that only read need
// an existing database; the error says how to make one, in the words of
// how it was named.
func (a *app) openIndex(ctx context.Context, path string, create bool) (*sqlite.Index, error) {
	ix, err := sqlite.Open(ctx, path, sqlite.Options{Create: create})
	if errors.Is(err, sqlite.ErrNoDatabase) {
		switch {
		case a.dbFlag != "":
			return nil, fmt.Errorf("no index at %s: run \"byline index --db %s PATH...\" first", path, a.dbFlag)
		case a.cfg.DBExplicit():
			return nil, fmt.Errorf("no index at %s (BYLINE_DB): run \"byline index PATH...\" first", path)
		}
		return nil, fmt.Errorf("no index at %s: run \"byline index PATH...\" first, or name another database with --db or BYLINE_DB", path)
	}
	return ix, err
}

// existingIndex opens the index a reading command names with --db (or the
// configured one); it must exist.
func (a *app) existingIndex(ctx context.Context, flagDB string) (*sqlite.Index, string, error) {
	path, _ := a.dbPath(flagDB)
	ix, err := a.openIndex(ctx, path, false)
	return ix, path, err
}

// dbFlags declares --db and --json, shared by the commands that read.
func dbFlags(fs *flag.FlagSet, db *string, asJSON *bool, jsonHelp string) {
	fs.StringVar(db, "db", "", "database `file`")
	fs.BoolVar(asJSON, "json", false, jsonHelp)
}
