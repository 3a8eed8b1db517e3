package bot

import (
	"context"
	"strings"
	"testing"
)

func TestWatchCommands(t *testing.T) {
	ix := mustIndex(t, testArticles)
	b := mustBot(t, ix, Options{RatePerUser: -1, Watches: ix})
	ann := Message{Platform: "slack", Workspace: "T1", Channel: "C1", User: "UANN"}
	bob, admin := ann, ann
	bob.User, admin.User, admin.Admin = "UBOB", "UADMIN", true
	other := ann
	other.Channel = "C2"
	steps := []struct {
		m        Message
		text     string
		wantKind Kind
		want     string
	}{
		{ann, "watches", KindAdmin, noWatchesText},
		{ann, "watch Ukraine grain", KindAdmin, "Watching “Ukraine grain” in this channel (watch 1)"},
		{bob, "WATCH   harbour   bridge", KindAdmin, "Watching “harbour bridge” in this channel (watch 2)"},
		{other, "watch cyber attacks", KindAdmin, "(watch 1)"},
		{ann, "watches", KindAdmin, "This channel watches:\n1. Ukraine grain (since 8 May 2012)\n2. harbour bridge (since 8 May 2012)"},
		{ann, "watch the of and", KindAdmin, noTopicText},
		{ann, "watch", KindRejected, watchUsageText},
		{ann, "unwatch two", KindRejected, watchUsageText},
		{ann, "unwatch 3", KindAdmin, "This channel has no watch 3"},
		{ann, "unwatch 2", KindAdmin, notYourWatchText},
		{admin, "unwatch #2", KindAdmin, "Stopped watching “harbour bridge”."},
		{ann, "unwatch 1", KindAdmin, "Stopped watching “Ukraine grain”."},
		{ann, "watches", KindAdmin, noWatchesText},
		{other, "watches", KindAdmin, "1. cyber attacks"},
	}
	for _, s := range steps {
		s.m.Text = s.text
		r := b.Handle(context.Background(), s.m)
		if r.Kind != s.wantKind || !strings.Contains(r.Text, s.want) {
			t.Errorf("%s in %s: %s %q; want %s containing %q", s.text, s.m.Channel, r.Kind, r.Text, s.wantKind, s.want)
		}
	}
}

func TestWatchLimitsAndHelp(t *testing.T) {
	ix := mustIndex(t, testArticles)
	off := mustBot(t, ix, Options{RatePerUser: -1})
	if r := off.Handle(context.Background(), Message{Text: "watch grain"}); r.Kind != KindRejected || r.Text != watchesOffText {
		t.Errorf("without a store: %s %q", r.Kind, r.Text)
	}
	if r := off.Handle(context.Background(), Message{Text: "help"}); strings.Contains(r.Text, "unwatch") {
		t.Errorf("help mentions watches when they are off: %q", r.Text)
	}
	b := mustBot(t, ix, Options{RatePerUser: -1, Watches: ix, WatchRate: 4})
	if r := b.Handle(context.Background(), Message{Text: "help"}); !strings.Contains(r.Text, "watch <topic words>") || !strings.Contains(r.Text, "at most 4 posts an hour") {
		t.Errorf("help = %q, want the watch commands and the rate", r.Text)
	}
	m := Message{Platform: "discord", Workspace: "G1", Channel: "C9", User: "U1"}
	m.Text = "watch one two three four five six seven eight nine"
	if r := b.Handle(context.Background(), m); !strings.Contains(r.Text, "too long") {
		t.Errorf("nine words: %q, want too long", r.Text)
	}
	for i := range MaxChannelWatches {
		m.Text = "watch topic" + strings.Repeat("x", i+1)
		if r := b.Handle(context.Background(), m); !strings.HasPrefix(r.Text, "Watching") {
			t.Fatalf("watch %d: %q", i+1, r.Text)
		}
	}
	m.Text = "watch one more"
	if r := b.Handle(context.Background(), m); !strings.Contains(r.Text, "the most it can") {
		t.Errorf("watch %d: %q, want refused", MaxChannelWatches+1, r.Text)
	}
}

// TestWatchSpellingHint checks that a watch whose word no article has,
// but one slip from one that does, is kept as typed with a hint, and
// that a watch of known words gets none.
func TestWatchSpellingHint(t *testing.T) {
	ix := mustIndex(t, testArticles)
	b := mustBot(t, ix, Options{RatePerUser: -1, Watches: ix})
	m := Message{Platform: "slack", Workspace: "T1", Channel: "C1", User: "UANN", Text: "watch harbur bridge"}
	r := b.Handle(context.Background(), m)
	want := "Watching “harbur bridge” in this channel (watch 1): I'll post new stories on it as they come in.\n" +
		"No article has “harbur” (did you mean “harbour”?) yet. To change the topic: unwatch 1, then watch again."
	if r.Kind != KindAdmin || r.Text != want {
		t.Errorf("watch harbur bridge: %s %q; want %q", r.Kind, r.Text, want)
	}
	m.Text = "watch harbour bridge"
	if r := b.Handle(context.Background(), m); strings.Contains(r.Text, "did you mean") {
		t.Errorf("watch harbour bridge: %q; want no hint", r.Text)
	}
}
