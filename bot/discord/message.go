package discord

import (
	"cmp"
	"context"
	"net/http"
	"regexp"
	"slices"
	"strings"

	"github.com/bwmarrin/discordgo"

	"github.com/byline-news/byline/bot"
)

// History limits: the latest messages before the question, one page.
const (
	historyTurns = 20
	turnMaxChars = 2000
)

// query is a question received as a message: a mention, a direct
// message, or a follow-up without a mention in a thread the bot answered
// in (visible only with the Message Content intent).
type query struct {
	msg      *discordgo.Message
	text     string // the content without the bot's mention
	dm       bool
	followup bool
}

// onMessageCreate answers the messages that are questions to the bot.
func (a *Adapter) onMessageCreate(_ *discordgo.Session, e *discordgo.MessageCreate) {
	q, ok := a.accept(e.Message)
	if !ok || a.seen.Seen("message:"+e.ID) {
		return
	}
	if err := a.work.Spawn("message", func(ctx context.Context) { a.answerMessage(ctx, q) }); err != nil {
		a.log.Info("discord message dropped", logMessage, e.ID, logErr, err)
	}
}

// accept reports whether m asks the bot something: it mentions the bot,
// is a direct message, or continues a thread the bot answered in without
// addressing anyone else or only reacting ("thanks!"). Bots, the bot
// itself included, webhooks and system messages are ignored.
func (a *Adapter) accept(m *discordgo.Message) (query, bool) {
	me := a.me().userID
	if m == nil || m.Author == nil || m.Author.Bot || m.Author.System || m.Author.ID == me || m.WebhookID != "" || me == "" {
		return query{}, false
	}
	if m.Type != discordgo.MessageTypeDefault && m.Type != discordgo.MessageTypeReply {
		return query{}, false
	}
	q := query{msg: m, dm: m.GuildID == "", text: withoutMention(m.Content, me)}
	switch {
	case q.dm || mentions(m, me):
	case q.text != "" && len(m.Mentions) == 0 && len(m.MentionRoles) == 0 && !m.MentionEveryone &&
		!bot.OnlyReacts(q.text) && // "thanks!" to the thread needs no reply
		a.threads.Active(m.ChannelID): // last: it may read the database
		q.followup = true
	default:
		return query{}, false
	}
	return q, true
}

func mentions(m *discordgo.Message, userID string) bool {
	return slices.ContainsFunc(m.Mentions, func(u *discordgo.User) bool { return u != nil && u.ID == userID })
}

// withoutMention removes the bot's own mentions from message content.
func withoutMention(content, me string) string {
	content = strings.ReplaceAll(content, "<@"+me+">", " ")
	return strings.TrimSpace(strings.ReplaceAll(content, "<@!"+me+">", " "))
}

// answerMessage asks the core, with the thread's or direct-message
// conversation's earlier turns, or those of the reply chain the message
// continues, and replies to the message.
func (a *Adapter) answerMessage(ctx context.Context, q query) {
	m := q.msg
	thread := !q.dm && (q.followup || a.isThread(ctx, m.ChannelID))
	ask := bot.Message{Platform: "discord", Workspace: m.GuildID, Channel: m.ChannelID, User: m.Author.ID, Text: q.text,
		Admin: a.admin(m.Author.ID), BotName: a.me().name} // messages carry no permissions: listed IDs only
	switch {
	case thread || q.dm:
		ask.History = a.history(ctx, m.ChannelID, m.ID)
		if thread {
			ask.Thread, ask.Channel = m.ChannelID, a.scopeChannel(ctx, m.ChannelID)
		}
	case m.MessageReference != nil:
		ask.History, _ = a.convos.Get(m.MessageReference.MessageID)
	}
	// A streamed answer shows in a reply of its own, created by the
	// first partial answer and edited by the others.
	var sent *discordgo.Message
	l := &live{ctx: ctx, log: a.log.With(logMessage, m.ID, logChannel, m.ChannelID),
		open: func(ctx context.Context, pm message) (err error) {
			sent, err = a.reply(ctx, m, pm)
			return err
		},
		update: func(ctx context.Context, pm message) error {
			_, err := a.sess.ChannelMessageEditComplex(pm.messageEdit(sent.ChannelID, sent.ID), discordgo.WithContext(ctx))
			return err
		},
	}
	ask.Partial = l.partial
	r := bot.Ask(ctx, a.log, a.h.Handle, ask)
	streamed := l.stop()
	dctx, cancel := bot.CleanupContext(ctx) // a timed-out answer still says so
	defer cancel()
	to := dest{Guild: m.GuildID, Channel: m.ChannelID, User: m.Author.ID}
	final := a.render(r, a.remember(to, r))
	var err error
	if streamed && sent != nil {
		if err = a.editReply(dctx, sent, final); err != nil {
			// Never leave the asker with half an answer.
			a.log.Warn("discord answer not edited in, sending it anew", logMessage, m.ID, logChannel, m.ChannelID, logErr, err)
			sent, err = a.reply(dctx, m, final)
		}
	} else {
		sent, err = a.reply(dctx, m, final)
	}
	a.log.Info("discord reply", logMessage, m.ID, logChannel, m.ChannelID, logUser, m.Author.ID, logKind, r.Kind.String())
	if err != nil {
		a.log.Error("discord reply not delivered", logMessage, m.ID, logChannel, m.ChannelID, logErr, err)
		return
	}
	if thread {
		a.threads.Mark(m.ChannelID)
	} else if !q.dm && sent != nil {
		a.convos.Put(sent.ID, conversation(ask.History, q.text, r))
	}
}

// conversation is history followed by the question and the reply, at
// most historyTurns turns, so a reply to the reply has its context.
func conversation(history []bot.Turn, question string, r bot.Reply) []bot.Turn {
	turns := append(slices.Clone(history), bot.Turn{Text: question}, bot.Turn{Text: r.Text, FromBot: true})
	return turns[max(0, len(turns)-historyTurns):]
}

// reply posts m in answer to the message to. When Discord rejects the
// embed or buttons (400), the text is sent alone, so the asker always
// gets an answer.
func (a *Adapter) reply(ctx context.Context, to *discordgo.Message, m message) (*discordgo.Message, error) {
	no := false
	ref := &discordgo.MessageReference{MessageID: to.ID, ChannelID: to.ChannelID, GuildID: to.GuildID, FailIfNotExists: &no}
	sent, err := a.post(ctx, to.ChannelID, m.send(ref))
	if httpStatus(err) == http.StatusBadRequest && (len(m.embeds) > 0 || len(m.components) > 0) {
		a.log.Warn("discord rejected the message, sending its text only", logChannel, to.ChannelID, logErr, err)
		sent, err = a.post(ctx, to.ChannelID, m.textOnly().send(ref))
	}
	return sent, err
}

// editReply replaces the message sent, a reply of the bot's, with m,
// waiting out rate limits. When Discord rejects the embeds or buttons
// (400), the text is sent alone.
func (a *Adapter) editReply(ctx context.Context, sent *discordgo.Message, m message) error {
	edit := func(m message) error {
		return a.retry(ctx, "PATCH /channels/{id}/messages/{id}", func() error {
			_, err := a.sess.ChannelMessageEditComplex(m.messageEdit(sent.ChannelID, sent.ID), discordgo.WithContext(ctx))
			return err
		})
	}
	err := edit(m)
	if httpStatus(err) == http.StatusBadRequest && (len(m.embeds) > 0 || len(m.components) > 0) {
		a.log.Warn("discord rejected the edit, sending its text only", logChannel, sent.ChannelID, logErr, err)
		err = edit(m.textOnly())
	}
	return err
}

// post sends a channel message, waiting out rate limits.
func (a *Adapter) post(ctx context.Context, channel string, data *discordgo.MessageSend) (*discordgo.Message, error) {
	var sent *discordgo.Message
	err := a.retry(ctx, "POST /channels/{id}/messages", func() (err error) {
		sent, err = a.sess.ChannelMessageSendComplex(channel, data, discordgo.WithContext(ctx))
		return err
	})
	return sent, err
}

// history returns the messages before the one with ID before in channel
// as turns, oldest first; on failure (say, no Read Message History
// permission) it logs and returns none, so the question is still
// answered.
func (a *Adapter) history(ctx context.Context, channel, before string) []bot.Turn {
	var msgs []*discordgo.Message
	err := a.retry(ctx, "GET /channels/{id}/messages", func() (err error) {
		msgs, err = a.sess.ChannelMessages(channel, historyTurns, before, "", "", discordgo.WithContext(ctx))
		return err
	})
	if err != nil {
		a.log.Warn("discord history unavailable", logChannel, channel, logErr, err)
		return nil
	}
	return a.turns(msgs)
}

// turns converts messages, newest first as Discord lists them, into
// turns, oldest first: the bot's own are marked; other bots', system
// messages, messages addressed to other people and messages without
// text (the Message Content intent hides it) are left out.
func (a *Adapter) turns(msgs []*discordgo.Message) []bot.Turn {
	me := a.me().userID
	var out []bot.Turn
	for _, m := range slices.Backward(msgs) {
		if m == nil || m.Author == nil || (m.Author.Bot && m.Author.ID != me) ||
			(m.Type != discordgo.MessageTypeDefault && m.Type != discordgo.MessageTypeReply) {
			continue
		}
		ours := m.Author.ID == me
		if !ours && len(m.Mentions) > 0 && !mentions(m, me) {
			continue // said to someone else, as accept would have judged it
		}
		text := withoutMention(m.Content, me)
		if ours {
			text = unescape(cmp.Or(withoutNoteLine(text), generatedText(m)))
		}
		if text = fit(text, turnMaxChars); text != "" {
			out = append(out, bot.Turn{User: m.Author.ID, Text: text, FromBot: ours})
		}
	}
	return out
}

// withoutNoteLine is one of the bot's answers without its subtext line
// (noteLine): what was searched and the note are not part of the answer.
func withoutNoteLine(content string) string {
	if rest, ok := strings.CutPrefix(content, "-# "); ok {
		_, answer, _ := strings.Cut(rest, "\n")
		return answer
	}
	return content
}

// linkedCitation is a citation as linkCitations links it.
var linkedCitation = regexp.MustCompile(`\[\[(\d+)\]\]\(<[^>]*>\)`)

// generatedText is the answer of one of the bot's generated answers,
// which is in its first embed rather than its content, with citations
// unlinked; "" for other messages.
func generatedText(m *discordgo.Message) string {
	if len(m.Embeds) == 0 || m.Embeds[0] == nil || m.Embeds[0].Footer == nil || !strings.HasSuffix(m.Embeds[0].Footer.Text, generatedFooter) {
		return ""
	}
	return linkedCitation.ReplaceAllString(m.Embeds[0].Description, `\[$1\]`)
}

// escaped is a backslash escape or the zero-width space escape adds.
var escaped = regexp.MustCompile(`\\([^\p{L}\p{N}\s])|@\x{200b}`)

// unescape undoes escape, for the bot's own messages read back.
func unescape(s string) string {
	return escaped.ReplaceAllStringFunc(s, func(m string) string { return strings.TrimPrefix(strings.TrimSuffix(m, "\u200b"), `\`) })
}

// chanKind is what the adapter remembers of a channel: whether it is a
// thread, and the channel a thread belongs to.
type chanKind struct {
	thread bool
	parent string
}

// isThread reports whether channel is a thread: from the gateway's
// state, else asked once and remembered.
func (a *Adapter) isThread(ctx context.Context, channel string) bool {
	return a.channelKind(ctx, channel).thread
}

// scopeChannel is the channel whose sources a question asked in channel
// searches: a thread's parent, since a Discord thread is a channel of
// its own.
func (a *Adapter) scopeChannel(ctx context.Context, channel string) string {
	if k := a.channelKind(ctx, channel); k.thread && k.parent != "" {
		return k.parent
	}
	return channel
}

func (a *Adapter) channelKind(ctx context.Context, channel string) chanKind {
	if ch, err := a.sess.State.Channel(channel); err == nil {
		return chanKind{ch.IsThread(), ch.ParentID}
	}
	if v, ok := a.kinds.Get(channel); ok {
		return v
	}
	var ch *discordgo.Channel
	err := a.retry(ctx, "GET /channels/{id}", func() (err error) {
		ch, err = a.sess.Channel(channel, discordgo.WithContext(ctx))
		return err
	})
	if err != nil {
		a.log.Warn("discord channel type unknown", logChannel, channel, logErr, err)
		return chanKind{}
	}
	k := chanKind{ch.IsThread(), ch.ParentID}
	a.kinds.Put(channel, k)
	return k
}
