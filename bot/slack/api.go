package slack

import (
	"context"
	"errors"
	"fmt"
	"time"

	slackgo "github.com/slack-go/slack"

	"github.com/byline-news/byline/bot"
)

// Rate-limit handling: Slack answers 429 with Retry-After in seconds.
const (
	maxRateLimitRetries = 3
	minRetryWait        = time.Second
	maxRetryWait        = 30 * time.Second
)

// retry runs call, and again after the wait Slack asks for when it is
// rate limited, at most maxRateLimitRetries times.
func (a *Adapter) retry(ctx context.Context, method string, call func(context.Context) error) error {
	for attempt := 1; ; attempt++ {
		err := call(ctx)
		rl, ok := errors.AsType[*slackgo.RateLimitedError](err)
		if !ok || attempt > maxRateLimitRetries {
			return err
		}
		wait := min(max(rl.RetryAfter, minRetryWait), maxRetryWait)
		a.log.Warn("slack rate limited", logKeyMethod, method, logKeyWait, wait, logKeyRetry, attempt)
		if err := bot.Sleep(ctx, wait); err != nil {
			return fmt.Errorf("waiting to retry %s: %w", method, err)
		}
	}
}

// message is a rendered Slack message: blocks and the fallback text that
// notifications and old clients show.
type message struct {
	blocks []slackgo.Block
	text   string
}

// options are the message's parts as slack-go options.
func (m message) options() []slackgo.MsgOption {
	opts := []slackgo.MsgOption{slackgo.MsgOptionText(m.text, false)}
	if len(m.blocks) > 0 {
		opts = append(opts, slackgo.MsgOptionBlocks(m.blocks...))
	}
	return opts
}

// post sends m to channel, in thread when threadTS is set, with link and
// media previews off (several sources would unfurl into a wall), and
// returns the new message's ts.
func (a *Adapter) post(ctx context.Context, channel, threadTS string, m message) (string, error) {
	var ts string
	err := a.retry(ctx, "chat.postMessage", func(ctx context.Context) (err error) {
		ts, err = a.postOnce(ctx, channel, threadTS, m)
		return err
	})
	if err != nil {
		return "", fmt.Errorf("chat.postMessage to %s: %w", channel, err)
	}
	return ts, nil
}

// postOnce is post without waiting out a rate limit: a streamed partial
// answer that Slack refuses is skipped, not retried.
func (a *Adapter) postOnce(ctx context.Context, channel, threadTS string, m message) (string, error) {
	opts := append(m.options(), slackgo.MsgOptionDisableLinkUnfurl(), slackgo.MsgOptionDisableMediaUnfurl())
	if threadTS != "" {
		opts = append(opts, slackgo.MsgOptionTS(threadTS))
	}
	_, ts, err := a.api.PostMessageContext(ctx, channel, opts...)
	return ts, err
}

// update replaces the message at ts in channel with m (chat.update).
func (a *Adapter) update(ctx context.Context, channel, ts string, m message) error {
	err := a.retry(ctx, "chat.update", func(ctx context.Context) error { return a.updateOnce(ctx, channel, ts, m) })
	if err != nil {
		return fmt.Errorf("chat.update of %s in %s: %w", ts, channel, err)
	}
	return nil
}

// updateOnce is update without waiting out a rate limit. The blocks are
// always sent, empty ones too: chat.update keeps a message's blocks when
// the field is left out.
func (a *Adapter) updateOnce(ctx context.Context, channel, ts string, m message) error {
	_, _, _, err := a.api.UpdateMessageContext(ctx, channel, ts,
		slackgo.MsgOptionText(m.text, false), slackgo.MsgOptionBlocks(m.blocks...))
	return err
}

// remove deletes the bot's own message at ts. Failures are logged only.
func (a *Adapter) remove(ctx context.Context, channel, ts string) {
	err := a.retry(ctx, "chat.delete", func(ctx context.Context) error {
		_, _, err := a.api.DeleteMessageContext(ctx, channel, ts)
		return err
	})
	if err != nil && !isSlackError(err, "message_not_found") {
		a.log.Warn("slack message not deleted", logKeyChannel, channel, logKeyTS, ts, logKeyErr, err)
	}
}

// postEphemeral shows m to user only, in thread when threadTS is set.
func (a *Adapter) postEphemeral(ctx context.Context, channel, user, threadTS string, m message) error {
	opts := m.options()
	if threadTS != "" {
		opts = append(opts, slackgo.MsgOptionTS(threadTS))
	}
	err := a.retry(ctx, "chat.postEphemeral", func(ctx context.Context) error {
		_, err := a.api.PostEphemeralContext(ctx, channel, user, opts...)
		return err
	})
	if err != nil {
		return fmt.Errorf("chat.postEphemeral to %s: %w", channel, err)
	}
	return nil
}

// respond posts m to a slash command's or a button's response_url,
// replacing the message posted there before when replace is set.
func (a *Adapter) respond(ctx context.Context, responseURL string, ephemeral, replace bool, m message) error {
	err := a.retry(ctx, "response_url", func(ctx context.Context) error {
		return a.respondOnce(ctx, responseURL, ephemeral, replace, m)
	})
	if err != nil {
		return fmt.Errorf("posting to response_url: %w", err)
	}
	return nil
}

// respondOnce is respond without waiting out a rate limit.
func (a *Adapter) respondOnce(ctx context.Context, responseURL string, ephemeral, replace bool, m message) error {
	kind := slackgo.ResponseTypeInChannel
	if ephemeral {
		kind = slackgo.ResponseTypeEphemeral
	}
	opts := append(m.options(), slackgo.MsgOptionResponseURL(responseURL, kind))
	if replace {
		opts = append(opts, slackgo.MsgOptionReplaceOriginal(responseURL))
	}
	_, _, err := a.api.PostMessageContext(ctx, "", opts...)
	return err
}

// respondDelete deletes the message posted at a response_url before.
// Failures are logged only.
func (a *Adapter) respondDelete(ctx context.Context, responseURL string) {
	err := a.retry(ctx, "response_url", func(ctx context.Context) error {
		_, _, err := a.api.PostMessageContext(ctx, "", slackgo.MsgOptionDeleteOriginal(responseURL))
		return err
	})
	if err != nil {
		a.log.Warn("slack response_url delete failed", logKeyErr, err)
	}
}

// reactTimeout bounds each reactions.add and reactions.remove call.
const reactTimeout = 10 * time.Second

// working shows 👀 on the message at ts while the bot works on it, in
// the background: the reaction is decoration, so it never delays or
// cancels the answer, and it is never retried (a rate-limited reaction
// is skipped, not waited for). The returned done removes it, also in the
// background, once the add has finished, and only if it succeeded.
func (a *Adapter) working(ctx context.Context, channel, ts string) (done func()) {
	ctx = context.WithoutCancel(ctx) // the answer ending must not cut the reaction off half-way
	added := make(chan bool, 1)
	a.decorate(func() { added <- a.react(ctx, "eyes", channel, ts, true) })
	return func() {
		a.decorate(func() {
			if <-added {
				a.react(ctx, "eyes", channel, ts, false)
			}
		})
	}
}

// decorate runs fn in the background unless the adapter is shutting
// down, in which case fn is dropped.
func (a *Adapter) decorate(fn func()) {
	a.decorMu.Lock()
	defer a.decorMu.Unlock()
	if a.decorClosed {
		return
	}
	a.decor.Go(fn)
}

// react adds or removes the bot's emoji reaction on a message, once,
// and reports whether the reaction is now as asked. Failures are logged
// only.
func (a *Adapter) react(ctx context.Context, emoji, channel, ts string, add bool) bool {
	ctx, cancel := context.WithTimeout(ctx, reactTimeout)
	defer cancel()
	method, call := "reactions.add", a.api.AddReactionContext
	if !add {
		method, call = "reactions.remove", a.api.RemoveReactionContext
	}
	err := call(ctx, emoji, slackgo.NewRefToMessage(channel, ts))
	if err == nil || isSlackError(err, "already_reacted", "no_reaction") {
		return true
	}
	a.log.Warn("slack reaction failed (not retried)", logKeyMethod, method, logKeyChannel, channel, logKeyTS, ts, logKeyErr, err)
	return false
}

// isSlackError reports whether err is a Web API error with one of codes.
func isSlackError(err error, codes ...string) bool {
	e, ok := errors.AsType[slackgo.SlackErrorResponse](err)
	if !ok {
		return false
	}
	for _, c := range codes {
		if e.Err == c {
			return true
		}
	}
	return false
}
