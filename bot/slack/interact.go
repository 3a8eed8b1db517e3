package slack

import (
	"cmp"
	"context"

	slackgo "github.com/slack-go/slack"
)

// onInteraction handles button clicks on the bot's answers: share in
// channel, 👍 and 👎. Each click is handled once even if redelivered.
func (a *Adapter) onInteraction(cb slackgo.InteractionCallback) error {
	if cb.Type != slackgo.InteractionTypeBlockActions {
		return nil
	}
	for _, act := range cb.ActionCallback.BlockActions {
		if a.seen.Seen("action:" + cb.User.ID + ":" + act.ActionID + ":" + act.ActionTs + ":" + act.Value) {
			continue
		}
		a.log.Info("slack button", logKeyAction, act.ActionID, logKeyUser, cb.User.ID)
		id := act.Value
		var err error
		switch act.ActionID {
		case actionShare:
			err = a.work.Spawn("share", func(ctx context.Context) { a.onShare(ctx, cb, id) })
		case actionHelpful, actionUnhelpful:
			helpful := act.ActionID == actionHelpful
			err = a.work.Spawn("feedback", func(ctx context.Context) { a.onFeedback(ctx, cb, id, helpful) })
		}
		if err != nil {
			return err
		}
	}
	return nil
}

// onShare posts the answer with ID id in the channel where it was asked,
// for everyone, with feedback buttons but no share button.
func (a *Adapter) onShare(ctx context.Context, cb slackgo.InteractionCallback, id string) {
	rec, ok := a.answers.Get(id)
	if !ok {
		a.tell(ctx, cb, shareGoneText)
		return
	}
	channel := cmp.Or(cb.Channel.ID, cb.Container.ChannelID, rec.Channel)
	m := render(rec.Reply, renderOpts{id: id, sharedBy: cb.User.ID})
	if err := a.postWithFallback(ctx, channel, "", m); err != nil {
		a.log.Warn("slack share failed", logKeyChannel, channel, logKeyUser, cb.User.ID, logKeyErr, err)
		a.tell(ctx, cb, shareFailText)
	}
}
