package discord

import (
	"crypto/ed25519"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"time"

	"github.com/bwmarrin/discordgo"
)

// HTTP interactions limits.
const (
	// InteractionsPath is where Discord posts interactions: set
	// https://your.host/discord/interactions as the application's
	// Interactions Endpoint URL.
	InteractionsPath = "/discord/interactions"

	maxBody = 1 << 20 // real interactions are a few kilobytes
	maxSkew = 5 * time.Minute
)

// Routes mounts the HTTP interactions endpoint on mux, when the adapter
// has a public key. Every request must carry a valid Ed25519 signature
// over its timestamp and body, made within five minutes of now, or it
// gets 401 and is not answered.
func (a *Adapter) Routes(mux *http.ServeMux) {
	if a.key == nil {
		a.log.Warn("discord HTTP interactions off: no public key")
		return
	}
	mux.HandleFunc("POST "+InteractionsPath, a.serveInteraction)
}

// serveInteraction verifies a request, answers PING with PONG, and other
// interactions within the deadline (see respond).
func (a *Adapter) serveInteraction(w http.ResponseWriter, r *http.Request) {
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxBody))
	if err != nil {
		http.Error(w, "unreadable or oversized body", http.StatusBadRequest)
		return
	}
	if err := a.verify(r.Header, body); err != nil {
		a.log.Warn("discord request rejected", logRoute, InteractionsPath, logErr, err)
		http.Error(w, "invalid request signature", http.StatusUnauthorized)
		return
	}
	var ia discordgo.Interaction
	if err := json.Unmarshal(body, &ia); err != nil {
		http.Error(w, "malformed interaction", http.StatusBadRequest)
		return
	}
	if ia.Type == discordgo.InteractionPing {
		writeJSON(w, &discordgo.InteractionResponse{Type: discordgo.InteractionResponsePong})
		return
	}
	handled := a.onInteraction(&ia, func(resp *discordgo.InteractionResponse) error {
		return writeJSON(w, resp)
	})
	if !handled {
		http.Error(w, "unsupported interaction type", http.StatusBadRequest)
	}
}

// writeJSON sends v as the response and flushes it, so Discord has it
// before the answer's edit can follow.
func writeJSON(w http.ResponseWriter, v any) error {
	w.Header().Set("Content-Type", "application/json")
	if err := json.NewEncoder(w).Encode(v); err != nil {
		return fmt.Errorf("writing interaction response: %w", err)
	}
	if err := http.NewResponseController(w).Flush(); err != nil && !errors.Is(err, http.ErrNotSupported) {
		return fmt.Errorf("flushing interaction response: %w", err)
	}
	return nil
}

// verify checks the X-Signature-Ed25519 signature over
// X-Signature-Timestamp + body, and that the timestamp is within five
// minutes of now (discordgo.VerifyInteraction does not check its age).
func (a *Adapter) verify(h http.Header, body []byte) error {
	ts := h.Get("X-Signature-Timestamp")
	sig, err := hex.DecodeString(h.Get("X-Signature-Ed25519"))
	if err != nil || len(sig) != ed25519.SignatureSize || ts == "" {
		return errors.New("missing or malformed signature headers")
	}
	secs, err := strconv.ParseInt(ts, 10, 64)
	if err != nil {
		return fmt.Errorf("malformed timestamp %q", ts)
	}
	if skew := a.now().Sub(time.Unix(secs, 0)); skew > maxSkew || skew < -maxSkew {
		return fmt.Errorf("timestamp %s is %s away from now", ts, skew.Round(time.Second))
	}
	msg := make([]byte, 0, len(ts)+len(body))
	if !ed25519.Verify(a.key, append(append(msg, ts...), body...), sig) {
		return errors.New("invalid signature")
	}
	return nil
}
