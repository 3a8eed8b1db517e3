// Package fakeai is an OpenAI-compatible server that runs byline's real
// client path (go-openai, HTTP, JSON and SSE) with no model and no
// network. It speaks POST /v1/chat/completions (JSON, or SSE when
// "stream": true, with the usage chunk when stream_options.include_usage)
// and POST /v1/embeddings, and listens on loopback addresses only.
//
// It serves two kinds of users:
//
//   - Evaluations and benchmarks (`byline eval --chat fake`, the llm and
//     answer benchmarks) use its deterministic models: the chat "model"
//     quotes the first sentence of the first passage of a byline prompt,
//     cited [1] (see Model and Answer); the embedding "model" is the
//     hashing trick (see HashEmbed). Token counts are word counts.
//   - Tests script its replies (Handler.Chat, Handler.Embed): errors with
//     Retry-After, streams in chosen chunks with delays, streams cut off
//     or broken by an error event mid-way, vectors with wrong counts or
//     indexes. Servers started with Start or NewServer record every
//     request for the test to inspect, and close when the test ends.
package fakeai

import (
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"sync"
	"time"
)

// created is the fixed creation time of every reply, for determinism.
const created = 1700000000

// maxBody bounds a request body: a batch of 2,048 long paragraphs fits.
const maxBody = 32 << 20

// Handler is the fake API as an http.Handler. Set its fields before it
// serves; the zero value answers with the deterministic models.
type Handler struct {
	Dim     int           // embedding size when a request names none; 0 means DefaultDim
	Latency time.Duration // waited before each reply, to stand in for a model's time

	// Chat scripts the reply to chat request n (1-based); nil means Model.
	Chat func(n int, req Request) Reply
	// Embed scripts the reply to embeddings request n (1-based); nil
	// means HashEmbed vectors.
	Embed func(n int, req EmbedRequest) EmbedReply
	// Record keeps every request for Requests and EmbedRequests. Start
	// sets it; it is off otherwise, since an evaluation sends thousands.
	Record bool

	mu       sync.Mutex
	chats    int // chat requests received
	embeds   int // embeddings requests received
	chatLog  []Request
	embedLog []EmbedRequest
}

func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost {
		w.Header().Set("Allow", http.MethodPost)
		writeError(w, http.StatusMethodNotAllowed, "use POST", "")
		return
	}
	var serve func(http.ResponseWriter, *http.Request)
	switch r.URL.Path {
	case "/v1/chat/completions":
		serve = h.chat
	case "/v1/embeddings":
		serve = h.embeddings
	default:
		writeError(w, http.StatusNotFound, "unknown URL "+r.URL.Path, "")
		return
	}
	if !wait(r, h.Latency) {
		return // the client went away
	}
	serve(w, r)
}

// Requests returns the chat requests received so far, when Record is set.
func (h *Handler) Requests() []Request {
	h.mu.Lock()
	defer h.mu.Unlock()
	return append([]Request(nil), h.chatLog...)
}

// EmbedRequests returns the embeddings requests received so far, when
// Record is set.
func (h *Handler) EmbedRequests() []EmbedRequest {
	h.mu.Lock()
	defer h.mu.Unlock()
	return append([]EmbedRequest(nil), h.embedLog...)
}

// wait sleeps d unless the request is cancelled first; it reports
// whether the client is still there.
func wait(r *http.Request, d time.Duration) bool {
	if d <= 0 {
		return true
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-r.Context().Done():
		return false
	}
}

// readBody decodes r's JSON body into v, up to maxBody, and returns it raw.
func readBody(w http.ResponseWriter, r *http.Request, v any) (string, error) {
	raw, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxBody))
	if err == nil {
		err = json.Unmarshal(raw, v)
	}
	if err != nil {
		return "", fmt.Errorf("invalid JSON body: %w", err)
	}
	return string(raw), nil
}

func writeJSON(w http.ResponseWriter, v any) {
	w.Header().Set("Content-Type", "application/json")
	json.NewEncoder(w).Encode(v)
}

// writeError sends an error in OpenAI's shape, which go-openai decodes
// into an *openai.APIError; msg "" means the status text.
func writeError(w http.ResponseWriter, status int, msg, retryAfter string) {
	w.Header().Set("Content-Type", "application/json")
	if retryAfter != "" {
		w.Header().Set("Retry-After", retryAfter)
	}
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(map[string]any{"error": apiError(status, msg)})
}

// apiError is the "error" object OpenAI sends with status.
func apiError(status int, msg string) map[string]any {
	typ, code := "server_error", any(nil)
	switch {
	case status == http.StatusTooManyRequests:
		typ, code = "requests", "rate_limit_exceeded"
	case status >= 400 && status < 500:
		typ = "invalid_request_error"
	}
	if msg == "" {
		msg = http.StatusText(status)
	}
	return map[string]any{"message": msg, "type": typ, "param": nil, "code": code}
}

// Server is a Handler listening on a loopback address.
type Server struct {
	*Handler
	URL string // base URL, ending in /v1, for llm.Options.BaseURL

	srv *http.Server
}

// Listen serves h on addr, which must be a loopback address ("" means
// 127.0.0.1 on a free port). Close stops it.
func Listen(addr string, h *Handler) (*Server, error) {
	addr, err := loopback(addr)
	if err != nil {
		return nil, err
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("fakeai: %w", err)
	}
	s := &Server{
		Handler: h,
		URL:     "http://" + ln.Addr().String() + "/v1",
		srv:     &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second},
	}
	go s.srv.Serve(ln) // returns http.ErrServerClosed on Close
	return s, nil
}

// Close stops the server at once, closing open connections.
func (s *Server) Close() error { return s.srv.Close() }

// TB is the part of testing.TB that Start needs; declaring it here keeps
// the testing package out of the byline binary, which serves the fake
// for `byline eval`.
type TB interface {
	Helper()
	Fatalf(format string, args ...any)
	Cleanup(func())
}

// Start serves h on 127.0.0.1 with Record set, until the test ends.
func Start(t TB, h *Handler) *Server {
	t.Helper()
	h.Record = true
	s, err := Listen("", h)
	if err != nil {
		t.Fatalf("fakeai: %v", err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// NewServer starts a fake whose chat endpoint answers request n with
// reply(n, req), until the test ends.
func NewServer(t TB, reply func(n int, req Request) Reply) *Server {
	t.Helper()
	return Start(t, &Handler{Chat: reply})
}

// Always answers every chat request with content.
func Always(content string) func(int, Request) Reply {
	return func(int, Request) Reply { return Reply{Content: content} }
}

// loopback checks addr and fills in its default host: the fake answers
// anything, so it must never be reachable from another machine.
func loopback(addr string) (string, error) {
	if addr == "" {
		return "127.0.0.1:0", nil
	}
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return "", fmt.Errorf("fakeai: address %q: %w", addr, err)
	}
	switch host {
	case "", "localhost":
		return net.JoinHostPort("127.0.0.1", port), nil
	}
	if ip := net.ParseIP(host); ip == nil || !ip.IsLoopback() {
		return "", fmt.Errorf("fakeai: address %q is not a loopback address", addr)
	}
	return addr, nil
}
