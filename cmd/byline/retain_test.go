package main

import (
	"context"
	"fmt"
	"log/slog"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/byline-news/byline/retrieval"
	"github.com/byline-news/byline/retrieval/sqlite"
)

// retainNow is the retention tests' clock.
var retainNow = time.Date(2026, 12, 7, 9, 0, 0, 0, time.UTC)

func retainArticle(id string, pub time.Time) retrieval.Article {
	return retrieval.Article{ID: id, Title: "Story " + id, Published: pub,
		Paragraphs: []string{"The story numbered " + id + " is about the harbour."}}
}

// TestRetentionDeletesOldArticles: a pass deletes every article
// published before the cutoff, in batches, logs one line and counts
// them in the metric; a pass with nothing old does neither; a replica
// whose lease another holds deletes nothing.
func TestRetentionDeletesOldArticles(t *testing.T) {
	ctx := context.Background()
	ix, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "r.db"), sqlite.Options{Create: true, Now: func() time.Time { return retainNow }})
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	var old []retrieval.Article
	for i := range retainBatch + 205 {
		old = append(old, retainArticle(fmt.Sprintf("old-%d", i), retainNow.AddDate(-2, 0, -i)))
	}
	if _, err := ix.Put(ctx, append(old, retainArticle("recent", retainNow.AddDate(0, -11, 0)))); err != nil {
		t.Fatal(err)
	}
	var logs strings.Builder
	r := newRetention(ix, 365*24*time.Hour, "replica-a", slog.New(slog.NewTextHandler(&logs, nil)))
	r.now = func() time.Time { return retainNow }

	other := newRetention(ix, r.keep, "replica-b", slog.New(slog.DiscardHandler))
	other.now = r.now
	if _, err := ix.Lease(ctx, "retention", "replica-b", retainNow, retainNow.Add(time.Minute)); err != nil {
		t.Fatal(err)
	}
	if n, err := r.once(ctx); n != 0 || err != nil {
		t.Errorf("while replica-b holds the lease: deleted %d (%v), want 0", n, err)
	}
	ix.ReleaseLease(ctx, "retention", "replica-b")

	if n, err := r.once(ctx); n != len(old) || err != nil {
		t.Fatalf("once = %d, %v; want %d", n, err, len(old))
	}
	if n, _ := ix.Count(ctx); n != 1 {
		t.Errorf("%d articles left, want 1 (the recent one)", n)
	}
	if got := counterValue(t, r.deleted); got != float64(len(old)) {
		t.Errorf("metric = %v, want %d", got, len(old))
	}
	want := fmt.Sprintf(`msg="retention: deleted old articles" articles=%d published_before=2025-12-07T09:00:00Z retain=8760h0m0s`, len(old))
	if !strings.Contains(logs.String(), want) {
		t.Errorf("log = %q, want a line with %q", logs.String(), want)
	}
	logs.Reset()
	if n, err := r.once(ctx); n != 0 || err != nil || logs.Len() != 0 {
		t.Errorf("second pass = %d, %v, logged %q; want nothing", n, err, logs.String())
	}
}

// TestServeRetention: serve with BYLINE_RETAIN deletes an old article
// as it starts and exports the count (beside the briefings').
func TestServeRetention(t *testing.T) {
	t.Parallel()
	db := filepath.Join(t.TempDir(), "retain.db")
	ix, err := sqlite.Open(context.Background(), db, sqlite.Options{Create: true})
	if err != nil {
		t.Fatal(err)
	}
	// Dated so that the cutoff, whatever the clock says, falls between.
	_, err = ix.Put(context.Background(), []retrieval.Article{
		retainArticle("ancient", time.Date(1990, 1, 1, 0, 0, 0, 0, time.UTC)),
		retainArticle("far-ahead", time.Date(2999, 1, 1, 0, 0, 0, 0, time.UTC)),
	})
	ix.Close()
	if err != nil {
		t.Fatal(err)
	}
	s := startServe(t, map[string]string{"BYLINE_RETAIN": "365d", "BYLINE_LOG_LEVEL": "info"}, defaultLimits, "--db", db)
	var body string
	for i := 0; ; i++ {
		_, body = get(t, "http://"+s.addr+"/metrics")
		if strings.Contains(body, "byline_retention_deleted_articles_total 1\n") {
			break
		}
		if i == 400 {
			t.Fatalf("the deletion never showed in /metrics:\n%s", body)
		}
		time.Sleep(25 * time.Millisecond)
	}
	for _, want := range []string{"byline_index_articles 1", `byline_briefings_total{result="posted"} 0`} {
		if !strings.Contains(body, want+"\n") {
			t.Errorf("/metrics lacks %q", want)
		}
	}
	if logs := s.logs.String(); !strings.Contains(logs, "retention: deleted old articles") || !strings.Contains(logs, "articles=1") {
		t.Errorf("serve's log lacks the retention line:\n%s", logs)
	}
}

// counterValue reads a counter as a scrape would.
func counterValue(t *testing.T, c prometheus.Counter) float64 {
	t.Helper()
	reg := prometheus.NewRegistry()
	reg.MustRegister(c)
	fams, err := reg.Gather()
	if err != nil || len(fams) != 1 {
		t.Fatalf("gather: %v, %d families", err, len(fams))
	}
	return fams[0].GetMetric()[0].GetCounter().GetValue()
}
