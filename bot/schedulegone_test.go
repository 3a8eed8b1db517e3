package bot

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"testing"

	"github.com/byline-news/byline/retrieval"
)

// TestSchedulerGoneChannel: a briefing the platform says can never be
// posted in its channel again is deleted, with one Warn line and a
// count, while another channel's briefing is posted and kept; a failure
// that may pass keeps the schedule, and the next day's is posted.
func TestSchedulerGoneChannel(t *testing.T) {
	tests := []struct {
		name string
		err  error
		gone bool
	}{
		{"unknown channel", fmt.Errorf("post briefing to discord: %w: 404 Unknown Channel", ErrChannelGone), true},
		{"outage", errors.New("post briefing to discord: HTTP 500"), false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			clk := &clock{t: utc(2026, 12, 7, 7, 0)}
			r, _ := newReplica(t, clk.Now)
			var logs bytes.Buffer
			r.b.lg = slog.New(slog.NewTextHandler(&logs, nil))
			ctx := context.Background()
			gone, kept := Channel{Platform: "slack", Workspace: "T1", ID: "CGONE"}, Channel{Platform: "slack", Workspace: "T1", ID: "CKEPT"}
			for _, ch := range []Channel{gone, kept} {
				m := Message{Platform: ch.Platform, Workspace: ch.Workspace, Channel: ch.ID, User: "U1", Text: "brief daily 08:00 Europe/London"}
				if rep := r.b.Handle(ctx, m); rep.Kind != KindAdmin {
					t.Fatalf("scheduling in %s: %v %q", ch, rep.Kind, rep.Text)
				}
			}
			r.poster.fail = map[Channel]error{gone: tt.err}
			clk.t = utc(2026, 12, 7, 8, 0)
			if n := r.fire(t); n != 1 || r.poster.posts[0].ch != kept {
				t.Fatalf("posted %d (%+v), want 1, in %s", n, r.poster.posts, kept)
			}
			_, err := r.ix.Briefing(ctx, gone.Platform, gone.Workspace, gone.ID)
			if errors.Is(err, retrieval.ErrNotFound) != tt.gone {
				t.Errorf("the failing channel's briefing: %v; want it deleted only when the channel is gone", err)
			}
			if _, err := r.ix.Briefing(ctx, kept.Platform, kept.Workspace, kept.ID); err != nil {
				t.Errorf("the other channel's briefing: %v", err)
			}
			warn := strings.Count(logs.String(), `level=WARN msg="channel gone: its daily briefing removed"`)
			if want := map[bool]int{true: 1, false: 0}[tt.gone]; warn != want || tt.gone && !strings.Contains(logs.String(), "channel=CGONE") {
				t.Errorf("log:\n%s\nwant %d Warn line(s) naming the gone channel", logs.String(), want)
			}
			result := map[bool]string{true: "channel_gone", false: "failed"}[tt.gone]
			if scrape := exposition(t, r.s); !strings.Contains(scrape, `byline_briefings_total{result="`+result+`"} 1`+"\n") {
				t.Errorf("/metrics lacks one %s:\n%s", result, scrape)
			}

			r.poster.fail = nil
			clk.t = utc(2026, 12, 8, 8, 0)
			if n, want := r.fire(t), map[bool]int{true: 1, false: 2}[tt.gone]; n != want {
				t.Errorf("the next day: posted %d, want %d", n, want)
			}
		})
	}
}
