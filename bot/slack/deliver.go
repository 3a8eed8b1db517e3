package slack

import (
	"context"

	"github.com/byline-news/byline/bot"
)

// dest is where a reply goes.
type dest struct {
	team, channel, user string
	thread              string // thread_ts to reply in; "" = top level
	dm                  bool
	responseURL         string // slash commands answer here
}

// private reports whether a reply of kind k is only for the asker.
func private(k bot.Kind) bool {
	switch k {
	case bot.KindRateLimited, bot.KindRejected, bot.KindError, bot.KindAdmin:
		return true
	}
	return false
}

// deliver posts r to d so that the asker always sees it: a refusal or
// error goes to the asker alone, falling back to a thread reply, and
// blocks Slack rejects fall back to plain text. It reports whether the
// reply was posted publicly.
func (a *Adapter) deliver(ctx context.Context, d dest, r bot.Reply) bool {
	m := render(r, a.renderOpts(d, r))
	a.log.Info("slack reply", logKeyChannel, d.channel, logKeyUser, d.user, logKeyThread, d.thread, logKeyKind, r.Kind.String())
	if d.responseURL != "" {
		a.logFailure(d, a.deliverCommand(ctx, d, r.Kind, m))
		return false
	}
	if private(r.Kind) && !d.dm {
		err := a.postEphemeral(ctx, d.channel, d.user, d.thread, m)
		if err == nil {
			return false
		}
		a.log.Warn("slack ephemeral reply failed, replying in thread", logKeyChannel, d.channel, logKeyErr, err)
	}
	err := a.postWithFallback(ctx, d.channel, d.thread, m)
	a.logFailure(d, err)
	return err == nil
}

// renderOpts picks the extras for r: buttons on answers, a share button
// on ephemeral slash answers, Slack usage on help.
func (a *Adapter) renderOpts(d dest, r bot.Reply) renderOpts {
	var o renderOpts
	if r.Kind == bot.KindAnswer {
		o.id = a.remember(d, r)
		o.share = d.responseURL != "" && a.ephemeral()
	}
	if r.Kind == bot.KindHelp {
		o.usage = a.usage()
	}
	return o
}

// deliverCommand answers a slash command at its response_url, or as an
// ephemeral message when that fails (expired, or used up).
func (a *Adapter) deliverCommand(ctx context.Context, d dest, k bot.Kind, m message) error {
	ephemeral := a.ephemeral() || k != bot.KindAnswer
	err := a.respond(ctx, d.responseURL, ephemeral, m)
	if err == nil {
		return nil
	}
	a.log.Warn("slack response_url failed, posting ephemeral", logKeyChannel, d.channel, logKeyErr, err)
	return a.postEphemeral(ctx, d.channel, d.user, "", m)
}

// postWithFallback posts m, and only its text if Slack rejects the blocks.
func (a *Adapter) postWithFallback(ctx context.Context, channel, thread string, m message) error {
	err := a.post(ctx, channel, thread, m)
	if err != nil && len(m.blocks) > 0 &&
		isSlackError(err, "invalid_blocks", "invalid_blocks_format", "msg_blocks_too_long", "msg_too_long") {
		a.log.Warn("slack blocks rejected, posting plain text", logKeyChannel, channel, logKeyErr, err)
		return a.post(ctx, channel, thread, message{text: m.text})
	}
	return err
}

func (a *Adapter) logFailure(d dest, err error) {
	if err != nil {
		a.log.Error("slack reply not delivered", logKeyChannel, d.channel, logKeyUser, d.user, logKeyErr, err)
	}
}
