package bot

import "github.com/prometheus/client_golang/prometheus"

// watchMetrics count what the watch loop did; *Watcher is a
// prometheus.Collector, registered by serve.
type watchMetrics struct {
	stories  prometheus.Counter     // stories found for a watch
	posts    *prometheus.CounterVec // messages posted, by kind (watch, digest)
	failures prometheus.Counter     // posts the platform refused
	gone     prometheus.Counter     // channels given up: the bot can no longer post there
}

func newWatchMetrics() *watchMetrics {
	m := &watchMetrics{
		stories: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "byline_watch_stories_total", Help: "Stories found for a watch (each story once per watch).",
		}),
		posts: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "byline_watch_posts_total", Help: "Messages the watches posted, by kind: watch (one story), digest (stories over the rate limit).",
		}, []string{"kind"}),
		failures: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "byline_watch_post_failures_total", Help: "Watch posts the chat platform refused or did not take; they are tried again.",
		}),
		gone: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "byline_watch_channels_gone_total",
			Help: "Channels whose watches were removed because the bot can no longer post there (deleted, archived, bot removed).",
		}),
	}
	m.posts.WithLabelValues(KindWatch.String())
	m.posts.WithLabelValues(KindDigest.String())
	return m
}

// Describe implements prometheus.Collector.
func (w *Watcher) Describe(ch chan<- *prometheus.Desc) {
	w.metrics.stories.Describe(ch)
	w.metrics.posts.Describe(ch)
	w.metrics.failures.Describe(ch)
	w.metrics.gone.Describe(ch)
}

// Collect implements prometheus.Collector.
func (w *Watcher) Collect(ch chan<- prometheus.Metric) {
	w.metrics.stories.Collect(ch)
	w.metrics.posts.Collect(ch)
	w.metrics.failures.Collect(ch)
	w.metrics.gone.Collect(ch)
}
