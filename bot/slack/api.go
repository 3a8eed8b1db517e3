package slack

import (
	"context"
	"errors"
	"fmt"
	"github.com/byline-news/byline/bot"
	"time"

	slackgo "github.com/slack-go/slack"
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
// media previews off (several sources would unfurl into a wall).
func (a *Adapter) post(ctx context.Context, channel, threadTS string, m message) error {
	opts := append(m.options(), slackgo.MsgOptionDisableLinkUnfurl(), slackgo.MsgOptionDisableMediaUnfurl())
	if threadTS != "" {
		opts = append(opts, slackgo.MsgOptionTS(threadTS))
	}
	err := a.retry(ctx, "chat.postMessage", func(ctx context.Context) error {
		_, _, err := a.api.PostMessageContext(ctx, channel, opts...)
		return err
	})
	if err != nil {
		return fmt.Errorf("chat.postMessage to %s: %w", channel, err)
	}
	return nil
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

// respond posts m to a slash command's or a button's response_url.
func (a *Adapter) respond(ctx context.Context, responseURL string, ephemeral bool, m message) error {
	kind := slackgo.ResponseTypeInChannel
	if ephemeral {
		kind = slackgo.ResponseTypeEphemeral
	}
	opts := append(m.options(), slackgo.MsgOptionResponseURL(responseURL, kind))
	err := a.retry(ctx, "response_url", func(ctx context.Context) error {
		_, _, err := a.api.PostMessageContext(ctx, "", opts...)
		return err
	})
	if err != nil {
		return fmt.Errorf("posting to response_url: %w", err)
	}
	return nil
}

// react adds or removes the bot's emoji reaction on a message. Failures
// are logged only: a missing 👀 must not stop the answer.
func (a *Adapter) react(ctx context.Context, emoji, channel, ts string, add bool) {
	method, call := "reactions.add", a.api.AddReactionContext
	if !add {
		method, call = "reactions.remove", a.api.RemoveReactionContext
	}
	ref := slackgo.NewRefToMessage(channel, ts)
	err := a.retry(ctx, method, func(ctx context.Context) error { return call(ctx, emoji, ref) })
	if err != nil && !isSlackError(err, "already_reacted", "no_reaction") {
		a.log.Warn("slack reaction failed", logKeyMethod, method, logKeyChannel, channel, logKeyTS, ts, logKeyErr, err)
	}
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
