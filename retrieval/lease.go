package retrieval

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"time"
)

// Leaser hands out named leases in a database that several processes
// share: Lease gives name to holder until expires unless another holder
// has it unexpired (a holder renews its own); ReleaseLease hands it back.
// Both storage backends implement it.
type Leaser interface {
	Lease(ctx context.Context, name, holder string, now, expires time.Time) (bool, error)
	ReleaseLease(ctx context.Context, name, holder string) error
}

// ErrLeaseLost is the cause of the context HoldLease gives its work when
// another holder took the lease meanwhile (this process stalled past
// the lease's lifetime).
var ErrLeaseLost = errors.New("lease lost to another process")

// releaseTimeout bounds handing a lease back after the work.
const releaseTimeout = 5 * time.Second

// HoldLease runs work while holder holds the lease name: it takes it for
// ttl (reading the time from now), renews it every quarter of ttl while
// work runs, and hands it back after, so that the next holder need not
// wait for it to expire. It reports false, without running work, when
// another holder has it. Should the lease be lost, work's context is
// cancelled with the cause ErrLeaseLost; a renewal that fails is tried
// again at the next quarter. A process that dies holding a lease holds
// it for ttl at most.
func HoldLease(ctx context.Context, l Leaser, name, holder string, ttl time.Duration, now func() time.Time,
	work func(ctx context.Context)) (bool, error) {
	release := func() {
		rctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), releaseTimeout)
		defer cancel()
		l.ReleaseLease(rctx, name, holder) // on failure it expires by itself
	}
	t := now()
	ok, err := l.Lease(ctx, name, holder, t, t.Add(ttl))
	if err != nil {
		// A statement cut short by a cancelled context may still have
		// been written (SQLite reports the cancellation after the
		// commit): hand the lease back in case, or a shutdown would keep
		// it from the other replicas for ttl. Releasing a lease one does
		// not hold does nothing.
		release()
		return false, err
	}
	if !ok {
		return false, nil
	}
	wctx, cancel := context.WithCancelCause(ctx)
	done, renewed := make(chan struct{}), make(chan struct{})
	go func() {
		defer close(renewed)
		renew(wctx, cancel, done, l, name, holder, ttl, now)
	}()
	work(wctx)
	close(done)
	cancel(nil)
	<-renewed // a renewal still running would take the lease again after the release
	release()
	return true, nil
}

// renew renews the lease every ttl/4 until done is closed, cancelling
// with ErrLeaseLost when another holder has it.
func renew(ctx context.Context, cancel context.CancelCauseFunc, done chan struct{}, l Leaser, name, holder string, ttl time.Duration, now func() time.Time) {
	tick := time.NewTicker(ttl / 4)
	defer tick.Stop()
	for {
		select {
		case <-done:
			return
		case <-ctx.Done():
			return
		case <-tick.C:
		}
		t := now()
		if ok, err := l.Lease(ctx, name, holder, t, t.Add(ttl)); err == nil && !ok {
			cancel(ErrLeaseLost)
			return
		}
	}
}

// NewHolder names this process in leases: host, process ID and a random
// part (a restarted process is another holder).
func NewHolder() string {
	host, _ := os.Hostname()
	var b [4]byte
	rand.Read(b[:])
	return fmt.Sprintf("%s:%d:%s", host, os.Getpid(), hex.EncodeToString(b[:]))
}
