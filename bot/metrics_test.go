package bot

import (
	"context"
	"strings"
	"testing"
)

func TestWriteMetrics(t *testing.T) {
	t.Parallel()
	b := mustBot(t, mustIndex(t, testArticles), Options{})
	ctx := context.Background()
	for _, text := range []string{"what did Liang deny?", "help", "who won the chess final in Oslo?"} {
		b.Handle(ctx, Message{Platform: "test", User: "U1", Text: text})
	}
	var w strings.Builder
	b.WriteMetrics(&w)
	out := w.String()
	for _, line := range []string{
		`byline_replies_total{kind="answer"} 1`,
		`byline_replies_total{kind="help"} 1`,
		`byline_replies_total{kind="abstained"} 1`,
		`byline_replies_total{kind="error"} 0`,
		`byline_generated_answers_total 0`,
		`byline_reply_seconds_bucket{le="+Inf"} 3`,
		`byline_reply_seconds_count 3`,
	} {
		if !strings.Contains(out, line+"\n") {
			t.Errorf("metrics lack %q:\n%s", line, out)
		}
	}
	for _, l := range strings.Split(strings.TrimSpace(out), "\n") {
		if !strings.HasPrefix(l, "#") && len(strings.Fields(l)) != 2 {
			t.Errorf("not a Prometheus sample line: %q", l)
		}
	}
}
