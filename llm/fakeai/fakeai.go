// Package fakeai is a deterministic OpenAI-compatible server for
// evaluations and benchmarks: it lets `byline eval` and the llm
// benchmarks run the real client path (go-openai, HTTP, JSON and SSE)
// with no model and no network. It speaks POST /v1/chat/completions
// (JSON, or SSE when "stream": true, with the usage chunk when
// stream_options.include_usage) and POST /v1/embeddings.
//
// Its chat "model" quotes the first sentence of the first passage of a
// byline prompt, cited [1] (see Answer); its embedding "model" is the
// hashing trick (see HashEmbed). Token counts are word counts.
package fakeai

import (
	"encoding/base64"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"net"
	"net/http"
	"strings"
	"sync/atomic"
	"time"
)

// created is the fixed creation time of every reply, for determinism.
const created = 1700000000

// maxBody bounds a request body: a batch of 2,048 long paragraphs fits.
const maxBody = 32 << 20

// Handler is the fake API as an http.Handler. Set its fields before it
// serves; the zero value is ready to use.
type Handler struct {
	Dim     int           // embedding size when a request names none; 0 means DefaultDim
	Latency time.Duration // waited before each reply, to stand in for a model's time

	chats atomic.Int64 // chat requests served, for reply IDs
}

func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost {
		w.Header().Set("Allow", http.MethodPost)
		writeError(w, http.StatusMethodNotAllowed, "invalid_request_error", "use POST")
		return
	}
	var serve func(http.ResponseWriter, *http.Request)
	switch r.URL.Path {
	case "/v1/chat/completions":
		serve = h.chat
	case "/v1/embeddings":
		serve = h.embeddings
	default:
		writeError(w, http.StatusNotFound, "invalid_request_error", "unknown URL "+r.URL.Path)
		return
	}
	if !wait(r, h.Latency) {
		return // the client went away
	}
	serve(w, r)
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

type embeddingsRequest struct {
	Model          string          `json:"model"`
	Input          json.RawMessage `json:"input"`
	EncodingFormat string          `json:"encoding_format"`
	Dimensions     int             `json:"dimensions"`
}

type embedding struct {
	Object    string `json:"object"`
	Index     int    `json:"index"`
	Embedding any    `json:"embedding"` // []float32, or a base64 string
}

func (h *Handler) embeddings(w http.ResponseWriter, r *http.Request) {
	var req embeddingsRequest
	if err := decode(w, r, &req); err != nil {
		badRequest(w, err.Error())
		return
	}
	texts, err := inputs(req.Input)
	switch {
	case err != nil:
		badRequest(w, err.Error())
		return
	case req.Model == "":
		badRequest(w, "you must provide a model parameter")
		return
	}
	dim := req.Dimensions
	if dim <= 0 {
		dim = h.Dim
	}
	data := make([]embedding, len(texts))
	tokens := 0
	for i, t := range texts {
		tokens += len(strings.Fields(t))
		data[i] = embedding{Object: "embedding", Index: i, Embedding: encode(HashEmbed(t, dim), req.EncodingFormat)}
	}
	writeJSON(w, map[string]any{
		"object": "list", "data": data, "model": req.Model,
		"usage": usage{PromptTokens: tokens, TotalTokens: tokens},
	})
}

// inputs reads an embeddings input: a non-empty string or a non-empty
// list of them. Token arrays are not supported.
func inputs(raw json.RawMessage) ([]string, error) {
	var list []string
	var one string
	if err := json.Unmarshal(raw, &one); err == nil {
		list = []string{one}
	} else if err := json.Unmarshal(raw, &list); err != nil {
		return nil, errors.New("input must be a string or a list of strings")
	}
	if len(list) == 0 {
		return nil, errors.New("input must not be empty")
	}
	for i, t := range list {
		if t == "" {
			return nil, fmt.Errorf("input[%d] must not be empty", i)
		}
	}
	return list, nil
}

// encode is v as the request's encoding_format asks: floats, or base64
// of little-endian float32s.
func encode(v []float32, format string) any {
	if format != "base64" {
		return v
	}
	b := make([]byte, 4*len(v))
	for i, f := range v {
		binary.LittleEndian.PutUint32(b[4*i:], math.Float32bits(f))
	}
	return base64.StdEncoding.EncodeToString(b)
}

func decode(w http.ResponseWriter, r *http.Request, v any) error {
	if err := json.NewDecoder(http.MaxBytesReader(w, r.Body, maxBody)).Decode(v); err != nil {
		return fmt.Errorf("invalid JSON body: %w", err)
	}
	return nil
}

func writeJSON(w http.ResponseWriter, v any) {
	w.Header().Set("Content-Type", "application/json")
	json.NewEncoder(w).Encode(v)
}

func badRequest(w http.ResponseWriter, msg string) {
	writeError(w, http.StatusBadRequest, "invalid_request_error", msg)
}

// writeError sends an error in OpenAI's shape, which go-openai decodes
// into an *openai.APIError.
func writeError(w http.ResponseWriter, status int, typ, msg string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(map[string]any{
		"error": map[string]any{"message": msg, "type": typ, "param": nil, "code": nil},
	})
}

// Server is a Handler listening on a loopback address.
type Server struct {
	srv *http.Server
	url string
}

// NewServer serves a zero Handler on addr, which must be a loopback
// address ("" means 127.0.0.1 on a free port).
func NewServer(addr string) (*Server, error) {
	return Listen(addr, &Handler{})
}

// Listen serves h on addr, as NewServer does.
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
		srv: &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second},
		url: "http://" + ln.Addr().String() + "/v1",
	}
	go s.srv.Serve(ln) // returns http.ErrServerClosed on Close
	return s, nil
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

// URL is the server's base URL, ending in /v1, for llm.Options.BaseURL.
func (s *Server) URL() string { return s.url }

// Close stops the server at once, closing open connections.
func (s *Server) Close() error { return s.srv.Close() }
