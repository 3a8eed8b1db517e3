package bench

import (
	"context"
	"fmt"
	"os"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/byline-news/byline/retrieval"
	"github.com/byline-news/byline/retrieval/engine"
	"github.com/byline-news/byline/retrieval/sqlite"
)

// IndexResult is one corpus indexed into a fresh database.
type IndexResult struct {
	Paragraphs int     `json:"paragraphs"` // searchable after the call
	Written    int     `json:"written"`    // written, including copies that replaced an identical text`
	Seconds    float64 `json:"seconds"`
	PerSecond  float64 `json:"paragraphs_per_second"`
	Bytes      int64   `json:"bytes"`
	PeakRSSMB  float64 `json:"peak_rss_mb"`
}

// QueryResult is the latency of a set of questions against one database.
type QueryResult struct {
	Queries   int     `json:"queries"`
	P50ms     float64 `json:"p50_ms"`
	P99ms     float64 `json:"p99_ms"`
	MeanMS    float64 `json:"mean_ms"`
	PeakRSSMB float64 `json:"peak_rss_mb"`
}

// Target is a database to measure: either storage backend.
type Target interface {
	Begin(ctx context.Context) (*engine.Writer, error)
	Search(ctx context.Context, q retrieval.Query) ([]retrieval.Hit, error)
	Stats(ctx context.Context) (retrieval.Stats, error)
}

// Index builds a SQLite database of n paragraphs from copies of base (see
// IndexInto) at path, replacing any there.
func Index(ctx context.Context, path string, base []retrieval.Article, n int) (IndexResult, error) {
	if err := removeDB(path); err != nil {
		return IndexResult{}, err
	}
	ix, err := sqlite.Open(ctx, path, sqlite.Options{Create: true})
	if err != nil {
		return IndexResult{}, err
	}
	defer ix.Close()
	return IndexInto(ctx, ix, base, n)
}

// IndexInto indexes n paragraphs of copies of base into the empty
// database ix, in one index call that is durable (committed) when it
// returns.
func IndexInto(ctx context.Context, ix Target, base []retrieval.Article, n int) (IndexResult, error) {
	start := time.Now()
	w, err := ix.Begin(ctx)
	if err != nil {
		return IndexResult{}, err
	}
	defer w.Rollback()
	for a := range Copies(base, n) {
		if err := w.Add(a); err != nil {
			return IndexResult{}, err
		}
	}
	res, err := w.Commit()
	if err != nil {
		return IndexResult{}, err
	}
	secs := time.Since(start).Seconds()
	st, err := ix.Stats(ctx)
	if err != nil {
		return IndexResult{}, err
	}
	return IndexResult{Paragraphs: st.Paragraphs, Written: res.Paragraphs, Seconds: secs, PerSecond: float64(res.Paragraphs) / secs,
		Bytes: st.Bytes, PeakRSSMB: PeakRSSMB()}, nil
}

// Query times each question rounds times (after one warm-up pass over
// the first 20) with k = 10.
func Query(ctx context.Context, path string, questions []string, rounds int) (QueryResult, error) {
	ix, err := sqlite.Open(ctx, path, sqlite.Options{ReadOnly: true})
	if err != nil {
		return QueryResult{}, err
	}
	defer ix.Close()
	return QueryOn(ctx, ix, questions, rounds)
}

// QueryOn times the questions against ix as Query does.
func QueryOn(ctx context.Context, ix Target, questions []string, rounds int) (QueryResult, error) {
	search := func(q string) error {
		_, err := ix.Search(ctx, retrieval.Query{Text: q, K: 10})
		if err == retrieval.ErrEmptyQuery {
			return nil
		}
		return err
	}
	return timeQueries(questions, rounds, search)
}

func timeQueries(questions []string, rounds int, search func(string) error) (QueryResult, error) {
	for _, q := range questions[:min(20, len(questions))] {
		if err := search(q); err != nil {
			return QueryResult{}, err
		}
	}
	var lat []time.Duration
	for range rounds {
		for _, q := range questions {
			start := time.Now()
			if err := search(q); err != nil {
				return QueryResult{}, err
			}
			lat = append(lat, time.Since(start))
		}
	}
	slices.Sort(lat)
	var sum time.Duration
	for _, d := range lat {
		sum += d
	}
	ms := func(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }
	return QueryResult{Queries: len(lat), P50ms: ms(lat[len(lat)/2]), P99ms: ms(lat[min(len(lat)*99/100, len(lat)-1)]),
		MeanMS: ms(sum / time.Duration(len(lat))), PeakRSSMB: PeakRSSMB()}, nil
}

func removeDB(path string) error {
	for _, suffix := range []string{"", "-wal", "-shm", "-journal"} {
		if err := os.Remove(path + suffix); err != nil && !os.IsNotExist(err) {
			return fmt.Errorf("remove old bench database: %w", err)
		}
	}
	return nil
}

func dbBytes(path string) int64 {
	var n int64
	for _, suffix := range []string{"", "-wal"} {
		if fi, err := os.Stat(path + suffix); err == nil {
			n += fi.Size()
		}
	}
	return n
}

// PeakRSSMB returns this process's peak resident set size (Linux VmHWM),
// or 0 where /proc is not available.
func PeakRSSMB() float64 {
	data, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(data), "\n") {
		if rest, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			kb, _ := strconv.ParseFloat(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(rest), "kB")), 64)
			return kb / 1024
		}
	}
	return 0
}
