package slack

import (
	"context"
	"fmt"
	"time"

	"github.com/byline-news/byline/bot"
)

// Log attribute keys, stable so that dashboards can rely on them.
const (
	logKeyPlatform = "platform"
	logKeyMode     = "mode"
	logKeyTeam     = "team"
	logKeyChannel  = "channel"
	logKeyUser     = "user"
	logKeyTS       = "ts"
	logKeyThread   = "thread_ts"
	logKeyEvent    = "event_id"
	logKeyEnvelope = "envelope_id"
	logKeyRetry    = "retry"
	logKeyMethod   = "method"
	logKeyWait     = "retry_after"
	logKeyKind     = "kind"
	logKeyAction   = "action"
	logKeyPath     = "path"
	logKeyQuestion = "question"
	logKeyHelpful  = "helpful"
	logKeyErr      = "err"
)

// afterShutdown bounds the wait for answers that ignore cancellation.
const afterShutdown = time.Second

// spawn runs fn in the background with a per-answer timeout once one of
// the MaxInFlight slots is free. It returns errClosing during shutdown.
func (a *Adapter) spawn(what string, fn func(ctx context.Context)) error {
	a.mu.Lock()
	if a.closing {
		a.mu.Unlock()
		return errClosing
	}
	a.wg.Add(1)
	a.mu.Unlock()
	go func() {
		defer a.wg.Done()
		select {
		case a.sem <- struct{}{}:
			defer func() { <-a.sem }()
		case <-a.work.Done():
			return
		}
		ctx, cancel := context.WithTimeout(a.work, a.opt.AnswerTimeout)
		defer cancel()
		defer func() {
			if p := recover(); p != nil {
				a.log.Error("slack task panicked", logKeyAction, what, logKeyErr, fmt.Sprint(p))
			}
		}()
		fn(ctx)
	}()
	return nil
}

// shutdown stops taking work and waits for in-flight answers, cancelling
// them when the grace period ends.
func (a *Adapter) shutdown() {
	a.mu.Lock()
	a.closing = true
	a.mu.Unlock()
	a.ready.Store(false)
	done := make(chan struct{})
	go func() {
		a.wg.Wait()
		close(done)
	}()
	grace := time.NewTimer(a.grace)
	defer grace.Stop()
	select {
	case <-done:
	case <-grace.C:
		a.log.Warn("slack shutdown: grace period over, cancelling answers in flight")
		a.stop()
		select {
		case <-done:
		case <-time.After(afterShutdown):
		}
	}
	a.stop()
}

// ask calls the handler, turning a panic into a polite error reply so the
// user never sees silence.
func (a *Adapter) ask(ctx context.Context, m bot.Message) (r bot.Reply) {
	defer func() {
		if p := recover(); p != nil {
			a.log.Error("slack handler panicked", logKeyChannel, m.Channel, logKeyErr, fmt.Sprint(p))
			r = bot.Reply{Kind: bot.KindError, Question: m.Text}
		}
	}()
	a.log.Debug("slack question", logKeyChannel, m.Channel, logKeyUser, m.User, logKeyQuestion, m.Text)
	r = a.h.Handle(ctx, m)
	if r.Question == "" {
		r.Question = m.Text
	}
	return r
}
