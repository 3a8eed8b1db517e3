package slack

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"

	slackgo "github.com/slack-go/slack"
	"github.com/slack-go/slack/slackevents"

	"github.com/byline-news/byline/bot"
)

// maxBody bounds a request from Slack; real ones are a few kilobytes.
const maxBody = 1 << 20

// Routes mounts the HTTP-mode endpoints on mux: Events API, slash
// commands and interactivity. Every request must carry a valid Slack
// signature made within the last five minutes, or it gets 401.
func (a *Adapter) Routes(mux *http.ServeMux) {
	mux.Handle("POST /slack/events", a.verified(a.serveEvents))
	mux.Handle("POST /slack/commands", a.verified(a.serveCommand))
	mux.Handle("POST /slack/interactions", a.verified(a.serveInteraction))
}

// bodyHandler serves a request whose raw body was read and verified.
type bodyHandler func(w http.ResponseWriter, r *http.Request, body []byte)

// verified checks that the signature headers are present and the
// timestamp fresh before it reads the body, then reads the raw body,
// checks Slack's v0 signature over it, and hands it on with r.Body
// restored for form parsing.
func (a *Adapter) verified(next bodyHandler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		sv, err := slackgo.NewSecretsVerifier(r.Header, a.opt.SigningSecret)
		if err != nil {
			a.log.Warn("slack request rejected", logKeyPath, r.URL.Path, logKeyErr, fmt.Errorf("verifying signature: %w", err))
			w.Header().Set("Connection", "close") // do not wait for a body nobody reads
			http.Error(w, "invalid Slack signature", http.StatusUnauthorized)
			return
		}
		body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxBody))
		if err != nil {
			http.Error(w, "unreadable or oversized body", http.StatusBadRequest)
			return
		}
		if err := verify(sv, body); err != nil {
			a.log.Warn("slack request rejected", logKeyPath, r.URL.Path, logKeyErr, err)
			http.Error(w, "invalid Slack signature", http.StatusUnauthorized)
			return
		}
		r.Body = io.NopCloser(bytes.NewReader(body))
		next(w, r, body)
	})
}

// verify checks the request's signature over body (HMAC-SHA256,
// constant-time); NewSecretsVerifier checked that its timestamp is
// within five minutes of now.
func verify(sv slackgo.SecretsVerifier, body []byte) error {
	if _, err := sv.Write(body); err != nil {
		return fmt.Errorf("verifying signature: %w", err)
	}
	if err := sv.Ensure(); err != nil {
		return fmt.Errorf("verifying signature: %w", err)
	}
	return nil
}

// serveEvents answers url_verification and acknowledges callbacks at
// once; answers are worked out in the background.
func (a *Adapter) serveEvents(w http.ResponseWriter, r *http.Request, body []byte) {
	ev, err := slackevents.ParseEvent(json.RawMessage(body), slackevents.OptionNoVerifyToken())
	switch {
	case ev.Type == slackevents.URLVerification:
		a.serveChallenge(w, ev)
		return
	case ev.Type == "":
		http.Error(w, "malformed event", http.StatusBadRequest)
		return
	case ev.Type == "unmarshalling_error":
		a.log.Warn("slack event unreadable", logKeyErr, err)
	case err != nil: // an event type we do not subscribe to: accept, or Slack retries
		a.log.Debug("slack event ignored", logKeyErr, err)
	case ev.Type == slackevents.AppRateLimited:
		a.log.Warn("slack events are being rate limited for this app")
	case ev.Type == slackevents.CallbackEvent:
		if err := a.onEvent(ev, r.Header.Get("X-Slack-Retry-Num")); errors.Is(err, bot.ErrClosing) {
			http.Error(w, "shutting down", http.StatusServiceUnavailable)
			return
		}
	}
	w.WriteHeader(http.StatusOK)
}

// serveChallenge echoes the url_verification challenge.
func (a *Adapter) serveChallenge(w http.ResponseWriter, ev slackevents.EventsAPIEvent) {
	v, ok := ev.Data.(*slackevents.EventsAPIURLVerificationEvent)
	if !ok {
		http.Error(w, "malformed challenge", http.StatusBadRequest)
		return
	}
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	io.WriteString(w, v.Challenge)
}

// serveCommand acknowledges a slash command at once, with a short
// "looking into it" note, and answers at its response_url later.
func (a *Adapter) serveCommand(w http.ResponseWriter, r *http.Request, _ []byte) {
	cmd, err := slackgo.SlashCommandParse(r)
	if err != nil {
		http.Error(w, "malformed command", http.StatusBadRequest)
		return
	}
	payload := a.onCommand(cmd)
	if payload == nil {
		w.WriteHeader(http.StatusOK)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	if err := json.NewEncoder(w).Encode(payload); err != nil {
		a.log.Warn("slack command ack failed", logKeyErr, err)
	}
}

// serveInteraction acknowledges a button click and handles it in the
// background.
func (a *Adapter) serveInteraction(w http.ResponseWriter, r *http.Request, _ []byte) {
	var cb slackgo.InteractionCallback
	if err := json.Unmarshal([]byte(r.PostFormValue("payload")), &cb); err != nil {
		http.Error(w, "malformed interaction payload", http.StatusBadRequest)
		return
	}
	if errors.Is(a.onInteraction(cb), bot.ErrClosing) {
		http.Error(w, "shutting down", http.StatusServiceUnavailable)
		return
	}
	w.WriteHeader(http.StatusOK)
}
