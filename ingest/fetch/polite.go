package fetch

import (
	"context"
	"io"
	"net/http"
	"net/url"
	"sync"
	"time"
)

// hostGate gives each host one request at a time, and a pause of at least
// interval between the starts of two requests, without holding up other
// hosts. Sites that publish news are often small; a burst of article
// fetches from one feed must not look like an attack.
type hostGate struct {
	interval time.Duration

	mu    sync.Mutex
	hosts map[string]*hostTurn
}

// hostTurn is one host's queue. Holding the token (having sent into the
// one-slot channel) is having the turn.
type hostTurn struct {
	token chan struct{}
	last  time.Time // start of the latest request; touched only by the token holder
	users int       // holders and waiters; guarded by hostGate.mu
}

// sweepAt is the number of remembered hosts above which idle ones are
// forgotten, so a long-running crawl does not grow the map forever.
const sweepAt = 256

func newHostGate(interval time.Duration) *hostGate {
	return &hostGate{interval: interval, hosts: map[string]*hostTurn{}}
}

// acquire waits for host's turn and for the pause since its previous
// request, or for ctx. The returned release ends the turn; it is safe to
// call more than once.
func (g *hostGate) acquire(ctx context.Context, host string) (release func(), err error) {
	h := g.join(host)
	select {
	case h.token <- struct{}{}:
	case <-ctx.Done():
		g.leave(h)
		return nil, context.Cause(ctx)
	}
	if err := g.pause(ctx, h); err != nil {
		<-h.token
		g.leave(h)
		return nil, err
	}
	h.last = time.Now()
	var once sync.Once
	return func() {
		once.Do(func() {
			<-h.token
			g.leave(h)
		})
	}, nil
}

// pause waits until interval has passed since the start of h's previous
// request. The caller holds h's token.
func (g *hostGate) pause(ctx context.Context, h *hostTurn) error {
	if h.last.IsZero() || g.interval <= 0 {
		return nil
	}
	wait := time.Until(h.last.Add(g.interval))
	if wait <= 0 {
		return nil
	}
	t := time.NewTimer(wait)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return context.Cause(ctx)
	}
}

func (g *hostGate) join(host string) *hostTurn {
	g.mu.Lock()
	defer g.mu.Unlock()
	h := g.hosts[host]
	if h == nil {
		if len(g.hosts) >= sweepAt {
			g.sweep()
		}
		h = &hostTurn{token: make(chan struct{}, 1)}
		g.hosts[host] = h
	}
	h.users++
	return h
}

func (g *hostGate) leave(h *hostTurn) {
	g.mu.Lock()
	defer g.mu.Unlock()
	h.users--
}

// sweep forgets hosts nobody is using whose pause is over. With users at
// zero nobody writes last, and the last writer's leave took g.mu.
func (g *hostGate) sweep() {
	for host, h := range g.hosts {
		if h.users == 0 && time.Since(h.last) >= g.interval {
			delete(g.hosts, host)
		}
	}
}

// waiting reports how many requests hold or wait for host's turn (tests).
func (g *hostGate) waiting(host string) int {
	g.mu.Lock()
	defer g.mu.Unlock()
	if h := g.hosts[host]; h != nil {
		return h.users
	}
	return 0
}

// hostKey is the politeness key: the host name without port, since two
// ports are usually one machine.
func hostKey(u *url.URL) string { return normalHost(u.Hostname()) }

// politeTransport takes the host's turn for each request, redirect hops
// included, and holds it until the body is closed. The http.Client closes
// a redirect's body before following it, so a hop never waits for itself.
type politeTransport struct {
	next http.RoundTripper
	gate *hostGate
}

func (t *politeTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	release, err := t.gate.acquire(req.Context(), hostKey(req.URL))
	if err != nil {
		return nil, err
	}
	if dl, ok := req.Context().Value(deadlineKey{}).(*deadline); ok {
		dl.start()
	}
	resp, err := t.next.RoundTrip(req)
	if err != nil {
		release()
		return nil, err
	}
	resp.Body = &releasingBody{ReadCloser: resp.Body, release: release}
	return resp, nil
}

// releasingBody ends the host's turn when the body is closed.
type releasingBody struct {
	io.ReadCloser
	release func()
}

func (b *releasingBody) Close() error {
	err := b.ReadCloser.Close()
	b.release()
	return err
}

// deadline is Options.Timeout for one Fetch. Its clock starts when the
// first request gets its turn at the host, so queueing behind other
// fetches from the same site does not eat into it; after that it covers
// everything, redirect hops and the body included.
type deadline struct {
	d         time.Duration
	afterFunc func(time.Duration, func()) func() bool
	cancel    context.CancelCauseFunc

	once  sync.Once
	stopT func() bool
}

type deadlineKey struct{}

// withDeadline returns a context that Options.Timeout will cancel with
// errTimedOut, once the deadline is started.
func (f *Fetcher) withDeadline(ctx context.Context) (context.Context, *deadline) {
	ctx, cancel := context.WithCancelCause(ctx)
	dl := &deadline{d: f.opt.Timeout, afterFunc: f.afterFunc, cancel: cancel}
	return context.WithValue(ctx, deadlineKey{}, dl), dl
}

func (dl *deadline) start() {
	dl.once.Do(func() {
		dl.stopT = dl.afterFunc(dl.d, func() { dl.cancel(errTimedOut) })
	})
}

// stop releases the deadline's resources; it must be called.
func (dl *deadline) stop() {
	dl.once.Do(func() {}) // no start after this
	if dl.stopT != nil {
		dl.stopT()
	}
	dl.cancel(nil)
}
