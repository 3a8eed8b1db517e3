// Package transfer copies a byline SQLite file into a PostgreSQL
// database (byline migrate): every table, in one transaction, checked
// table by table by row count and a checksum of the rows before it
// commits. Run again, it finds the copy already made and does nothing.
package transfer

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"hash"
	"net/url"
	"strconv"

	"github.com/byline-news/byline/retrieval/engine"
	"github.com/byline-news/byline/retrieval/postgres"
	"github.com/byline-news/byline/retrieval/sqlite"
	"github.com/jackc/pgx/v5"
)

// Options control Copy.
type Options struct {
	// Replace lets Copy overwrite a destination that holds other data;
	// without it such a destination is an error.
	Replace bool
	// Progress, when set, is told of each table as it is copied.
	Progress func(table string, rows int64)
}

// Table is what was copied (or found) of one table.
type Table struct {
	Name     string `json:"table"`
	Rows     int64  `json:"rows"`
	Checksum string `json:"sha256"` // of the rows in key order, as both databases hold them
}

// Report says what Copy did.
type Report struct {
	Tables []Table `json:"tables"`
	// Unchanged is set when the destination held this copy already.
	Unchanged bool `json:"unchanged"`
}

// ErrNotEmpty is returned when the destination holds other data and
// Options.Replace is not set.
var ErrNotEmpty = errors.New("the destination holds other data")

// Copy copies the SQLite database at src into the PostgreSQL database at
// dst (created, with its schema, when missing). The source is upgraded
// to the current schema first, as any byline command would; it is
// otherwise only read.
func Copy(ctx context.Context, src, dst string, opt Options) (Report, error) {
	if err := prepare(ctx, src, dst); err != nil {
		return Report{}, err
	}
	from, err := sql.Open("sqlite", "file:"+(&url.URL{Path: src}).EscapedPath()+"?mode=ro")
	if err != nil {
		return Report{}, fmt.Errorf("open %s: %w", src, err)
	}
	defer from.Close()
	// One connection, one read transaction: a consistent source even if
	// a byline process writes to it meanwhile.
	rtx, err := from.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return Report{}, fmt.Errorf("read %s: %w", src, err)
	}
	defer rtx.Rollback()
	to, err := pgx.Connect(ctx, dst)
	if err != nil {
		return Report{}, fmt.Errorf("connect to PostgreSQL: %w", err)
	}
	defer to.Close(context.Background())
	wtx, err := to.Begin(ctx)
	if err != nil {
		return Report{}, err
	}
	defer wtx.Rollback(context.Background())
	rep, err := copyAll(ctx, rtx, wtx, opt)
	if err != nil || rep.Unchanged {
		return rep, err
	}
	return rep, wtx.Commit(ctx)
}

// prepare brings both schemas up to date with the open functions of
// their backends.
func prepare(ctx context.Context, src, dst string) error {
	s, err := sqlite.Open(ctx, src, sqlite.Options{})
	if err != nil {
		return err
	}
	s.Close()
	d, err := postgres.Open(ctx, dst, postgres.Options{Create: true})
	if err != nil {
		return err
	}
	return d.Close()
}

func copyAll(ctx context.Context, src *sql.Tx, dst pgx.Tx, opt Options) (Report, error) {
	// The writer lock: no index call of a byline process runs meanwhile.
	if _, err := dst.Exec(ctx, `SELECT value FROM meta WHERE key = 'next_doc' FOR UPDATE`); err != nil {
		return Report{}, err
	}
	empty, err := destinationEmpty(ctx, dst)
	if err != nil {
		return Report{}, err
	}
	if !empty {
		rep, same, err := compare(ctx, src, dst)
		if err != nil || same {
			rep.Unchanged = same
			return rep, err
		}
		if !opt.Replace {
			return Report{}, ErrNotEmpty
		}
	}
	if err := deleteAll(ctx, dst); err != nil {
		return Report{}, err
	}
	var rep Report
	for _, t := range tables {
		n, sum, err := t.copy(ctx, src, dst)
		if err != nil {
			return Report{}, fmt.Errorf("copy %s: %w", t.name, err)
		}
		if opt.Progress != nil {
			opt.Progress(t.name, n)
		}
		rep.Tables = append(rep.Tables, Table{t.name, n, sum})
	}
	for _, name := range []string{"feedback", "watches", "watch_hits"} {
		if _, err := dst.Exec(ctx, `SELECT setval(pg_get_serial_sequence('`+name+`', 'id'), coalesce(max(id), 0) + 1, false) FROM `+name); err != nil {
			return Report{}, err
		}
	}
	return rep, verify(ctx, dst, rep)
}

// destinationEmpty reports whether dst holds only what a new schema does.
func destinationEmpty(ctx context.Context, dst pgx.Tx) (bool, error) {
	var rows int64
	// 'analysis' is the analysis a new schema records on opening (see
	// engine.Index.Reanalyze), whatever its version.
	q := `SELECT (SELECT count(*) FROM meta WHERE NOT (key IN ('next_doc', 'generation', 'embeddings', 'last_segment', 'watches')
		AND value = CASE key WHEN 'next_doc' THEN 1 ELSE 0 END) AND key <> 'analysis')`
	for _, t := range tables[1:] {
		q += ` + (SELECT count(*) FROM ` + t.name + `)`
	}
	err := dst.QueryRow(ctx, q).Scan(&rows)
	return rows == 0, err
}

// compare checksums both sides' tables.
func compare(ctx context.Context, src *sql.Tx, dst pgx.Tx) (Report, bool, error) {
	var rep Report
	same := true
	for _, t := range tables {
		n, sum, err := t.sourceSum(ctx, src)
		if err != nil {
			return rep, false, fmt.Errorf("read %s: %w", t.name, err)
		}
		dn, dsum, err := t.destSum(ctx, dst)
		if err != nil {
			return rep, false, fmt.Errorf("read back %s: %w", t.name, err)
		}
		same = same && n == dn && sum == dsum
		rep.Tables = append(rep.Tables, Table{t.name, n, sum})
	}
	return rep, same, nil
}

// verify reads every table back and checks it against what was copied.
func verify(ctx context.Context, dst pgx.Tx, rep Report) error {
	for i, t := range tables {
		n, sum, err := t.destSum(ctx, dst)
		if err != nil {
			return fmt.Errorf("read back %s: %w", t.name, err)
		}
		if want := rep.Tables[i]; n != want.Rows || sum != want.Checksum {
			return fmt.Errorf("check %s: %d rows with checksum %s copied, %d with %s read back; nothing was committed",
				t.name, want.Rows, want.Checksum[:12], n, sum[:12])
		}
	}
	return nil
}

// deleteAll deletes every row of byline's tables.
func deleteAll(ctx context.Context, dst pgx.Tx) error {
	for _, t := range tables {
		if _, err := dst.Exec(ctx, `DELETE FROM `+t.name); err != nil {
			return err
		}
	}
	return nil
}

// rowSum accumulates a table's checksum: each value typed and length-
// prefixed, so that no two different rows encode alike.
type rowSum struct {
	h    hash.Hash
	rows int64
	buf  []byte
}

func newRowSum() *rowSum { return &rowSum{h: sha256.New()} }

func (s *rowSum) add(vals []any) error {
	s.buf = s.buf[:0]
	for _, v := range vals {
		switch v := v.(type) {
		case nil:
			s.buf = append(s.buf, 'n')
		case int64:
			s.buf = strconv.AppendInt(append(s.buf, 'i'), v, 10)
		case int32:
			s.buf = strconv.AppendInt(append(s.buf, 'i'), int64(v), 10)
		case bool:
			b := int64(0)
			if v {
				b = 1
			}
			s.buf = strconv.AppendInt(append(s.buf, 'i'), b, 10)
		case string:
			s.buf = append(binary.AppendUvarint(append(s.buf, 'b'), uint64(len(v))), v...)
		case []byte:
			s.buf = append(binary.AppendUvarint(append(s.buf, 'b'), uint64(len(v))), v...)
		default:
			return fmt.Errorf("unexpected value of type %T", v)
		}
		s.buf = append(s.buf, 0)
	}
	s.h.Write(binary.AppendUvarint(nil, uint64(len(s.buf))))
	s.h.Write(s.buf)
	s.rows++
	return nil
}

func (s *rowSum) sum() string { return hex.EncodeToString(s.h.Sum(nil)) }

// fillParagraphHash and fillQ8 compute the derived columns an older
// SQLite file may lack: a paragraph's text hash, a vector's int8 form.
func fillParagraphHash(vals []any) {
	if vals[4] == nil {
		h := engine.ParagraphHash(asString(vals[3]))
		vals[4] = h[:]
	}
}

func fillQ8(vals []any) {
	if vals[3] == nil {
		vec := asBytes(vals[2])
		v := make([]float32, len(vec)/4)
		engine.DecodeVector(v, vec)
		vals[3] = engine.EncodeQ8(v)
	}
}

func asString(v any) string {
	switch v := v.(type) {
	case string:
		return v
	case []byte:
		return string(v)
	}
	return ""
}

func asBytes(v any) []byte {
	switch v := v.(type) {
	case string:
		return []byte(v)
	case []byte:
		return v
	}
	return nil
}
