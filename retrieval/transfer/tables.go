package transfer

import (
	"context"
	"database/sql"
	"strings"

	"github.com/jackc/pgx/v5"
)

// table is one table as both backends hold it: the same name and
// columns (SQLite's rowid-only columns left out), read in the order of
// its key, byte-wise in both.
type table struct {
	name    string
	cols    []string
	order   string        // ORDER BY, SQLite's spelling
	pgOrder string        // ORDER BY, PostgreSQL's ("" = order)
	fill    func(v []any) // computes derived columns missing in old files
	boolCol int           // index of a boolean column (SQLite 0/1), -1 for none
	blobs   []int         // indexes of bytea columns
}

var tables = []table{
	{name: "meta", cols: []string{"key", "value"}, order: "key", pgOrder: `key COLLATE "C"`, boolCol: -1},
	{name: "articles", cols: []string{"id", "ext_id", "url", "hash", "title", "outlet", "author", "category",
		"published", "indexed", "first_doc", "paragraphs", "simhash", "updated", "feed"}, order: "id", boolCol: -1},
	{name: "paragraphs", cols: []string{"doc", "article", "n", "text", "hash"}, order: "doc", fill: fillParagraphHash, boolCol: -1, blobs: []int{4}},
	{name: "segments", cols: []string{"id", "ndocs", "docs", "lens", "pubs", "total_len", "title_len"}, order: "id", boolCol: -1, blobs: []int{2, 3, 4}},
	{name: "postings", cols: []string{"term", "segment", "df", "data"}, order: "term, segment", boolCol: -1, blobs: []int{3}},
	{name: "tombstones", cols: []string{"doc"}, order: "doc", boolCol: -1},
	{name: "embeddings", cols: []string{"model", "hash", "vec", "q8"}, order: "model, hash", pgOrder: `model COLLATE "C", hash`,
		fill: fillQ8, boolCol: -1, blobs: []int{1, 2, 3}},
	{name: "feedback", cols: []string{"id", "at", "platform", "workspace", "channel", "user", "question", "answer", "sources", "helpful"},
		order: "id", boolCol: 9},
	{name: "feeds", cols: []string{"url", "title", "every_s", "etag", "last_modified", "added", "last_polled", "next_poll",
		"failures", "last_error", "articles"}, order: "url", pgOrder: `url COLLATE "C"`, boolCol: -1},
	{name: "chat_state", cols: []string{"ns", "key", "value", "expires"}, order: "ns, key", pgOrder: `ns COLLATE "C", key COLLATE "C"`, boolCol: -1, blobs: []int{2}},
	{name: "claims", cols: []string{"ns", "key", "expires"}, order: "ns, key", pgOrder: `ns COLLATE "C", key COLLATE "C"`, boolCol: -1},
	{name: "leases", cols: []string{"name", "holder", "expires"}, order: "name", pgOrder: `name COLLATE "C"`, boolCol: -1},
	{name: "channel_sources", cols: []string{"platform", "workspace", "channel", "kind", "norm", "value", "added"},
		order:   "platform, workspace, channel, kind, norm",
		pgOrder: `platform COLLATE "C", workspace COLLATE "C", channel COLLATE "C", kind COLLATE "C", norm COLLATE "C"`, boolCol: -1},
	{name: "briefings", cols: []string{"platform", "workspace", "channel", "topic", "minute", "zone", "next", "by_user", "created"},
		order: "platform, workspace, channel", pgOrder: `platform COLLATE "C", workspace COLLATE "C", channel COLLATE "C"`, boolCol: -1},
	{name: "watches", cols: []string{"id", "platform", "workspace", "channel", "topic", "added_by", "created", "from_doc"},
		order: "id", boolCol: -1},
	{name: "watch_hits", cols: []string{"id", "watch", "article", "simhash", "title", "url", "outlet", "published", "sentence",
		"found", "post", "sent"}, order: "id", boolCol: -1},
}

func (t table) selectSQL(pg bool) string {
	cols := make([]string, len(t.cols))
	for i, c := range t.cols {
		cols[i] = `"` + c + `"`
	}
	order := t.order
	if pg && t.pgOrder != "" {
		order = t.pgOrder
	}
	return `SELECT ` + strings.Join(cols, ", ") + ` FROM ` + t.name + ` ORDER BY ` + order
}

// eachSource calls fn with each source row, derived columns filled in
// and booleans as such.
func (t table) eachSource(ctx context.Context, src *sql.Tx, fn func([]any) error) error {
	rows, err := src.QueryContext(ctx, t.selectSQL(false))
	if err != nil {
		return err
	}
	defer rows.Close()
	vals := make([]any, len(t.cols))
	ptrs := make([]any, len(t.cols))
	for i := range vals {
		ptrs[i] = &vals[i]
	}
	for rows.Next() {
		if err := rows.Scan(ptrs...); err != nil {
			return err
		}
		if t.fill != nil {
			t.fill(vals)
		}
		if t.boolCol >= 0 {
			vals[t.boolCol] = vals[t.boolCol] != int64(0)
		}
		for _, i := range t.blobs {
			if v, ok := vals[i].(string); ok { // a blob SQLite keeps as text
				vals[i] = []byte(v)
			}
		}
		if err := fn(vals); err != nil {
			return err
		}
	}
	return rows.Err()
}

func (t table) sourceSum(ctx context.Context, src *sql.Tx) (int64, string, error) {
	s := newRowSum()
	err := t.eachSource(ctx, src, s.add)
	return s.rows, s.sum(), err
}

func (t table) destSum(ctx context.Context, dst pgx.Tx) (int64, string, error) {
	rows, err := dst.Query(ctx, t.selectSQL(true))
	if err != nil {
		return 0, "", err
	}
	defer rows.Close()
	s := newRowSum()
	for rows.Next() {
		vals, err := rows.Values()
		if err != nil {
			return 0, "", err
		}
		if err := s.add(vals); err != nil {
			return 0, "", err
		}
	}
	return s.rows, s.sum(), rows.Err()
}

// copy streams the source rows into the destination with COPY,
// checksumming them on the way.
func (t table) copy(ctx context.Context, src *sql.Tx, dst pgx.Tx) (int64, string, error) {
	s := newRowSum()
	const batch = 5000
	var buf [][]any
	flush := func() error {
		if len(buf) == 0 {
			return nil
		}
		_, err := dst.CopyFrom(ctx, pgx.Identifier{t.name}, t.cols, pgx.CopyFromRows(buf))
		buf = buf[:0]
		return err
	}
	err := t.eachSource(ctx, src, func(vals []any) error {
		if err := s.add(vals); err != nil {
			return err
		}
		buf = append(buf, append([]any(nil), vals...))
		if len(buf) >= batch {
			return flush()
		}
		return nil
	})
	if err == nil {
		err = flush()
	}
	return s.rows, s.sum(), err
}
