package bot

import (
	"time"

	"github.com/prometheus/client_golang/prometheus"
)

// latencyBuckets are the upper bounds, in seconds, of the answer-time
// histogram: extractive answers take milliseconds, generated ones
// seconds, and the chat platforms' patience ends around 3 s (Discord's
// first response) and tens of seconds (a user's).
var latencyBuckets = []float64{0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 20}

// metrics counts what the bot did. Each Bot has its own (a process
// normally has one Bot; tests have many), registered by whoever serves
// them: *Bot is a prometheus.Collector.
type metrics struct {
	replies     *prometheus.CounterVec // by kind
	generated   prometheus.Counter     // answers a model wrote
	fallbacks   prometheus.Counter     // generated answers replaced by the extractive one
	abstentions *prometheus.CounterVec // by whether the question named a time
	feedback    *prometheus.CounterVec // 👍/👎
	latency     prometheus.Histogram
}

func newMetrics() *metrics {
	m := &metrics{
		replies: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "byline_replies_total", Help: "Replies given, by kind.",
		}, []string{"kind"}),
		generated: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "byline_generated_answers_total", Help: "Answers written by the chat model.",
		}),
		fallbacks: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "byline_answer_fallbacks_total", Help: "Generated answers replaced by the extractive one.",
		}),
		abstentions: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "byline_abstentions_total",
			Help: "Questions nothing indexed answered; date_filter=true when the question named a time (yesterday, in March), which points at stale or missing feeds.",
		}, []string{"date_filter"}),
		feedback: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "byline_feedback_total", Help: "Feedback on answers from the 👍/👎 buttons, by vote (up, down).",
		}, []string{"vote"}),
		latency: prometheus.NewHistogram(prometheus.HistogramOpts{
			Name: "byline_reply_seconds", Help: "Time from question to reply.", Buckets: latencyBuckets,
		}),
	}
	// Every series exists from the start at 0, so rates and alerts work
	// before the first event of each kind.
	for _, k := range kindNames {
		m.replies.WithLabelValues(k)
	}
	m.abstentions.WithLabelValues("false")
	m.abstentions.WithLabelValues("true")
	m.feedback.WithLabelValues("up")
	m.feedback.WithLabelValues("down")
	return m
}

// observe records one reply and how long it took.
func (m *metrics) observe(r Reply, took time.Duration) {
	m.replies.WithLabelValues(r.Kind.String()).Inc()
	if r.Generated {
		m.generated.Inc()
	}
	m.latency.Observe(took.Seconds())
}

// abstained counts an abstention; dated is whether the search was
// limited to a time range.
func (m *metrics) abstained(dated bool) {
	m.abstentions.WithLabelValues(boolLabel(dated)).Inc()
}

// voted counts a 👍 (helpful) or 👎.
func (m *metrics) voted(helpful bool) {
	vote := "down"
	if helpful {
		vote = "up"
	}
	m.feedback.WithLabelValues(vote).Inc()
}

func boolLabel(b bool) string {
	if b {
		return "true"
	}
	return "false"
}

func (m *metrics) collectors() []prometheus.Collector {
	return []prometheus.Collector{m.replies, m.generated, m.fallbacks, m.abstentions, m.feedback, m.latency}
}

// Describe implements prometheus.Collector: register a Bot to export
// its replies by kind (byline_replies_total), generated answers and
// their fallbacks, abstentions, feedback votes and the reply-time
// histogram (byline_reply_seconds).
func (b *Bot) Describe(ch chan<- *prometheus.Desc) {
	for _, c := range b.metrics.collectors() {
		c.Describe(ch)
	}
}

// Collect implements prometheus.Collector.
func (b *Bot) Collect(ch chan<- prometheus.Metric) {
	for _, c := range b.metrics.collectors() {
		c.Collect(ch)
	}
}
