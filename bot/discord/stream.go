package discord

import (
	"context"
	"log/slog"
	"net/http"
	"sync"
)

// live shows an answer in one Discord message while a model writes it:
// the first partial text creates the message (open), later ones edit it
// (update); the caller then replaces it with the final answer. Partials
// are delivered by a goroutine of their own, the latest text winning, so
// a slow or rate-limited Discord never holds up the model, whose
// Message.Partial calls return at once. stop waits for a delivery in
// flight, so nothing partial is shown after the final answer.
type live struct {
	ctx    context.Context
	log    *slog.Logger
	open   func(ctx context.Context, m message) error
	update func(ctx context.Context, m message) error

	mu      sync.Mutex
	text    string        // the latest partial text
	fresh   bool          // text is not shown yet
	running bool          // a delivery goroutine is running
	idle    chan struct{} // closed when the latest delivery goroutine ends
	stopped bool          // the final answer takes over
	opened  bool          // open succeeded: the message exists
	failed  bool          // open failed, or the message is gone: no more partials
}

// partial is a Message.Partial: it shows text soon, unless a newer text
// comes first.
func (l *live) partial(text string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.stopped || l.failed {
		return
	}
	l.text, l.fresh = text, true
	if !l.running {
		l.running, l.idle = true, make(chan struct{})
		go l.deliver(l.idle)
	}
}

// deliver shows the latest text until there is no newer one.
func (l *live) deliver(idle chan struct{}) {
	defer close(idle)
	for {
		l.mu.Lock()
		if !l.fresh || l.stopped || l.failed {
			l.running = false
			l.mu.Unlock()
			return
		}
		text, opened := l.text, l.opened
		l.fresh = false
		l.mu.Unlock()

		m := renderPartial(text)
		var err error
		if opened {
			err = l.update(l.ctx, m)
		} else {
			err = l.open(l.ctx, m)
		}
		l.mu.Lock()
		switch {
		case err == nil:
			l.opened = true
		case !opened || gone(err):
			l.failed = true
		}
		l.mu.Unlock()
		if err != nil {
			l.log.Warn("discord partial answer not shown", logErr, err)
		}
	}
}

// stop ends the partial answers, waiting for one being delivered, and
// reports whether the message was created.
func (l *live) stop() (opened bool) {
	l.mu.Lock()
	l.stopped = true
	idle := l.idle
	l.mu.Unlock()
	if idle != nil {
		<-idle
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.opened
}

// gone reports whether err says editing the message cannot work (it was
// deleted, or the bot may not edit it), rather than not now (a rate
// limit, a server error, no answer).
func gone(err error) bool {
	st := httpStatus(err)
	return st >= 400 && st < 500 && st != http.StatusTooManyRequests
}
