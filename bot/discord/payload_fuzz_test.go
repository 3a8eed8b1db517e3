package discord

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"encoding/hex"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/bwmarrin/discordgo"

	"github.com/byline-news/byline/bot"
)

// FuzzDiscordInteraction sends arbitrary, correctly signed interaction
// bodies through the adapter's real HTTP route (discordgo's parsing, then
// ours). The adapter's workers refuse new work, so nothing is answered
// over the network: each request is handled as far as an answer would
// start, synchronously, on a clock the test sets.

var fuzzKey = ed25519.NewKeyFromSeed(bytes.Repeat([]byte{9}, ed25519.SeedSize))

type fuzzHandler struct{}

func (fuzzHandler) Handle(context.Context, bot.Message) bot.Reply    { return bot.Reply{} }
func (fuzzHandler) SaveFeedback(context.Context, bot.Feedback) error { return nil }

var fuzzNow = time.Date(2026, 11, 9, 8, 30, 0, 0, time.UTC)

func FuzzDiscordInteraction(f *testing.F) {
	seeds := []string{
		`{"type":1,"id":"1","application_id":"42","token":"t"}`,
		`{"type":2,"id":"2","application_id":"42","token":"t","guild_id":"G","channel_id":"C","member":{"user":{"id":"U1"},"permissions":"8"},
"data":{"id":"9","name":"news","type":1,"options":[{"name":"question","type":3,"value":"what did Liang deny? @everyone"}]}}`,
		`{"type":2,"id":"3","token":"t","user":{"id":"U2"},"data":{"id":"9","name":"other","type":1}}`,
		`{"type":3,"id":"4","token":"t","member":{"user":{"id":"U1"}},"message":{"id":"m"},"data":{"custom_id":"` + helpfulPrefix + `abc","component_type":2}}`,
		`{"type":3,"id":"5","token":"t","data":{"custom_id":"something-else","component_type":2}}`,
		`{"type":4,"id":"6","token":"t","data":{"id":"9","name":"news","type":1,"options":[{"name":"question","type":3,"value":"li","focused":true}]}}`,
		`{"type":5,"id":"7","token":"t","data":{"custom_id":"modal","components":[]}}`,
		`{"type":2,"data":{"name":"news","options":[{"name":"question","type":4,"value":12}]}}`,
	}
	for _, s := range seeds {
		f.Add([]byte(s))
	}
	a, err := New(fuzzHandler{}, Options{PublicKey: hex.EncodeToString(fuzzKey.Public().(ed25519.PublicKey)), AppID: "42",
		APIBase: "http://127.0.0.1:1/api/v10/", Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		f.Fatal(err)
	}
	a.now = func() time.Time { return fuzzNow }
	a.work.Refuse()
	mux := http.NewServeMux()
	a.Routes(mux)
	ts := strconv.FormatInt(fuzzNow.Unix(), 10)
	f.Fuzz(func(t *testing.T, body []byte) {
		req := httptest.NewRequest(http.MethodPost, InteractionsPath, bytes.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("X-Signature-Timestamp", ts)
		req.Header.Set("X-Signature-Ed25519", hex.EncodeToString(ed25519.Sign(fuzzKey, append([]byte(ts), body...))))
		rec := httptest.NewRecorder()
		mux.ServeHTTP(rec, req)
		switch rec.Code {
		case http.StatusOK:
		case http.StatusBadRequest, http.StatusServiceUnavailable:
			return
		default:
			t.Fatalf("status %d for %q: %s", rec.Code, body, rec.Body)
		}
		var resp discordgo.InteractionResponse
		if err := json.Unmarshal(rec.Body.Bytes(), &resp); err != nil {
			t.Fatalf("response is not JSON: %v: %s", err, rec.Body)
		}
		if d := resp.Data; d != nil && (d.Content != "" || len(d.Embeds) > 0) {
			if d.AllowedMentions == nil || len(d.AllowedMentions.Parse) != 0 {
				t.Fatalf("a message that may ping: %s", rec.Body)
			}
			checkDiscordText(t, d.Content)
		}
	})
}

var massPing = regexp.MustCompile(`(?i)@(everyone|here)\b`)

// checkDiscordText: text shown in Discord is valid UTF-8, has no bare
// mass mention and no bidirectional controls.
func checkDiscordText(t *testing.T, s string) {
	t.Helper()
	if !utf8.ValidString(s) {
		t.Fatalf("invalid UTF-8 shown: %q", s)
	}
	if m := massPing.FindString(s); m != "" {
		t.Fatalf("%q has a mass mention %q", s, m)
	}
	if strings.ContainsAny(s, "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069") {
		t.Fatalf("bidi control shown: %q", s)
	}
}

// FuzzDiscordText holds the text functions to their promises on any
// text: escaped text pings nobody and reads back as written, fit stays
// within its limit, and the bot's mention comes off a message.
func FuzzDiscordText(f *testing.F) {
	for _, s := range []string{"what did <@42> say? @everyone", "*bold* _it_ `code` ~~s~~ > quote\n# head\n- item", "@\u200bhere [link](http://x)",
		"\u202eevil", "\\*already\\*", "a" + strings.Repeat("é", 50), "🇬🇧🇬🇧 \U0001F600"} {
		f.Add(s, 20)
	}
	f.Fuzz(func(t *testing.T, s string, limit int) {
		if !utf8.ValidString(s) {
			return // Discord sends UTF-8; encoding/json has already replaced anything else
		}
		e := escape(s)
		checkDiscordText(t, e)
		if got := bot.NeutraliseBidi(s); unescape(e) != got && !strings.Contains(s, "\u200b") && !strings.Contains(s, `\`) {
			t.Fatalf("unescape(escape(%q)) = %q, want %q", s, unescape(e), got)
		}
		limit = 2 + int(uint(limit)%4000)
		if out := fit(e, limit); textLen(out) > limit || !utf8.ValidString(out) {
			t.Fatalf("fit(%q, %d) = %q (%d)", e, limit, out, textLen(out))
		}
		if w := withoutMention("<@42> "+s, "42"); strings.HasPrefix(w, "<@42>") {
			t.Fatalf("withoutMention kept the mention: %q", w)
		}
	})
}
