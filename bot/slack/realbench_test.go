package slack

import (
	"bytes"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/byline-news/byline/bot/bottest"
)

// BenchmarkMentionToPostRealIndex is BenchmarkMentionToPost with the real
// core: *bot.Bot over a SQLite index built from bench.Copies(base,
// 100000) of the BBC articles (98,287 paragraphs stay searchable: copies
// of articles whose text repeats another's replace each other), wired as `byline serve` wires it, in HTTP mode with the
// adapter's default MaxInFlight (16). Each iteration sends 100 signed
// app_mentions at once, asking the bbc-dev questions round-robin, each
// from its own user so the core's per-user rate limit (left at its
// default) never refuses one. It reports, over all mentions, the p50 and
// p99 time from sending the event to the fake receiving the threaded
// chat.postMessage, and the share of replies that were answers (the rest
// said they couldn't find it). Threads and answers are saved to the
// database as serve saves them (Options.State).
//
// The index is built once and kept in the system temporary directory,
// keyed by size and by the articles file, so reruns start at once.
func BenchmarkMentionToPostRealIndex(b *testing.B) {
	const (
		paragraphs = 100_000
		concurrent = 100
	)
	core, state, qs := bottest.BenchCore(b, "byline-slackbench", "slack", paragraphs)
	quiet := func(o *Options) { o.Logger, o.State = slog.New(slog.DiscardHandler), state }
	hs := startWith(b, core, Options{SigningSecret: testSecret}, []func(*Options){quiet})

	var (
		mu       sync.Mutex
		sent     = map[string]time.Time{}
		latency  []time.Duration
		answered int
		n        int // mentions sent so far
	)
	for b.Loop() {
		var wg sync.WaitGroup
		for range concurrent {
			n++
			ts := fmt.Sprintf("1710000000.%06d", n)
			ev := map[string]any{"type": "app_mention", "user": fmt.Sprintf("U%08d", n),
				"text": "<@" + testBotUser + "> " + slackText(qs[(n-1)%len(qs)].Question),
				"ts":   ts, "channel": testChannel, "event_ts": ts}
			wg.Go(func() {
				body, _ := json.Marshal(callback("Ev"+ts, ev))
				mu.Lock()
				sent[ts] = time.Now()
				mu.Unlock()
				if err := hs.post("/slack/events", body); err != nil {
					b.Error(err)
				}
			})
		}
		for range concurrent {
			post := hs.fake.next(b, "chat.postMessage")
			mu.Lock()
			start, ok := sent[post.Form.Get("thread_ts")]
			mu.Unlock()
			if !ok {
				b.Fatalf("a post in thread %q, which no mention started", post.Form.Get("thread_ts"))
			}
			latency = append(latency, post.At.Sub(start))
			if _, ok := buttons(blocksOf(b, post))[actionHelpful]; ok {
				answered++
			}
		}
		wg.Wait()
		hs.settle() // 👀 removed: the next iteration starts from idle
	}
	bottest.ReportLatency(b, latency, map[string]int{"answered/mention": answered})
}

// slackText escapes a question as Slack sends typed text.
func slackText(s string) string {
	return strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;").Replace(s)
}

// post sends a signed JSON body to the app. Unlike signed, it returns
// errors, so it may run outside the benchmark's goroutine.
func (hs *harness) post(path string, body []byte) error {
	ts := strconv.FormatInt(time.Now().Unix(), 10)
	req, err := http.NewRequest(http.MethodPost, hs.app.URL+path, bytes.NewReader(body))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("X-Slack-Request-Timestamp", ts)
	req.Header.Set("X-Slack-Signature", sign(testSecret, ts, body))
	res, err := hs.app.Client().Do(req)
	if err != nil {
		return err
	}
	res.Body.Close()
	if res.StatusCode != http.StatusOK {
		return fmt.Errorf("%s: status %d", path, res.StatusCode)
	}
	return nil
}
