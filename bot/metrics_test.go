package bot

import (
	"context"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// exposition is what a Prometheus scrape of c shows, in the text format.
func exposition(t *testing.T, c prometheus.Collector) string {
	t.Helper()
	reg := prometheus.NewPedanticRegistry()
	if err := reg.Register(c); err != nil {
		t.Fatalf("register: %v", err)
	}
	rec := httptest.NewRecorder()
	promhttp.HandlerFor(reg, promhttp.HandlerOpts{ErrorHandling: promhttp.HTTPErrorOnError}).
		ServeHTTP(rec, httptest.NewRequest("GET", "/metrics", nil))
	if rec.Code != 200 {
		t.Fatalf("scrape: %d %s", rec.Code, rec.Body)
	}
	return rec.Body.String()
}

func TestMetrics(t *testing.T) {
	t.Parallel()
	b := mustBot(t, mustIndex(t, testArticles), Options{})
	ctx := context.Background()
	for _, text := range []string{"what did Liang deny?", "help", "who won the chess final in Oslo?", "who won the chess final yesterday?"} {
		b.Handle(ctx, Message{Platform: "test", User: "U1", Text: text})
	}
	for _, up := range []bool{true, true, false} {
		if err := b.SaveFeedback(ctx, Feedback{Platform: "test", Helpful: up}); err != nil {
			t.Fatal(err)
		}
	}
	out := exposition(t, b)
	for _, line := range []string{
		`byline_replies_total{kind="answer"} 1`,
		`byline_replies_total{kind="help"} 1`,
		`byline_replies_total{kind="abstained"} 2`,
		`byline_replies_total{kind="error"} 0`,
		`byline_abstentions_total{date_filter="false"} 1`,
		`byline_abstentions_total{date_filter="true"} 1`,
		`byline_feedback_total{vote="up"} 2`,
		`byline_feedback_total{vote="down"} 1`,
		`byline_generated_answers_total 0`,
		`byline_answer_fallbacks_total 0`,
		`byline_reply_seconds_bucket{le="+Inf"} 4`,
		`byline_reply_seconds_count 4`,
		`# TYPE byline_reply_seconds histogram`,
	} {
		if !strings.Contains(out, line+"\n") {
			t.Errorf("metrics lack %q:\n%s", line, out)
		}
	}
}
