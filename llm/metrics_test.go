package llm

import (
	"bufio"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

func TestWritePrometheus(t *testing.T) {
	t.Parallel()
	m := Metrics{
		Calls: 10, Failures: 2, Retries: 3, Rejected: 4, BreakerOpen: true, BreakerTrips: 1,
		PromptTokens: 1200, CompletionTokens: 80, EmbedTokens: 5000, EmbedTexts: 64,
	}
	tests := []struct {
		prefix string
		want   map[string]float64
	}{
		{"byline_llm", map[string]float64{
			"byline_llm_calls_total": 10, "byline_llm_failures_total": 2, "byline_llm_retries_total": 3,
			"byline_llm_rejected_total": 4, "byline_llm_breaker_open": 1, "byline_llm_breaker_trips_total": 1,
			"byline_llm_prompt_tokens_total": 1200, "byline_llm_completion_tokens_total": 80,
			"byline_llm_embed_tokens_total": 5000, "byline_llm_embed_texts_total": 64,
		}},
		{"", map[string]float64{"byline_llm_calls_total": 10}},
		{"embed_", map[string]float64{"embed_calls_total": 10, "embed_breaker_open": 1}},
	}
	for _, tt := range tests {
		var b strings.Builder
		m.WritePrometheus(&b, tt.prefix)
		got := parseProm(t, b.String())
		if len(got) != 10 {
			t.Errorf("prefix %q: %d series, want 10:\n%s", tt.prefix, len(got), b.String())
		}
		for name, v := range tt.want {
			if g, ok := got[name]; !ok || g != v {
				t.Errorf("prefix %q: %s = %v (present %v), want %v", tt.prefix, name, g, ok, v)
			}
		}
	}
}

var promName = regexp.MustCompile(`^[a-zA-Z_:][a-zA-Z0-9_:]*$`)

// parseProm reads exposition-format text: comments, and lines "name value".
func parseProm(t *testing.T, text string) map[string]float64 {
	t.Helper()
	out := map[string]float64{}
	sc := bufio.NewScanner(strings.NewReader(text))
	for sc.Scan() {
		line := sc.Text()
		if strings.HasPrefix(line, "# HELP ") || strings.HasPrefix(line, "# TYPE ") {
			continue
		}
		f := strings.Fields(line)
		if len(f) != 2 || !promName.MatchString(f[0]) {
			t.Errorf("line %q is not \"name value\"", line)
			continue
		}
		v, err := strconv.ParseFloat(f[1], 64)
		if err != nil {
			t.Errorf("line %q: %v", line, err)
		}
		out[f[0]] = v
	}
	return out
}
