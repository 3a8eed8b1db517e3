package bench

import (
	"context"
	"database/sql"
	"strings"
	"time"

	"github.com/byline-news/byline/retrieval"
	"github.com/byline-news/byline/retrieval/analysis"
)

// The baseline: SQLite FTS5 (porter tokenizer, bm25, title weighted) on
// the same corpus and machine, queried with an OR of the question's
// words, the plan that search-engines.md measured. It is here so every
// bench run reports byline's numbers as ratios to it.

// FTS5Index indexes copies of base into an FTS5 table in one transaction.
func FTS5Index(ctx context.Context, path string, base []retrieval.Article, n int) (IndexResult, error) {
	if err := removeDB(path); err != nil {
		return IndexResult{}, err
	}
	db, err := sql.Open("sqlite", "file:"+path+"?_pragma=journal_mode(WAL)&_pragma=synchronous(FULL)")
	if err != nil {
		return IndexResult{}, err
	}
	defer db.Close()
	start := time.Now()
	if _, err := db.ExecContext(ctx, `CREATE VIRTUAL TABLE p USING fts5(title, body, tokenize='porter unicode61')`); err != nil {
		return IndexResult{}, err
	}
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return IndexResult{}, err
	}
	defer tx.Rollback()
	stmt, err := tx.PrepareContext(ctx, `INSERT INTO p(title, body) VALUES (?, ?)`)
	if err != nil {
		return IndexResult{}, err
	}
	count := 0
	for a := range Copies(base, n) {
		for _, para := range a.Paragraphs {
			if _, err := stmt.ExecContext(ctx, a.Title, para); err != nil {
				return IndexResult{}, err
			}
			count++
		}
	}
	if err := tx.Commit(); err != nil {
		return IndexResult{}, err
	}
	secs := time.Since(start).Seconds()
	return IndexResult{Paragraphs: count, Seconds: secs, PerSecond: float64(count) / secs, Bytes: dbBytes(path), PeakRSSMB: PeakRSSMB()}, nil
}

// FTS5Query times the questions against the FTS5 baseline.
func FTS5Query(ctx context.Context, path string, questions []string, rounds int) (QueryResult, error) {
	db, err := sql.Open("sqlite", "file:"+path+"?mode=ro")
	if err != nil {
		return QueryResult{}, err
	}
	defer db.Close()
	search := func(q string) error {
		expr := ftsQuery(q)
		if expr == "" {
			return nil
		}
		rows, err := db.QueryContext(ctx, `SELECT rowid FROM p WHERE p MATCH ? ORDER BY bm25(p, 2.0, 1.0) LIMIT 10`, expr)
		if err != nil {
			return err
		}
		for rows.Next() {
		}
		rows.Close()
		return rows.Err()
	}
	return timeQueries(questions, rounds, search)
}

// ftsQuery ORs the question's words, quoted so FTS5 syntax cannot break.
func ftsQuery(q string) string {
	var words []string
	for _, t := range analysis.Tokens(q) {
		words = append(words, `"`+strings.ReplaceAll(t.Word, `"`, "")+`"`)
	}
	return strings.Join(words, " OR ")
}
