// Package llm talks to an OpenAI-compatible chat and embeddings endpoint
// (OpenAI, Azure OpenAI, Ollama, vLLM, LocalAI, llama.cpp's server). It
// is the only package that imports go-openai: the rest of byline sees
// plain strings and float32 vectors.
//
// Every call goes through a retrier (429 and 5xx, honouring Retry-After)
// and a circuit breaker per model (chat, embeddings), and is
// counted in the Client's Metrics.
package llm

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math"
	"net/http"
	"strings"
	"time"

	openai "github.com/sashabaranov/go-openai"
)

// Defaults for Options fields left at zero.
const (
	DefaultBaseURL          = "https://api.openai.com/v1"
	DefaultTimeout          = 30 * time.Second
	DefaultEmbedTimeout     = 60 * time.Second
	DefaultBreakerThreshold = 5
	DefaultBreakerCooldown  = 30 * time.Second
)

// MaxTokens bounds the length of a completion: an answer is at most
// three sentences.
const MaxTokens = 200

// ErrUnavailable is wrapped by the error of every call the circuit
// breaker refuses: the service failed too often lately, so nothing was
// sent.
var ErrUnavailable = errors.New("model service unavailable")

// errNoChatModel is returned by Complete and Stream of a Client made for
// embeddings only.
var errNoChatModel = errors.New("llm: no chat model set (set one to generate answers)")

// Options configures a Client. At least one of Model and EmbedModel is
// required.
type Options struct {
	BaseURL    string // including the version path, e.g. http://localhost:11434/v1; "" means DefaultBaseURL
	APIKey     string // may be "" for local servers that need none
	Model      string // chat model, e.g. "gpt-4o-mini" or "llama3.1"; "" when only embedding
	EmbedModel string // embedding model, e.g. "text-embedding-3-small"; "" when only chatting

	// Timeout bounds one Complete or Stream call, retries included; 0
	// means DefaultTimeout.
	Timeout time.Duration
	// EmbedTimeout bounds one Embed call, retries included: a batch of
	// hundreds of paragraphs takes longer than an answer. 0 means
	// DefaultEmbedTimeout.
	EmbedTimeout time.Duration

	// BreakerThreshold is the number of failed calls in a row that opens
	// the circuit breaker; 0 means DefaultBreakerThreshold and a negative
	// value turns the breaker off. A failure is an error after retries,
	// except the caller's own cancellation and a reply the service gave
	// in good health but byline cannot use (cut off at MaxTokens).
	BreakerThreshold int
	// BreakerCooldown is how long an open breaker refuses calls before it
	// lets one trial call through; 0 means DefaultBreakerCooldown.
	BreakerCooldown time.Duration

	HTTPClient *http.Client     // nil means a new client with no timeout of its own
	Logger     *slog.Logger     // nil means slog.Default()
	Now        func() time.Time // the breaker's clock; nil means time.Now (tests advance a fake one)
}

// Client is a chat completion and embeddings client with retries, a
// circuit breaker and usage metrics. It is safe for concurrent use.
type Client struct {
	api          *openai.Client
	model        string
	embedModel   string
	timeout      time.Duration
	embedTimeout time.Duration
	log          *slog.Logger
	// breakers holds one circuit breaker per model: an embedding model
	// that is missing or failing must not stop chat answers, nor the
	// reverse.
	breakers map[string]*breaker
	m        *counters
	secret   string // the API key, kept out of every error and log line
}

// New returns a Client for opt.
func New(opt Options) (*Client, error) {
	opt, err := opt.withDefaults()
	if err != nil {
		return nil, err
	}
	m := &counters{}
	cfg := openai.DefaultConfig(opt.APIKey)
	cfg.BaseURL = strings.TrimRight(opt.BaseURL, "/")
	cfg.HTTPClient = &retrier{doer: opt.HTTPClient, backoff: backoff, retries: &m.retries}
	return &Client{
		api:          openai.NewClientWithConfig(cfg),
		model:        opt.Model,
		embedModel:   opt.EmbedModel,
		timeout:      opt.Timeout,
		embedTimeout: opt.EmbedTimeout,
		log:          opt.Logger,
		breakers:     newBreakers(opt, opt.Model, opt.EmbedModel),
		m:            m,
		secret:       strings.TrimSpace(opt.APIKey),
	}, nil
}

// withDefaults checks o and fills in the zero fields.
func (o Options) withDefaults() (Options, error) {
	o.Model, o.EmbedModel = strings.TrimSpace(o.Model), strings.TrimSpace(o.EmbedModel)
	if o.Model == "" && o.EmbedModel == "" {
		return o, errors.New("llm: no model set: set a chat model, an embedding model or both")
	}
	for _, d := range []struct {
		name string
		v    *time.Duration
		def  time.Duration
	}{
		{"timeout", &o.Timeout, DefaultTimeout},
		{"embedding timeout", &o.EmbedTimeout, DefaultEmbedTimeout},
		{"breaker cooldown", &o.BreakerCooldown, DefaultBreakerCooldown},
	} {
		if *d.v < 0 {
			return o, fmt.Errorf("llm: negative %s %v", d.name, *d.v)
		}
		if *d.v == 0 {
			*d.v = d.def
		}
	}
	if o.BreakerThreshold == 0 {
		o.BreakerThreshold = DefaultBreakerThreshold
	}
	if o.BaseURL == "" {
		o.BaseURL = DefaultBaseURL
	}
	if o.HTTPClient == nil {
		o.HTTPClient = &http.Client{}
	}
	if o.Logger == nil {
		o.Logger = slog.Default()
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	return o, nil
}

// Model returns the chat model's name, "" when the Client only embeds.
func (c *Client) Model() string { return c.model }

// EmbedModel returns the embedding model's name, "" when the Client only
// chats.
func (c *Client) EmbedModel() string { return c.embedModel }

// Complete sends one system and one user message and returns the
// model's reply, trimmed. Rate limits (429) and server errors (5xx) are
// retried, at most maxAttempts times in all, waiting as Retry-After asks
// when the server says; ctx and the client's timeout bound the whole call.
func (c *Client) Complete(ctx context.Context, system, user string) (string, error) {
	if c.model == "" {
		return "", errNoChatModel
	}
	var reply string
	err := c.call(ctx, "chat completion", c.model, c.timeout, func(ctx context.Context) (usage, error) {
		resp, err := c.api.CreateChatCompletion(ctx, c.chatRequest(system, user))
		if err != nil {
			return usage{}, describe(err)
		}
		u := chatUsage(resp.Usage)
		if len(resp.Choices) == 0 {
			return u, errors.New("the reply has no choices")
		}
		ch := resp.Choices[0]
		if ch.FinishReason == openai.FinishReasonLength {
			return u, errCutOff
		}
		reply = strings.TrimSpace(ch.Message.Content)
		return u, nil
	})
	return reply, err
}

// chatRequest is the request of Complete and Stream.
func (c *Client) chatRequest(system, user string) openai.ChatCompletionRequest {
	return openai.ChatCompletionRequest{
		Model: c.model,
		Messages: []openai.ChatCompletionMessage{
			{Role: openai.ChatMessageRoleSystem, Content: system},
			{Role: openai.ChatMessageRoleUser, Content: user},
		},
		// go-openai omits a zero temperature, which servers read as
		// their default (1); the smallest float is sent and means 0.
		Temperature: math.SmallestNonzeroFloat32,
		MaxTokens:   MaxTokens,
	}
}

// replyError is an error in a reply the service gave in good health: it
// fails the call but not the service, so the breaker does not count it.
type replyError struct{ error }

// errCutOff is a reply stopped at MaxTokens.
var errCutOff = replyError{fmt.Errorf("the reply was cut off at %d tokens", MaxTokens)}

// usage is what one call consumed, as the server reported it.
type usage struct {
	prompt, completion, total int // tokens; an embedding call has prompt and total only
	texts                     int // embedded texts
}

func chatUsage(u openai.Usage) usage {
	return usage{prompt: u.PromptTokens, completion: u.CompletionTokens, total: u.TotalTokens}
}

// call runs fn as one call to the service named kind ("chat completion"):
// through the breaker, within timeout, counted and logged. Its errors
// are wrapped with kind and model, and never hold the API key.
func (c *Client) call(ctx context.Context, kind, model string, timeout time.Duration, fn func(context.Context) (usage, error)) error {
	br := c.breakers[model]
	if err := br.allow(); err != nil {
		c.m.rejected.Add(1)
		return fmt.Errorf("%s with %s: %w", kind, model, err)
	}
	start := time.Now()
	cctx, cancel := context.WithTimeout(ctx, timeout)
	u, err := fn(cctx)
	cancel()
	o := classify(ctx, err)
	err = redact(err, c.secret) // before it is logged, kept by the breaker or returned
	c.m.record(o, u)
	br.done(o, err)
	c.logCall(ctx, kind, model, u, time.Since(start), err)
	if err != nil {
		return fmt.Errorf("%s with %s: %w", kind, model, err)
	}
	return nil
}

// logCall writes the one Debug line of a call.
func (c *Client) logCall(ctx context.Context, kind, model string, u usage, took time.Duration, err error) {
	if !c.log.Enabled(ctx, slog.LevelDebug) {
		return
	}
	attrs := []slog.Attr{
		slog.String("kind", kind), slog.String("model", model),
		slog.Int("prompt_tokens", u.prompt), slog.Int("completion_tokens", u.completion),
		slog.Int("total_tokens", u.total), slog.Duration("latency", took),
	}
	if u.texts > 0 {
		attrs = append(attrs, slog.Int("texts", u.texts))
	}
	if err != nil {
		attrs = append(attrs, slog.String("err", err.Error()))
	}
	c.log.LogAttrs(ctx, slog.LevelDebug, "llm call", attrs...)
}

// describe shortens go-openai's errors to what a log reader needs.
func describe(err error) error {
	var apiErr *openai.APIError
	if errors.As(err, &apiErr) {
		if apiErr.HTTPStatusCode == 0 {
			// An error event inside a stream, after the 200 response.
			return fmt.Errorf("server error mid-stream: %s", apiErr.Message)
		}
		return fmt.Errorf("HTTP %d: %s", apiErr.HTTPStatusCode, apiErr.Message)
	}
	var reqErr *openai.RequestError
	if errors.As(err, &reqErr) && reqErr.HTTPStatusCode != 0 {
		return fmt.Errorf("HTTP %d: %s", reqErr.HTTPStatusCode, http.StatusText(reqErr.HTTPStatusCode))
	}
	return err
}
