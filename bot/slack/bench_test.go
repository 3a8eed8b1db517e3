package slack

import (
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"slices"
	"sync"
	"testing"
	"time"
)

// BenchmarkMentionToPost measures, in HTTP mode, the time from sending a
// signed app_mention to the fake receiving the threaded chat.postMessage,
// with 100 mentions in flight at once per iteration. It reports the p50
// and p99 latency in milliseconds over all mentions.
func BenchmarkMentionToPost(b *testing.B) {
	const concurrent = 100
	hs := startHTTP(b, func(o *Options) { o.Logger = slog.New(slog.NewTextHandler(io.Discard, nil)) })
	var (
		mu      sync.Mutex
		sent    = map[string]time.Time{}
		latency []time.Duration
	)
	b.ResetTimer()
	for i := range b.N {
		var wg sync.WaitGroup
		for j := range concurrent {
			ts := fmt.Sprintf("1710000000.%06d", i*concurrent+j)
			wg.Go(func() {
				mu.Lock()
				sent[ts] = time.Now()
				mu.Unlock()
				if res := hs.event("Ev"+ts, mention(boeText, ts, ""), nil); res.StatusCode != http.StatusOK {
					b.Errorf("status %d", res.StatusCode)
				}
			})
		}
		for range concurrent {
			post := hs.fake.next(b, "chat.postMessage")
			mu.Lock()
			latency = append(latency, post.At.Sub(sent[post.Form.Get("thread_ts")]))
			mu.Unlock()
		}
		wg.Wait()
	}
	b.StopTimer()
	slices.Sort(latency)
	ms := func(q float64) float64 {
		return float64(latency[int(q*float64(len(latency)-1))]) / float64(time.Millisecond)
	}
	b.ReportMetric(ms(0.50), "p50-ms")
	b.ReportMetric(ms(0.99), "p99-ms")
}
