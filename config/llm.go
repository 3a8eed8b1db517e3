package config

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Environment variables for an OpenAI-compatible model endpoint.
const (
	envOpenAIBaseURL = "OPENAI_BASE_URL"
	envOpenAIKey     = "OPENAI_API_KEY"
	envChatModel     = "BYLINE_CHAT_MODEL"
	envLLMTimeout    = "BYLINE_LLM_TIMEOUT"
	envEmbedModel    = "BYLINE_EMBED_MODEL"
	envEmbedBatch    = "BYLINE_EMBED_BATCH"
	envChatContext   = "BYLINE_CHAT_CONTEXT"
)

// Limits of the numeric settings.
const (
	maxEmbedBatch = 2048 // OpenAI's limit of inputs per embeddings request
	minContext    = 1024 // tokens: less cannot hold the instructions and one passage
)

// LLM is the model endpoint's configuration. Generated answers are on
// only when ChatModel is set.
type LLM struct {
	BaseURL   string        // OPENAI_BASE_URL, e.g. http://localhost:11434/v1; "" means OpenAI's
	APIKey    string        // OPENAI_API_KEY or OPENAI_API_KEY_FILE; local servers may need none
	ChatModel string        // BYLINE_CHAT_MODEL, e.g. gpt-4o-mini
	Timeout   time.Duration // BYLINE_LLM_TIMEOUT per answer, retries included; 0 means the client's default

	// EmbedModel (BYLINE_EMBED_MODEL, e.g. text-embedding-3-small or
	// nomic-embed-text) turns on hybrid retrieval: paragraphs are
	// embedded at index time and questions at query time.
	EmbedModel string
	EmbedBatch int // BYLINE_EMBED_BATCH texts per embeddings request; 0 means the index's default
	// ChatContext is the chat model's context window in tokens
	// (BYLINE_CHAT_CONTEXT); passages are trimmed to fit. 0 means the
	// answer package's default.
	ChatContext int
}

// ChatEnabled reports whether generated answers are configured.
func (l LLM) ChatEnabled() bool { return l.ChatModel != "" }

// EmbedEnabled reports whether hybrid retrieval is configured.
func (l LLM) EmbedEnabled() bool { return l.EmbedModel != "" }

func loadLLM(getenv func(string) string, l *LLM) []error {
	var errs []error
	var err error
	if l.APIKey, err = secret(getenv, envOpenAIKey); err != nil {
		errs = append(errs, err)
	}
	l.BaseURL = strings.TrimSpace(getenv(envOpenAIBaseURL))
	if l.BaseURL != "" && !strings.HasPrefix(l.BaseURL, "http://") && !strings.HasPrefix(l.BaseURL, "https://") {
		errs = append(errs, fmt.Errorf("%s must be an http:// or https:// URL, e.g. http://localhost:11434/v1", envOpenAIBaseURL))
	}
	l.ChatModel = strings.TrimSpace(getenv(envChatModel))
	if v := strings.TrimSpace(getenv(envLLMTimeout)); v != "" {
		if l.Timeout, err = time.ParseDuration(v); err != nil || l.Timeout <= 0 {
			errs = append(errs, fmt.Errorf("invalid %s %q: want a positive duration such as 20s", envLLMTimeout, v))
		}
	}
	l.EmbedModel = strings.TrimSpace(getenv(envEmbedModel))
	if err := positiveInt(getenv, envEmbedBatch, 1, maxEmbedBatch, &l.EmbedBatch); err != nil {
		errs = append(errs, err)
	}
	if err := positiveInt(getenv, envChatContext, minContext, 10_000_000, &l.ChatContext); err != nil {
		errs = append(errs, err)
	}
	return errs
}

// positiveInt reads the integer variable name into *v when it is set,
// requiring lo <= value <= hi.
func positiveInt(getenv func(string) string, name string, lo, hi int, v *int) error {
	s := strings.TrimSpace(getenv(name))
	if s == "" {
		return nil
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < lo || n > hi {
		return fmt.Errorf("invalid %s %q: want a whole number from %d to %d", name, s, lo, hi)
	}
	*v = n
	return nil
}

func intString(n int) string {
	if n == 0 {
		return ""
	}
	return strconv.Itoa(n)
}

func durationString(d time.Duration) string {
	if d == 0 {
		return ""
	}
	return d.String()
}
