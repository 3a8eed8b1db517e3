package fetch

import (
	"context"
	"errors"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"
)

// local is the allow list most tests use: the httptest servers listen on
// 127.0.0.1, which is otherwise refused.
var local = []string{"127.0.0.1"}

// testFetcher is a Fetcher whose name lookups and dials are recorded.
type testFetcher struct {
	*Fetcher
	dns   *testResolver
	dials *dialLog
}

// newFetcher returns a Fetcher for tests. Unless opt says otherwise it
// resolves names only through a testResolver (never real DNS), does not
// pause between requests to a host, and logs to t. Every dial is recorded,
// and any dial to an address other than 127.0.0.1 fails without touching
// the network, so no test can send a packet off this machine.
func newFetcher(t *testing.T, opt Options) *testFetcher {
	t.Helper()
	dns := &testResolver{hosts: map[string][]string{}, calls: map[string]int{}}
	if opt.Resolver == nil {
		opt.Resolver = dns.lookup
	}
	if opt.PerHostInterval == 0 {
		opt.PerHostInterval = -1
	}
	if opt.Logger == nil {
		opt.Logger = testLogger(t)
	}
	f := New(opt)
	dials := &dialLog{}
	real := f.dialer.dial
	f.dialer.dial = func(ctx context.Context, network, addr string) (net.Conn, error) {
		dials.add(addr)
		if host, _, _ := net.SplitHostPort(addr); host != "127.0.0.1" {
			t.Errorf("dial %s: test fetchers may dial only 127.0.0.1", addr)
			return nil, errors.New("test: refusing to dial " + addr)
		}
		return real(ctx, network, addr)
	}
	t.Cleanup(f.client.CloseIdleConnections)
	return &testFetcher{Fetcher: f, dns: dns, dials: dials}
}

// testResolver answers from a fixed table and counts lookups. Unknown
// names do not exist.
type testResolver struct {
	mu    sync.Mutex
	hosts map[string][]string
	calls map[string]int
}

func (r *testResolver) set(host string, ips ...string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.hosts[host] = ips
}

func (r *testResolver) lookup(_ context.Context, host string) ([]net.IPAddr, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.calls[host]++
	ips, ok := r.hosts[host]
	if !ok {
		return nil, &net.DNSError{Err: "no such host", Name: host, IsNotFound: true}
	}
	var out []net.IPAddr
	for _, ip := range ips {
		out = append(out, net.IPAddr{IP: net.ParseIP(ip)})
	}
	return out, nil
}

// count returns how many times host was looked up.
func (r *testResolver) count(host string) int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.calls[host]
}

func (r *testResolver) total() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	n := 0
	for _, c := range r.calls {
		n += c
	}
	return n
}

// dialLog records the addresses dialed.
type dialLog struct {
	mu    sync.Mutex
	addrs []string
}

func (d *dialLog) add(addr string) {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.addrs = append(d.addrs, addr)
}

// to counts dials to ip, on any port.
func (d *dialLog) to(ip string) int {
	d.mu.Lock()
	defer d.mu.Unlock()
	return len(slices.DeleteFunc(slices.Clone(d.addrs), func(a string) bool {
		host, _, _ := net.SplitHostPort(a)
		return host != ip
	}))
}

func (d *dialLog) total() int {
	d.mu.Lock()
	defer d.mu.Unlock()
	return len(d.addrs)
}

// newServer starts an httptest server on 127.0.0.1, closed when t ends.
func newServer(t *testing.T, h http.Handler) *httptest.Server {
	t.Helper()
	srv := httptest.NewServer(h)
	if !strings.HasPrefix(srv.URL, "http://127.0.0.1:") {
		srv.Close()
		t.Fatalf("test server at %s, want 127.0.0.1", srv.URL)
	}
	t.Cleanup(srv.Close)
	return srv
}

// port returns srv's port, for URLs with test host names.
func port(t *testing.T, srv *httptest.Server) string {
	t.Helper()
	_, p, err := net.SplitHostPort(strings.TrimPrefix(srv.URL, "http://"))
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// mustFetch fetches url and fails the test on error.
func mustFetch(t *testing.T, f *testFetcher, r Request) *Response {
	t.Helper()
	resp, err := f.Fetch(context.Background(), r)
	if err != nil {
		t.Fatalf("Fetch(%q): %v", r.URL, err)
	}
	return resp
}

// waitFor polls cond, for conditions set by other goroutines. The limit
// only keeps a broken test from hanging; it is not a timing assertion.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	limit := time.Now().Add(5 * time.Second)
	for !cond() {
		if time.Now().After(limit) {
			t.Fatalf("gave up waiting for %s", what)
		}
		time.Sleep(time.Millisecond)
	}
}

// testLogger sends logs to t.Log until the test ends.
func testLogger(t *testing.T) *slog.Logger {
	w := &testWriter{t: t}
	t.Cleanup(func() {
		w.mu.Lock()
		defer w.mu.Unlock()
		w.done = true
	})
	return slog.New(slog.NewTextHandler(w, &slog.HandlerOptions{Level: slog.LevelDebug}))
}

type testWriter struct {
	mu   sync.Mutex
	t    *testing.T
	done bool
}

func (w *testWriter) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if !w.done {
		w.t.Log(strings.TrimSuffix(string(p), "\n"))
	}
	return len(p), nil
}
