package slack

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/byline-news/byline/bot"
)

// The fuzz targets below send arbitrary, correctly signed payloads
// through the adapter's real HTTP routes (the same parsing as in Socket
// Mode: slack-go's parsers, then ours). The adapter's workers refuse new
// work, so nothing is answered over the network: every request is handled
// to the point where an answer would start, synchronously.

const fuzzSecret = "fuzz-signing-secret"

// fuzzHandler answers nothing; the refused workers never call it.
type fuzzHandler struct{}

func (fuzzHandler) Handle(context.Context, bot.Message) bot.Reply    { return bot.Reply{} }
func (fuzzHandler) SaveFeedback(context.Context, bot.Feedback) error { return nil }

// fuzzRoutes is an HTTP-mode adapter whose workers refuse work, behind a
// mux with its routes.
func fuzzRoutes(f *testing.F) http.Handler {
	a, err := New(fuzzHandler{}, Options{BotToken: "xoxb-fuzz", SigningSecret: fuzzSecret,
		APIURL: "http://127.0.0.1:1/", Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		f.Fatal(err)
	}
	a.work.Refuse()
	mux := http.NewServeMux()
	a.Routes(mux)
	return mux
}

// post sends body to path, signed as Slack signs, and checks what every
// response must be: never a server error other than 503 (refusing work
// while shutting down), never 401 for a good signature, and JSON when it
// says so, with text that can ping nobody.
func post(t *testing.T, h http.Handler, path, contentType string, body []byte) *httptest.ResponseRecorder {
	t.Helper()
	ts := strconv.FormatInt(time.Now().Unix(), 10) // slack-go checks the age against its own clock
	m := hmac.New(sha256.New, []byte(fuzzSecret))
	m.Write([]byte("v0:" + ts + ":"))
	m.Write(body)
	req := httptest.NewRequest(http.MethodPost, path, bytes.NewReader(body))
	req.Header.Set("Content-Type", contentType)
	req.Header.Set("X-Slack-Request-Timestamp", ts)
	req.Header.Set("X-Slack-Signature", "v0="+hex.EncodeToString(m.Sum(nil)))
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	switch rec.Code {
	case http.StatusOK, http.StatusBadRequest, http.StatusServiceUnavailable:
	default:
		t.Fatalf("%s: status %d for %q: %s", path, rec.Code, body, rec.Body)
	}
	if strings.HasPrefix(rec.Header().Get("Content-Type"), "application/json") && rec.Code == http.StatusOK {
		var ack ackPayload
		if err := json.Unmarshal(rec.Body.Bytes(), &ack); err != nil {
			t.Fatalf("%s: response is not JSON: %v: %s", path, err, rec.Body)
		}
		checkSlackText(t, ack.Text)
	}
	return rec
}

var pings = regexp.MustCompile(`<[!@#]|(?i)@(here|channel|everyone)\b`)

// checkSlackText: text shown in Slack is valid UTF-8, pings nobody and
// carries no bidirectional controls.
func checkSlackText(t *testing.T, s string) {
	t.Helper()
	if !utf8.ValidString(s) {
		t.Fatalf("invalid UTF-8 shown: %q", s)
	}
	if m := pings.FindString(s); m != "" {
		t.Fatalf("%q could ping: %q", s, m)
	}
	if strings.ContainsAny(s, "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069") {
		t.Fatalf("bidi control shown: %q", s)
	}
}

func FuzzSlackCommand(f *testing.F) {
	form := url.Values{"command": {"/news"}, "text": {"what did <@U123|liang> deny? @here <!channel>"}, "team_id": {"T1"},
		"channel_id": {"C1"}, "user_id": {"U2"}, "response_url": {"https://hooks.slack.com/commands/1/2/3"}, "trigger_id": {"1.2.3"}}
	f.Add([]byte(form.Encode()))
	form.Set("command", "/other")
	f.Add([]byte(form.Encode()))
	form.Set("command", "/news")
	form.Set("text", "help")
	f.Add([]byte(form.Encode()))
	f.Add([]byte("command=%2Fnews&text=%E2%80%AEevil%ZZ&&=&text=2"))
	h := fuzzRoutes(f)
	f.Fuzz(func(t *testing.T, body []byte) {
		post(t, h, "/slack/commands", "application/x-www-form-urlencoded", body)
	})
}

func FuzzSlackEvents(f *testing.F) {
	f.Add([]byte(`{"type":"url_verification","challenge":"3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P","token":"x"}`))
	f.Add([]byte(`{"token":"x","team_id":"T1","api_app_id":"A1","type":"event_callback","event_id":"Ev1","event_time":1700000000,
"event":{"type":"app_mention","user":"U2","text":"<@U0BOT> what did Liang deny?","ts":"1700000000.000100","channel":"C1","event_ts":"1700000000.000100"}}`))
	f.Add([]byte(`{"token":"x","team_id":"T1","type":"event_callback","event_id":"Ev2","event":{"type":"message","channel_type":"im","user":"U2","text":"hi","ts":"1.2","channel":"D1"}}`))
	f.Add([]byte(`{"token":"x","team_id":"T1","type":"event_callback","event_id":"Ev3","event":{"type":"message","subtype":"message_changed","message":{"text":"x"},"channel":"C1"}}`))
	f.Add([]byte(`{"type":"app_rate_limited","team_id":"T1","minute_rate_limited":1518467820}`))
	f.Add([]byte(`{"type":"event_callback","event":{"type":"reaction_added"}}`))
	h := fuzzRoutes(f)
	f.Fuzz(func(t *testing.T, body []byte) {
		rec := post(t, h, "/slack/events", "application/json", body)
		var probe struct {
			Type      string `json:"type"`
			Challenge string `json:"challenge"`
		}
		if json.Unmarshal(body, &probe) == nil && probe.Type == "url_verification" && rec.Code == http.StatusOK && rec.Body.String() != probe.Challenge {
			t.Fatalf("challenge %q answered with %q", probe.Challenge, rec.Body)
		}
	})
}

func FuzzSlackInteraction(f *testing.F) {
	payload := `{"type":"block_actions","user":{"id":"U2","team_id":"T1"},"team":{"id":"T1"},"channel":{"id":"C1"},
"response_url":"https://hooks.slack.com/actions/1/2","trigger_id":"1.2","actions":[{"action_id":"` + actionHelpful + `","block_id":"b","value":"abc","type":"button","action_ts":"1.3"}]}`
	f.Add([]byte(url.Values{"payload": {payload}}.Encode()))
	f.Add([]byte(url.Values{"payload": {strings.Replace(payload, actionHelpful, actionShare, 1)}}.Encode()))
	f.Add([]byte(url.Values{"payload": {`{"type":"view_submission"}`}}.Encode()))
	f.Add([]byte("payload=%7B"))
	h := fuzzRoutes(f)
	f.Fuzz(func(t *testing.T, body []byte) {
		post(t, h, "/slack/interactions", "application/x-www-form-urlencoded", body)
	})
}

// FuzzSlackText holds the text functions to their promises on any text:
// what a user typed reads back as plain valid text, and whatever is
// escaped for display can ping nobody and can be read back.
func FuzzSlackText(f *testing.F) {
	for _, s := range []string{"<@U0BOT> what did <@U123|liang> deny?", "<!channel> <!here|here> <!subteam^S1|team> @everyone",
		"add <https://example.com/a|example.com/a>", "a &amp; b &lt;c&gt;", "<#C1|general> <!date^1|x>", "\u202eevil", "<<@U1>>", "@\u200beveryone"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if !utf8.ValidString(s) {
			return // Slack sends UTF-8; encoding/json has already replaced anything else
		}
		p := plain(s, "U0BOT")
		if !utf8.ValidString(p) || p != strings.TrimSpace(p) {
			t.Fatalf("plain(%q) = %q", s, p)
		}
		_ = userText(s, "U0BOT")
		_ = stripLeadingMention(s)
		_ = mentionsOthers(s, "U0BOT")
		e := escape(s)
		checkSlackText(t, e)
		if strings.ContainsAny(e, "<>") {
			t.Fatalf("escape(%q) = %q keeps a bracket", s, e)
		}
	})
}
