package slack

import (
	"context"
	"fmt"
	"strings"

	slackgo "github.com/slack-go/slack"

	"github.com/byline-news/byline/bot"
)

// ackPayload is the immediate reply to a slash command, shown while the answer
// is looked up.
type ackPayload struct {
	ResponseType string `json:"response_type"`
	Text         string `json:"text"`
}

// Texts for slash-command acknowledgements.
const (
	closingText = "I'm restarting right now. Please ask again in a moment."
)

// onCommand starts answering a slash command and returns what to
// acknowledge it with at once (nil: an empty acknowledgement). The answer
// itself goes to the command's response_url. A command whose trigger_id
// was seen before is acknowledged and not answered again: Slack's
// signature stays valid for five minutes, so a captured request could
// be replayed (and Socket Mode may redeliver an envelope).
func (a *Adapter) onCommand(cmd slackgo.SlashCommand) *ackPayload {
	if cmd.Command != a.opt.Command {
		a.log.Warn("slack unknown command", logKeyAction, cmd.Command)
		return &ackPayload{ResponseType: slackgo.ResponseTypeEphemeral, Text: fmt.Sprintf("I only know %s.", a.opt.Command)}
	}
	if cmd.TriggerID != "" && a.seen.Seen("trigger:"+cmd.TriggerID) {
		a.log.Warn("slack command seen before (replayed or redelivered): not answered again", logKeyTrigger, cmd.TriggerID, logKeyUser, cmd.UserID)
		return nil
	}
	text := userText(cmd.Text, a.me().userID)
	help := isHelpRequest(text)
	if help {
		text = "help"
	}
	d := dest{team: cmd.TeamID, channel: cmd.ChannelID, user: cmd.UserID, responseURL: cmd.ResponseURL}
	err := a.work.Spawn("command", func(ctx context.Context) { a.answerCommand(ctx, d, text) })
	if err != nil {
		return &ackPayload{ResponseType: slackgo.ResponseTypeEphemeral, Text: closingText}
	}
	if help {
		return nil
	}
	return &ackPayload{ResponseType: slackgo.ResponseTypeEphemeral, Text: "🔎 Looking into: " + escape(clip(text, maxQuoted))}
}

// isHelpRequest reports whether a command's text asks for usage.
func isHelpRequest(text string) bool {
	switch strings.ToLower(strings.Trim(text, " ?!.")) {
	case "", "help":
		return true
	}
	return false
}

// answerCommand asks the core and answers at the command's response_url.
func (a *Adapter) answerCommand(ctx context.Context, d dest, text string) {
	d.command = a.newCommandStream(ctx, d.responseURL)
	r := bot.Ask(ctx, a.log, a.h.Handle, bot.Message{
		Platform: "slack", Workspace: d.team, Channel: d.channel, User: d.user, Text: text, Admin: a.admin(d.user),
		BotName: a.me().name, Partial: d.command.show,
	})
	dctx, cancel := bot.CleanupContext(ctx)
	defer cancel()
	a.deliver(dctx, d, r)
}

// usage says how to ask in Slack; it follows the core's help text.
func (a *Adapter) usage() string {
	return fmt.Sprintf("In Slack: type `%s <question>`, mention me in a channel "+
		"(I reply in a thread, and follow-ups there need no mention), or send me a direct message.", a.opt.Command)
}
