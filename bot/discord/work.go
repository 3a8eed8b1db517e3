package discord

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
	logHelpful     = "helpful"
	logRoute       = "route"
	logStatus      = "status"
	logWait        = "retry_after"
	logAttempt     = "attempt"
	logShard       = "shard"
	logTask        = "task"
	logErr         = "err"
)

// shutdown stops taking work and waits for in-flight answers, cancelling
// them when the grace period ends. Work is refused before the adapter
// says it is not ready, so nothing is accepted once it is not.
func (a *Adapter) shutdown() {
	a.work.Refuse()
	a.ready.Store(false)
	a.work.Close(a.grace)
}
