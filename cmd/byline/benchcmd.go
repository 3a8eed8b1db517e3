package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/byline-news/byline/answer"
	"github.com/byline-news/byline/config"
	"github.com/byline-news/byline/eval"
	"github.com/byline-news/byline/eval/bench"
	"github.com/byline-news/byline/retrieval"
	"github.com/byline-news/byline/retrieval/postgres"
)

type benchFlags struct {
	data, dir, sizes string
	pg               string // PostgreSQL to measure beside SQLite, "" for none
	baselineMax      int
	rounds           int
	asJSON           bool
}

// benchRow is one corpus size's results.
type benchRow struct {
	Paragraphs int                `json:"paragraphs"`
	Index      bench.IndexResult  `json:"index"`
	Query      bench.QueryResult  `json:"query"`
	ColdAskMS  float64            `json:"cold_ask_p50_ms"`
	FTS5Index  *bench.IndexResult `json:"fts5_index,omitempty"`
	FTS5Query  *bench.QueryResult `json:"fts5_query,omitempty"`
	// The same corpus and questions on PostgreSQL (--db), in the same run.
	PGIndex     *bench.IndexResult `json:"postgres_index,omitempty"`
	PGQuery     *bench.QueryResult `json:"postgres_query,omitempty"`
	PGColdAskMS float64            `json:"postgres_cold_ask_p50_ms,omitempty"`
}

func runBench(ctx context.Context, a *app, args []string) error {
	var f benchFlags
	fs := a.flags("bench", "", `
Builds corpora of the given sizes from copies of DATA/news/articles.jsonl
(each copy made distinct with a made-up name in every paragraph) and
reports, per size: index throughput (paragraphs/s, one durable
transaction), database size, peak RSS while indexing, query p50/p99 over
the bbc-dev questions (k=10, after a warm-up) with peak RSS while
querying, and the wall time of a cold "byline ask" process. Each step
runs in its own process so peak RSS is its own. Up to --baseline-max
paragraphs, SQLite FTS5 (porter, bm25, OR of the question's words) is
measured on the same corpus in the same run, as a baseline.

With --db postgres://… (or BYLINE_DATABASE_URL), every size is also
indexed and queried on PostgreSQL, side by side with SQLite: each in a
new schema of that database (byline_bench_SIZE_PID), dropped after.`)
	fs.StringVar(&f.data, "data", "../shared/data", "the shared data `dir`ectory")
	fs.StringVar(&f.dir, "dir", "", "where to build the databases (default: a temporary directory, removed after)")
	fs.StringVar(&f.sizes, "sizes", "10000,100000,1000000", "comma-separated corpus sizes in paragraphs")
	fs.IntVar(&f.baselineMax, "baseline-max", 100000, "largest size to measure the FTS5 baseline at (it is slow)")
	fs.IntVar(&f.rounds, "rounds", 3, "times each question is asked")
	fs.BoolVar(&f.asJSON, "json", false, "print results as JSON")
	fs.StringVar(&f.pg, "db", "", "PostgreSQL `URL` to measure beside SQLite (default: BYLINE_DATABASE_URL)")
	if _, err := parse(fs, args); err != nil {
		return err
	}
	if f.pg == "" {
		f.pg = a.cfg.DatabaseURL
	}
	if f.pg != "" && !config.IsPostgresURL(f.pg) {
		return fmt.Errorf("%w: bench --db takes a postgres:// URL (SQLite is always measured, in --dir)", errUsage)
	}
	sizes, err := parseSizes(f.sizes)
	if err != nil {
		return err
	}
	dir := f.dir
	if dir == "" {
		if dir, err = os.MkdirTemp("", "byline-bench-"); err != nil {
			return err
		}
		defer os.RemoveAll(dir)
	}
	var rows []benchRow
	for _, n := range sizes {
		row, err := a.benchSize(ctx, f, dir, n)
		if err != nil {
			return fmt.Errorf("bench %d paragraphs: %w", n, err)
		}
		rows = append(rows, row)
		fmt.Fprintf(a.err, "bench: %s paragraphs done\n", answer.Thousands(n))
	}
	if f.asJSON {
		return writeJSON(a.out, rows)
	}
	printBench(a, rows)
	return nil
}

func parseSizes(s string) ([]int, error) {
	var out []int
	for _, part := range strings.Split(s, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(part))
		if err != nil || n < 1 {
			return nil, fmt.Errorf("%w: --sizes: %q is not a positive number", errUsage, part)
		}
		out = append(out, n)
	}
	return out, nil
}

func (a *app) benchSize(ctx context.Context, f benchFlags, dir string, n int) (benchRow, error) {
	row := benchRow{Paragraphs: n}
	db := filepath.Join(dir, fmt.Sprintf("byline-%d.db", n))
	common := []string{"--data", f.data, "--db", db, "--size", strconv.Itoa(n), "--rounds", strconv.Itoa(f.rounds)}
	if err := worker(ctx, &row.Index, append([]string{"index"}, common...)...); err != nil {
		return row, err
	}
	if err := worker(ctx, &row.Query, append([]string{"query"}, common...)...); err != nil {
		return row, err
	}
	ms, err := coldAsk(ctx, f.data, db)
	if err != nil {
		return row, err
	}
	row.ColdAskMS = ms
	if f.pg != "" {
		if err := benchPostgres(ctx, f, n, &row); err != nil {
			return row, err
		}
	}
	if n <= f.baselineMax {
		fdb := filepath.Join(dir, fmt.Sprintf("fts5-%d.db", n))
		fcommon := append([]string{"--data", f.data, "--db", fdb}, common[4:]...)
		row.FTS5Index, row.FTS5Query = &bench.IndexResult{}, &bench.QueryResult{}
		if err := worker(ctx, row.FTS5Index, append([]string{"fts5-index"}, fcommon...)...); err != nil {
			return row, err
		}
		if err := worker(ctx, row.FTS5Query, append([]string{"fts5-query"}, fcommon...)...); err != nil {
			return row, err
		}
	}
	return row, nil
}

// benchPostgres measures size n on PostgreSQL, in a schema of its own
// that is dropped after.
func benchPostgres(ctx context.Context, f benchFlags, n int, row *benchRow) error {
	url, err := postgres.WithSchema(f.pg, fmt.Sprintf("byline_bench_%d_%d", n, os.Getpid()))
	if err != nil {
		return err
	}
	defer func() {
		if ix, err := postgres.Open(context.Background(), url, postgres.Options{Create: true}); err == nil {
			ix.DropSchema(context.Background())
		}
	}()
	common := []string{"--data", f.data, "--db", url, "--size", strconv.Itoa(n), "--rounds", strconv.Itoa(f.rounds)}
	row.PGIndex, row.PGQuery = &bench.IndexResult{}, &bench.QueryResult{}
	if err := worker(ctx, row.PGIndex, append([]string{"index"}, common...)...); err != nil {
		return err
	}
	if err := worker(ctx, row.PGQuery, append([]string{"query"}, common...)...); err != nil {
		return err
	}
	row.PGColdAskMS, err = coldAsk(ctx, f.data, url)
	return err
}

// worker runs "byline bench-worker ARGS" and decodes its JSON result.
func worker(ctx context.Context, out any, args ...string) error {
	exe, err := os.Executable()
	if err != nil {
		return err
	}
	cmd := exec.CommandContext(ctx, exe, append([]string{"bench-worker"}, args...)...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("bench-worker %s: %w: %s", args[0], err, strings.TrimSpace(stderr.String()))
	}
	return json.Unmarshal(stdout.Bytes(), out)
}

// coldAsk times whole "byline ask" processes against db (the median of
// ten questions): start-up, opening the database, search and answer.
func coldAsk(ctx context.Context, data, db string) (float64, error) {
	exe, err := os.Executable()
	if err != nil {
		return 0, err
	}
	qs, err := benchQuestions(data)
	if err != nil {
		return 0, err
	}
	var lat []float64
	for _, q := range qs[:min(10, len(qs))] {
		start := time.Now()
		cmd := exec.CommandContext(ctx, exe, "ask", "--db", db, "--json", q)
		if out, err := cmd.CombinedOutput(); err != nil {
			return 0, fmt.Errorf("ask: %w: %s", err, out)
		}
		lat = append(lat, float64(time.Since(start).Microseconds())/1000)
	}
	slices.Sort(lat)
	return lat[len(lat)/2], nil
}

func benchQuestions(data string) ([]string, error) {
	qs, err := eval.BBCQuestions(filepath.Join(data, "qa", "bbc-dev.jsonl"))
	if err != nil {
		return nil, err
	}
	out := make([]string, len(qs))
	for i, q := range qs {
		out[i] = q.Question
	}
	return out, nil
}

// runBenchWorker is the hidden "bench-worker" command: one measured step
// in its own process.
func runBenchWorker(ctx context.Context, a *app, args []string) error {
	if len(args) == 0 {
		return fmt.Errorf("%w: bench-worker needs a step", errUsage)
	}
	var data, db string
	var size, rounds int
	fs := a.flags("bench-worker", "STEP", "Internal: one step of byline bench.")
	fs.StringVar(&data, "data", "../shared/data", "")
	fs.StringVar(&db, "db", "", "")
	fs.IntVar(&size, "size", 10000, "")
	fs.IntVar(&rounds, "rounds", 3, "")
	if _, err := parse(fs, args[1:]); err != nil {
		return err
	}
	res, err := benchStep(ctx, a, args[0], data, db, size, rounds)
	if err != nil {
		return err
	}
	return writeJSON(a.out, res)
}

func benchStep(ctx context.Context, a *app, step, data, db string, size, rounds int) (any, error) {
	switch step {
	case "index", "fts5-index":
		base, err := bench.LoadArticles(ctx, filepath.Join(data, "news", "articles.jsonl"))
		if err != nil {
			return nil, err
		}
		if step == "index" && config.IsPostgresURL(db) {
			return benchIndexPostgres(ctx, db, base, size)
		}
		if step == "index" {
			return bench.Index(ctx, db, base, size)
		}
		return bench.FTS5Index(ctx, db, base, size)
	case "query", "fts5-query":
		qs, err := benchQuestions(data)
		if err != nil {
			return nil, err
		}
		if step == "query" && config.IsPostgresURL(db) {
			ix, err := postgres.Open(ctx, db, postgres.Options{ReadOnly: true})
			if err != nil {
				return nil, err
			}
			defer ix.Close()
			return bench.QueryOn(ctx, ix, qs, rounds)
		}
		if step == "query" {
			return bench.Query(ctx, db, qs, rounds)
		}
		return bench.FTS5Query(ctx, db, qs, rounds)
	}
	return nil, fmt.Errorf("%w: unknown bench step %q", errUsage, step)
}

// benchIndexPostgres indexes into the schema url names, emptied first.
func benchIndexPostgres(ctx context.Context, url string, base []retrieval.Article, n int) (bench.IndexResult, error) {
	ix, err := postgres.Open(ctx, url, postgres.Options{Create: true})
	if err != nil {
		return bench.IndexResult{}, err
	}
	if err := ix.DropSchema(ctx); err != nil {
		return bench.IndexResult{}, err
	}
	if ix, err = postgres.Open(ctx, url, postgres.Options{Create: true}); err != nil {
		return bench.IndexResult{}, err
	}
	defer ix.Close()
	return bench.IndexInto(ctx, ix, base, n)
}

func printBench(a *app, rows []benchRow) {
	w := tabwriter.NewWriter(a.out, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(w, "paragraphs\tindex para/s\tdb MB\tindex RSS MB\tquery p50 ms\tquery p99 ms\tquery RSS MB\tcold ask ms\tFTS5 para/s\tFTS5 p50 ms\tFTS5 p99 ms\tp50 speed-up\t")
	for _, r := range rows {
		fmt.Fprintf(w, "%s\t%s\t%.0f\t%.0f\t%.2f\t%.2f\t%.0f\t%.0f\t", answer.Thousands(r.Paragraphs), answer.Thousands(int(r.Index.PerSecond)),
			float64(r.Index.Bytes)/1e6, r.Index.PeakRSSMB, r.Query.P50ms, r.Query.P99ms, r.Query.PeakRSSMB, r.ColdAskMS)
		if r.FTS5Index != nil {
			fmt.Fprintf(w, "%s\t%.2f\t%.2f\t%.1f×\t\n", answer.Thousands(int(r.FTS5Index.PerSecond)), r.FTS5Query.P50ms, r.FTS5Query.P99ms, r.FTS5Query.P50ms/r.Query.P50ms)
		} else {
			fmt.Fprint(w, "-\t-\t-\t-\t\n")
		}
	}
	w.Flush()
	if len(rows) == 0 || rows[0].PGIndex == nil {
		return
	}
	fmt.Fprintln(a.out)
	w = tabwriter.NewWriter(a.out, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(w, "paragraphs\tPostgreSQL index para/s\tdb MB\tindex RSS MB\tquery p50 ms\tquery p99 ms\tquery RSS MB\tcold ask ms\tp50 vs SQLite\tindex vs SQLite\t")
	for _, r := range rows {
		fmt.Fprintf(w, "%s\t%s\t%.0f\t%.0f\t%.2f\t%.2f\t%.0f\t%.0f\t%.1f×\t%.2f×\t\n", answer.Thousands(r.Paragraphs), answer.Thousands(int(r.PGIndex.PerSecond)),
			float64(r.PGIndex.Bytes)/1e6, r.PGIndex.PeakRSSMB, r.PGQuery.P50ms, r.PGQuery.P99ms, r.PGQuery.PeakRSSMB, r.PGColdAskMS,
			r.PGQuery.P50ms/r.Query.P50ms, r.PGIndex.PerSecond/r.Index.PerSecond)
	}
	w.Flush()
}
