package main

import (
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"sync"
	"time"

	"golang.org/x/net/netutil"
)

// httpLimits bound what clients can hold of serve's listeners. Slack and
// Discord send a webhook of a few kilobytes in one go and read a reply
// that is ready within Discord's 3 seconds, so a client slower than
// these limits is not one of them: it is dropped rather than kept.
type httpLimits struct {
	readHeader time.Duration // to send the request line and headers
	read       time.Duration // to send the whole request, body included
	write      time.Duration // from the end of the headers to the end of the reply
	idle       time.Duration // a kept-alive connection between requests
	maxConns   int           // connections open at once; more wait to be accepted
	// bodyBytes bounds the request bodies being read at once, by their
	// declared length (maxBody when it is unknown): a request that does
	// not fit is refused with 503 before its body is read, so stalled
	// uploads cannot pile up in memory whatever the connection count.
	bodyBytes int64
}

// maxBody is the largest request body serve accepts; real Slack and
// Discord requests are a few kilobytes. The adapters enforce it too.
const maxBody = 1 << 20

// defaultLimits: a stalled client is closed within 10 s; 1,024
// connections (Slack and Discord each keep a few) and 64 MiB of bodies
// in flight keep an attack's memory well under 300 MB.
var defaultLimits = httpLimits{
	readHeader: 5 * time.Second,
	read:       10 * time.Second,
	write:      10 * time.Second,
	idle:       60 * time.Second,
	maxConns:   1024,
	bodyBytes:  64 << 20,
}

// help describes the limits for serve --help.
func (l httpLimits) help() string {
	secs := func(d time.Duration) int { return int(d.Seconds()) }
	return fmt.Sprintf(`The listener drops clients that stall: headers must arrive within %d s,
a whole request within %d s, and connections idle for %d s are closed.
It holds at most %d connections and %d MiB of request bodies at
once (then it answers 503), and refuses a webhook without its
platform's signature headers before reading the body.`, secs(l.readHeader), secs(l.read), secs(l.idle), l.maxConns, l.bodyBytes>>20)
}

// listen opens a listener that accepts at most lim.maxConns connections
// at once; name is the setting that chose addr, for the error.
func listen(addr, name string, lim httpLimits) (net.Listener, error) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("listen on %s (%s): %w", addr, name, err)
	}
	return netutil.LimitListener(ln, lim.maxConns), nil
}

// newServer serves h with lim's timeouts and body budget, logging the
// server's own errors (TLS handshakes, panics) through log at debug level.
func newServer(h http.Handler, lim httpLimits, log *slog.Logger) *http.Server {
	return &http.Server{
		Handler:           newBodyBudget(lim.bodyBytes).wrap(h),
		ReadHeaderTimeout: lim.readHeader,
		ReadTimeout:       lim.read,
		WriteTimeout:      lim.write,
		IdleTimeout:       lim.idle,
		MaxHeaderBytes:    64 << 10, // Slack's and Discord's headers are a few hundred bytes
		ErrorLog:          slog.NewLogLogger(log.Handler(), slog.LevelDebug),
	}
}

// bodyBudget counts the bytes of request bodies being read at once.
type bodyBudget struct {
	max int64

	mu         sync.Mutex
	used, peak int64
}

func newBodyBudget(max int64) *bodyBudget { return &bodyBudget{max: max} }

// wrap refuses a body longer than maxBody with 413, and one that does
// not fit in the budget with 503, both before reading it; the others
// hold their share of the budget until the handler returns.
func (b *bodyBudget) wrap(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Body == nil || r.Body == http.NoBody || r.ContentLength == 0 {
			next.ServeHTTP(w, r)
			return
		}
		n := r.ContentLength
		if n > maxBody {
			refuse(w, http.StatusRequestEntityTooLarge, "request body too large")
			return
		}
		if n < 0 { // chunked: it may be as long as allowed
			n = maxBody
		}
		if !b.take(n) {
			w.Header().Set("Retry-After", "1")
			refuse(w, http.StatusServiceUnavailable, "too many requests in progress")
			return
		}
		defer b.give(n)
		r.Body = http.MaxBytesReader(w, r.Body, maxBody)
		next.ServeHTTP(w, r)
	})
}

func (b *bodyBudget) take(n int64) bool {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.used+n > b.max {
		return false
	}
	b.used += n
	b.peak = max(b.peak, b.used)
	return true
}

func (b *bodyBudget) give(n int64) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.used -= n
}

// highWater is the most the budget ever had in use.
func (b *bodyBudget) highWater() int64 {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.peak
}

// refuse answers with status and closes the connection, so the server
// does not wait to read a body nobody will use.
func refuse(w http.ResponseWriter, status int, msg string) {
	w.Header().Set("Connection", "close")
	http.Error(w, msg, status)
}
