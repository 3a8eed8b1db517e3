package fakeai

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/byline-news/byline/retrieval/sentence"
)

// NoAnswer is the reply to a prompt with no passage, as byline's system
// prompt asks of a model.
const NoAnswer = "NO_ANSWER"

// textOpen and textClose enclose a passage's text in byline's user
// prompt (see userPrompt in answer/generate.go).
const (
	textOpen  = "Text:\n\"\"\"\n"
	textClose = "\n\"\"\""
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
	Model               string         `json:"model"`
	Messages            []Message      `json:"messages"`
	Temperature         *float64       `json:"temperature"`
	MaxTokens           int            `json:"max_tokens"`
	MaxCompletionTokens int            `json:"max_completion_tokens"`
	Stream              bool           `json:"stream"`
	StreamOptions       *StreamOptions `json:"stream_options"`
	Auth                string         `json:"-"` // the Authorization header
	Body                string         `json:"-"` // the raw body
}

// Reply is what the server answers a chat request: Content with status
// 200, or an OpenAI-style error when Status is not 200. A streamed reply
// sends a role delta, then Chunks (or Content as one chunk), a chunk
// with the finish reason, the usage chunk when the request asked for it,
// and "data: [DONE]". Usage counts words: of every message for the
// prompt, of the content for the completion.
type Reply struct {
	Status       int    // 0 means 200
	RetryAfter   string // the Retry-After header, if any
	ErrorMessage string // the error's message when Status is not 200; "" means the status text
	Content      string // "" means the Chunks joined
	FinishReason string // "" means "stop"

	Chunks      []string      // the content deltas of a streamed reply
	Delay       time.Duration // waited before each chunk of a streamed reply
	NoFinish    bool          // end the stream after the chunks, with no finish_reason, usage or [DONE]: a cut-off stream
	StreamError string        // end the stream after the chunks with an error event with this message
}

// Model is the deterministic chat model: it answers the last user
// message with Answer, a delta a word when streamed, cut at the
// request's token limit (a word a token) as a model would be.
func Model(_ int, req Request) Reply {
	var user string
	for _, m := range req.Messages {
		if m.Role == "user" {
			user = m.Content
		}
	}
	words := strings.Fields(Answer(user))
	finish := "stop"
	if limit := max(req.MaxCompletionTokens, req.MaxTokens); limit > 0 && len(words) > limit {
		words, finish = words[:limit], "length"
	}
	chunks := strings.SplitAfter(strings.Join(words, " "), " ")
	return Reply{Chunks: chunks, FinishReason: finish}
}

// Answer is the deterministic model's reply to a byline user prompt: the
// first sentence of the first passage, cited as [1], or NoAnswer when
// the prompt has no passage.
func Answer(user string) string {
	i := strings.Index(user, textOpen)
	if i < 0 {
		return NoAnswer
	}
	text := user[i+len(textOpen):]
	if j := strings.Index(text, textClose); j >= 0 {
		text = text[:j]
	}
	spans := sentence.Spans(text)
	if len(spans) == 0 {
		return NoAnswer
	}
	return text[spans[0][0]:spans[0][1]] + " [1]"
}

func (h *Handler) chat(w http.ResponseWriter, r *http.Request) {
	var req Request
	body, err := readBody(w, r, &req)
	switch {
	case err != nil:
		writeError(w, http.StatusBadRequest, err.Error(), "")
		return
	case req.Model == "":
		writeError(w, http.StatusBadRequest, "you must provide a model parameter", "")
		return
	case len(req.Messages) == 0:
		writeError(w, http.StatusBadRequest, "messages must not be empty", "")
		return
	}
	req.Auth, req.Body = r.Header.Get("Authorization"), body
	h.mu.Lock()
	h.chats++
	n := h.chats
	if h.Record {
		h.chatLog = append(h.chatLog, req)
	}
	h.mu.Unlock()
	script := h.Chat
	if script == nil {
		script = Model
	}
	rep := script(n, req)
	id := fmt.Sprintf("chatcmpl-fake-%d", n)
	switch {
	case rep.Status != 0 && rep.Status != http.StatusOK:
		writeError(w, rep.Status, rep.ErrorMessage, rep.RetryAfter)
	case req.Stream:
		writeStream(w, r, id, req, rep)
	default:
		writeJSON(w, map[string]any{
			"id": id, "object": "chat.completion", "created": created, "model": req.Model,
			"choices": []any{map[string]any{
				"index":         0,
				"message":       Message{Role: "assistant", Content: rep.content()},
				"finish_reason": rep.finish(),
			}},
			"usage": rep.usage(req),
		})
	}
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

type usage struct {
	PromptTokens     int `json:"prompt_tokens"`
	CompletionTokens int `json:"completion_tokens,omitempty"`
	TotalTokens      int `json:"total_tokens"`
}

// usage counts a word a token.
func (r Reply) usage(req Request) usage {
	prompt := 0
	for _, m := range req.Messages {
		prompt += len(strings.Fields(m.Content))
	}
	completion := len(strings.Fields(r.content()))
	return usage{PromptTokens: prompt, CompletionTokens: completion, TotalTokens: prompt + completion}
}

type chunk struct {
	ID      string        `json:"id"`
	Object  string        `json:"object"`
	Created int64         `json:"created"`
	Model   string        `json:"model"`
	Choices []chunkChoice `json:"choices"`
	Usage   *usage        `json:"usage,omitempty"`
}

type chunkChoice struct {
	Index        int     `json:"index"`
	Delta        delta   `json:"delta"`
	FinishReason *string `json:"finish_reason"`
}

type delta struct {
	Role    string `json:"role,omitempty"`
	Content string `json:"content,omitempty"`
}

// writeStream sends rep as server-sent events, flushing each, as OpenAI
// does: a role delta, the content deltas, the finish chunk, the usage
// chunk if asked for, and [DONE]; or, as scripted, a stream cut off or
// ended by an error event after the content.
func writeStream(w http.ResponseWriter, hr *http.Request, id string, req Request, rep Reply) {
	w.Header().Set("Content-Type", "text/event-stream")
	w.Header().Set("Cache-Control", "no-cache")
	rc := http.NewResponseController(w)
	send := func(v any) {
		b, _ := json.Marshal(v)
		fmt.Fprintf(w, "data: %s\n\n", b)
		rc.Flush()
	}
	chunkOf := func(choices []chunkChoice, u *usage) chunk {
		return chunk{ID: id, Object: "chat.completion.chunk", Created: created, Model: req.Model, Choices: choices, Usage: u}
	}
	send(chunkOf([]chunkChoice{{Delta: delta{Role: "assistant"}}}, nil))
	deltas := rep.Chunks
	if deltas == nil {
		deltas = []string{rep.Content}
	}
	for _, d := range deltas {
		if !wait(hr, rep.Delay) {
			return
		}
		send(chunkOf([]chunkChoice{{Delta: delta{Content: d}}}, nil))
	}
	switch {
	case rep.NoFinish:
		return
	case rep.StreamError != "":
		send(map[string]any{"error": apiError(http.StatusInternalServerError, rep.StreamError)})
		return
	}
	finish := rep.finish()
	send(chunkOf([]chunkChoice{{FinishReason: &finish}}, nil))
	if req.StreamOptions != nil && req.StreamOptions.IncludeUsage {
		u := rep.usage(req)
		send(chunkOf([]chunkChoice{}, &u))
	}
	fmt.Fprint(w, "data: [DONE]\n\n")
}
