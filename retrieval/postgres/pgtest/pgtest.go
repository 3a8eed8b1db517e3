// Package pgtest gives each test a PostgreSQL database of its own: a new
// schema on the server named by BYLINE_TEST_POSTGRES (default
// postgres://postgres@127.0.0.1:5432/test?sslmode=disable), dropped when
// the test ends, so that runs on one server (several developers', CI's)
// never collide. With no server reachable a test is skipped, unless CI
// is set: there PostgreSQL must be up and the test fails.
package pgtest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"net/url"
	"os"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/byline-news/byline/retrieval/postgres"
	"github.com/jackc/pgx/v5"
)

// EnvURL names the variable with the test server's URL.
const EnvURL = "BYLINE_TEST_POSTGRES"

// DefaultURL is the server tests use when EnvURL is unset.
const DefaultURL = "postgres://postgres@127.0.0.1:5432/test?sslmode=disable"

// prefix starts every test schema's name; the unix time follows, so that
// schemas left by killed runs can be told old and dropped.
const prefix = "bt_"

var (
	once       sync.Once
	reachErr   error
	staleAfter = 6 * time.Hour

	// With Main, schemas are dropped together when the tests end: one
	// DROP of many schemas costs about as much as a DROP of one.
	mu       sync.Mutex
	deferred bool
	created  []string
)

// Main runs a package's tests (call it from TestMain) and then drops the
// schemas they made, all at once.
func Main(m *testing.M) int {
	mu.Lock()
	deferred = true
	mu.Unlock()
	code := m.Run()
	mu.Lock()
	names := created
	mu.Unlock()
	if len(names) > 0 {
		ids := make([]string, len(names))
		for i, n := range names {
			ids[i] = pgx.Identifier{n}.Sanitize()
		}
		if err := exec(context.Background(), serverURL(), `DROP SCHEMA IF EXISTS `+strings.Join(ids, ", ")+` CASCADE`); err != nil {
			fmt.Fprintf(os.Stderr, "pgtest: drop %d test schemas: %v\n", len(names), err)
		}
	}
	return code
}

// Server returns the test server's URL, skipping (or, under CI, failing)
// t when it cannot be reached.
func Server(t testing.TB) string {
	t.Helper()
	u := serverURL()
	once.Do(func() { reachErr = check(u) })
	if reachErr != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("PostgreSQL at %s is required in CI (CI is set): %v", redacted(u), reachErr)
		}
		t.Skipf("PostgreSQL not reachable at %s (%v): set %s, or start it; in CI these tests run", redacted(u), reachErr, EnvURL)
	}
	return u
}

// URL returns the address of a new, empty schema for t: the server's URL
// with search_path set to it. The schema is dropped when t ends, after
// whatever t opened on it is closed (cleanups run last-in, first-out),
// or, under Main, when all tests end.
func URL(t testing.TB) string {
	t.Helper()
	base := Server(t)
	schema := name(t)
	ctx := context.Background()
	mu.Lock()
	later := deferred
	if later {
		created = append(created, schema)
	}
	mu.Unlock()
	if !later {
		t.Cleanup(func() {
			if err := exec(ctx, base, `DROP SCHEMA IF EXISTS `+pgx.Identifier{schema}.Sanitize()+` CASCADE`); err != nil {
				t.Errorf("drop test schema %s: %v", schema, err)
			}
		})
	}
	return WithSchema(base, schema)
}

// free are schemas that Recycled may hand out again.
var free []string

// Recycled returns the address of an empty schema for t, as URL does,
// except that under Main the schema serves later tests of the process
// once reset, SQL run on it when t ends, has emptied it: making a schema
// and its tables costs a few hundred milliseconds, emptying them a few.
// A schema whose reset fails is not used again. The schema it returns
// may hold tables (emptied), so tests of creating them use URL.
func Recycled(t testing.TB, reset string) string {
	t.Helper()
	base := Server(t)
	mu.Lock()
	if !deferred {
		mu.Unlock()
		return URL(t)
	}
	var schema string
	if n := len(free); n > 0 {
		schema, free = free[n-1], free[:n-1]
	} else {
		schema = name(t)
		created = append(created, schema)
	}
	mu.Unlock()
	u := WithSchema(base, schema)
	t.Cleanup(func() {
		if err := exec(context.Background(), u, reset); err != nil {
			t.Logf("reset test schema %s (not used again): %v", schema, err)
			return
		}
		mu.Lock()
		free = append(free, schema)
		mu.Unlock()
	})
	return u
}

// WithSchema returns u with search_path set to schema.
func WithSchema(u, schema string) string {
	s, err := postgres.WithSchema(u, schema)
	if err != nil {
		return u
	}
	return s
}

func serverURL() string {
	if u := os.Getenv(EnvURL); u != "" {
		return u
	}
	return DefaultURL
}

// check connects once and drops schemas that killed runs left behind.
func check(u string) error {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	conn, err := pgx.Connect(ctx, u)
	if err != nil {
		return err
	}
	defer conn.Close(ctx)
	rows, err := conn.Query(ctx, `SELECT nspname FROM pg_namespace WHERE nspname LIKE 'bt\_%'`)
	if err != nil {
		return err
	}
	names, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		return err
	}
	for _, n := range names {
		if stale(n) {
			conn.Exec(ctx, `DROP SCHEMA IF EXISTS `+pgx.Identifier{n}.Sanitize()+` CASCADE`)
		}
	}
	return nil
}

func stale(schema string) bool {
	rest, ok := strings.CutPrefix(schema, prefix)
	if !ok {
		return false
	}
	ts, _, _ := strings.Cut(rest, "_")
	sec, err := strconv.ParseInt(ts, 10, 64)
	return err == nil && time.Since(time.Unix(sec, 0)) > staleAfter
}

// name makes a schema name unique to this run and test. The wall clock
// only names it (so old ones can be dropped); no test reads it.
func name(t testing.TB) string {
	var b [4]byte
	rand.Read(b[:])
	var sb strings.Builder
	for _, r := range strings.ToLower(t.Name()) {
		if r >= 'a' && r <= 'z' || r >= '0' && r <= '9' {
			sb.WriteRune(r)
		} else {
			sb.WriteByte('_')
		}
	}
	short := sb.String()
	if len(short) > 30 {
		short = short[len(short)-30:]
	}
	return fmt.Sprintf("%s%d_%s_%s", prefix, time.Now().Unix(), hex.EncodeToString(b[:]), short)
}

func exec(ctx context.Context, u, sql string) error {
	conn, err := pgx.Connect(ctx, u)
	if err != nil {
		return err
	}
	defer conn.Close(ctx)
	_, err = conn.Exec(ctx, sql)
	return err
}

// QueryInt runs query on the schema at u and returns its one integer.
func QueryInt(t testing.TB, u, query string) int64 {
	t.Helper()
	var n int64
	withConn(t, u, func(ctx context.Context, conn *pgx.Conn) error {
		return conn.QueryRow(ctx, query).Scan(&n)
	}, query)
	return n
}

// Exec runs statements on the schema at u.
func Exec(t testing.TB, u, statements string) {
	t.Helper()
	withConn(t, u, func(ctx context.Context, conn *pgx.Conn) error {
		_, err := conn.Exec(ctx, statements)
		return err
	}, statements)
}

// withConn calls fn with a connection to u, failing t with what on error.
func withConn(t testing.TB, u string, fn func(context.Context, *pgx.Conn) error, what string) {
	t.Helper()
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, u)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	if err := fn(ctx, conn); err != nil {
		t.Fatalf("%s: %v", what, err)
	}
}

func redacted(u string) string {
	p, err := url.Parse(u)
	if err != nil {
		return "(unparsable URL)"
	}
	return p.Redacted()
}
