package pgtest

import (
	"errors"
	"io"
	"net"
	"net/url"
	"sync"
	"testing"
	"time"
)

// Proxy is a TCP proxy in front of the test server that a test cuts and
// restores, to see what byline does when PostgreSQL goes away and comes
// back, without stopping the server other tests (and developers) share.
// Cut behaves like a stopped server: open connections are closed and new
// ones refused.
type Proxy struct {
	target string // the server's host:port
	addr   string // the proxy's own, the same across Cut and Restore

	mu       sync.Mutex
	ln       net.Listener // nil while cut
	conns    map[net.Conn]struct{}
	budget   int64 // with armed: bytes clients may still send before the cut
	armed    bool
	accepted int
}

// NewProxy starts a proxy to the test server, skipping t as Server does
// when there is none; it is closed when t ends.
func NewProxy(t testing.TB) *Proxy {
	t.Helper()
	u, err := url.Parse(Server(t))
	if err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	p := &Proxy{target: u.Host, addr: ln.Addr().String(), conns: map[net.Conn]struct{}{}}
	p.serve(ln)
	t.Cleanup(p.Cut)
	return p
}

// URL returns u (a URL of the test server, such as URL(t) gives) with
// its host and port replaced by the proxy's.
func (p *Proxy) URL(t testing.TB, u string) string {
	t.Helper()
	parsed, err := url.Parse(u)
	if err != nil {
		t.Fatal(err)
	}
	parsed.Host = p.addr
	return parsed.String()
}

// Cut closes every connection through the proxy and refuses new ones
// until Restore.
func (p *Proxy) Cut() {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.cutLocked()
}

func (p *Proxy) cutLocked() {
	if p.ln != nil {
		p.ln.Close()
		p.ln = nil
	}
	for c := range p.conns {
		c.Close()
	}
	clear(p.conns)
	p.armed = false
}

// CutAfter cuts the proxy once clients have sent n more bytes through
// it: a connection lost in the middle of a transaction.
func (p *Proxy) CutAfter(n int64) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.budget, p.armed = n, true
}

// Restore accepts connections again, on the same address.
func (p *Proxy) Restore(t testing.TB) {
	t.Helper()
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.ln != nil {
		return
	}
	var ln net.Listener
	var err error
	for range 50 { // the port is ours, but the kernel may need a moment
		if ln, err = net.Listen("tcp", p.addr); err == nil {
			break
		}
		time.Sleep(20 * time.Millisecond)
	}
	if err != nil {
		t.Fatalf("restore proxy on %s: %v", p.addr, err)
	}
	p.serveLocked(ln)
}

// Accepted is the number of client connections accepted so far.
func (p *Proxy) Accepted() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.accepted
}

func (p *Proxy) serve(ln net.Listener) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.serveLocked(ln)
}

func (p *Proxy) serveLocked(ln net.Listener) {
	p.ln = ln
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return // closed by Cut
			}
			go p.forward(ln, c)
		}
	}()
}

// forward joins client c to a new connection to the server, unless the
// listener it came from was cut meanwhile.
func (p *Proxy) forward(from net.Listener, c net.Conn) {
	s, err := net.Dial("tcp", p.target)
	if err != nil {
		c.Close()
		return
	}
	p.mu.Lock()
	if p.ln != from {
		p.mu.Unlock()
		c.Close()
		s.Close()
		return
	}
	p.conns[c], p.conns[s] = struct{}{}, struct{}{}
	p.accepted++
	p.mu.Unlock()
	go func() {
		io.Copy(c, s)
		c.Close()
	}()
	_, err = io.Copy(&metered{p: p, w: s}, c)
	if errors.Is(err, errCut) {
		p.Cut()
	}
	s.Close()
}

var errCut = errors.New("proxy cut")

// metered counts what clients send against the proxy's budget.
type metered struct {
	p *Proxy
	w io.Writer
}

func (m *metered) Write(b []byte) (int, error) {
	m.p.mu.Lock()
	if m.p.armed {
		m.p.budget -= int64(len(b))
		if m.p.budget < 0 {
			m.p.mu.Unlock()
			return 0, errCut
		}
	}
	m.p.mu.Unlock()
	return m.w.Write(b)
}
