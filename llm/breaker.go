package llm

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"
)

// outcome is what a call says about the service's health.
type outcome int

const (
	success outcome = iota // the service answered
	failure                // the service failed: counts towards opening the breaker
	neutral                // the caller gave up: says nothing either way
)

// classify judges a call's error; ctx is the caller's, not the one with
// the client's timeout, so that a call timing out on the client's own
// limit is the service's failure.
func classify(ctx context.Context, err error) outcome {
	var re replyError
	switch {
	case err == nil, errors.As(err, &re):
		return success
	case ctx.Err() != nil:
		return neutral
	}
	return failure
}

type breakerState int

const (
	closed   breakerState = iota
	open                  // refusing calls until the cooldown ends
	halfOpen              // one trial call is out
)

// breaker is a circuit breaker: after threshold failed calls in a row it
// refuses calls for cooldown, so a service that is down is not hammered
// and callers fall back at once; then one trial call decides.
type breaker struct {
	threshold int // < 0: never opens
	cooldown  time.Duration
	now       func() time.Time
	log       *slog.Logger

	mu      sync.Mutex
	state   breakerState
	fails   int       // failed calls in a row
	until   time.Time // when open, the end of the cooldown
	lastErr string    // the latest failure, for the refusal's message
	trips   int64     // times opened
}

func newBreaker(threshold int, cooldown time.Duration, now func() time.Time, log *slog.Logger) *breaker {
	return &breaker{threshold: threshold, cooldown: cooldown, now: now, log: log}
}

// newBreakers returns a breaker for each named model ("" skipped).
func newBreakers(opt Options, models ...string) map[string]*breaker {
	out := map[string]*breaker{}
	for _, m := range models {
		if m != "" && out[m] == nil {
			out[m] = newBreaker(opt.BreakerThreshold, opt.BreakerCooldown, opt.Now, opt.Logger.With("model", m))
		}
	}
	return out
}

// allow returns nil when a call may go out, or an error wrapping
// ErrUnavailable. After the cooldown it lets exactly one call through.
func (b *breaker) allow() error {
	if b.threshold < 0 {
		return nil
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	switch b.state {
	case closed:
		return nil
	case open:
		now := b.now()
		if now.Before(b.until) {
			return fmt.Errorf("%w: %d calls in a row failed (last: %s); next try in %s",
				ErrUnavailable, b.fails, b.lastErr, b.until.Sub(now).Round(time.Second))
		}
		b.state = halfOpen
		b.log.Info("llm: circuit breaker half-open, sending a trial call")
		return nil
	default:
		return fmt.Errorf("%w: %d calls in a row failed (last: %s); a trial call is out",
			ErrUnavailable, b.fails, b.lastErr)
	}
}

// done records the outcome of a call that allow let through.
func (b *breaker) done(o outcome, err error) {
	if b.threshold < 0 {
		return
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	switch o {
	case success:
		if b.state != closed {
			b.log.Info("llm: circuit breaker closed, the model service answers again", "after_failures", b.fails)
		}
		b.state, b.fails = closed, 0
	case failure:
		b.fails++
		b.lastErr = err.Error()
		// A call that started before the breaker opened and fails after
		// does not extend the cooldown.
		if b.state == halfOpen || b.state == closed && b.fails >= b.threshold {
			b.trip()
		}
	case neutral:
		if b.state == halfOpen {
			b.state = open // the cooldown is over: the next call is the trial
		}
	}
}

// trip opens the breaker; b.mu is held.
func (b *breaker) trip() {
	b.state = open
	b.until = b.now().Add(b.cooldown)
	b.trips++
	b.log.Warn("llm: circuit breaker open, refusing calls to the model service",
		"failures", b.fails, "cooldown", b.cooldown, "err", b.lastErr)
}

// status reports whether the breaker is not closed, and how often it
// opened.
func (b *breaker) status() (isOpen bool, trips int64) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.state != closed, b.trips
}
