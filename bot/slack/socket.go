package slack

import (
	"context"
	"fmt"
	"log/slog"
	"strconv"
	"time"

	slackgo "github.com/slack-go/slack"
	"github.com/slack-go/slack/slackevents"
	"github.com/slack-go/slack/socketmode"
)

// runSocket holds a Socket Mode connection (slack-go reconnects as Slack
// asks) and handles its envelopes until ctx is done.
func (a *Adapter) runSocket(ctx context.Context) error {
	sm := socketmode.New(a.api, socketmode.OptionLog(slog.NewLogLogger(a.log.Handler(), slog.LevelDebug)))
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	errc := make(chan error, 1)
	go func() { errc <- sm.RunContext(ctx) }()
	for {
		select {
		case <-ctx.Done():
			select { // RunContext returns promptly once ctx is done
			case <-errc:
			case <-time.After(afterShutdown):
			}
			return nil
		case err := <-errc:
			if ctx.Err() != nil {
				return nil
			}
			return fmt.Errorf("slack socket mode: %w", err)
		case evt := <-sm.Events:
			a.onSocketEvent(ctx, sm, evt)
		}
	}
}

// onSocketEvent acknowledges an envelope at once, then dispatches it, or
// tracks the connection's state.
func (a *Adapter) onSocketEvent(ctx context.Context, sm *socketmode.Client, evt socketmode.Event) {
	switch evt.Type {
	case socketmode.EventTypeHello:
		a.ready.Store(true)
		a.log.Info("slack ready", logKeyMode, "socket")
	case socketmode.EventTypeConnecting:
		a.ready.Store(false) // until this connection's hello
		a.log.Debug("slack connecting", logKeyMode, "socket")
	case socketmode.EventTypeConnectionError, socketmode.EventTypeDisconnect:
		a.ready.Store(false)
		a.log.Warn("slack connection lost", logKeyMode, "socket", logKeyErr, fmt.Sprint(evt.Data))
	case socketmode.EventTypeInvalidAuth:
		a.ready.Store(false)
		a.log.Error("slack socket mode auth failed: check the app-level token", logKeyMode, "socket")
	case socketmode.EventTypeErrorBadMessage:
		a.log.Warn("slack unreadable socket message", logKeyErr, fmt.Sprint(evt.Data))
	case socketmode.EventTypeEventsAPI:
		a.ack(ctx, sm, evt.Request, nil)
		if ev, ok := evt.Data.(slackevents.EventsAPIEvent); ok {
			a.logIgnored(a.onEvent(ev, retryOf(evt.Request)))
		}
	case socketmode.EventTypeSlashCommand:
		if cmd, ok := evt.Data.(slackgo.SlashCommand); ok {
			a.ack(ctx, sm, evt.Request, a.onCommand(cmd))
		} else {
			a.ack(ctx, sm, evt.Request, nil)
		}
	case socketmode.EventTypeInteractive:
		a.ack(ctx, sm, evt.Request, nil)
		if cb, ok := evt.Data.(slackgo.InteractionCallback); ok {
			a.logIgnored(a.onInteraction(cb))
		}
	}
}

// ack acknowledges an envelope, with payload when it is not nil.
func (a *Adapter) ack(ctx context.Context, sm *socketmode.Client, req *socketmode.Request, payload *ackPayload) {
	if req == nil || req.EnvelopeID == "" {
		return
	}
	var p any // a nil *ackPayload must become no payload, not "payload":null
	if payload != nil {
		p = payload
	}
	if err := sm.AckCtx(ctx, req.EnvelopeID, p); err != nil {
		a.log.Warn("slack ack failed", logKeyEnvelope, req.EnvelopeID, logKeyErr, err)
	}
}

// retryOf is the envelope's redelivery count, for logs.
func retryOf(req *socketmode.Request) string {
	if req == nil {
		return ""
	}
	return strconv.Itoa(req.RetryAttempt)
}

// logIgnored notes work dropped because the adapter is shutting down.
func (a *Adapter) logIgnored(err error) {
	if err != nil {
		a.log.Info("slack event dropped", logKeyErr, err)
	}
}
