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
// gets 401 and is not answered; each interaction ID is answered once.
func (a *Adapter) Routes(mux *http.ServeMux) {
	if a.key == nil {
		a.log.Warn("discord HTTP interactions off: no public key")
		return
	}
	mux.HandleFunc("POST "+InteractionsPath, a.serveInteraction)
}

// serveInteraction verifies a request, answers PING with PONG, and other
// interactions within the deadline (see respond). A request without
// well-formed, fresh signature headers is refused before its body is
// read; an interaction seen before (a replay, or one that also came over
// the gateway) is refused with 409 and not answered again.
func (a *Adapter) serveInteraction(w http.ResponseWriter, r *http.Request) {
	sh, err := a.signatureHeaders(r.Header)
	if err != nil {
		a.log.Warn("discord request rejected", logRoute, InteractionsPath, logErr, err)
		w.Header().Set("Connection", "close") // do not wait for a body nobody reads
		http.Error(w, "invalid request signature", http.StatusUnauthorized)
		return
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxBody))
	if err != nil {
		http.Error(w, "unreadable or oversized body", http.StatusBadRequest)
		return
	}
	if !a.verify(sh, body) {
		a.log.Warn("discord request rejected", logRoute, InteractionsPath, logErr, "invalid signature")
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
	if ia.ID == "" {
		// Discord gives every interaction an ID; without one it cannot be
		// told from a replay.
		http.Error(w, "malformed interaction: no id", http.StatusBadRequest)
		return
	}
	if a.seen.Seen("interaction:" + ia.ID) {
		a.log.Warn("discord interaction refused: replayed", logInteraction, ia.ID)
		http.Error(w, "interaction already answered", http.StatusConflict)
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

// sigHeaders are a request's signature headers, decoded.
type sigHeaders struct {
	ts  string
	sig []byte
}

// signatureHeaders checks that X-Signature-Ed25519 and
// X-Signature-Timestamp are present and well-formed, and that the
// timestamp is within five minutes of now (discordgo.VerifyInteraction
// does not check its age): all before the body is read.
func (a *Adapter) signatureHeaders(h http.Header) (sigHeaders, error) {
	ts := h.Get("X-Signature-Timestamp")
	sig, err := hex.DecodeString(h.Get("X-Signature-Ed25519"))
	if err != nil || len(sig) != ed25519.SignatureSize || ts == "" {
		return sigHeaders{}, errors.New("missing or malformed signature headers")
	}
	secs, err := strconv.ParseInt(ts, 10, 64)
	if err != nil {
		return sigHeaders{}, fmt.Errorf("malformed timestamp %q", ts)
	}
	if skew := a.now().Sub(time.Unix(secs, 0)); skew > maxSkew || skew < -maxSkew {
		return sigHeaders{}, fmt.Errorf("timestamp %s is %s away from now", ts, skew.Round(time.Second))
	}
	return sigHeaders{ts: ts, sig: sig}, nil
}

// verify checks the Ed25519 signature over the timestamp and body. The
// key is never a small-order point (New refuses those), so a valid
// signature proves Discord's private key made it.
func (a *Adapter) verify(h sigHeaders, body []byte) bool {
	msg := make([]byte, 0, len(h.ts)+len(body))
	return ed25519.Verify(a.key, append(append(msg, h.ts...), body...), h.sig)
}
