package main

import (
	"bufio"
	"context"
	"crypto/ed25519"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/byline-news/byline/config"
)

// served is a "byline serve" running in-process.
type served struct {
	addr string        // the public listener
	home string        // HOME and XDG_DATA_HOME
	done chan int      // receives the exit code
	logs *lockedWriter // its log output (warnings and above unless BYLINE_LOG_LEVEL says)
}

// startServe runs "byline serve args..." in-process with env (HOME and
// BYLINE_HTTP_ADDR are set here) and the listener limits lim, and waits
// until /healthz answers. Cleanup stops it.
func startServe(t *testing.T, env map[string]string, lim httpLimits, args ...string) *served {
	t.Helper()
	s := &served{home: t.TempDir(), addr: freeAddr(t), done: make(chan int, 1), logs: &lockedWriter{b: &strings.Builder{}}}
	env["XDG_DATA_HOME"], env["HOME"], env["BYLINE_HTTP_ADDR"] = s.home, s.home, s.addr
	if env["BYLINE_LOG_LEVEL"] == "" {
		env["BYLINE_LOG_LEVEL"] = "warn"
	}
	getenv := func(k string) string { return env[k] }
	cfg, err := config.Load(getenv)
	if err != nil {
		t.Fatal(err)
	}
	a := &app{stdio: stdio{in: strings.NewReader(""), out: io.Discard, err: s.logs}, cfg: cfg,
		log: slog.New(slog.NewTextHandler(s.logs, &slog.HandlerOptions{Level: cfg.LogLevel})), limits: &lim}
	ctx, cancel := context.WithCancel(context.Background())
	go func() { s.done <- a.exitCode(runServe(ctx, a, args)) }()
	t.Cleanup(func() {
		cancel()
		select {
		case <-s.done:
		case <-time.After(2 * shutdownGrace):
			t.Error("serve did not stop")
		}
	})
	waitFor(t, "http://"+s.addr+"/healthz", s.done)
	return s
}

// stalledClient is one client of TestServeShedsStalledClients.
type stalledClient struct {
	path   string
	header string // signature headers, or none
	status int    // the response status, 0 if none came
	err    error  // how the connection ended
}

// stall sends c's headers for a 1 MiB body and half of it, calls wrote,
// then goes silent and waits, up to limit, for the server to answer or
// close.
func (c *stalledClient) stall(addr string, half []byte, limit time.Duration, wrote func()) {
	defer wrote()
	conn, err := net.Dial("tcp", addr)
	if err != nil {
		c.err = err
		return
	}
	defer conn.Close()
	fmt.Fprintf(conn, "POST %s HTTP/1.1\r\nHost: byline\r\nContent-Type: application/json\r\nContent-Length: %d\r\n%s\r\n", c.path, 2*len(half), c.header)
	conn.Write(half) // fails once the server refused and closed: fine
	wrote()
	conn.SetReadDeadline(time.Now().Add(limit))
	r := bufio.NewReader(conn)
	if res, err := http.ReadResponse(r, nil); err == nil {
		c.status = res.StatusCode
	}
	_, c.err = io.Copy(io.Discard, r) // until the server closes
	if c.err == nil {
		c.err = io.EOF
	}
}

// TestServeShedsStalledClients is the slow-upload attack: 300 clients
// send headers and half of a 1 MiB body to the webhooks, then go silent.
// A third carry no signature headers and are refused before their body
// is read; the others carry well-formed (forged) ones, so serve reads
// their bodies: as many as the body budget allows, the rest get 503 at
// once. Every connection is then closed by serve's read timeout, not
// kept, and /healthz answers meanwhile. The timeouts are shortened to
// 5 s here; serve's defaults (10 s to send a request) are the same
// mechanism. Nothing asserts how fast anything is: /healthz must answer
// while clients are still held, and every connection must end.
func TestServeShedsStalledClients(t *testing.T) {
	if testing.Short() {
		t.Skip("opens 300 connections")
	}
	pub, _, _ := ed25519.GenerateKey(nil)
	env := map[string]string{"DISCORD_PUBLIC_KEY": hex.EncodeToString(pub), "DISCORD_APP_ID": "123456789",
		"SLACK_BOT_TOKEN": "xoxb-test", "SLACK_SIGNING_SECRET": "secret", "SLACK_API_URL": "http://127.0.0.1:1/api/"}
	// 5 s instead of 10 s: long enough for /healthz to be asked while the
	// clients are held even on a busy machine, short enough for a test.
	const hold = 5 * time.Second
	lim := defaultLimits
	lim.readHeader, lim.read, lim.write, lim.idle = hold, hold, hold, hold
	lim.maxConns = 400 // above the attack, so that /healthz gets a connection
	addr := startServe(t, env, lim).addr

	now := fmt.Sprint(time.Now().Unix())
	discordSig := "X-Signature-Timestamp: " + now + "\r\nX-Signature-Ed25519: " + strings.Repeat("ab", 64) + "\r\n"
	slackSig := "X-Slack-Request-Timestamp: " + now + "\r\nX-Slack-Signature: v0=" + strings.Repeat("ab", 32) + "\r\n"
	var clients []*stalledClient
	for i := range 300 {
		switch i % 3 {
		case 0:
			clients = append(clients, &stalledClient{path: "/discord/interactions"})
		case 1:
			clients = append(clients, &stalledClient{path: "/discord/interactions", header: discordSig})
		case 2:
			clients = append(clients, &stalledClient{path: "/slack/commands", header: slackSig})
		}
	}
	half := make([]byte, maxBody/2)
	var sent, closed sync.WaitGroup
	var open atomic.Int32
	for _, c := range clients {
		sent.Add(1)
		closed.Go(func() {
			open.Add(1)
			defer open.Add(-1)
			c.stall(addr, half, 30*time.Second, sync.OnceFunc(sent.Done))
		})
	}
	t0 := time.Now()
	sent.Wait() // every client has sent what it will send
	t.Logf("sent after %v", time.Since(t0))

	// Serve answers while the stalled clients are held.
	hc := &http.Client{Timeout: hold}
	for i := range 3 {
		res, err := hc.Get("http://" + addr + "/healthz")
		if err != nil || res.StatusCode != http.StatusOK {
			t.Fatalf("/healthz %d during the stall: %v, %v", i+1, res, err)
		}
		res.Body.Close()
	}
	held := open.Load()

	closed.Wait()
	t.Logf("closed after %v", time.Since(t0))
	statuses := map[int]int{}
	for _, c := range clients {
		statuses[c.status]++
		var ne net.Error
		if errors.As(c.err, &ne) && ne.Timeout() {
			t.Errorf("%s: the connection was still open after 30 s", c.path)
		}
	}
	t.Logf("clients still held while /healthz answered: %d; responses by status: %v", held, statuses)
	if held == 0 {
		t.Errorf("every client was gone before /healthz was asked: the test proved nothing")
	}
	if statuses[http.StatusServiceUnavailable] == 0 {
		t.Errorf("no request was refused by the body budget: 200 bodies of 1 MiB were read at once (statuses %v)", statuses)
	}
	if statuses[http.StatusOK] != 0 {
		t.Errorf("%d stalled requests answered 200", statuses[http.StatusOK])
	}
}

// TestBodyBudget holds requests in their handlers and checks that the
// bytes of the bodies being read never exceed the budget, that a request
// which does not fit is refused with 503 before its body is read, and
// that an oversized one gets 413.
func TestBodyBudget(t *testing.T) {
	const budget = 3 * maxBody
	b := newBodyBudget(budget)
	release := make(chan struct{})
	entered := make(chan struct{}, 10)
	h := b.wrap(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodGet {
			return
		}
		entered <- struct{}{}
		<-release
		io.Copy(io.Discard, r.Body)
	}))
	srv := httptest.NewServer(h)
	defer srv.Close()
	post := func(n int) int {
		res, err := http.Post(srv.URL, "application/json", strings.NewReader(strings.Repeat("x", n)))
		if err != nil {
			t.Error(err)
			return 0
		}
		res.Body.Close()
		return res.StatusCode
	}
	codes := make(chan int, 10)
	for range 3 { // 3 MiB: the whole budget, held
		go func() { codes <- post(maxBody) }()
		<-entered
	}
	if got := post(100); got != http.StatusServiceUnavailable {
		t.Errorf("a request past the budget: %d, want 503", got)
	}
	if got := post(maxBody + 1); got != http.StatusRequestEntityTooLarge {
		t.Errorf("an oversized request: %d, want 413", got)
	}
	if res, err := http.Get(srv.URL); err != nil || res.StatusCode != http.StatusOK {
		t.Errorf("a request without a body while the budget is spent: %v %v, want it served", res, err)
	}
	close(release)
	for range 3 {
		if c := <-codes; c != http.StatusOK {
			t.Errorf("a request within the budget: %d, want 200", c)
		}
	}
	if got := post(100); got != http.StatusOK {
		t.Errorf("after the others finished: %d, want 200", got)
	}
	if hw := b.highWater(); hw > budget {
		t.Errorf("%d bytes in flight at once, budget %d", hw, budget)
	}
}
