package discord

import (
	"cmp"
	"context"
	"errors"
	"net/http"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/bwmarrin/discordgo"

	"github.com/byline-news/byline/bot"
)

// callbackTimeout bounds sending an initial response over REST: the
// interaction is invalid after three seconds anyway.
const callbackTimeout = 3 * time.Second

// Texts for interactions answered without the core.
const (
	closingText = "I'm restarting right now. Please ask again in a moment."
	unknownText = "I only know /" + CommandName + "."
)

// sender delivers an interaction's initial response: as the HTTP
// response, or over REST for gateway interactions.
type sender func(*discordgo.InteractionResponse) error

// job is an interaction's work, run in the background.
type job struct {
	task      string
	ephemeral bool // the deferral, and so the answer, for the asker only
	// run computes the message; it may call partial with the answer so
	// far while a model writes it.
	run func(ctx context.Context, partial func(text string)) message
}

// onInteractionCreate answers an interaction received over the gateway.
func (a *Adapter) onInteractionCreate(_ *discordgo.Session, e *discordgo.InteractionCreate) {
	ia := e.Interaction
	if ia == nil || a.seen.Seen("interaction:"+ia.ID) {
		return // a resumed session may replay it
	}
	a.onInteraction(ia, func(resp *discordgo.InteractionResponse) error {
		ctx, cancel := context.WithTimeout(context.Background(), callbackTimeout)
		defer cancel()
		return a.api.callback(ctx, ia, resp)
	})
}

// onInteraction answers a command, button click or autocomplete request
// with send, and reports false for any other interaction.
func (a *Adapter) onInteraction(ia *discordgo.Interaction, send sender) bool {
	a.log.Info("discord interaction", logInteraction, ia.ID, logKind, ia.Type.String(),
		logGuild, ia.GuildID, logChannel, ia.ChannelID, logUser, userOf(ia))
	switch ia.Type {
	case discordgo.InteractionApplicationCommand:
		if d, ok := ia.Data.(discordgo.ApplicationCommandInteractionData); ok && d.Name == CommandName {
			a.respond(ia, a.newsJob(ia, d), send)
		} else {
			a.sendNow(ia, send, message{content: unknownText}, true)
		}
	case discordgo.InteractionMessageComponent:
		d, _ := ia.Data.(discordgo.MessageComponentInteractionData)
		if id, helpful, ok := parseFeedbackID(d.CustomID); ok {
			a.respond(ia, a.feedbackJob(ia, id, helpful), send)
		} else { // not ours: acknowledge without changing anything
			a.logSent(ia, send(&discordgo.InteractionResponse{Type: discordgo.InteractionResponseDeferredMessageUpdate}))
		}
	case discordgo.InteractionApplicationCommandAutocomplete:
		a.logSent(ia, send(&discordgo.InteractionResponse{Type: discordgo.InteractionApplicationCommandAutocompleteResult,
			Data: &discordgo.InteractionResponseData{Choices: []*discordgo.ApplicationCommandOptionChoice{}}}))
	default:
		return false
	}
	return true
}

// initial is how an interaction's initial response went.
type initial int

const (
	initialNone     initial = iota // none was sent: there is nothing to edit
	initialFinal                   // the final message itself (type 4)
	initialPartial                 // a partial answer (type 4): edit it
	initialDeferred                // a deferral (type 5): edit it
)

// handoff passes messages from the worker to the responder, and the
// responder's initial response back.
type handoff struct {
	ready   chan struct{} // closed once msg is set
	msg     message
	first   chan message // the first partial answer (buffered)
	sent    chan initial // the initial response, sent once (buffered)
	initial func() initial
}

func newHandoff() *handoff {
	h := &handoff{ready: make(chan struct{}), first: make(chan message, 1), sent: make(chan initial, 1)}
	h.initial = sync.OnceValue(func() initial { return <-h.sent })
	return h
}

// respond answers ia with j's message: directly when it is ready within
// a.direct, otherwise with a deferral (type 5) at once and an edit of
// the original response when it is ready. A partial answer (a model
// streaming) that comes before either is sent as the initial response
// (type 4); later ones, and the final message, edit it. It returns once
// the initial response is sent.
func (a *Adapter) respond(ia *discordgo.Interaction, j job, send sender) {
	h := newHandoff()
	err := a.work.Spawn(j.task, func(ctx context.Context) {
		l := &live{ctx: ctx, log: a.log.With(logInteraction, ia.ID),
			open: func(ctx context.Context, m message) error {
				h.first <- m
				switch h.initial() {
				case initialPartial:
					return nil
				case initialDeferred: // the deferral is the message to edit
					if err := a.showOriginal(ctx, ia, m); err != nil {
						if gone(err) {
							return err
						}
						a.log.Warn("discord partial answer not shown", logInteraction, ia.ID, logErr, err)
					}
					return nil
				}
				return errNotResponded
			},
			update: func(ctx context.Context, m message) error { return a.showOriginal(ctx, ia, m) },
		}
		h.msg = j.run(ctx, l.partial)
		streamed := l.stop()
		close(h.ready)
		if k := h.initial(); k == initialPartial || k == initialDeferred {
			ectx, cancel := bot.CleanupContext(ctx)
			defer cancel()
			a.finish(ectx, ia, h.msg, streamed, j.ephemeral)
		}
	})
	if err != nil {
		a.sendNow(ia, send, message{content: closingText}, true)
		return
	}
	timer := time.NewTimer(a.direct)
	defer timer.Stop()
	var first *message
	select {
	case <-h.ready:
	case m := <-h.first:
		first = &m
	case <-timer.C:
	}
	if first == nil {
		select {
		case m := <-h.first:
			first = &m
		default:
		}
	}
	// While a partial answer waits for h.sent, the final one cannot be
	// ready: the worker waits for the partial first.
	switch {
	case first != nil:
		err := send(&discordgo.InteractionResponse{
			Type: discordgo.InteractionResponseChannelMessageWithSource, Data: first.responseData(j.ephemeral),
		})
		a.logSent(ia, err)
		h.sent <- cond(err == nil, initialPartial, initialNone)
	case isClosed(h.ready):
		h.sent <- initialFinal
		a.sendNow(ia, send, h.msg, j.ephemeral || h.msg.private)
	default:
		resp := &discordgo.InteractionResponse{Type: discordgo.InteractionResponseDeferredChannelMessageWithSource}
		if j.ephemeral {
			resp.Data = &discordgo.InteractionResponseData{Flags: discordgo.MessageFlagsEphemeral}
		}
		err := send(resp)
		a.logSent(ia, err)
		h.sent <- cond(err == nil, initialDeferred, initialNone)
	}
}

// errNotResponded is a partial answer to an interaction whose initial
// response failed.
var errNotResponded = errors.New("the interaction has no initial response to edit")

func isClosed(c chan struct{}) bool {
	select {
	case <-c:
		return true
	default:
		return false
	}
}

func cond[T any](ok bool, yes, no T) T {
	if ok {
		return yes
	}
	return no
}

// sendNow answers ia with m as its initial response (type 4).
func (a *Adapter) sendNow(ia *discordgo.Interaction, send sender, m message, ephemeral bool) {
	a.logSent(ia, send(&discordgo.InteractionResponse{
		Type: discordgo.InteractionResponseChannelMessageWithSource, Data: m.responseData(ephemeral),
	}))
}

// finish replaces the deferred or partial response with m. When that
// fails after a partial answer was shown, m is sent as a follow-up
// message, so the asker is never left with half an answer.
func (a *Adapter) finish(ctx context.Context, ia *discordgo.Interaction, m message, streamed, ephemeral bool) {
	err := a.editOriginal(ctx, ia, m)
	if err != nil && streamed {
		a.log.Warn("discord answer not edited in, sending it as a follow-up", logInteraction, ia.ID, logErr, err)
		err = a.api.followup(ctx, cmp.Or(ia.AppID, a.me().appID), ia.Token, m.followup(ephemeral || m.private))
	}
	if err != nil {
		a.log.Error("discord answer not delivered", logInteraction, ia.ID, logChannel, ia.ChannelID, logErr, err)
	}
}

// editOriginal replaces the original response with m. When Discord
// rejects the embeds or buttons (400), the text is sent alone.
func (a *Adapter) editOriginal(ctx context.Context, ia *discordgo.Interaction, m message) error {
	appID := cmp.Or(ia.AppID, a.me().appID)
	err := a.api.editOriginal(ctx, appID, ia.Token, m.edit())
	if httpStatus(err) == http.StatusBadRequest && (len(m.embeds) > 0 || len(m.components) > 0) {
		a.log.Warn("discord rejected the answer, sending its text only", logInteraction, ia.ID, logErr, err)
		err = a.api.editOriginal(ctx, appID, ia.Token, m.textOnly().edit())
	}
	return err
}

// showOriginal edits the original response to show a partial answer.
func (a *Adapter) showOriginal(ctx context.Context, ia *discordgo.Interaction, m message) error {
	return a.api.showOriginal(ctx, cmp.Or(ia.AppID, a.me().appID), ia.Token, m.edit())
}

func (a *Adapter) logSent(ia *discordgo.Interaction, err error) {
	if err != nil {
		a.log.Error("discord interaction response failed", logInteraction, ia.ID, logChannel, ia.ChannelID, logErr, err)
	}
}

// newsJob answers /news.
func (a *Adapter) newsJob(ia *discordgo.Interaction, d discordgo.ApplicationCommandInteractionData) job {
	var question string
	for _, o := range d.Options {
		if o.Name == optionQuestion && o.Type == discordgo.ApplicationCommandOptionString {
			question, _ = o.Value.(string)
		}
	}
	to := dest{Guild: ia.GuildID, Channel: ia.ChannelID, User: userOf(ia)}
	return job{task: "news", ephemeral: a.opt.Ephemeral, run: func(ctx context.Context, partial func(string)) message {
		ch := to.Channel
		if a.sess != nil { // a thread answers from its channel's sources (asking needs the bot token)
			ch = a.scopeChannel(ctx, ch)
		}
		r := bot.Ask(ctx, a.log, a.h.Handle, bot.Message{Platform: "discord", Workspace: to.Guild, Channel: ch,
			User: to.User, Text: strings.TrimSpace(question), Admin: a.interactionAdmin(ia), Partial: partial})
		a.log.Info("discord reply", logInteraction, ia.ID, logChannel, to.Channel, logKind, r.Kind.String())
		return a.render(r, a.remember(to, r))
	}}
}

// userOf is the ID of the user who caused ia: a member in a server, a
// user in direct messages.
func userOf(ia *discordgo.Interaction) string {
	if ia.Member != nil && ia.Member.User != nil {
		return ia.Member.User.ID
	}
	if ia.User != nil {
		return ia.User.ID
	}
	return ""
}

// interactionAdmin reports whether the user who caused ia may add
// articles and feeds: a listed admin, or a server member whose
// permissions in the channel include Manage Server.
func (a *Adapter) interactionAdmin(ia *discordgo.Interaction) bool {
	if ia.Member != nil && ia.Member.Permissions&discordgo.PermissionManageGuild != 0 {
		return true
	}
	return a.admin(userOf(ia))
}

// admin reports whether user is one of Options.Admins.
func (a *Adapter) admin(user string) bool { return user != "" && slices.Contains(a.opt.Admins, user) }
