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

	// A streamed answer's partial text, shown by one of these, is
	// replaced by the reply (nil: nothing was streamed).
	live    *placeholder   // thread replies and DMs
	command *commandStream // slash commands
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
// blocks Slack rejects fall back to plain text. A streamed answer's
// placeholder is edited into the reply, or, when that fails or the reply
// is for the asker alone, deleted once the reply is posted. It reports
// whether the reply was posted publicly.
func (a *Adapter) deliver(ctx context.Context, d dest, r bot.Reply) bool {
	m := render(r, a.renderOpts(d, r))
	a.log.Info("slack reply", logKeyChannel, d.channel, logKeyUser, d.user, logKeyThread, d.thread, logKeyKind, r.Kind.String())
	if d.responseURL != "" {
		a.logFailure(d, a.deliverCommand(ctx, d, r.Kind, m))
		return false
	}
	ts := d.live.finish()
	if ts != "" && (d.dm || !private(r.Kind)) {
		err := a.updateWithFallback(ctx, d.channel, ts, m)
		if err == nil {
			return true
		}
		a.log.Warn("slack streamed answer not edited, posting the reply anew", logKeyChannel, d.channel, logKeyTS, ts, logKeyErr, err)
	}
	public, err := a.deliverNew(ctx, d, r.Kind, m)
	a.logFailure(d, err)
	if ts != "" && err == nil {
		a.remove(ctx, d.channel, ts) // the partial answer must not stay beside the reply
	}
	return public
}

// deliverNew posts m as a new message: ephemeral for a private kind
// outside DMs, falling back to a public reply in the thread. It reports
// whether the message is public.
func (a *Adapter) deliverNew(ctx context.Context, d dest, k bot.Kind, m message) (bool, error) {
	if private(k) && !d.dm {
		err := a.postEphemeral(ctx, d.channel, d.user, d.thread, m)
		if err == nil {
			return false, nil
		}
		a.log.Warn("slack ephemeral reply failed, replying in thread", logKeyChannel, d.channel, logKeyErr, err)
	}
	err := a.postWithFallback(ctx, d.channel, d.thread, m)
	return err == nil, err
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

// deliverCommand answers a slash command at its response_url, in place
// of its streamed partial answer if one is shown, or as an ephemeral
// message when the response_url fails (expired, or used up).
func (a *Adapter) deliverCommand(ctx context.Context, d dest, k bot.Kind, m message) error {
	ephemeral := a.ephemeral() || k != bot.KindAnswer
	replace, shownEphemeral := d.command.finish()
	if replace && shownEphemeral != ephemeral {
		// Slack cannot turn an in-channel message into an ephemeral one:
		// take the partial answer down, then answer the asker alone.
		a.respondDelete(ctx, d.responseURL)
		replace = false
	}
	err := a.respond(ctx, d.responseURL, ephemeral, replace, m)
	if err == nil {
		return nil
	}
	a.log.Warn("slack response_url failed, posting ephemeral", logKeyChannel, d.channel, logKeyErr, err)
	return a.postEphemeral(ctx, d.channel, d.user, "", m)
}

// postWithFallback posts m, and only its text if Slack rejects the blocks.
func (a *Adapter) postWithFallback(ctx context.Context, channel, thread string, m message) error {
	return a.withTextFallback(channel, m, func(m message) error {
		_, err := a.post(ctx, channel, thread, m)
		return err
	})
}

// updateWithFallback edits the message at ts into m, and into only its
// text if Slack rejects the blocks.
func (a *Adapter) updateWithFallback(ctx context.Context, channel, ts string, m message) error {
	return a.withTextFallback(channel, m, func(m message) error { return a.update(ctx, channel, ts, m) })
}

// withTextFallback sends m, then only its text when Slack refuses the
// blocks, so a reply is never lost to a rendering limit.
func (a *Adapter) withTextFallback(channel string, m message, send func(message) error) error {
	err := send(m)
	if err != nil && len(m.blocks) > 0 && blocksRejected(err) {
		a.log.Warn("slack blocks rejected, sending plain text", logKeyChannel, channel, logKeyErr, err)
		err = send(message{text: m.text})
	}
	return err
}

// blocksRejected reports whether Slack refused a message for its blocks.
func blocksRejected(err error) bool {
	return isSlackError(err, "invalid_blocks", "invalid_blocks_format", "msg_blocks_too_long", "msg_too_long")
}

func (a *Adapter) logFailure(d dest, err error) {
	if err != nil {
		a.log.Error("slack reply not delivered", logKeyChannel, d.channel, logKeyUser, d.user, logKeyErr, err)
	}
}
