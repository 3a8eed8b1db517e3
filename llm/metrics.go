package llm

import (
	"sync/atomic"

	"github.com/prometheus/client_golang/prometheus"
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

// series are the Client's metrics: each reads one field of Metrics.
var series = func() []metricSeries {
	counter := func(name, help string, v func(Metrics) int64) metricSeries {
		return metricSeries{prometheus.NewDesc("byline_llm_"+name, help, nil, nil), prometheus.CounterValue,
			func(m Metrics) float64 { return float64(v(m)) }}
	}
	return []metricSeries{
		counter("calls_total", "Calls sent to the model service.", func(m Metrics) int64 { return m.Calls }),
		counter("failures_total", "Calls that failed after retries, caller cancellations excluded.", func(m Metrics) int64 { return m.Failures }),
		counter("retries_total", "HTTP requests retried after a 429 or 5xx response.", func(m Metrics) int64 { return m.Retries }),
		counter("rejected_total", "Calls refused by the open circuit breaker.", func(m Metrics) int64 { return m.Rejected }),
		{prometheus.NewDesc("byline_llm_breaker_open", "1 while the circuit breaker refuses calls or waits for its trial call.", nil, nil),
			prometheus.GaugeValue, func(m Metrics) float64 {
				if m.BreakerOpen {
					return 1
				}
				return 0
			}},
		counter("breaker_trips_total", "Times the circuit breaker opened.", func(m Metrics) int64 { return m.BreakerTrips }),
		counter("prompt_tokens_total", "Chat prompt tokens reported by the service.", func(m Metrics) int64 { return m.PromptTokens }),
		counter("completion_tokens_total", "Chat completion tokens reported by the service.", func(m Metrics) int64 { return m.CompletionTokens }),
		counter("embed_tokens_total", "Embedding input tokens reported by the service.", func(m Metrics) int64 { return m.EmbedTokens }),
		counter("embed_texts_total", "Texts embedded.", func(m Metrics) int64 { return m.EmbedTexts }),
	}
}()

type metricSeries struct {
	desc  *prometheus.Desc
	kind  prometheus.ValueType
	value func(Metrics) float64
}

// Describe implements prometheus.Collector: register a Client to export
// its Metrics as byline_llm_calls_total, byline_llm_breaker_open and so
// on. The counters stay the Client's own atomics; a scrape reads them.
func (c *Client) Describe(ch chan<- *prometheus.Desc) {
	for _, s := range series {
		ch <- s.desc
	}
}

// Collect implements prometheus.Collector.
func (c *Client) Collect(ch chan<- prometheus.Metric) {
	m := c.Metrics()
	for _, s := range series {
		ch <- prometheus.MustNewConstMetric(s.desc, s.kind, s.value(m))
	}
}
