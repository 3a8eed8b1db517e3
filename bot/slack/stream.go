package slack

import (
	"context"
	"errors"
	"sync"
	"time"

	slackgo "github.com/slack-go/slack"
)

// Streaming a model's answer while it is written. The core calls
// bot.Message.Partial with the text so far, at most once per its
// EditInterval (a second by default, Slack's pace for chat.update), from
// the goroutine running Handle; the reply Handle returns then takes the
// partial answer's place. Partial texts are shown best-effort: one that
// Slack refuses is skipped, never waited for, since the final reply
// follows anyway.

// maxCommandPartials is how many partial answers a slash command shows:
// a response_url takes at most 5 posts in 30 minutes, and the final
// answer needs one, and perhaps one more to delete an in-channel partial
// answer when the final one is for the asker alone.
const maxCommandPartials = 3

// placeholder shows a streamed answer to a mention, a direct message or
// a thread follow-up: the first partial text is posted as a reply in
// the thread, later ones edit that message (chat.update), and deliver
// edits it once more into the final reply.
type placeholder struct {
	a               *Adapter
	ctx             context.Context
	channel, thread string

	mu      sync.Mutex // held while Slack is called, so the final reply waits for a partial in flight
	ts      string     // the posted message; "" until then
	stopped bool       // the final reply is being delivered, or Slack refused a partial
	hold    time.Time  // Slack rate-limited us: show nothing before then
}

func (a *Adapter) newPlaceholder(ctx context.Context, channel, thread string) *placeholder {
	return &placeholder{a: a, ctx: ctx, channel: channel, thread: thread}
}

// show posts or edits the placeholder to show text; it is the
// bot.Message.Partial of a message's answer.
func (p *placeholder) show(text string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.stopped || p.a.now().Before(p.hold) {
		return
	}
	m := renderPartial(text)
	method := "chat.update"
	var err error
	if p.ts == "" {
		method = "chat.postMessage"
		p.ts, err = p.a.postOnce(p.ctx, p.channel, p.thread, m)
	} else {
		err = p.a.updateOnce(p.ctx, p.channel, p.ts, m)
	}
	p.stopped, p.hold = p.a.partialFailed(method, p.channel, err)
}

// finish stops showing partial answers and returns the placeholder's ts,
// "" when none was posted. It waits for a partial answer in flight, so
// that none can arrive after the final reply.
func (p *placeholder) finish() string {
	if p == nil {
		return ""
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	p.stopped = true
	return p.ts
}

// commandStream shows a streamed answer to a slash command at its
// response_url: chat.update cannot edit ephemeral messages. The first
// partial answer is a new message below the "Looking into" note, later
// ones and the final answer replace it (replace_original).
type commandStream struct {
	a           *Adapter
	ctx         context.Context
	responseURL string
	ephemeral   bool // the partial answers' visibility: an answer's

	mu      sync.Mutex // held while Slack is called, as in placeholder
	posts   int        // partial answers sent (or tried) so far
	shown   bool       // one of them arrived: the final answer replaces it
	stopped bool
	hold    time.Time
}

func (a *Adapter) newCommandStream(ctx context.Context, responseURL string) *commandStream {
	return &commandStream{a: a, ctx: ctx, responseURL: responseURL, ephemeral: a.ephemeral()}
}

// show posts text at the response_url while posts remain for it.
func (c *commandStream) show(text string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.stopped || c.posts >= maxCommandPartials || c.a.now().Before(c.hold) {
		return
	}
	c.posts++ // a failed post may still have counted at Slack
	err := c.a.respondOnce(c.ctx, c.responseURL, c.ephemeral, c.shown, renderPartial(text))
	c.stopped, c.hold = c.a.partialFailed("response_url", "", err)
	c.shown = c.shown || err == nil
}

// finish stops showing partial answers and reports whether one is shown,
// and with which visibility.
func (c *commandStream) finish() (shown, ephemeral bool) {
	if c == nil {
		return false, false
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	c.stopped = true
	return c.shown, c.ephemeral
}

// partialFailed logs a partial answer Slack refused and says what to do
// next: after a rate limit, wait as long as Slack asks; after any other
// error, stop (the final reply is delivered regardless).
func (a *Adapter) partialFailed(method, channel string, err error) (stop bool, hold time.Time) {
	if err == nil {
		return false, time.Time{}
	}
	if rl, ok := errors.AsType[*slackgo.RateLimitedError](err); ok {
		wait := min(max(rl.RetryAfter, minRetryWait), maxRetryWait)
		a.log.Debug("slack partial answer skipped: rate limited", logKeyMethod, method, logKeyWait, wait)
		return false, a.now().Add(wait)
	}
	if !errors.Is(err, context.Canceled) && !errors.Is(err, context.DeadlineExceeded) {
		a.log.Warn("slack partial answer failed; the final one follows", logKeyMethod, method, logKeyChannel, channel, logKeyErr, err)
	}
	return true, time.Time{}
}
