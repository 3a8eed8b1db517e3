package slack

import "time"

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
	logKeyHelpful  = "helpful"
	logKeyErr      = "err"
	logKeyTrigger  = "trigger_id"
	logKeyAttempt  = "attempt"
)

// afterShutdown bounds the wait for the Socket Mode connection to close.
const afterShutdown = time.Second

// shutdown stops taking work and waits for in-flight answers, cancelling
// them when the grace period ends. Work is refused before the adapter
// says it is not ready, so nothing is accepted once it is not.
func (a *Adapter) shutdown() {
	a.work.Refuse()
	a.ready.Store(false)
	a.work.Close(a.grace)
	a.settleReactions(afterShutdown)
}

// settleReactions waits up to limit for 👀 reactions still being added
// or removed, so a restart leaves none behind when Slack answers.
func (a *Adapter) settleReactions(limit time.Duration) {
	a.decorMu.Lock()
	a.decorClosed = true
	a.decorMu.Unlock()
	done := make(chan struct{})
	go func() { a.decor.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(limit):
	}
}
