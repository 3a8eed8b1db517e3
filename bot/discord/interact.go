package discord

import (
	"cmp"
	"context"
	"slices"
	"strings"
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
	run       func(ctx context.Context) message
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

// handoff passes a job's message from the worker to the responder, and
// the responder's choice back: true when it deferred, so the worker must
// edit the original response.
type handoff struct {
	ready    chan struct{} // closed once msg is set
	msg      message
	deferred chan bool
}

// respond answers ia with j's message: directly when it is ready within
// a.direct, otherwise with a deferral (type 5) at once and an edit of
// the original response when it is ready. It returns once the initial
// response is sent.
func (a *Adapter) respond(ia *discordgo.Interaction, j job, send sender) {
	h := &handoff{ready: make(chan struct{}), deferred: make(chan bool, 1)}
	err := a.work.Spawn(j.task, func(ctx context.Context) {
		h.msg = j.run(ctx)
		close(h.ready)
		if <-h.deferred {
			ectx, cancel := bot.CleanupContext(ctx)
			defer cancel()
			a.editOriginal(ectx, ia, h.msg)
		}
	})
	if err != nil {
		a.sendNow(ia, send, message{content: closingText}, true)
		return
	}
	timer := time.NewTimer(a.direct)
	defer timer.Stop()
	select {
	case <-h.ready:
	case <-timer.C:
	}
	select {
	case <-h.ready:
		h.deferred <- false
		a.sendNow(ia, send, h.msg, j.ephemeral || h.msg.private)
	default:
		resp := &discordgo.InteractionResponse{Type: discordgo.InteractionResponseDeferredChannelMessageWithSource}
		if j.ephemeral {
			resp.Data = &discordgo.InteractionResponseData{Flags: discordgo.MessageFlagsEphemeral}
		}
		err := send(resp)
		a.logSent(ia, err)
		h.deferred <- err == nil
	}
}

// sendNow answers ia with m as its initial response (type 4).
func (a *Adapter) sendNow(ia *discordgo.Interaction, send sender, m message, ephemeral bool) {
	a.logSent(ia, send(&discordgo.InteractionResponse{
		Type: discordgo.InteractionResponseChannelMessageWithSource, Data: m.responseData(ephemeral),
	}))
}

// editOriginal replaces the deferred response with m.
func (a *Adapter) editOriginal(ctx context.Context, ia *discordgo.Interaction, m message) {
	appID := cmp.Or(ia.AppID, a.me().appID)
	if err := a.api.editOriginal(ctx, appID, ia.Token, m.edit()); err != nil {
		a.log.Error("discord answer not delivered", logInteraction, ia.ID, logChannel, ia.ChannelID, logErr, err)
	}
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
	to := dest{guild: ia.GuildID, channel: ia.ChannelID, user: userOf(ia)}
	return job{task: "news", ephemeral: a.opt.Ephemeral, run: func(ctx context.Context) message {
		r := bot.Ask(ctx, a.log, a.h.Handle, bot.Message{Platform: "discord", Workspace: to.guild, Channel: to.channel,
			User: to.user, Text: strings.TrimSpace(question), Admin: a.interactionAdmin(ia)})
		a.log.Info("discord reply", logInteraction, ia.ID, logChannel, to.channel, logKind, r.Kind.String())
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
