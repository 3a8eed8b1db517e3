package config

import (
	"fmt"
	"strings"
	"time"
)

// Environment variables for an OpenAI-compatible model endpoint.
const (
	envOpenAIBaseURL = "OPENAI_BASE_URL"
	envOpenAIKey     = "OPENAI_API_KEY"
	envChatModel     = "BYLINE_CHAT_MODEL"
	envLLMTimeout    = "BYLINE_LLM_TIMEOUT"
)

// LLM is the model endpoint's configuration. Generated answers are on
// only when ChatModel is set.
type LLM struct {
	BaseURL   string        // OPENAI_BASE_URL, e.g. http://localhost:11434/v1; "" means OpenAI's
	APIKey    string        // OPENAI_API_KEY or OPENAI_API_KEY_FILE; local servers may need none
	ChatModel string        // BYLINE_CHAT_MODEL, e.g. gpt-4o-mini
	Timeout   time.Duration // BYLINE_LLM_TIMEOUT per answer, retries included; 0 means the client's default
}

// ChatEnabled reports whether generated answers are configured.
func (l LLM) ChatEnabled() bool { return l.ChatModel != "" }

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
	return errs
}

func durationString(d time.Duration) string {
	if d == 0 {
		return ""
	}
	return d.String()
}
