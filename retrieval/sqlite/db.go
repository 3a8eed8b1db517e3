// Package sqlite keeps a byline database in one SQLite file (pure-Go
// driver, WAL mode): the articles and their paragraphs, the index over
// them, paragraph vectors, and what the bot and crawler remember (feeds,
// chat state, feedback, claims and leases). The index is byline's own
// (package engine: BM25F over posting lists kept as blobs in immutable
// segments, because SQLite FTS5 scores every matching row and does not
// scale to a million paragraphs); this package stores its rows.
package sqlite

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/byline-news/byline/retrieval/engine"
	_ "modernc.org/sqlite" // registers the "sqlite" driver
)

var (
	// ErrNoDatabase is returned by Open when the file does not exist and
	// Options.Create is false.
	ErrNoDatabase = errors.New("no such database")
	errForeign    = errors.New("not a byline database (it holds other tables); refusing to modify it")
)

// Options control Open.
type Options struct {
	Create      bool          // create the file (and its directory) when missing
	ReadOnly    bool          // open for reading only; never writes
	BusyTimeout time.Duration // how long to wait for another writer; default 5s
	Params      Params        // ranking parameters; zero fields take defaults
	// Now stamps articles' indexed time and ages chat state; nil means
	// time.Now. Tests set it so nothing depends on the wall clock.
	Now func() time.Time
}

// Index is a byline database in a SQLite file. It is safe for concurrent
// use; searches run while an index call writes (WAL). The engine's
// methods (Put, Begin, Search, Delete, Embed, …) are promoted from
// *engine.Index.
type Index struct {
	*engine.Index
	db   *sql.DB
	path string
	now  func() time.Time
}

// Open opens (or with opt.Create, creates) the index at path.
func Open(ctx context.Context, path string, opt Options) (*Index, error) {
	if err := checkFile(path, opt); err != nil {
		return nil, err
	}
	db, err := sql.Open("sqlite", dsn(path, opt))
	if err != nil {
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	db.SetMaxOpenConns(4)
	db.SetConnMaxIdleTime(time.Minute)
	ix := &Index{db: db, path: path, now: opt.Now}
	if ix.now == nil {
		ix.now = time.Now
	}
	ix.Index = engine.New(backend{db}, engine.Options{Params: opt.Params, Now: ix.now})
	if err := ix.init(ctx, opt); err != nil {
		db.Close()
		return nil, fmt.Errorf("open %s: %w", path, explain(err))
	}
	return ix, nil
}

func (ix *Index) init(ctx context.Context, opt Options) error {
	if opt.ReadOnly {
		var version, appID int
		if err := ix.db.QueryRowContext(ctx, "PRAGMA user_version").Scan(&version); err != nil {
			return err
		}
		if err := ix.db.QueryRowContext(ctx, "PRAGMA application_id").Scan(&appID); err != nil {
			return err
		}
		if appID != applicationID {
			return errForeign
		}
		if version != len(migrations) {
			return fmt.Errorf("schema version %d, this byline needs %d: open it once without read-only to upgrade", version, len(migrations))
		}
		return nil
	}
	if err := migrate(ctx, ix.db); err != nil {
		return err
	}
	// WAL is set only now that the file is known to be byline's: the
	// pragma rewrites the header of whatever database it is run on.
	if _, err := ix.db.ExecContext(ctx, "PRAGMA journal_mode = WAL"); err != nil {
		return err
	}
	return reanalyze(ctx, ix.Index, ix.path)
}

// reanalyze brings the index's terms up to this byline's analysis (see
// engine.Index.Reanalyze), once after an upgrade.
func reanalyze(ctx context.Context, ix *engine.Index, name string) error {
	n, err := ix.Reanalyze(ctx, func() {
		slog.Info("re-reading the index's paragraphs for this version's word rules, once", "db", name)
	})
	if n > 0 {
		slog.Info("re-read the index's paragraphs", "db", name, "paragraphs", n)
	}
	return err
}

// checkFile refuses paths that are missing (unless creating) or that hold
// something other than an SQLite database, before SQLite touches them.
func checkFile(path string, opt Options) error {
	f, err := os.Open(path)
	if errors.Is(err, os.ErrNotExist) {
		if !opt.Create || opt.ReadOnly {
			return fmt.Errorf("%s: %w", path, ErrNoDatabase)
		}
		return create(path)
	}
	if err != nil {
		return err // "open /x: permission denied"
	}
	defer f.Close()
	if st, err := f.Stat(); err == nil && st.IsDir() {
		return fmt.Errorf("%s is a directory, not a database file", path)
	}
	head := make([]byte, 16)
	n, err := io.ReadFull(f, head)
	if n == 0 && (err == io.EOF || err == nil) {
		return nil // an empty file: SQLite makes it a database
	}
	if !bytes.Equal(head[:n], []byte("SQLite format 3\x00")) {
		return fmt.Errorf("%s is not a byline database (not an SQLite file); refusing to modify it", path)
	}
	return nil
}

// create makes the database file, and its folder if missing, readable by
// its owner only: it holds readers' questions, user IDs and feedback.
// SQLite gives the -wal and -shm files the database file's permissions.
func create(path string) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return err // "mkdir /x: permission denied"
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if errors.Is(err, os.ErrExist) {
		return nil // another process made it first
	}
	if err != nil {
		return err // "open /x/byline.db: permission denied"
	}
	return f.Close()
}

func dsn(path string, opt Options) string {
	busy := opt.BusyTimeout
	if busy == 0 {
		busy = 5 * time.Second
	}
	q := url.Values{}
	q.Add("_pragma", fmt.Sprintf("busy_timeout(%d)", busy.Milliseconds()))
	if opt.ReadOnly {
		q.Add("mode", "ro")
	} else {
		// FULL makes each index call durable once it returns; it costs one
		// fsync per commit, and an index call is one commit.
		q.Add("_pragma", "synchronous(FULL)")
	}
	q.Add("_txlock", "immediate")
	return "file:" + (&url.URL{Path: path}).EscapedPath() + "?" + q.Encode()
}

// explain turns SQLite's terse errors into advice.
func explain(err error) error {
	if err == nil {
		return nil
	}
	msg := err.Error()
	switch {
	case strings.Contains(msg, "SQLITE_BUSY") || strings.Contains(msg, "database is locked"):
		return fmt.Errorf("database is locked by another process (is another byline index running?): %w", err)
	case strings.Contains(msg, "SQLITE_READONLY") || strings.Contains(msg, "readonly database"):
		return fmt.Errorf("database is read-only (check the file's permissions, or use a copy): %w", err)
	case strings.Contains(msg, "malformed") || strings.Contains(msg, "SQLITE_CORRUPT") || strings.Contains(msg, "SQLITE_NOTADB") || strings.Contains(msg, "not a database"):
		return fmt.Errorf("database file is corrupt (restore a backup or index into a new file): %w", err)
	}
	return err
}

// Path returns the database file's path.
func (ix *Index) Path() string { return ix.path }

// Close closes the database.
func (ix *Index) Close() error { return ix.db.Close() }
