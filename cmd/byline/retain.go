package main

import (
	"context"
	"errors"
	"log/slog"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/byline-news/byline/retrieval"
)

// Retention's pace: it looks every retainEvery, and deletes in
// transactions of retainBatch articles, so that indexing and feed polls
// wait at most one batch for the write lock.
const (
	retainEvery    = time.Hour
	retainBatch    = 1000
	retainLeaseTTL = 5 * time.Minute
)

// olderDeleter is what retention needs of the store.
type olderDeleter interface {
	DeleteOlder(ctx context.Context, cutoff time.Time, limit int) (int, error)
	retrieval.Leaser
}

// retention deletes the articles older than keep (BYLINE_RETAIN) in
// the background of serve; of replicas sharing a database, the holder
// of the "retention" lease does.
type retention struct {
	ix      olderDeleter
	keep    time.Duration
	now     func() time.Time
	holder  string
	log     *slog.Logger
	deleted prometheus.Counter
}

func newRetention(ix olderDeleter, keep time.Duration, holder string, log *slog.Logger) *retention {
	return &retention{ix: ix, keep: keep, now: time.Now, holder: holder, log: log,
		deleted: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "byline_retention_deleted_articles_total",
			Help: "Articles deleted because they were older than BYLINE_RETAIN.",
		})}
}

// run deletes old articles every retainEvery until ctx is done.
func (r *retention) run(ctx context.Context) error {
	tick := time.NewTicker(retainEvery)
	defer tick.Stop()
	for {
		if _, err := r.once(ctx); err != nil && ctx.Err() == nil {
			r.log.Warn("retention: deleting old articles failed; trying again in an hour", "err", err)
		}
		select {
		case <-ctx.Done():
			return nil
		case <-tick.C:
		}
	}
}

// once deletes every article older than keep, batch by batch, while
// holding the lease, and returns how many it deleted.
func (r *retention) once(ctx context.Context) (int, error) {
	cutoff := r.now().Add(-r.keep)
	total := 0
	var werr error
	_, err := retrieval.HoldLease(ctx, r.ix, "retention", r.holder, retainLeaseTTL, r.now, func(ctx context.Context) {
		for {
			n, err := r.ix.DeleteOlder(ctx, cutoff, retainBatch)
			total += n
			r.deleted.Add(float64(n))
			if err != nil || n < retainBatch {
				werr = err
				return
			}
		}
	})
	if total > 0 {
		r.log.Info("retention: deleted old articles", "articles", total,
			"published_before", cutoff.UTC().Format(time.RFC3339), "retain", r.keep.String())
	}
	return total, errors.Join(err, werr)
}
