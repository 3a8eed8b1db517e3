package bot

import (
	"fmt"
	"io"
	"sync/atomic"
	"time"
)

// latencyBuckets are the upper bounds, in seconds, of the answer-time
// histogram: extractive answers take milliseconds, generated ones
// seconds, and the chat platforms' patience ends around 3 s (Discord's
// first response) and tens of seconds (a user's).
var latencyBuckets = [...]float64{0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 20}

// metrics counts what the bot did. It is safe for concurrent use.
type metrics struct {
	replies   [len(kindNames)]atomic.Int64 // by Kind
	generated atomic.Int64                 // answers a model wrote
	fallbacks atomic.Int64                 // generated answers replaced by the extractive one
	buckets   [len(latencyBuckets)]atomic.Int64
	count     atomic.Int64
	sumMicros atomic.Int64
}

// observe records one reply and how long it took.
func (m *metrics) observe(r Reply, took time.Duration) {
	if k := int(r.Kind); k >= 0 && k < len(m.replies) {
		m.replies[k].Add(1)
	}
	if r.Generated {
		m.generated.Add(1)
	}
	for i, le := range latencyBuckets {
		if took.Seconds() <= le {
			m.buckets[i].Add(1)
		}
	}
	m.count.Add(1)
	m.sumMicros.Add(took.Microseconds())
}

// WriteMetrics writes the bot's counters in the Prometheus text format:
// replies by kind, generated answers and their fallbacks, and a
// histogram of the time from question to reply.
func (b *Bot) WriteMetrics(w io.Writer) {
	m := &b.metrics
	fmt.Fprintln(w, "# HELP byline_replies_total Replies given, by kind.\n# TYPE byline_replies_total counter")
	for k, name := range kindNames {
		fmt.Fprintf(w, "byline_replies_total{kind=%q} %d\n", name, m.replies[k].Load())
	}
	fmt.Fprintf(w, "# HELP byline_generated_answers_total Answers written by the chat model.\n# TYPE byline_generated_answers_total counter\nbyline_generated_answers_total %d\n", m.generated.Load())
	fmt.Fprintf(w, "# HELP byline_answer_fallbacks_total Generated answers replaced by the extractive one.\n# TYPE byline_answer_fallbacks_total counter\nbyline_answer_fallbacks_total %d\n", m.fallbacks.Load())
	fmt.Fprintln(w, "# HELP byline_reply_seconds Time from question to reply.\n# TYPE byline_reply_seconds histogram")
	for i, le := range latencyBuckets {
		fmt.Fprintf(w, "byline_reply_seconds_bucket{le=\"%g\"} %d\n", le, m.buckets[i].Load())
	}
	n := m.count.Load()
	fmt.Fprintf(w, "byline_reply_seconds_bucket{le=\"+Inf\"} %d\nbyline_reply_seconds_sum %g\nbyline_reply_seconds_count %d\n",
		n, float64(m.sumMicros.Load())/1e6, n)
}
