package storetest

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/byline-news/byline/retrieval"
)

func mustSaveStates(t *testing.T, ix Store, entries ...retrieval.ChatState) {
	t.Helper()
	if err := ix.SaveStates(context.Background(), entries); err != nil {
		t.Fatalf("SaveStates: %v", err)
	}
}

func testChatStateLoad(t *testing.T, b Backend) {
	ix := b.open(t)
	// SaveStates prunes by the index's clock, the suite's Clock.
	now := Clock
	mustSaveStates(t, ix,
		retrieval.ChatState{NS: "slack.answers", Key: "a1", Value: []byte(`{"text":"one"}`), Expires: now.Add(time.Hour)},
		retrieval.ChatState{NS: "slack.threads", Key: "a1", Value: []byte(`{}`), Expires: now.Add(2 * time.Hour)},
		retrieval.ChatState{NS: "slack.answers", Key: "old", Value: []byte(`{}`), Expires: now.Add(time.Minute)},
		retrieval.ChatState{NS: "slack.answers", Key: "empty", Expires: now.Add(time.Hour)},
	)
	// The same key again, in a later save, replaces the value.
	mustSaveStates(t, ix, retrieval.ChatState{NS: "slack.answers", Key: "a1", Value: []byte(`{"text":"two"}`), Expires: now.Add(3 * time.Hour)})

	tests := []struct {
		name, ns, key string
		at            time.Time
		want          string
		wantExpires   time.Time
		wantOK        bool
	}{
		{"replaced by the later save", "slack.answers", "a1", now, `{"text":"two"}`, now.Add(3 * time.Hour), true},
		{"namespaces apart", "slack.threads", "a1", now, `{}`, now.Add(2 * time.Hour), true},
		{"unexpired", "slack.answers", "old", now.Add(time.Minute - time.Millisecond), `{}`, now.Add(time.Minute), true},
		{"expired", "slack.answers", "old", now.Add(time.Minute), "", time.Time{}, false},
		{"empty value", "slack.answers", "empty", now, "", now.Add(time.Hour), true},
		{"unknown key", "slack.answers", "nope", now, "", time.Time{}, false},
		{"unknown namespace", "discord.answers", "a1", now, "", time.Time{}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v, exp, ok, err := ix.LoadState(context.Background(), tt.ns, tt.key, tt.at)
			if err != nil {
				t.Fatal(err)
			}
			if ok != tt.wantOK || string(v) != tt.want || !exp.Equal(tt.wantExpires) {
				t.Errorf("LoadState = %q, %v, %v; want %q, %v, %v", v, exp, ok, tt.want, tt.wantExpires, tt.wantOK)
			}
		})
	}
}

// testChatStatePrune checks that saves delete expired rows, a bounded
// number at a time, and never unexpired ones.
func testChatStatePrune(t *testing.T, b Backend) {
	addr := b.Fresh(t)
	ix := b.openAt(t, addr, Options{})
	now := Clock
	var expired []retrieval.ChatState
	for i := range 1200 {
		expired = append(expired, retrieval.ChatState{NS: "discord.votes", Key: fmt.Sprint(i), Expires: now.Add(-time.Hour)})
	}
	live := retrieval.ChatState{NS: "discord.threads", Key: "live", Value: []byte(`{}`), Expires: now.Add(time.Hour)}
	mustSaveStates(t, ix, append(expired, live)...)

	count := func() (expired, live int) {
		t.Helper()
		ms := now.UnixMilli()
		expired = int(b.QueryInt(t, addr, fmt.Sprintf(`SELECT count(*) FROM chat_state WHERE expires <= %d`, ms)))
		live = int(b.QueryInt(t, addr, fmt.Sprintf(`SELECT count(*) FROM chat_state WHERE expires > %d`, ms)))
		return expired, live
	}
	if e, l := count(); e != 1200 || l != 1 {
		t.Fatalf("after the first save: %d expired, %d live rows; want 1200, 1 (a save prunes before it writes)", e, l)
	}
	steps := []struct{ wantExpired, wantLive int }{
		{200, 2}, // at most 1,000 expired rows go per save of one entry
		{0, 3},
	}
	for i, s := range steps {
		mustSaveStates(t, ix, retrieval.ChatState{NS: "discord.threads", Key: fmt.Sprint("new", i), Value: []byte(`{}`), Expires: now.Add(time.Hour)})
		if e, l := count(); e != s.wantExpired || l != s.wantLive {
			t.Errorf("after save %d: %d expired, %d live rows; want %d, %d", i+2, e, l, s.wantExpired, s.wantLive)
		}
	}
}
