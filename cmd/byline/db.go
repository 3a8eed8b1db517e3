package main

import (
	"context"
	"flag"
)

// dbPath returns the database: --db (a file or a postgres:// URL), else
// BYLINE_DATABASE_URL, else BYLINE_DB, else the default file, and
// whether the user chose it explicitly.
func (a *app) dbPath(flagDB string) (string, bool) {
	if flagDB != "" {
		return flagDB, true
	}
	if a.cfg.DatabaseURL != "" {
		return a.cfg.DatabaseURL, true
	}
	return a.cfg.DBPath, a.cfg.DBExplicit
}

// openIndex opens the index for a command. Commands that only read need
// an existing database; the error says how to make one.
func (a *app) openIndex(ctx context.Context, path string, create bool) (store, error) {
	ix, err := openStore(ctx, path, create)
	if err != nil {
		return nil, noDatabase(err, displayDB(path))
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
