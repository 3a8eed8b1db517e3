package llm

import (
	"fmt"
	"io"
	"strings"
	"sync/atomic"
)

// Metrics are a Client's cumulative counters since New.
type Metrics struct {
	Calls            int64 // calls sent to the service (not those the breaker refused)
	Failures         int64 // calls that failed, by the breaker's definition (see Options.BreakerThreshold)
	Retries          int64 // HTTP requests sent again after a 429 or 5xx
	Rejected         int64 // calls the open breaker refused without sending anything
	BreakerOpen      bool  // a model's breaker refuses calls, or waits for its trial call
	BreakerTrips     int64 // times the breaker opened
	PromptTokens     int64 // chat prompt tokens, as the server reported them
	CompletionTokens int64 // chat completion tokens
	EmbedTokens      int64 // tokens of embedded texts
	EmbedTexts       int64 // texts embedded
}

// counters are the atomic counters behind Metrics.
type counters struct {
	calls, failures, retries, rejected atomic.Int64
	prompt, completion                 atomic.Int64
	embedTokens, embedTexts            atomic.Int64
}

// record counts one call that was sent. Tokens are counted whenever the
// server reported them, failed calls included: they were spent.
func (m *counters) record(o outcome, u usage) {
	m.calls.Add(1)
	if o == failure {
		m.failures.Add(1)
	}
	if u.texts > 0 {
		m.embedTokens.Add(int64(u.prompt))
		if o == success {
			m.embedTexts.Add(int64(u.texts))
		}
		return
	}
	m.prompt.Add(int64(u.prompt))
	m.completion.Add(int64(u.completion))
}

// Metrics returns the Client's counters so far.
func (c *Client) Metrics() Metrics {
	var isOpen bool
	var trips int64
	for _, b := range c.breakers {
		o, t := b.status()
		isOpen, trips = isOpen || o, trips+t
	}
	return Metrics{
		Calls:            c.m.calls.Load(),
		Failures:         c.m.failures.Load(),
		Retries:          c.m.retries.Load(),
		Rejected:         c.m.rejected.Load(),
		BreakerOpen:      isOpen,
		BreakerTrips:     trips,
		PromptTokens:     c.m.prompt.Load(),
		CompletionTokens: c.m.completion.Load(),
		EmbedTokens:      c.m.embedTokens.Load(),
		EmbedTexts:       c.m.embedTexts.Load(),
	}
}

// WritePrometheus writes m in the Prometheus text exposition format, each
// metric's name starting with prefix and "_" (prefix "" means
// "byline_llm"): byline_llm_calls_total and so on. Write errors are the
// caller's to see on w.
func (m Metrics) WritePrometheus(w io.Writer, prefix string) {
	prefix = strings.TrimRight(prefix, "_")
	if prefix == "" {
		prefix = "byline_llm"
	}
	open := int64(0)
	if m.BreakerOpen {
		open = 1
	}
	for _, s := range []struct {
		name, typ, help string
		v               int64
	}{
		{"calls_total", "counter", "Calls sent to the model service.", m.Calls},
		{"failures_total", "counter", "Calls that failed after retries, caller cancellations excluded.", m.Failures},
		{"retries_total", "counter", "HTTP requests retried after a 429 or 5xx response.", m.Retries},
		{"rejected_total", "counter", "Calls refused by the open circuit breaker.", m.Rejected},
		{"breaker_open", "gauge", "1 while the circuit breaker refuses calls or waits for its trial call.", open},
		{"breaker_trips_total", "counter", "Times the circuit breaker opened.", m.BreakerTrips},
		{"prompt_tokens_total", "counter", "Chat prompt tokens reported by the service.", m.PromptTokens},
		{"completion_tokens_total", "counter", "Chat completion tokens reported by the service.", m.CompletionTokens},
		{"embed_tokens_total", "counter", "Embedding input tokens reported by the service.", m.EmbedTokens},
		{"embed_texts_total", "counter", "Texts embedded.", m.EmbedTexts},
	} {
		name := prefix + "_" + s.name
		fmt.Fprintf(w, "# HELP %s %s\n# TYPE %s %s\n%s %d\n", name, s.help, name, s.typ, name, s.v)
	}
}
