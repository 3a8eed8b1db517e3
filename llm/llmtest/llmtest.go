// Package llmtest is a fake OpenAI-compatible server for tests. It speaks
// the wire format of POST /v1/chat/completions (JSON, or SSE when the
// request says "stream": true) and POST /v1/embeddings, records what it
// receives, answers as the test scripts it, and listens on 127.0.0.1 only.
package llmtest

import (
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"
)

// The usage every chat reply reports.
const (
	PromptTokens     = 12
	CompletionTokens = 4
)

// Message is one chat message of a request.
type Message struct {
	Role    string `json:"role"`
	Content string `json:"content"`
}

// StreamOptions is a request's stream_options.
type StreamOptions struct {
	IncludeUsage bool `json:"include_usage"`
}

// Request is a chat completion request as the server received it.
type Request struct {
	Model         string         `json:"model"`
	Messages      []Message      `json:"messages"`
	Temperature   *float64       `json:"temperature"`
	MaxTokens     int            `json:"max_tokens"`
	Stream        bool           `json:"stream"`
	StreamOptions *StreamOptions `json:"stream_options"`
	Auth          string         `json:"-"` // the Authorization header
	Body          string         `json:"-"` // the raw body
}

// Reply is what the server answers a chat request: Content with status
// 200, or an OpenAI-style error body when Status is not 200. A streamed
// reply sends Chunks (or Content as one chunk), then a chunk with the
// finish reason, the usage chunk when the request asked for it, and
// "data: [DONE]".
type Reply struct {
	Status       int    // 0 means 200
	RetryAfter   string // the Retry-After header, if any
	Content      string // "" means the Chunks joined
	FinishReason string // "" means "stop"

	Chunks      []string      // the content deltas of a streamed reply
	Delay       time.Duration // waited before each chunk of a streamed reply
	NoFinish    bool          // end the stream after the chunks, with no finish_reason, usage or [DONE]: a cut-off stream
	StreamError string        // end the stream after the chunks with an error event with this message
}

// EmbedRequest is an embeddings request as the server received it.
type EmbedRequest struct {
	Model      string   `json:"model"`
	Input      []string `json:"-"` // the input, as a list even when sent as one string
	Dimensions int      `json:"dimensions"`
	Auth       string   `json:"-"` // the Authorization header
	Body       string   `json:"-"` // the raw body
}

// EmbedReply is what the server answers an embeddings request: the
// vectors with status 200, or an OpenAI-style error body when Status is
// not 200.
type EmbedReply struct {
	Status     int    // 0 means 200
	RetryAfter string // the Retry-After header, if any
	Vectors    [][]float32
	Indexes    []int // the index field of each vector; nil means 0, 1, 2…
	Tokens     int   // usage.prompt_tokens; 0 means one per word of the input
}

// Handlers script a fake's answers to request n (1-based, counted per
// endpoint). A nil handler makes its endpoint answer 404.
type Handlers struct {
	Chat  func(n int, req Request) Reply
	Embed func(n int, req EmbedRequest) EmbedReply
}

// Server is a running fake. Its URL ends in /v1, ready for a BaseURL.
type Server struct {
	URL string

	h        Handlers
	mu       sync.Mutex
	requests []Request
	embeds   []EmbedRequest
}

// NewServer starts a fake whose chat endpoint answers request n with
// reply(n, req). It is closed when the test ends.
func NewServer(t testing.TB, reply func(n int, req Request) Reply) *Server {
	t.Helper()
	return Start(t, Handlers{Chat: reply})
}

// Start starts a fake answering with h. It is closed when the test ends.
func Start(t testing.TB, h Handlers) *Server {
	t.Helper()
	s := &Server{h: h}
	srv := httptest.NewUnstartedServer(s)
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

// Always answers every chat request with content.
func Always(content string) func(int, Request) Reply {
	return func(int, Request) Reply { return Reply{Content: content} }
}

// Requests returns the chat requests received so far.
func (s *Server) Requests() []Request {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Request(nil), s.requests...)
}

// EmbedRequests returns the embeddings requests received so far.
func (s *Server) EmbedRequests() []EmbedRequest {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]EmbedRequest(nil), s.embeds...)
}

func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	switch {
	case r.Method != http.MethodPost:
		http.NotFound(w, r)
	case r.URL.Path == "/v1/chat/completions" && s.h.Chat != nil:
		s.chat(w, r)
	case r.URL.Path == "/v1/embeddings" && s.h.Embed != nil:
		s.embed(w, r)
	default:
		http.NotFound(w, r)
	}
}

// readBody decodes r's JSON body into v and returns it raw.
func readBody(r *http.Request, v any) (string, error) {
	raw, err := io.ReadAll(r.Body)
	if err != nil {
		return "", err
	}
	return string(raw), json.Unmarshal(raw, v)
}

func (s *Server) chat(w http.ResponseWriter, r *http.Request) {
	var req Request
	body, err := readBody(r, &req)
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	req.Auth, req.Body = r.Header.Get("Authorization"), body
	s.mu.Lock()
	s.requests = append(s.requests, req)
	n := len(s.requests)
	s.mu.Unlock()
	rep := s.h.Chat(n, req)
	switch {
	case rep.Status != 0 && rep.Status != http.StatusOK:
		writeError(w, rep.Status, rep.RetryAfter)
	case req.Stream:
		writeStream(w, r, req, rep)
	default:
		writeChat(w, rep)
	}
}

func (s *Server) embed(w http.ResponseWriter, r *http.Request) {
	var req EmbedRequest
	var in struct {
		Input json.RawMessage `json:"input"`
	}
	body, err := readBody(r, &req)
	if err == nil {
		err = json.Unmarshal([]byte(body), &in)
	}
	if err == nil {
		req.Input, err = inputList(in.Input)
	}
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	req.Auth, req.Body = r.Header.Get("Authorization"), body
	s.mu.Lock()
	s.embeds = append(s.embeds, req)
	n := len(s.embeds)
	s.mu.Unlock()
	rep := s.h.Embed(n, req)
	if rep.Status != 0 && rep.Status != http.StatusOK {
		writeError(w, rep.Status, rep.RetryAfter)
		return
	}
	writeEmbed(w, req, rep)
}

// inputList reads an embeddings input: a string or a list of strings.
func inputList(raw json.RawMessage) ([]string, error) {
	var one string
	if err := json.Unmarshal(raw, &one); err == nil {
		return []string{one}, nil
	}
	var list []string
	if err := json.Unmarshal(raw, &list); err != nil {
		return nil, fmt.Errorf("input is neither a string nor a list of strings: %w", err)
	}
	return list, nil
}

func writeError(w http.ResponseWriter, status int, retryAfter string) {
	w.Header().Set("Content-Type", "application/json")
	if retryAfter != "" {
		w.Header().Set("Retry-After", retryAfter)
	}
	w.WriteHeader(status)
	typ, code := "server_error", "null"
	if status == http.StatusTooManyRequests {
		typ, code = "requests", `"rate_limit_exceeded"`
	}
	fmt.Fprintf(w, `{"error":{"message":%q,"type":%q,"param":null,"code":%s}}`, http.StatusText(status), typ, code)
}

func (r Reply) content() string {
	if r.Content == "" {
		return strings.Join(r.Chunks, "")
	}
	return r.Content
}

func (r Reply) finish() string {
	if r.FinishReason == "" {
		return "stop"
	}
	return r.FinishReason
}

func usage() map[string]int {
	return map[string]int{"prompt_tokens": PromptTokens, "completion_tokens": CompletionTokens, "total_tokens": PromptTokens + CompletionTokens}
}

func writeChat(w http.ResponseWriter, r Reply) {
	w.Header().Set("Content-Type", "application/json")
	json.NewEncoder(w).Encode(map[string]any{
		"id": "chatcmpl-1", "object": "chat.completion", "created": 1700000000, "model": "fake",
		"choices": []any{map[string]any{
			"index":         0,
			"message":       map[string]string{"role": "assistant", "content": r.content()},
			"finish_reason": r.finish(),
		}},
		"usage": usage(),
	})
}

// writeStream sends r as server-sent events, flushing each, as OpenAI
// does: a role delta, the content deltas, the finish chunk, the usage
// chunk if asked for, and [DONE].
func writeStream(w http.ResponseWriter, hr *http.Request, req Request, r Reply) {
	w.Header().Set("Content-Type", "text/event-stream")
	rc := http.NewResponseController(w)
	send := func(v any) {
		b, _ := json.Marshal(v)
		fmt.Fprintf(w, "data: %s\n\n", b)
		rc.Flush()
	}
	chunk := func(delta map[string]string, finish any) map[string]any {
		return map[string]any{
			"id": "chatcmpl-1", "object": "chat.completion.chunk", "created": 1700000000, "model": "fake",
			"choices": []any{map[string]any{"index": 0, "delta": delta, "finish_reason": finish}},
		}
	}
	send(chunk(map[string]string{"role": "assistant", "content": ""}, nil))
	deltas := r.Chunks
	if deltas == nil {
		deltas = []string{r.Content}
	}
	for _, d := range deltas {
		if !sleep(hr, r.Delay) {
			return
		}
		send(chunk(map[string]string{"content": d}, nil))
	}
	switch {
	case r.NoFinish:
		return
	case r.StreamError != "":
		fmt.Fprintf(w, "data: {\"error\":{\"message\":%q,\"type\":\"server_error\",\"param\":null,\"code\":null}}\n\n", r.StreamError)
		return
	}
	send(chunk(map[string]string{}, r.finish()))
	if req.StreamOptions != nil && req.StreamOptions.IncludeUsage {
		send(map[string]any{
			"id": "chatcmpl-1", "object": "chat.completion.chunk", "created": 1700000000, "model": "fake",
			"choices": []any{}, "usage": usage(),
		})
	}
	fmt.Fprint(w, "data: [DONE]\n\n")
}

// sleep waits d unless the client goes away first; it reports whether
// the client is still there.
func sleep(r *http.Request, d time.Duration) bool {
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

func writeEmbed(w http.ResponseWriter, req EmbedRequest, r EmbedReply) {
	data := make([]any, len(r.Vectors))
	for i, v := range r.Vectors {
		idx := i
		if r.Indexes != nil {
			idx = r.Indexes[i]
		}
		data[i] = map[string]any{"object": "embedding", "index": idx, "embedding": v}
	}
	tokens := r.Tokens
	if tokens == 0 {
		for _, in := range req.Input {
			tokens += len(strings.Fields(in))
		}
	}
	w.Header().Set("Content-Type", "application/json")
	json.NewEncoder(w).Encode(map[string]any{
		"object": "list", "data": data, "model": req.Model,
		"usage": map[string]int{"prompt_tokens": tokens, "total_tokens": tokens},
	})
}
