package bot

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/byline-news/byline/retrieval"
	"github.com/byline-news/byline/retrieval/analysis"
	"github.com/byline-news/byline/retrieval/percolate"
)

// WatchStore keeps the channels' watches; both storage backends
// implement it (and the rest of WatchSource, for the watch loop).
type WatchStore interface {
	AddWatch(ctx context.Context, w retrieval.Watch) (retrieval.Watch, error)
	RemoveWatch(ctx context.Context, id int64) (bool, error)
	ChannelWatches(ctx context.Context, platform, workspace, channel string) ([]retrieval.Watch, error)
}

// Limits of the watch commands: a topic is a few words, and a channel
// that watches more than this many topics is better served by asking.
const (
	maxTopicChars     = 100
	maxTopicTerms     = 8
	MaxChannelWatches = 20
)

// Texts of the watch commands.
const (
	watchesOffText   = "Watches are not enabled here."
	watchUsageText   = "Usage: watch <topic words> · watches · unwatch <number>"
	noWatchesText    = "This channel watches nothing yet: set a watch with watch <topic words>, e.g. watch ukraine grain."
	noTopicText      = "That topic has no words I can watch for: try names or subjects, e.g. watch ukraine grain."
	watchHelpFormat  = "In a channel, watch <topic words> posts new stories on that topic as they are indexed (at most %d posts an hour; more come in one digest), watches lists them and unwatch <number> stops one."
	notYourWatchText = "Only the person who set that watch, or a byline admin, can remove it."
)

// watchOp is a parsed watch command.
type watchOp struct {
	verb  string // "watch", "watches", "unwatch"
	topic string // for watch
	n     int    // for unwatch: 1-based, as watches lists them
	bad   bool   // malformed: answer with usage
}

// parseWatch recognises "watch <topic words>", "watches" and "unwatch
// N", case-insensitively.
func parseWatch(text string) (watchOp, bool) {
	f := strings.Fields(text)
	if len(f) == 0 {
		return watchOp{}, false
	}
	switch strings.ToLower(f[0]) {
	case "watch":
		return watchOp{verb: "watch", topic: strings.Join(f[1:], " "), bad: len(f) < 2}, true
	case "watches":
		return watchOp{verb: "watches", bad: len(f) != 1}, true
	case "unwatch":
		op := watchOp{verb: "unwatch", bad: len(f) != 2}
		if !op.bad {
			n, err := strconv.Atoi(strings.TrimPrefix(f[1], "#"))
			op.n, op.bad = n, err != nil || n < 1
		}
		return op, true
	}
	return watchOp{}, false
}

// watch runs a watch command in m's channel.
func (b *Bot) watch(ctx context.Context, m Message, op watchOp) Reply {
	q := clean(m.Text)
	if b.opt.Watches == nil {
		return Reply{Kind: KindRejected, Question: q, Text: watchesOffText}
	}
	if op.bad {
		return Reply{Kind: KindRejected, Question: q, Text: watchUsageText}
	}
	if r, limited := b.rateLimit(m); limited {
		return r
	}
	ctx, cancel := context.WithTimeout(ctx, b.opt.AnswerTimeout)
	defer cancel()
	ch := ChannelOf(m)
	list, err := b.opt.Watches.ChannelWatches(ctx, ch.Platform, ch.Workspace, ch.ID)
	if err != nil {
		return b.fail(m, "watches", err)
	}
	var text string
	switch op.verb {
	case "watch":
		text, err = b.addWatch(ctx, m, op.topic, len(list))
	case "watches":
		text = watchList(list)
	case "unwatch":
		text, err = b.unwatch(ctx, m, list, op.n)
	}
	if err != nil {
		return b.fail(m, op.verb, err)
	}
	return Reply{Kind: KindAdmin, Question: q, Text: text}
}

func (b *Bot) addWatch(ctx context.Context, m Message, topic string, have int) (string, error) {
	topic = oneLine(topic)
	terms := percolate.Terms(topic)
	switch {
	case len(terms) == 0:
		return noTopicText, nil
	case utf8.RuneCountInString(topic) > maxTopicChars || len(terms) > maxTopicTerms:
		return fmt.Sprintf("That topic is too long: watch at most %d words.", maxTopicTerms), nil
	case have >= MaxChannelWatches:
		return fmt.Sprintf("This channel already watches %d topics, the most it can: unwatch one first.", have), nil
	}
	ch := ChannelOf(m)
	w, err := b.opt.Watches.AddWatch(ctx, retrieval.Watch{Platform: ch.Platform, Workspace: ch.Workspace, Channel: ch.ID,
		Topic: topic, AddedBy: m.User, Created: b.opt.Now()})
	if err != nil {
		return "", err
	}
	b.lg.Info("watch set", logPlatform, ch.Platform, logWorkspace, ch.Workspace, logChannel, ch.ID, logUser, m.User, "watch", w.ID, "topic", topic)
	text := fmt.Sprintf("Watching “%s” in this channel (watch %d): I'll post new stories on it as they come in.", topic, have+1)
	if hint := b.spellingHint(ctx, topic, have+1); hint != "" {
		text += "\n" + hint
	}
	return text, nil
}

// speller is the optional part of a Searcher that corrects words the
// index lacks to the nearest word it has (engine.Index.Correct).
type speller interface {
	Correct(ctx context.Context, words []string) (map[string]string, error)
}

// spellingHint points out the topic's words that no indexed article has
// but that are a typing slip away from one that does (see speller). A
// watch is about news to come, so a word nothing has yet may well be a
// new name: the topic is kept as typed, and the asker told how to change
// it; n is the watch's number.
func (b *Bot) spellingHint(ctx context.Context, topic string, n int) string {
	sp, ok := b.opt.Searcher.(speller)
	if !ok {
		return ""
	}
	var words []string
	for _, t := range analysis.Tokens(topic) {
		if !t.Stop {
			words = append(words, t.Word)
		}
	}
	fixes, err := sp.Correct(ctx, words)
	if err != nil {
		return "" // only a hint
	}
	var found []string
	for _, w := range slices.Sorted(maps.Keys(fixes)) {
		if fixes[w] != w { // an English word is kept as typed
			found = append(found, fmt.Sprintf("“%s” (did you mean “%s”?)", w, fixes[w]))
		}
	}
	if len(found) == 0 {
		return ""
	}
	return fmt.Sprintf("No article has %s yet. To change the topic: unwatch %d, then watch again.", strings.Join(found, " or "), n)
}

func (b *Bot) unwatch(ctx context.Context, m Message, list []retrieval.Watch, n int) (string, error) {
	if n > len(list) {
		return fmt.Sprintf("This channel has no watch %d: watches lists them.", n), nil
	}
	w := list[n-1]
	if w.AddedBy != m.User && !m.Admin {
		return notYourWatchText, nil
	}
	if _, err := b.opt.Watches.RemoveWatch(ctx, w.ID); err != nil {
		return "", err
	}
	b.lg.Info("watch removed", logPlatform, m.Platform, logChannel, m.Channel, logUser, m.User, "watch", w.ID)
	return fmt.Sprintf("Stopped watching “%s”.", w.Topic), nil
}

// watchList numbers a channel's watches as unwatch takes them.
func watchList(list []retrieval.Watch) string {
	if len(list) == 0 {
		return noWatchesText
	}
	lines := []string{"This channel watches:"}
	for i, w := range list {
		lines = append(lines, fmt.Sprintf("%d. %s (since %s)", i+1, w.Topic, w.Created.Format(dateLayout)))
	}
	return strings.Join(lines, "\n")
}

// oneLine collapses white space to single spaces.
func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }
