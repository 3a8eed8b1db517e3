package fetch

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"
)

// arrivals records the order and server-side time of requests.
type arrivals struct {
	mu    sync.Mutex
	paths []string
	times []time.Time
}

func (a *arrivals) add(r *http.Request) {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.paths = append(a.paths, r.Host+r.URL.Path)
	a.times = append(a.times, time.Now())
}

func (a *arrivals) list() []string {
	a.mu.Lock()
	defer a.mu.Unlock()
	return append([]string(nil), a.paths...)
}

// TestPerHostInterval checks the pause between two requests to a host, as
// the server saw them. A lower bound only: it cannot fail by being slow.
func TestPerHostInterval(t *testing.T) {
	t.Parallel()
	var seen arrivals
	srv := newServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { seen.add(r) }))
	f := newFetcher(t, Options{Allow: local, PerHostInterval: 50 * time.Millisecond})
	mustFetch(t, f, Request{URL: srv.URL + "/1"})
	mustFetch(t, f, Request{URL: srv.URL + "/2"})
	seen.mu.Lock()
	defer seen.mu.Unlock()
	if gap := seen.times[1].Sub(seen.times[0]); gap < 40*time.Millisecond {
		t.Errorf("second request arrived %s after the first, want ≥ 40ms", gap)
	}
}

// blockingServer holds requests for /slow until release is closed.
type blockingServer struct {
	*arrivals
	base    string
	release chan struct{}
}

func newBlockingServer(t *testing.T) *blockingServer {
	b := &blockingServer{arrivals: &arrivals{}, release: make(chan struct{})}
	srv := newServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b.add(r)
		if r.URL.Path == "/slow" {
			select {
			case <-b.release:
			case <-r.Context().Done():
			}
		}
	}))
	t.Cleanup(func() {
		select {
		case <-b.release:
		default:
			close(b.release)
		}
	})
	b.base = ":" + port(t, srv)
	return b
}

// startFetch fetches url in a goroutine; the result arrives on the channel.
func startFetch(ctx context.Context, f *testFetcher, url string) <-chan error {
	done := make(chan error, 1)
	go func() {
		_, err := f.Fetch(ctx, Request{URL: url})
		done <- err
	}()
	return done
}

// TestPerHostSerialized checks that a second request to a busy host waits
// for the first to finish, while another host is served meanwhile. The
// order is observed, not timed.
func TestPerHostSerialized(t *testing.T) {
	t.Parallel()
	srv := newBlockingServer(t)
	f := newFetcher(t, Options{Allow: local})
	f.dns.set("a.test", "127.0.0.1")
	f.dns.set("b.test", "127.0.0.1")

	slow := startFetch(context.Background(), f, "http://a.test"+srv.base+"/slow")
	waitFor(t, "the slow request", func() bool { return len(srv.list()) == 1 })
	queued := startFetch(context.Background(), f, "http://a.test"+srv.base+"/fast")
	waitFor(t, "the second request to queue", func() bool { return f.gate.waiting("a.test") == 2 })

	mustFetch(t, f, Request{URL: "http://b.test" + srv.base + "/other"}) // not held up by a.test
	close(srv.release)
	for _, done := range []<-chan error{slow, queued} {
		if err := <-done; err != nil {
			t.Fatal(err)
		}
	}
	want := []string{"a.test" + srv.base + "/slow", "b.test" + srv.base + "/other", "a.test" + srv.base + "/fast"}
	if got := srv.list(); strings.Join(got, " ") != strings.Join(want, " ") {
		t.Errorf("server saw %q, want %q", got, want)
	}
}

// TestTimeoutStartsAtTurn checks that Options.Timeout starts only when a
// request gets its turn at the host, by watching when the clock is armed.
func TestTimeoutStartsAtTurn(t *testing.T) {
	t.Parallel()
	srv := newBlockingServer(t)
	f := newFetcher(t, Options{Allow: local})
	f.dns.set("a.test", "127.0.0.1")
	var mu sync.Mutex
	armed := 0
	real := f.afterFunc
	f.afterFunc = func(d time.Duration, fn func()) func() bool {
		mu.Lock()
		armed++
		mu.Unlock()
		return real(d, fn)
	}
	count := func() int { mu.Lock(); defer mu.Unlock(); return armed }

	slow := startFetch(context.Background(), f, "http://a.test"+srv.base+"/slow")
	waitFor(t, "the slow request", func() bool { return len(srv.list()) == 1 })
	queued := startFetch(context.Background(), f, "http://a.test"+srv.base+"/fast")
	waitFor(t, "the second request to queue", func() bool { return f.gate.waiting("a.test") == 2 })
	if got := count(); got != 1 {
		t.Errorf("%d clocks started with one request queued, want 1", got)
	}
	close(srv.release)
	for _, done := range []<-chan error{slow, queued} {
		if err := <-done; err != nil {
			t.Fatal(err)
		}
	}
	if got := count(); got != 2 {
		t.Errorf("%d clocks started, want 2", got)
	}
}

// TestQueueHonoursContext cancels a request while it waits for its turn.
func TestQueueHonoursContext(t *testing.T) {
	t.Parallel()
	srv := newBlockingServer(t)
	f := newFetcher(t, Options{Allow: local})
	f.dns.set("a.test", "127.0.0.1")
	slow := startFetch(context.Background(), f, "http://a.test"+srv.base+"/slow")
	waitFor(t, "the slow request", func() bool { return len(srv.list()) == 1 })

	ctx, cancel := context.WithCancel(context.Background())
	queued := startFetch(ctx, f, "http://a.test"+srv.base+"/fast")
	waitFor(t, "the second request to queue", func() bool { return f.gate.waiting("a.test") == 2 })
	cancel()
	if err := <-queued; !errors.Is(err, context.Canceled) || errors.Is(err, ErrTimeout) {
		t.Errorf("queued err=%v, want context.Canceled", err)
	}
	close(srv.release)
	if err := <-slow; err != nil {
		t.Fatal(err)
	}
	if got := len(srv.list()); got != 1 {
		t.Errorf("server saw %d requests, want 1", got)
	}
}

func TestFetchTimeout(t *testing.T) {
	t.Parallel()
	srv := newServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/midbody" {
			w.Write([]byte("<p>first paragraph"))
			w.(http.Flusher).Flush()
		}
		<-r.Context().Done() // until the client gives up
	}))
	for _, path := range []string{"/noheaders", "/midbody"} {
		t.Run(path, func(t *testing.T) {
			f := newFetcher(t, Options{Allow: local, Timeout: 200 * time.Millisecond})
			_, err := f.Fetch(context.Background(), Request{URL: srv.URL + path})
			if !errors.Is(err, ErrTimeout) || !errors.Is(err, context.DeadlineExceeded) {
				t.Fatalf("err=%v, want ErrTimeout", err)
			}
			if got, want := err.Error(), "fetch "+srv.URL+path+": timed out after 200ms"; got != want {
				t.Errorf("err=%q, want %q", got, want)
			}
		})
	}
}
