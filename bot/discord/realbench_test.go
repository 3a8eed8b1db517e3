package discord

import (
	"bytes"
	"crypto/ed25519"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"path/filepath"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/byline-news/byline/bot/bottest"
)

// BenchmarkInteractionRealIndex measures /news over HTTP interactions
// with the real core: *bot.Bot over a SQLite index built from
// bench.Copies(base, 100000) of the BBC articles, wired as `byline serve`
// wires it, with the adapter's default MaxInFlight (16). Each iteration
// posts 100 signed /news interactions at once, asking the bbc-dev
// questions round-robin, each from its own user so the core's per-user
// rate limit (left at its default) never refuses one. It reports, over
// all interactions, the p50 and p99 time from sending the request (the
// adapter's receipt, on loopback) to its answer reaching Discord: the
// HTTP response when it carries the answer (type 4), or the edit of the
// original response arriving at the fake when it was deferred; and the
// share of replies that were answers (the rest said they couldn't find
// it) and that were deferred. Answers are saved to the database as serve
// saves them (Options.State).
//
// The index is built once and kept in the system temporary directory,
// keyed by size and by the articles file, so reruns start at once.
func BenchmarkInteractionRealIndex(b *testing.B) {
	const (
		paragraphs = 100_000
		concurrent = 100
	)
	core, state, qs := bottest.BenchCore(b, "byline-discordbench", "discord", paragraphs)
	opt := httpOptions()
	opt.Logger, opt.State = slog.New(slog.DiscardHandler), state
	hs := start(b, core, setup{opt: opt})
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: concurrent}}

	var latency []time.Duration
	var answered, deferred, n int
	for b.Loop() {
		results := make([]benchResult, concurrent)
		var wg sync.WaitGroup
		for i := range concurrent {
			n++
			ia := command(strconv.Itoa(100000+n), qs[(n-1)%len(qs)].Question)
			ia["member"] = map[string]any{"user": map[string]any{"id": strconv.Itoa(700000 + n)}}
			wg.Go(func() { results[i] = hs.benchPost(client, ia) })
		}
		wg.Wait()
		for _, r := range results {
			if r.err != nil {
				b.Fatal(r.err)
			}
			if r.deferred {
				deferred++
				r = hs.awaitEdit(b, r)
			}
			latency = append(latency, r.done.Sub(r.sent))
			if r.answer {
				answered++
			}
		}
		hs.settle()
	}
	bottest.ReportLatency(b, latency, map[string]int{"answered/interaction": answered, "deferred/interaction": deferred})
}

// benchResult is one timed interaction.
type benchResult struct {
	sent, done time.Time
	token      string
	answer     bool // an answer with sources, not a couldn't-find
	deferred   bool
	err        error
}

// benchPost signs and sends an interaction and times its response.
func (hs *harness) benchPost(client *http.Client, ia map[string]any) benchResult {
	body, _ := json.Marshal(ia)
	ts := strconv.FormatInt(time.Now().Unix(), 10)
	sig := hex.EncodeToString(ed25519.Sign(testKey, append([]byte(ts), body...)))
	req, _ := http.NewRequest(http.MethodPost, hs.app.URL+InteractionsPath, bytes.NewReader(body))
	req.Header.Set("X-Signature-Timestamp", ts)
	req.Header.Set("X-Signature-Ed25519", sig)
	r := benchResult{sent: time.Now(), token: ia["token"].(string)}
	res, err := client.Do(req)
	if err != nil {
		return benchResult{err: err}
	}
	defer res.Body.Close()
	var resp struct {
		Type int
		Data struct{ Embeds []any }
	}
	if err := json.NewDecoder(res.Body).Decode(&resp); err != nil || res.StatusCode != http.StatusOK {
		return benchResult{err: fmt.Errorf("status %d: %v", res.StatusCode, err)}
	}
	r.done, r.deferred, r.answer = time.Now(), resp.Type == 5, len(resp.Data.Embeds) > 0
	return r
}

// awaitEdit completes a deferred interaction with its edit's arrival.
func (hs *harness) awaitEdit(b *testing.B, r benchResult) benchResult {
	for {
		ed := hs.fake.next(b, "edit")
		if filepath.Base(filepath.Dir(filepath.Dir(ed.Path))) == r.token {
			embeds, _ := ed.JSON["embeds"].([]any)
			r.done, r.answer = ed.At, len(embeds) > 0
			return r
		}
	}
}
