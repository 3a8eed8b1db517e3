package crawl

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"time"

	"github.com/byline-news/byline/retrieval"
)

// A feed's lease lasts leaseTTL and is renewed every leaseRenew while
// its poll runs, so a process that dies mid-poll holds it for two
// minutes at most.
const (
	leaseTTL     = 2 * time.Minute
	leaseRenew   = 30 * time.Second
	leaseRelease = 5 * time.Second // to hand a lease back after the poll
)

// defaultHolder names this process in leases.
func defaultHolder() string {
	host, _ := os.Hostname()
	var b [4]byte
	rand.Read(b[:])
	return fmt.Sprintf("%s:%d:%s", host, os.Getpid(), hex.EncodeToString(b[:]))
}

// leaseName is the lease that guards polls of the feed at url.
func leaseName(url string) string { return "feed:" + url }

// pollLeased polls the feed at url if this process gets its lease and
// the feed is still due once it has it (another process may have polled
// it since it was found due); ok is false when it was skipped.
func (c *Crawler) pollLeased(ctx context.Context, url string) (res PollResult, ok bool) {
	name, now := leaseName(url), c.now()
	got, err := c.leases.Lease(ctx, name, c.holder, now, now.Add(leaseTTL))
	if err != nil {
		c.log.Warn("feed not polled: its lease could not be taken", "feed", url, "err", err)
		return res, false
	}
	if !got {
		c.log.Debug("feed skipped: another process is polling it", "feed", url)
		return res, false
	}
	defer c.release(ctx, name)
	f, err := c.ix.Feed(ctx, url)
	switch {
	case errors.Is(err, retrieval.ErrNotFound):
		return res, false // removed meanwhile
	case err != nil:
		c.log.Warn("feed not polled", "feed", url, "err", err)
		return res, false
	case f.NextPoll.After(c.now()):
		return res, false // polled by another process meanwhile
	}
	pctx, stop := c.keepLease(ctx, name)
	defer stop()
	return c.poll(pctx, f), true
}

// keepLease renews the lease name until stop is called. Should it be
// lost (this process stalled past leaseTTL, and another took it), the
// returned context is cancelled: the other process polls now.
func (c *Crawler) keepLease(ctx context.Context, name string) (context.Context, func()) {
	ctx, cancel := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() {
		t := time.NewTicker(leaseRenew)
		defer t.Stop()
		for {
			select {
			case <-done:
				return
			case <-ctx.Done():
				return
			case <-t.C:
			}
			now := c.now()
			ok, err := c.leases.Lease(ctx, name, c.holder, now, now.Add(leaseTTL))
			if err == nil && !ok {
				c.log.Warn("feed lease lost to another process: poll abandoned", "lease", name)
				cancel()
				return
			}
			if err != nil && ctx.Err() == nil {
				c.log.Warn("feed lease not renewed", "lease", name, "err", err)
			}
		}
	}()
	return ctx, func() { close(done); cancel() }
}

// release hands the lease name back, so the next due poll need not
// wait for it to expire.
func (c *Crawler) release(ctx context.Context, name string) {
	rctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), leaseRelease)
	defer cancel()
	if err := c.leases.ReleaseLease(rctx, name, c.holder); err != nil {
		c.log.Warn("feed lease not released (it expires by itself)", "lease", name, "err", err)
	}
}
