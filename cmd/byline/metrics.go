package main

import (
	"context"
	"log/slog"
	"net/http"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/byline-news/byline/bot"
	"github.com/byline-news/byline/ingest/crawl"
	"github.com/byline-news/byline/llm"
	"github.com/byline-news/byline/retrieval"
)

// newRegistry gathers what /metrics exports: Go runtime and process
// metrics, the bot's replies, the model client's calls (when one is
// configured), the index's size and the feed polls.
func newRegistry(b *bot.Bot, c *llm.Client, ix sizer, feeds *feedMetrics) *prometheus.Registry {
	reg := prometheus.NewRegistry()
	reg.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}),
		b, newIndexCollector(ix), feeds)
	if c != nil {
		reg.MustRegister(c)
	}
	return reg
}

// metricsHandler serves reg in the Prometheus exposition format. A
// collector that fails (the database, say) is logged and left out; the
// rest are still served.
func metricsHandler(reg *prometheus.Registry, log *slog.Logger) http.Handler {
	return promhttp.HandlerFor(reg, promhttp.HandlerOpts{
		ErrorLog:      slog.NewLogLogger(log.Handler(), slog.LevelWarn),
		ErrorHandling: promhttp.ContinueOnError,
		Timeout:       10 * time.Second,
	})
}

// feedMetrics count feed polls: how many, how they went and what they
// indexed. Its observe is the crawler's OnPoll.
type feedMetrics struct {
	polls *prometheus.CounterVec // by result
	items *prometheus.CounterVec // by outcome
}

func newFeedMetrics() *feedMetrics {
	m := &feedMetrics{
		polls: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "byline_feed_polls_total",
			Help: "Feed polls, by result: ok, not_modified (304) or failed (unreachable, refused or unreadable feed).",
		}, []string{"result"}),
		items: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "byline_feed_items_total",
			Help: "Feed items seen by polls, by outcome: indexed (new or updated), skipped (unchanged) or failed (page not fetched or read).",
		}, []string{"outcome"}),
	}
	for _, r := range []string{"ok", "not_modified", "failed"} {
		m.polls.WithLabelValues(r)
	}
	for _, o := range []string{"indexed", "skipped", "failed"} {
		m.items.WithLabelValues(o)
	}
	return m
}

func (m *feedMetrics) observe(r crawl.PollResult) {
	result := "ok"
	switch {
	case r.Err != nil:
		result = "failed"
	case r.NotModified:
		result = "not_modified"
	}
	m.polls.WithLabelValues(result).Inc()
	m.items.WithLabelValues("indexed").Add(float64(r.Indexed))
	m.items.WithLabelValues("skipped").Add(float64(r.Skipped))
	m.items.WithLabelValues("failed").Add(float64(r.Failed))
}

// Describe implements prometheus.Collector.
func (m *feedMetrics) Describe(ch chan<- *prometheus.Desc) {
	m.polls.Describe(ch)
	m.items.Describe(ch)
}

// Collect implements prometheus.Collector.
func (m *feedMetrics) Collect(ch chan<- prometheus.Metric) {
	m.polls.Collect(ch)
	m.items.Collect(ch)
}

// sizer reports the index's size cheaply (both stores' Size).
type sizer interface {
	Size(ctx context.Context) (retrieval.Stats, error)
}

// indexCollector reports the index's size at each scrape, so the numbers
// include what other processes (byline index, add) put in the database.
type indexCollector struct {
	ix                         sizer
	articles, paragraphs, news *prometheus.Desc
}

func newIndexCollector(ix sizer) *indexCollector {
	return &indexCollector{
		ix:         ix,
		articles:   prometheus.NewDesc("byline_index_articles", "Articles in the index.", nil, nil),
		paragraphs: prometheus.NewDesc("byline_index_paragraphs", "Paragraphs in the index.", nil, nil),
		news: prometheus.NewDesc("byline_index_newest_published_timestamp_seconds",
			"Publication time of the newest indexed article (Unix seconds; absent while none is dated): alert when feeds go stale.", nil, nil),
	}
}

// Describe implements prometheus.Collector.
func (c *indexCollector) Describe(ch chan<- *prometheus.Desc) {
	ch <- c.articles
	ch <- c.paragraphs
	ch <- c.news
}

// Collect implements prometheus.Collector.
func (c *indexCollector) Collect(ch chan<- prometheus.Metric) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	st, err := c.ix.Size(ctx)
	if err != nil {
		ch <- prometheus.NewInvalidMetric(c.articles, err)
		return
	}
	ch <- prometheus.MustNewConstMetric(c.articles, prometheus.GaugeValue, float64(st.Articles))
	ch <- prometheus.MustNewConstMetric(c.paragraphs, prometheus.GaugeValue, float64(st.Paragraphs))
	if !st.Newest.IsZero() {
		ch <- prometheus.MustNewConstMetric(c.news, prometheus.GaugeValue, float64(st.Newest.Unix()))
	}
}
