package crawl

import (
	"context"
	"errors"
	"time"

	"github.com/byline-news/byline/retrieval"
)

// leaseTTL is how long a feed's lease lasts; it is renewed while the
// poll runs, so a process that dies mid-poll holds the feed for two
// minutes at most.
const leaseTTL = 2 * time.Minute

// leaseName is the lease that guards polls of the feed at url.
func leaseName(url string) string { return "feed:" + url }

// pollLeased polls the feed at url if this process gets its lease and
// the feed is still due once it has it (another process may have polled
// it since it was found due); ok is false when it was skipped.
func (c *Crawler) pollLeased(ctx context.Context, url string) (res PollResult, ok bool) {
	got, err := retrieval.HoldLease(ctx, c.leases, leaseName(url), c.holder, leaseTTL, c.now, func(ctx context.Context) {
		f, err := c.ix.Feed(ctx, url)
		switch {
		case errors.Is(err, retrieval.ErrNotFound):
			return // removed meanwhile
		case err != nil:
			c.log.Warn("feed not polled", "feed", url, "err", err)
			return
		case f.NextPoll.After(c.now()):
			return // polled by another process meanwhile
		}
		res, ok = c.poll(ctx, f), true
		if errors.Is(context.Cause(ctx), retrieval.ErrLeaseLost) {
			c.log.Warn("feed lease lost to another process: poll abandoned", "feed", url)
		}
	})
	switch {
	case err != nil:
		c.log.Warn("feed not polled: its lease could not be taken", "feed", url, "err", err)
	case !got:
		c.log.Debug("feed skipped: another process is polling it", "feed", url)
	}
	return res, ok
}
