// Package postgres keeps a byline database in PostgreSQL, for teams that
// run several byline processes (replicas) over one database: the
// articles and their paragraphs, the index over them, paragraph vectors,
// and what the bot and crawler remember (feeds, chat state, feedback,
// claims and leases). The index is byline's own (package engine), the
// same as with SQLite, so both rank alike; this package stores its rows,
// writing the bulk of an index call with COPY, one transaction per call.
//
// The tables live in the first schema of the connection's search_path
// (postgres://…/db?search_path=byline), created on first use when
// Options.Create is set.
package postgres

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	neturl "net/url"
	"runtime"
	"strings"
	"syscall"
	"time"

	"github.com/byline-news/byline/retrieval"
	"github.com/byline-news/byline/retrieval/engine"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"
)

// ErrNoSchema is returned by Open when the schema named by the URL's
// search_path does not exist and Options.Create is false.
var ErrNoSchema = errors.New("no such schema")

// defaultMaxConns is the pool size when the URL sets no pool_max_conns.
const defaultMaxConns = 10

// defaultConnectTimeout bounds a new connection when the URL sets no
// connect_timeout: a server cut off by the network (packets dropped,
// not refused) would otherwise hold each request until its own deadline.
const defaultConnectTimeout = 5 * time.Second

// Options control Open.
type Options struct {
	// Create makes the schema named first in the URL's search_path when
	// it does not exist yet.
	Create bool
	// ReadOnly opens without writing anything, nor migrating: the schema
	// must be up to date.
	ReadOnly bool
	// LockTimeout bounds how long an index call waits while another
	// one (from any process) writes; 0 waits until the context ends.
	LockTimeout time.Duration
	Params      engine.Params // ranking parameters; zero fields take defaults
	// Now stamps articles' indexed time and ages chat state; nil means
	// time.Now.
	Now func() time.Time
}

// Index is a byline database in PostgreSQL. It is safe for concurrent
// use, and any number of processes may open the same database: searches
// read a snapshot, index calls are serialised by a row lock. The
// engine's methods (Put, Begin, Search, Delete, Embed, …) are promoted
// from *engine.Index.
type Index struct {
	*engine.Index
	pool   *pgxpool.Pool
	schema string
	now    func() time.Time
	lock   time.Duration
}

// Open connects to the database at url (postgres://…) and brings its
// schema up to date, unless opt.ReadOnly. Pool settings come from the
// URL (pool_max_conns, pool_max_conn_idle_time, …; see the README).
func Open(ctx context.Context, url string, opt Options) (*Index, error) {
	cfg, err := pgxpool.ParseConfig(url)
	if err != nil {
		return nil, fmt.Errorf("open PostgreSQL: %w", redact(err))
	}
	if !strings.Contains(url, "pool_max_conns") {
		// pgx's default (4 on a small machine) is tight for serve, where
		// an index call holds one connection throughout and every answer
		// needs one for a few milliseconds.
		cfg.MaxConns = max(defaultMaxConns, 2*int32(runtime.NumCPU()))
	}
	if !strings.Contains(url, "connect_timeout") {
		cfg.ConnConfig.ConnectTimeout = defaultConnectTimeout
	}
	schema := firstSchema(cfg.ConnConfig.RuntimeParams["search_path"])
	if opt.ReadOnly {
		cfg.ConnConfig.RuntimeParams["default_transaction_read_only"] = "on"
	}
	where := describe(cfg)
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("open PostgreSQL %s: %w", where, explain(err))
	}
	ix := &Index{pool: pool, schema: schema, now: opt.Now, lock: opt.LockTimeout}
	if ix.now == nil {
		ix.now = time.Now
	}
	ix.Index = engine.New(backend{ix}, engine.Options{Params: opt.Params, Now: ix.now})
	if err := ix.init(ctx, opt); err != nil {
		pool.Close()
		return nil, fmt.Errorf("open PostgreSQL %s: %w", where, explain(err))
	}
	return ix, nil
}

func (ix *Index) init(ctx context.Context, opt Options) error {
	if opt.ReadOnly {
		v, err := ix.version(ctx, ix.pool)
		if err != nil {
			return err
		}
		if v != len(migrations) {
			return fmt.Errorf("schema version %d, this byline needs %d: open it once without read-only to upgrade", v, len(migrations))
		}
		return nil
	}
	if err := ix.migrate(ctx, opt.Create); err != nil {
		return err
	}
	// The terms brought up to this byline's analysis, once after an
	// upgrade (see engine.Index.Reanalyze).
	n, err := ix.Index.Reanalyze(ctx, func() {
		slog.Info("re-reading the index's paragraphs for this version's word rules, once", "schema", ix.schema)
	})
	if n > 0 {
		slog.Info("re-read the index's paragraphs", "schema", ix.schema, "paragraphs", n)
	}
	return err
}

// firstSchema returns the first schema of a search_path setting, "" when
// none is set (PostgreSQL's default applies: usually "public").
func firstSchema(path string) string {
	first, _, _ := strings.Cut(path, ",")
	first = strings.TrimSpace(first)
	if first == `"$user"` || first == "$user" {
		return ""
	}
	return strings.Trim(first, `"`)
}

// describe names the server and database for messages, without the
// password.
func describe(cfg *pgxpool.Config) string {
	c := cfg.ConnConfig
	return fmt.Sprintf("%s/%s", net.JoinHostPort(c.Host, fmt.Sprint(c.Port)), c.Database)
}

// redact drops the URL from pgx's parse errors, which may quote the
// password.
func redact(err error) error {
	var pe *pgconn.ParseConfigError
	if errors.As(err, &pe) {
		return errors.New("invalid connection URL (postgres://user:password@host:port/database?search_path=schema)")
	}
	return err
}

// explain turns PostgreSQL's errors into advice where there is some.
func explain(err error) error {
	if err == nil {
		return nil
	}
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		switch pe.Code {
		case "55P03": // lock_not_available: lock_timeout expired
			return fmt.Errorf("database is locked by another writer (is another byline index call running?): %w", err)
		case "25006": // read_only_sql_transaction
			return fmt.Errorf("database is open read-only: %w", err)
		case "3D000": // invalid_catalog_name
			return fmt.Errorf("no such database (create it with createdb): %w", err)
		case "28000", "28P01":
			return fmt.Errorf("PostgreSQL refused the login (check the user and password in the URL): %w", err)
		}
	}
	if errors.Is(err, retrieval.ErrUnavailable) {
		return err // explained already
	}
	if _, ok := errors.AsType[*pgconn.ConnectError](err); ok {
		return fmt.Errorf("%w (is PostgreSQL running, and is the URL's host and port right?): %w", retrieval.ErrUnavailable, err)
	}
	if lostConnection(err) {
		return fmt.Errorf("%w (the connection to PostgreSQL was lost): %w", retrieval.ErrUnavailable, err)
	}
	return err
}

// lostConnection reports whether err means the server went away during
// the request: a network error, the connection closed under it, or the
// server shutting down. A request that ran out of time is not one: it
// may have been slow, and its caller says so.
func lostConnection(err error) bool {
	if pgconn.Timeout(err) || errors.Is(err, context.DeadlineExceeded) || errors.Is(err, context.Canceled) {
		return false // the caller's deadline or cancellation, not the server
	}
	if pe, ok := errors.AsType[*pgconn.PgError](err); ok {
		// 57P01 admin_shutdown, 57P02 crash_shutdown, 57P03
		// cannot_connect_now (starting or stopping); class 08:
		// connection exceptions.
		return pe.Code == "57P01" || pe.Code == "57P02" || pe.Code == "57P03" || strings.HasPrefix(pe.Code, "08")
	}
	if _, ok := errors.AsType[net.Error](err); ok {
		return true
	}
	return errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, pgconn.ErrConnClosed) ||
		errors.Is(err, syscall.ECONNRESET) || errors.Is(err, syscall.EPIPE)
}

// Close closes the connections.
func (ix *Index) Close() error {
	ix.pool.Close()
	return nil
}

// Schema returns the schema the tables are in.
func (ix *Index) Schema() string { return ix.schema }

// WithSchema returns the URL u with its search_path set to schema.
func WithSchema(u, schema string) (string, error) {
	p, err := neturl.Parse(u)
	if err != nil {
		return "", fmt.Errorf("PostgreSQL URL: %w", redact(err))
	}
	q := p.Query()
	q.Set("search_path", schema)
	p.RawQuery = q.Encode()
	return p.String(), nil
}

// DropSchema drops the schema that holds the index, with everything in
// it, and closes the index: for scratch databases (byline eval and
// bench make them). It refuses the schemas PostgreSQL makes itself.
func (ix *Index) DropSchema(ctx context.Context) error {
	defer ix.Close()
	if ix.schema == "" || ix.schema == "public" || strings.HasPrefix(ix.schema, "pg_") {
		return fmt.Errorf("refusing to drop schema %q", ix.schema)
	}
	_, err := ix.pool.Exec(ctx, `DROP SCHEMA `+pgx.Identifier{ix.schema}.Sanitize()+` CASCADE`)
	return explain(err)
}
