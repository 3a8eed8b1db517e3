package llm

import (
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

func TestClientIsACollector(t *testing.T) {
	t.Parallel()
	c := mustNew(t, Options{BaseURL: "http://127.0.0.1:1/v1", Model: "m"})
	c.m.calls.Store(10)
	c.m.failures.Store(2)
	c.m.retries.Store(3)
	c.m.rejected.Store(4)
	c.m.prompt.Store(1200)
	c.m.completion.Store(80)
	c.m.embedTokens.Store(5000)
	c.m.embedTexts.Store(64)

	reg := prometheus.NewPedanticRegistry()
	reg.MustRegister(c)
	rec := httptest.NewRecorder()
	promhttp.HandlerFor(reg, promhttp.HandlerOpts{ErrorHandling: promhttp.HTTPErrorOnError}).
		ServeHTTP(rec, httptest.NewRequest("GET", "/metrics", nil))
	out := rec.Body.String()
	for _, line := range []string{
		"byline_llm_calls_total 10", "byline_llm_failures_total 2", "byline_llm_retries_total 3",
		"byline_llm_rejected_total 4", "byline_llm_breaker_open 0", "byline_llm_breaker_trips_total 0",
		"byline_llm_prompt_tokens_total 1200", "byline_llm_completion_tokens_total 80",
		"byline_llm_embed_tokens_total 5000", "byline_llm_embed_texts_total 64",
		"# TYPE byline_llm_calls_total counter", "# TYPE byline_llm_breaker_open gauge",
	} {
		if !strings.Contains(out, line+"\n") {
			t.Errorf("exposition lacks %q:\n%s", line, out)
		}
	}
}
