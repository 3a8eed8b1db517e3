package fakeai

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"

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

// Answer is the fake model's reply to a byline user prompt: the first
// sentence of the first passage, cited as [1], or NoAnswer when the
// prompt has no passage.
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

type message struct {
	Role    string `json:"role"`
	Content string `json:"content"`
}

type chatRequest struct {
	Model               string    `json:"model"`
	Messages            []message `json:"messages"`
	MaxTokens           int       `json:"max_tokens"`
	MaxCompletionTokens int       `json:"max_completion_tokens"`
	Stream              bool      `json:"stream"`
	StreamOptions       *struct {
		IncludeUsage bool `json:"include_usage"`
	} `json:"stream_options"`
}

type usage struct {
	PromptTokens     int `json:"prompt_tokens"`
	CompletionTokens int `json:"completion_tokens,omitempty"`
	TotalTokens      int `json:"total_tokens"`
}

// reply is the fake model's answer to one request, with a word per token.
type reply struct {
	text   string
	finish string
	usage  usage
}

// answer replies to the last user message, cut at the request's token
// limit as a model would be.
func (r chatRequest) answer() reply {
	user, prompt := "", 0
	for _, m := range r.Messages {
		prompt += len(strings.Fields(m.Content))
		if m.Role == "user" {
			user = m.Content
		}
	}
	words := strings.Fields(Answer(user))
	finish := "stop"
	if limit := max(r.MaxCompletionTokens, r.MaxTokens); limit > 0 && len(words) > limit {
		words, finish = words[:limit], "length"
	}
	return reply{
		text:   strings.Join(words, " "),
		finish: finish,
		usage:  usage{PromptTokens: prompt, CompletionTokens: len(words), TotalTokens: prompt + len(words)},
	}
}

func (h *Handler) chat(w http.ResponseWriter, r *http.Request) {
	var req chatRequest
	if err := decode(w, r, &req); err != nil {
		badRequest(w, err.Error())
		return
	}
	switch {
	case req.Model == "":
		badRequest(w, "you must provide a model parameter")
		return
	case len(req.Messages) == 0:
		badRequest(w, "messages must not be empty")
		return
	}
	rep := req.answer()
	id := fmt.Sprintf("chatcmpl-fake-%d", h.chats.Add(1))
	if req.Stream {
		writeStream(w, id, req, rep)
		return
	}
	writeJSON(w, map[string]any{
		"id": id, "object": "chat.completion", "created": created, "model": req.Model,
		"choices": []any{map[string]any{
			"index":         0,
			"message":       message{Role: "assistant", Content: rep.text},
			"finish_reason": rep.finish,
		}},
		"usage": rep.usage,
	})
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

// writeStream sends rep as OpenAI does: a role delta, a delta a word, a
// chunk with the finish reason, the usage chunk when asked for, [DONE].
func writeStream(w http.ResponseWriter, id string, req chatRequest, rep reply) {
	w.Header().Set("Content-Type", "text/event-stream")
	w.Header().Set("Cache-Control", "no-cache")
	rc := http.NewResponseController(w)
	send := func(choices []chunkChoice, u *usage) {
		b, _ := json.Marshal(chunk{ID: id, Object: "chat.completion.chunk", Created: created, Model: req.Model, Choices: choices, Usage: u})
		fmt.Fprintf(w, "data: %s\n\n", b)
		rc.Flush()
	}
	send([]chunkChoice{{Delta: delta{Role: "assistant"}}}, nil)
	for _, word := range strings.SplitAfter(rep.text, " ") {
		if word != "" {
			send([]chunkChoice{{Delta: delta{Content: word}}}, nil)
		}
	}
	send([]chunkChoice{{FinishReason: &rep.finish}}, nil)
	if req.StreamOptions != nil && req.StreamOptions.IncludeUsage {
		send([]chunkChoice{}, &rep.usage)
	}
	fmt.Fprint(w, "data: [DONE]\n\n")
}
