package main

import (
	"context"
	"errors"
	"flag"
	"fmt"

	"github.com/byline-news/byline/retrieval/postgres"
	"github.com/byline-news/byline/retrieval/sqlite"
)

// dbPath returns the database: --db (a file or a postgres:// URL), else
// BYLINE_DATABASE_URL, else BYLINE_DB, else the default file, and
// whether the user chose it explicitly.
func (a *app) dbPath(flagDB string) (string, bool) {
	a.dbFlag = flagDB
	if flagDB != "" {
		return flagDB, true
	}
	if a.cfg.DatabaseURL != "" {
		return a.cfg.DatabaseURL, true
	}
	return a.cfg.DBPath, a.cfg.DBExplicit()
}

// openIndex opens the index for a command. Commands that only read need
// an existing database; the error says how to make one, in the words of
// how it was named.
func (a *app) openIndex(ctx context.Context, path string, create bool) (store, error) {
	ix, err := openStore(ctx, path, create)
	switch {
	case errors.Is(err, sqlite.ErrNoDatabase) && a.dbFlag != "":
		return nil, fmt.Errorf("no index at %s: run \"byline index --db %s PATH...\" first", path, a.dbFlag)
	case errors.Is(err, sqlite.ErrNoDatabase) && a.cfg.DBExplicit():
		return nil, fmt.Errorf("no index at %s (BYLINE_DB): run \"byline index PATH...\" first", path)
	case errors.Is(err, sqlite.ErrNoDatabase):
		return nil, fmt.Errorf("no index at %s: run \"byline index PATH...\" first, or name another database with --db or BYLINE_DB", path)
	case errors.Is(err, postgres.ErrNoSchema):
		return nil, fmt.Errorf("%w: run \"byline index PATH...\" (or byline migrate) first, which creates it", err)
	case err != nil:
		return nil, err
	}
	return ix, nil
}

// existingIndex opens the index a reading command names with --db (or the
// configured one); it must exist. The name it returns is for display.
func (a *app) existingIndex(ctx context.Context, flagDB string) (store, string, error) {
	path, _ := a.dbPath(flagDB)
	ix, err := a.openIndex(ctx, path, false)
	return ix, displayDB(path), err
}

// dbFlags declares --db and --json, shared by the commands that read.
func dbFlags(fs *flag.FlagSet, db *string, asJSON *bool, jsonHelp string) {
	fs.StringVar(db, "db", "", "database `file`, or postgres:// URL")
	fs.BoolVar(asJSON, "json", false, jsonHelp)
}
