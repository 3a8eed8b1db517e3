package bot

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"testing"
	"time"
)

// TestWatcherGoneChannel: a channel the platform says the bot can no
// longer post in loses its watches and pending stories at once, with one
// Warn line and a count in the metrics, while another channel keeps its
// watch and gets its post; a failure that may pass keeps the watches and
// the story, which goes out once the channel takes posts again.
func TestWatcherGoneChannel(t *testing.T) {
	tests := []struct {
		name string
		err  error
		gone bool
	}{
		{"archived", fmt.Errorf("post watch to slack: %w: is_archived", ErrChannelGone), true},
		{"outage", errors.New("post watch to slack: slack server error: 503 Service Unavailable"), false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newWatchEnv(t, 0)
			var logs bytes.Buffer
			e.w.lg = slog.New(slog.NewTextHandler(&logs, nil))
			ctx := context.Background()
			chGone := Channel{Platform: "slack", Workspace: "T1", ID: "CGONE"}
			e.watch(chGone, "ukraine grain")
			e.watch(chGone, "odesa ships")
			e.watch(chGrain, "ukraine grain")
			e.poster.fail = map[Channel]error{chGone: tt.err}
			MustPutBot(t, e.ix, grainStory("g1", "Wire", 1))
			err := e.w.Round(ctx)
			if (err != nil) == tt.gone {
				t.Errorf("Round = %v; want an error only for a failure that may pass", err)
			}
			if p := e.poster.take(); len(p) != 1 || p[0].ch != chGrain {
				t.Fatalf("posts %+v, want one, in the other channel", p)
			}
			left, _ := e.ix.ChannelWatches(ctx, chGone.Platform, chGone.Workspace, chGone.ID)
			kept, _ := e.ix.ChannelWatches(ctx, chGrain.Platform, chGrain.Workspace, chGrain.ID)
			pending, _ := e.ix.PendingWatchHits(ctx)
			if wantLeft := map[bool]int{true: 0, false: 2}[tt.gone]; len(left) != wantLeft || len(kept) != 1 {
				t.Errorf("watches left: %d in the failing channel, %d in the other; want %d and 1", len(left), len(kept), wantLeft)
			}
			if wantPending := map[bool]int{true: 0, false: 2}[tt.gone]; len(pending) != wantPending {
				t.Errorf("%d stories pending, want %d", len(pending), wantPending)
			}
			warn := strings.Count(logs.String(), "level=WARN msg=\"channel gone")
			line := "channel=CGONE watches=2"
			if tt.gone && (warn != 1 || !strings.Contains(logs.String(), line)) || !tt.gone && warn != 0 {
				t.Errorf("log:\n%s\nwant one Warn line naming the channel and its 2 watches only when it is gone", logs.String())
			}
			scrape := exposition(t, e.w)
			wantGone, wantFailures := map[bool]string{true: "1", false: "0"}[tt.gone], map[bool]string{true: "0", false: "1"}[tt.gone]
			for _, want := range []string{"byline_watch_channels_gone_total " + wantGone, "byline_watch_post_failures_total " + wantFailures} {
				if !strings.Contains(scrape, want+"\n") {
					t.Errorf("/metrics lacks %q:\n%s", want, scrape)
				}
			}

			// The channel takes posts again (the bot was invited back):
			// after the failure's wait, a kept story goes out; a gone
			// channel is posted nothing, old or new.
			e.poster.fail = nil
			e.clock.Add(2 * time.Minute)
			MustPutBot(t, e.ix, otherStory("g2", 100))
			e.round()
			var inGone int
			for _, p := range e.poster.take() {
				if p.ch == chGone {
					inGone++
				}
			}
			if want := map[bool]int{true: 0, false: 2}[tt.gone]; inGone != want {
				t.Errorf("%d posts in the failing channel once it works, want %d", inGone, want)
			}
		})
	}
}
