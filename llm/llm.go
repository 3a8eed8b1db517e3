// Package llm talks to an OpenAI-compatible chat endpoint (OpenAI, Azure
// OpenAI, Ollama, vLLM, LocalAI, llama.cpp's server). It is the only
// package that imports go-openai: the rest of byline sees plain strings.
package llm

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"net/http"
	"strconv"
	"strings"
	"time"

	openai "github.com/sashabaranov/go-openai"
)

// Defaults for Options fields left at zero.
const (
	DefaultBaseURL = "https://api.openai.com/v1"
	DefaultTimeout = 30 * time.Second
)

// MaxTokens bounds the length of a completion: an answer is at most
// three sentences.
const MaxTokens = 200

// Retry policy for 429 and 5xx responses.
const (
	maxAttempts   = 3
	maxRetryAfter = 30 * time.Second // a longer Retry-After is not waited for
)

// Options configures a Client.
type Options struct {
	BaseURL string // including the version path, e.g. http://localhost:11434/v1; "" means DefaultBaseURL
	APIKey  string // may be "" for local servers that need none
	Model   string // required, e.g. "gpt-4o-mini" or "llama3.1"
	// Timeout bounds one Complete call, retries included; 0 means
	// DefaultTimeout.
	Timeout    time.Duration
	HTTPClient *http.Client // nil means a new client with no timeout of its own
}

// Client is a chat completion client with retries.
type Client struct {
	api     *openai.Client
	model   string
	timeout time.Duration
}

// New returns a Client for opt.
func New(opt Options) (*Client, error) {
	if strings.TrimSpace(opt.Model) == "" {
		return nil, errors.New("llm: no model set")
	}
	if opt.Timeout < 0 {
		return nil, fmt.Errorf("llm: negative timeout %v", opt.Timeout)
	}
	if opt.Timeout == 0 {
		opt.Timeout = DefaultTimeout
	}
	if opt.BaseURL == "" {
		opt.BaseURL = DefaultBaseURL
	}
	hc := opt.HTTPClient
	if hc == nil {
		hc = &http.Client{}
	}
	cfg := openai.DefaultConfig(opt.APIKey)
	cfg.BaseURL = strings.TrimRight(opt.BaseURL, "/")
	cfg.HTTPClient = &retrier{doer: hc, backoff: backoff}
	return &Client{api: openai.NewClientWithConfig(cfg), model: opt.Model, timeout: opt.Timeout}, nil
}

// Complete sends one system and one user message and returns the
// model's reply, trimmed. Rate limits (429) and server errors (5xx) are
// retried, at most maxAttempts times in all, waiting as Retry-After asks
// when the server says; ctx and the client's timeout bound the whole call.
func (c *Client) Complete(ctx context.Context, system, user string) (string, error) {
	ctx, cancel := context.WithTimeout(ctx, c.timeout)
	defer cancel()
	resp, err := c.api.CreateChatCompletion(ctx, openai.ChatCompletionRequest{
		Model: c.model,
		Messages: []openai.ChatCompletionMessage{
			{Role: openai.ChatMessageRoleSystem, Content: system},
			{Role: openai.ChatMessageRoleUser, Content: user},
		},
		// go-openai omits a zero temperature, which servers read as
		// their default (1); the smallest float is sent and means 0.
		Temperature: math.SmallestNonzeroFloat32,
		MaxTokens:   MaxTokens,
	})
	if err != nil {
		return "", fmt.Errorf("chat completion with %s: %w", c.model, describe(err))
	}
	if len(resp.Choices) == 0 {
		return "", fmt.Errorf("chat completion with %s: the reply has no choices", c.model)
	}
	ch := resp.Choices[0]
	if ch.FinishReason == openai.FinishReasonLength {
		return "", fmt.Errorf("chat completion with %s: the reply was cut off at %d tokens", c.model, MaxTokens)
	}
	return strings.TrimSpace(ch.Message.Content), nil
}

// describe shortens go-openai's errors to what a log reader needs.
func describe(err error) error {
	var apiErr *openai.APIError
	if errors.As(err, &apiErr) && apiErr.HTTPStatusCode != 0 {
		return fmt.Errorf("HTTP %d: %s", apiErr.HTTPStatusCode, apiErr.Message)
	}
	var reqErr *openai.RequestError
	if errors.As(err, &reqErr) && reqErr.HTTPStatusCode != 0 {
		return fmt.Errorf("HTTP %d: %s", reqErr.HTTPStatusCode, http.StatusText(reqErr.HTTPStatusCode))
	}
	return err
}

// retrier wraps the HTTP client to retry 429 and 5xx responses. It sits
// below go-openai because go-openai drops the Retry-After header.
type retrier struct {
	doer interface {
		Do(*http.Request) (*http.Response, error)
	}
	backoff func(attempt int) time.Duration // wait before retry attempt (1-based) when there is no Retry-After
}

func (r *retrier) Do(req *http.Request) (*http.Response, error) {
	ctx := req.Context()
	for attempt := 1; ; attempt++ {
		resp, err := r.doer.Do(req)
		if err != nil || !retryable(resp.StatusCode) || attempt >= maxAttempts {
			return resp, err
		}
		wait, ok := retryAfter(resp.Header.Get("Retry-After"), time.Now())
		if !ok {
			wait = r.backoff(attempt)
		}
		if wait > maxRetryAfter {
			return resp, nil
		}
		if dl, ok := ctx.Deadline(); ok && time.Until(dl) < wait {
			return resp, nil // the wait would outlast the deadline: fail now
		}
		if req.GetBody == nil && req.Body != nil {
			return resp, nil // the body cannot be sent again
		}
		io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
		resp.Body.Close()
		t := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			t.Stop()
			return nil, ctx.Err()
		case <-t.C:
		}
		next := req.Clone(ctx)
		if req.GetBody != nil {
			if next.Body, err = req.GetBody(); err != nil {
				return nil, err
			}
		}
		req = next
	}
}

func retryable(code int) bool {
	return code == http.StatusTooManyRequests || code >= 500 && code <= 599
}

// backoff is the wait before retry attempt n when the server gives no
// Retry-After: 500ms, then 1s.
func backoff(n int) time.Duration {
	return 500 * time.Millisecond << (n - 1)
}

// retryAfter parses a Retry-After value: seconds or an HTTP date.
func retryAfter(v string, now time.Time) (time.Duration, bool) {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0, false
	}
	if s, err := strconv.Atoi(v); err == nil {
		if s < 0 {
			return 0, false
		}
		return time.Duration(s) * time.Second, true
	}
	if t, err := http.ParseTime(v); err == nil {
		return max(t.Sub(now), 0), true
	}
	return 0, false
}
