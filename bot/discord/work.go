package discord

import (
	"context"
	"fmt"
	"time"

	"github.com/byline-news/byline/bot"
)

// Log attribute keys, stable so that dashboards can rely on them.
const (
	logPlatform    = "platform"
	logMode        = "mode"
	logGuild       = "guild"
	logChannel     = "channel"
	logUser        = "user"
	logMessage     = "message_id"
	logInteraction = "interaction_id"
	logKind        = "kind"
	logQuestion    = "question"
	logHelpful     = "helpful"
	logRoute       = "route"
	logStatus      = "status"
	logWait        = "retry_after"
	logAttempt     = "attempt"
	logShard       = "shard"
	logTask        = "task"
	logErr         = "err"
)

// Timeouts around answers.
const (
	afterShutdown  = time.Second      // bounds the wait for answers that ignore cancellation
	cleanupTimeout = 10 * time.Second // to deliver an answer whose own time ran out
)

// spawn runs fn in the background with a per-answer timeout once one of
// the MaxInFlight slots is free. If shutdown ends the grace period first,
// fn still runs, with its context already done, so whoever waits for it
// is told. spawn returns errClosing once shutdown has begun.
func (a *Adapter) spawn(task string, fn func(ctx context.Context)) error {
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
		}
		ctx, cancel := context.WithTimeout(a.work, answerTimeout)
		defer cancel()
		defer func() {
			if p := recover(); p != nil {
				a.log.Error("discord task panicked", logTask, task, logErr, fmt.Sprint(p))
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
		a.log.Warn("discord shutdown: grace period over, cancelling answers in flight")
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
			a.log.Error("discord handler panicked", logChannel, m.Channel, logErr, fmt.Sprint(p))
			r = bot.Reply{Kind: bot.KindError, Question: m.Text}
		}
	}()
	a.log.Debug("discord question", logChannel, m.Channel, logUser, m.User, logQuestion, m.Text)
	r = a.h.Handle(ctx, m)
	if r.Question == "" {
		r.Question = m.Text
	}
	return r
}

// cleanupContext outlives ctx's cancellation briefly, so that a timed-out
// answer is still delivered, saying so.
func cleanupContext(ctx context.Context) (context.Context, context.CancelFunc) {
	return context.WithTimeout(context.WithoutCancel(ctx), cleanupTimeout)
}
