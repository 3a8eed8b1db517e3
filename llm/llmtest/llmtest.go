// Package llmtest is a fake OpenAI-compatible chat completions server for
// tests. It speaks the JSON wire format of POST /v1/chat/completions and
// listens on 127.0.0.1 only.
package llmtest

import (
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
)

// Message is one chat message of a request.
type Message struct {
	Role    string `json:"role"`
	Content string `json:"content"`
}

// Request is a chat completion request as the server received it.
type Request struct {
	Model       string    `json:"model"`
	Messages    []Message `json:"messages"`
	Temperature *float64  `json:"temperature"`
	MaxTokens   int       `json:"max_tokens"`
	Auth        string    `json:"-"` // the Authorization header
	Body        string    `json:"-"` // the raw body
}

// Reply is what the server answers: Content with status 200, or an
// OpenAI-style error body when Status is not 200.
type Reply struct {
	Status     int    // 0 means 200
	RetryAfter string // the Retry-After header, if any
	Content    string
}

// Server is a running fake. Its URL ends in /v1, ready for a BaseURL.
type Server struct {
	URL string

	mu       sync.Mutex
	requests []Request
}

// NewServer starts a fake that answers request n (1-based) with
// reply(n, req). It is closed when the test ends.
func NewServer(t testing.TB, reply func(n int, req Request) Reply) *Server {
	t.Helper()
	s := &Server{}
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodPost || r.URL.Path != "/v1/chat/completions" {
			http.NotFound(w, r)
			return
		}
		var req Request
		var raw json.RawMessage
		if err := json.NewDecoder(r.Body).Decode(&raw); err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		if err := json.Unmarshal(raw, &req); err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		req.Auth, req.Body = r.Header.Get("Authorization"), string(raw)
		s.mu.Lock()
		s.requests = append(s.requests, req)
		n := len(s.requests)
		s.mu.Unlock()
		write(w, reply(n, req))
	}))
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv.Listener.Close()
	srv.Listener = l
	srv.Start()
	t.Cleanup(srv.Close)
	s.URL = srv.URL + "/v1"
	return s
}

// Requests returns the requests received so far.
func (s *Server) Requests() []Request {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Request(nil), s.requests...)
}

// Always answers every request with content.
func Always(content string) func(int, Request) Reply {
	return func(int, Request) Reply { return Reply{Content: content} }
}

func write(w http.ResponseWriter, r Reply) {
	w.Header().Set("Content-Type", "application/json")
	if r.RetryAfter != "" {
		w.Header().Set("Retry-After", r.RetryAfter)
	}
	if r.Status != 0 && r.Status != http.StatusOK {
		w.WriteHeader(r.Status)
		typ, code := "server_error", "null"
		if r.Status == http.StatusTooManyRequests {
			typ, code = "requests", `"rate_limit_exceeded"`
		}
		fmt.Fprintf(w, `{"error":{"message":%q,"type":%q,"param":null,"code":%s}}`, http.StatusText(r.Status), typ, code)
		return
	}
	json.NewEncoder(w).Encode(map[string]any{
		"id": "chatcmpl-1", "object": "chat.completion", "created": 1700000000, "model": "fake",
		"choices": []any{map[string]any{
			"index":         0,
			"message":       map[string]string{"role": "assistant", "content": r.Content},
			"finish_reason": "stop",
		}},
		"usage": map[string]int{"prompt_tokens": 12, "completion_tokens": 4, "total_tokens": 16},
	})
}
