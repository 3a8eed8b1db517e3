package bottest

import (
	"sync"
	"testing"
	"time"
)

// Calls records the requests a fake platform receives, by kind (a Web
// API method, a route), so that a test can wait for the next one of a
// kind. It is safe for concurrent use.
type Calls[C any] struct {
	name string // "fake Slack": for failures

	mu      sync.Mutex
	calls   map[string][]C
	cursor  map[string]int // per kind, the calls Next returned
	changed chan struct{}  // closed and replaced on every call
}

// NewCalls returns an empty record of the calls to the fake called name.
func NewCalls[C any](name string) *Calls[C] {
	return &Calls[C]{name: name, calls: map[string][]C{}, cursor: map[string]int{}, changed: make(chan struct{})}
}

// Record stores a call of kind and wakes waiters.
func (r *Calls[C]) Record(kind string, c C) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.calls[kind] = append(r.calls[kind], c)
	close(r.changed)
	r.changed = make(chan struct{})
}

// Next returns the next call of kind not returned before, waiting up to
// WaitTimeout for it to arrive.
func (r *Calls[C]) Next(t testing.TB, kind string) C {
	t.Helper()
	deadline := time.NewTimer(WaitTimeout)
	defer deadline.Stop()
	for {
		r.mu.Lock()
		if i := r.cursor[kind]; i < len(r.calls[kind]) {
			r.cursor[kind]++
			c := r.calls[kind][i]
			r.mu.Unlock()
			return c
		}
		changed := r.changed
		r.mu.Unlock()
		select {
		case <-changed:
		case <-deadline.C:
			t.Fatalf("no %s call arrived at the %s", kind, r.name)
		}
	}
}

// Count is how many calls of kind arrived so far.
func (r *Calls[C]) Count(kind string) int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return len(r.calls[kind])
}
