package bot

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"
)

// ErrClosing is wrapped by the error Workers.Spawn returns once shutdown
// has begun.
var ErrClosing = errors.New("shutting down")

// Timings around tasks.
const (
	afterShutdown  = time.Second      // bounds Close's wait for tasks that ignore cancellation
	cleanupTimeout = 10 * time.Second // to deliver an answer whose own time ran out
)

// WorkersOptions configures Workers.
type WorkersOptions struct {
	Platform    string        // "slack", "discord": starts log messages and errors
	MaxInFlight int           // tasks running at once; later ones wait for a slot
	Timeout     time.Duration // each task's context times out after it
	Logger      *slog.Logger  // default slog.Default()
	TaskKey     string        // log attribute naming a task that panicked, default "task"

	// RunCancelled makes a task still waiting for a slot when Close
	// cancels the pool run anyway, with its context already done, so
	// that whoever waits for it is told; otherwise it is dropped.
	RunCancelled bool
}

// Workers runs an adapter's answers in the background: at most
// MaxInFlight at once, each with a timeout, a panic logged rather than
// fatal. Close stops it gracefully. It is safe for concurrent use.
type Workers struct {
	opt     WorkersOptions
	log     *slog.Logger
	closed  error              // what Spawn returns once closing
	ctx     context.Context    // parent of all tasks; ends after the grace period
	stop    context.CancelFunc // ends ctx
	sem     chan struct{}      // MaxInFlight slots
	mu      sync.Mutex         // guards closing and wg.Add
	closing bool
	wg      sync.WaitGroup
}

// NewWorkers returns a pool ready to Spawn tasks.
func NewWorkers(opt WorkersOptions) *Workers {
	opt.Logger = cmp.Or(opt.Logger, slog.Default())
	opt.TaskKey = cmp.Or(opt.TaskKey, "task")
	ctx, stop := context.WithCancel(context.Background())
	return &Workers{
		opt: opt, log: opt.Logger, ctx: ctx, stop: stop,
		closed: fmt.Errorf("%s adapter is %w", opt.Platform, ErrClosing),
		sem:    make(chan struct{}, max(opt.MaxInFlight, 1)),
	}
}

// Spawn runs fn in the background, with a context that times out after
// Timeout, once one of the MaxInFlight slots is free; task names it in
// logs. It returns an error wrapping ErrClosing once Refuse or Close was
// called.
func (w *Workers) Spawn(task string, fn func(ctx context.Context)) error {
	w.mu.Lock()
	if w.closing {
		w.mu.Unlock()
		return w.closed
	}
	w.wg.Add(1)
	w.mu.Unlock()
	go w.run(task, fn)
	return nil
}

// run waits for a slot, then calls fn, logging a panic.
func (w *Workers) run(task string, fn func(ctx context.Context)) {
	defer w.wg.Done()
	select {
	case w.sem <- struct{}{}:
		defer func() { <-w.sem }()
	case <-w.ctx.Done():
		if !w.opt.RunCancelled {
			return
		}
	}
	ctx, cancel := context.WithTimeout(w.ctx, w.opt.Timeout)
	defer cancel()
	defer func() {
		if p := recover(); p != nil {
			w.log.Error(w.opt.Platform+" task panicked", w.opt.TaskKey, task, logErr, fmt.Sprint(p))
		}
	}()
	fn(ctx)
}

// Refuse makes Spawn refuse new tasks from now on, so an adapter can
// stop taking work before it says it is no longer ready.
func (w *Workers) Refuse() {
	w.mu.Lock()
	w.closing = true
	w.mu.Unlock()
}

// Close refuses new tasks and waits for those in flight, cancelling them
// when grace ends first; it then waits at most a second more for tasks
// that ignore cancellation.
func (w *Workers) Close(grace time.Duration) {
	w.Refuse()
	done := make(chan struct{})
	go func() {
		w.wg.Wait()
		close(done)
	}()
	timer := time.NewTimer(grace)
	defer timer.Stop()
	select {
	case <-done:
	case <-timer.C:
		w.log.Warn(w.opt.Platform + " shutdown: grace period over, cancelling answers in flight")
		w.stop()
		select {
		case <-done:
		case <-time.After(afterShutdown):
		}
	}
	w.stop()
}

// Wait waits until no task is in flight. Tests use it to see that
// nothing more happens; call it only when no task is being spawned.
func (w *Workers) Wait() { w.wg.Wait() }

// CleanupContext outlives ctx's cancellation briefly, so that an answer
// whose time ran out is still delivered, saying so, and its progress
// marks (Slack's 👀) are removed.
func CleanupContext(ctx context.Context) (context.Context, context.CancelFunc) {
	return context.WithTimeout(context.WithoutCancel(ctx), cleanupTimeout)
}

// Ask hands m to handle as adapters do: it logs the question at debug
// level, turns a panic into a KindError reply so the user never sees
// silence, and gives a reply without a Question m.Text. Log messages
// start with m.Platform.
func Ask(ctx context.Context, log *slog.Logger, handle func(context.Context, Message) Reply, m Message) (r Reply) {
	defer func() {
		if p := recover(); p != nil {
			log.Error(m.Platform+" handler panicked", logChannel, m.Channel, logErr, fmt.Sprint(p))
			r = Reply{Kind: KindError, Question: m.Text}
		}
	}()
	log.Debug(m.Platform+" question", logChannel, m.Channel, logUser, m.User, logQuestion, m.Text)
	r = handle(ctx, m)
	if r.Question == "" {
		r.Question = m.Text
	}
	return r
}

// Sleep waits for d or until ctx is done; adapters use it to honour a
// platform's Retry-After without outliving a shutdown.
func Sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}
