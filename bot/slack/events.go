package slack

import (
	"cmp"
	"context"
	"strconv"
	"strings"

	slackgo "github.com/slack-go/slack"
	"github.com/slack-go/slack/slackevents"

	"github.com/byline-news/byline/bot"
)

// History limits: one page of conversations.replies, the latest turns.
const (
	historyFetch = 200
	historyTurns = 20
	turnMaxChars = 2000
)

// query is a question received as a message: a mention, a DM or a
// follow-up in a thread the bot answered in.
type query struct {
	team, channel, user string
	ts                  string // the question's own message
	thread              string // where to reply; "" = top level (DMs)
	dm                  bool
	text                string
	history             bool // fetch the thread's earlier turns
}

// onEvent handles one Events API callback from either transport. Events
// seen before (Slack retries, redeliveries) are dropped by event_id.
func (a *Adapter) onEvent(ev slackevents.EventsAPIEvent, retry string) error {
	if cb, ok := ev.Data.(*slackevents.EventsAPICallbackEvent); ok && cb.EventID != "" {
		// Here only: the message's own key, claimed before it is
		// answered, is shared with the other replicas.
		if a.seen.SeenHere("event:" + cb.EventID) {
			a.log.Debug("slack duplicate event dropped", logKeyEvent, cb.EventID, logKeyRetry, retry)
			return nil
		}
	}
	team := cmp.Or(ev.TeamID, a.me().teamID)
	switch e := ev.InnerEvent.Data.(type) {
	case *slackevents.AppMentionEvent:
		return a.onMention(team, e)
	case *slackevents.MessageEvent:
		return a.onMessage(team, e)
	}
	return nil
}

// onMention answers an @mention in a thread: the mention's own thread,
// or a new one under the mention.
func (a *Adapter) onMention(team string, e *slackevents.AppMentionEvent) error {
	me := a.me()
	if e.User == "" || e.BotID != "" || e.User == me.userID {
		return nil
	}
	if a.seen.Seen(messageKey(e.Channel, e.TimeStamp)) {
		return nil // the message event for the same post came first
	}
	text := e.Text
	if me.userID == "" {
		text = stripLeadingMention(text)
	}
	return a.spawnQuery(query{
		team: team, channel: e.Channel, user: e.User, ts: e.TimeStamp,
		thread:  cmp.Or(e.ThreadTimeStamp, e.TimeStamp),
		text:    userText(text, me.userID),
		history: e.ThreadTimeStamp != "",
	})
}

// onMessage answers direct messages, and replies without a mention in
// threads the bot has answered in, unless they address someone else or
// only react ("thanks!").
func (a *Adapter) onMessage(team string, e *slackevents.MessageEvent) error {
	me := a.me()
	if !fromPerson(e, me) {
		return nil
	}
	dm := e.ChannelType == slackevents.ChannelTypeIM
	inThread := e.ThreadTimeStamp != "" && e.ThreadTimeStamp != e.TimeStamp
	if !dm && !(inThread && a.threads.Active(threadKey(e.Channel, e.ThreadTimeStamp))) {
		return nil
	}
	if !dm && (mentionsOthers(e.Text, me.userID) || bot.OnlyReacts(userText(e.Text, me.userID))) {
		return nil // people talking to each other in the thread, or thanking
	}
	if a.seen.Seen(messageKey(e.Channel, e.TimeStamp)) {
		return nil // already answered as an app_mention
	}
	return a.spawnQuery(query{
		team: team, channel: e.Channel, user: e.User, ts: e.TimeStamp,
		thread: e.ThreadTimeStamp, dm: dm,
		text:    userText(e.Text, me.userID),
		history: inThread,
	})
}

// fromPerson reports whether e is a new message typed by a person: not
// by a bot (this one included), not an edit, deletion or join notice.
func fromPerson(e *slackevents.MessageEvent, me identity) bool {
	if e.User == "" || e.BotID != "" || e.User == me.userID {
		return false
	}
	switch e.SubType {
	case "", "thread_broadcast", "file_share":
		return true
	}
	return false
}

// spawnQuery answers q in the background.
func (a *Adapter) spawnQuery(q query) error {
	return a.work.Spawn("message", func(ctx context.Context) { a.answerQuery(ctx, q) })
}

// answerQuery shows 👀 while the core works (in the background: see
// working), shows a generated answer while it is written, posts the
// reply (in place of the partial answer) and remembers the thread so
// follow-ups need no mention.
func (a *Adapter) answerQuery(ctx context.Context, q query) {
	defer a.working(ctx, q.channel, q.ts)()
	d := dest{team: q.team, channel: q.channel, user: q.user, thread: q.thread, dm: q.dm,
		live: a.newPlaceholder(ctx, q.channel, q.thread)}
	m := bot.Message{
		Platform: "slack", Workspace: q.team, Channel: q.channel,
		User: q.user, Thread: q.thread, Text: q.text, Admin: a.admin(q.user),
		BotName: a.me().name, Partial: d.live.show,
	}
	if q.history {
		m.History = a.history(ctx, q.channel, q.thread, q.ts)
	}
	r := bot.Ask(ctx, a.log, a.h.Handle, m)
	dctx, cancel := bot.CleanupContext(ctx) // a timed-out answer still says so
	defer cancel()
	public := a.deliver(dctx, d, r)
	if public && !q.dm && q.thread != "" {
		a.threads.Mark(threadKey(q.channel, q.thread))
	}
}

// history returns the thread's turns before the message at current,
// oldest first; on failure (say, a missing history scope) it logs and
// returns none, so the question is still answered.
func (a *Adapter) history(ctx context.Context, channel, thread, current string) []bot.Turn {
	var msgs []slackgo.Message
	err := a.retry(ctx, "conversations.replies", func(ctx context.Context) (err error) {
		msgs, _, _, err = a.api.GetConversationRepliesContext(ctx, &slackgo.GetConversationRepliesParameters{
			ChannelID: channel, Timestamp: thread, Limit: historyFetch,
		})
		return err
	})
	if err != nil {
		a.log.Warn("slack thread history unavailable", logKeyChannel, channel, logKeyThread, thread, logKeyErr, err)
		return nil
	}
	return a.turns(msgs, current)
}

// turns converts thread messages before current into Turns, marking the
// bot's own and skipping other bots and notices.
func (a *Adapter) turns(msgs []slackgo.Message, current string) []bot.Turn {
	me := a.me()
	var out []bot.Turn
	for _, m := range msgs {
		if !tsBefore(m.Timestamp, current) {
			continue
		}
		ours := m.BotID != "" && (m.BotID == me.botID || m.User == me.userID || me.botID == "")
		if (m.BotID != "" && !ours) || (m.SubType != "" && m.SubType != "thread_broadcast" && !ours) {
			continue
		}
		text := clip(plain(m.Text, me.userID), turnMaxChars)
		if text == "" {
			continue
		}
		out = append(out, bot.Turn{User: m.User, Text: text, FromBot: ours})
	}
	if len(out) > historyTurns {
		out = out[len(out)-historyTurns:]
	}
	return out
}

// tsBefore orders Slack timestamps ("1700000000.000100") exactly, which
// float parsing would not.
func tsBefore(a, b string) bool {
	as, af, _ := strings.Cut(a, ".")
	bs, bf, _ := strings.Cut(b, ".")
	ai, err1 := strconv.ParseInt(as, 10, 64)
	bi, err2 := strconv.ParseInt(bs, 10, 64)
	if err1 != nil || err2 != nil || ai != bi {
		return err1 == nil && err2 == nil && ai < bi
	}
	n := max(len(af), len(bf))
	return padRight(af, n) < padRight(bf, n)
}

func padRight(s string, n int) string { return s + strings.Repeat("0", n-len(s)) }

func messageKey(channel, ts string) string    { return "msg:" + channel + ":" + ts }
func threadKey(channel, thread string) string { return channel + ":" + thread }
