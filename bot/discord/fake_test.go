package discord

import (
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/byline-news/byline/bot/bottest"
)

// Identities the fake Discord uses; snowflakes are numeric strings.
const (
	testToken   = "test-token"
	testAppID   = "2000"
	testBotID   = "1000"
	testGuild   = "3000"
	testChannel = "4000"
	testThread  = "4100"
	testHuman   = "6000"
	testOther   = "6001"
)

// waitTimeout bounds every wait on the fake; nothing asserts on time.
const waitTimeout = bottest.WaitTimeout

// call is one request the fake received.
type call struct {
	Route  string // "callback", "edit", "message", "history", "commands", …
	Path   string
	Query  url.Values
	Status int // what the fake answered
	JSON   map[string]any
	Raw    []byte
	At     time.Time // arrival, for the benchmark only
}

// fakeDiscord speaks Discord's REST API (under /api/v9/) and gateway on
// 127.0.0.1, records every call, and keeps the messages posted per
// channel so history requests return what was really said.
type fakeDiscord struct {
	srv         *httptest.Server
	rejectToken atomic.Bool  // GET /users/@me answers 401
	failMe      atomic.Int32 // answer GET /users/@me with 503 this many times
	limitEdits  atomic.Int32 // answer this many edits with 429
	failFinal   atomic.Int32 // answer edits that carry buttons (final answers) with this status
	closeCode   atomic.Int32 // close the gateway with this code after IDENTIFY
	conns       chan *gwConn
	calls       *bottest.Calls[call] // by route

	mu      sync.Mutex
	msgs    map[string][]map[string]any
	nextID  int
	threads map[string]bool
	unknown []string
	// postErr, when set, answers the posts to a channel for which it
	// returns a status other than 0 with that status and body.
	postErr func(channel string) (status int, body any)
}

func newFakeDiscord(t testing.TB) *fakeDiscord {
	f := &fakeDiscord{
		conns: make(chan *gwConn, 4), calls: bottest.NewCalls[call]("fake Discord"),
		msgs: map[string][]map[string]any{}, nextID: 9000,
		threads: map[string]bool{testThread: true},
	}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /api/v9/gateway", func(w http.ResponseWriter, r *http.Request) {
		f.record(call{Route: "gateway"})
		writeBody(w, http.StatusOK, map[string]any{"url": "ws://" + r.Host + "/gw"})
	})
	mux.HandleFunc("GET /gw/", f.serveGateway)
	mux.HandleFunc("GET /api/v9/users/@me", f.bot("me", f.usersMe))
	mux.HandleFunc("GET /api/v9/oauth2/applications/@me", f.bot("application", func(*http.Request, call) (int, any) {
		return http.StatusOK, map[string]any{"id": testAppID, "name": "byline"}
	}))
	mux.HandleFunc("PUT /api/v9/applications/{app}/commands", f.bot("commands", echoBody))
	mux.HandleFunc("PUT /api/v9/applications/{app}/guilds/{guild}/commands", f.bot("guild-commands", echoBody))
	mux.HandleFunc("POST /api/v9/channels/{ch}/messages", f.bot("message", f.postMessage))
	mux.HandleFunc("PATCH /api/v9/channels/{ch}/messages/{id}", f.bot("message-edit", f.editMessage))
	mux.HandleFunc("GET /api/v9/channels/{ch}/messages", f.bot("history", f.history))
	mux.HandleFunc("GET /api/v9/channels/{ch}", f.bot("channel", f.channel))
	mux.HandleFunc("POST /api/v9/interactions/{id}/{token}/callback", f.open("callback", func(*http.Request, call) (int, any) {
		return http.StatusNoContent, nil
	}))
	mux.HandleFunc("PATCH /api/v9/webhooks/{app}/{token}/messages/@original", f.open("edit", f.edit))
	mux.HandleFunc("POST /api/v9/webhooks/{app}/{token}", f.open("followup", func(r *http.Request, c call) (int, any) {
		return http.StatusOK, map[string]any{"id": "8900", "channel_id": testChannel, "content": c.JSON["content"],
			"author": map[string]any{"id": testAppID, "bot": true}}
	}))
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		f.mu.Lock()
		f.unknown = append(f.unknown, r.Method+" "+r.URL.Path)
		f.mu.Unlock()
		writeBody(w, http.StatusNotFound, map[string]any{"message": "404: Not Found", "code": 0})
	})
	f.srv = httptest.NewServer(mux)
	t.Cleanup(func() {
		f.srv.Close()
		f.mu.Lock()
		defer f.mu.Unlock()
		if len(f.unknown) > 0 {
			t.Errorf("fake Discord got calls to unknown routes: %v", f.unknown)
		}
	})
	return f
}

func (f *fakeDiscord) apiBase() string { return f.srv.URL + "/api/v9/" }

// reply computes a route's status and JSON answer from its request.
type reply func(r *http.Request, c call) (int, any)

// bot wraps a route that needs the bot token.
func (f *fakeDiscord) bot(route string, fn reply) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Authorization") != "Bot "+testToken {
			f.record(call{Route: route, Path: r.URL.Path, Status: http.StatusUnauthorized})
			writeBody(w, http.StatusUnauthorized, map[string]any{"message": "401: Unauthorized", "code": 0})
			return
		}
		f.open(route, fn)(w, r)
	}
}

// open wraps a route: it decodes the JSON body, answers, and records.
func (f *fakeDiscord) open(route string, fn reply) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		c := call{Route: route, Path: r.URL.Path, Query: r.URL.Query()}
		c.Raw, _ = io.ReadAll(r.Body)
		json.Unmarshal(c.Raw, &c.JSON)
		status, body := fn(r, c)
		c.Status = status
		f.record(c)
		writeBody(w, status, body)
	}
}

func writeBody(w http.ResponseWriter, status int, body any) {
	if body == nil {
		w.WriteHeader(status)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(body)
}

func echoBody(_ *http.Request, c call) (int, any) { return http.StatusOK, json.RawMessage(c.Raw) }

func (f *fakeDiscord) usersMe(*http.Request, call) (int, any) {
	if f.rejectToken.Load() {
		return http.StatusUnauthorized, map[string]any{"message": "401: Unauthorized", "code": 0}
	}
	if f.failMe.Add(-1) >= 0 {
		return http.StatusServiceUnavailable, map[string]any{"message": "upstream connect error", "code": 0}
	}
	return http.StatusOK, map[string]any{"id": testBotID, "username": "byline", "bot": true}
}

// postMessage stores a message from the bot and returns it, unless
// postErr fails it.
func (f *fakeDiscord) postMessage(r *http.Request, c call) (int, any) {
	f.mu.Lock()
	fail := f.postErr
	f.mu.Unlock()
	if fail != nil {
		if status, body := fail(r.PathValue("ch")); status != 0 {
			return status, body
		}
	}
	m := map[string]any{"channel_id": r.PathValue("ch"), "content": c.JSON["content"], "embeds": c.JSON["embeds"], "type": 19,
		"author": map[string]any{"id": testBotID, "username": "byline", "bot": true}}
	return http.StatusOK, f.add(m)
}

// failPosts makes posts to a channel fail as fail says (status 0: they
// succeed).
func (f *fakeDiscord) failPosts(fail func(channel string) (status int, body any)) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.postErr = fail
}

// editMessage changes a stored message of the bot's and returns it;
// with failFinal set, an edit carrying buttons fails.
func (f *fakeDiscord) editMessage(r *http.Request, c call) (int, any) {
	if st := int(f.failFinal.Load()); st != 0 && hasButtons(c.JSON) {
		return st, map[string]any{"message": "Unknown Message", "code": 10008}
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	for _, m := range f.msgs[r.PathValue("ch")] {
		if m["id"] == r.PathValue("id") {
			for _, k := range []string{"content", "embeds", "components"} {
				if v, ok := c.JSON[k]; ok {
					m[k] = v
				}
			}
			return http.StatusOK, maps.Clone(m)
		}
	}
	return http.StatusNotFound, map[string]any{"message": "Unknown Message", "code": 10008}
}

// hasButtons reports whether a message payload has components.
func hasButtons(m map[string]any) bool {
	cs, _ := m["components"].([]any)
	return len(cs) > 0
}

// add stores m in its channel with a fresh ID and timestamp.
func (f *fakeDiscord) add(m map[string]any) map[string]any {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.nextID++
	m["id"] = strconv.Itoa(f.nextID)
	m["timestamp"] = time.Date(2024, 1, 1, 0, 0, f.nextID-9000, 0, time.UTC).Format(time.RFC3339)
	ch := m["channel_id"].(string)
	f.msgs[ch] = append(f.msgs[ch], m)
	return m
}

// history lists a channel's messages before ?before=, newest first.
func (f *fakeDiscord) history(r *http.Request, c call) (int, any) {
	f.mu.Lock()
	defer f.mu.Unlock()
	before, _ := strconv.Atoi(c.Query.Get("before"))
	limit, _ := strconv.Atoi(c.Query.Get("limit"))
	out := []map[string]any{}
	for _, m := range slices.Backward(f.msgs[r.PathValue("ch")]) {
		if id, _ := strconv.Atoi(m["id"].(string)); (before == 0 || id < before) && len(out) < limit {
			out = append(out, m)
		}
	}
	return http.StatusOK, out
}

func (f *fakeDiscord) channel(r *http.Request, _ call) (int, any) {
	f.mu.Lock()
	defer f.mu.Unlock()
	ch := map[string]any{"id": r.PathValue("ch"), "type": 0, "guild_id": testGuild}
	if f.threads[r.PathValue("ch")] {
		ch["type"], ch["parent_id"] = 11, testChannel // a public thread of testChannel
	}
	return http.StatusOK, ch
}

// edit answers 429 while limitEdits lasts, fails final answers with
// failFinal set, else returns the message.
func (f *fakeDiscord) edit(r *http.Request, c call) (int, any) {
	if st := int(f.failFinal.Load()); st != 0 && hasButtons(c.JSON) {
		return st, map[string]any{"message": "Unknown Webhook", "code": 10015}
	}
	if f.limitEdits.Add(-1) >= 0 {
		return http.StatusTooManyRequests, map[string]any{"message": "You are being rate limited.", "retry_after": 0.01, "global": false}
	}
	return http.StatusOK, map[string]any{"id": "8800", "channel_id": testChannel, "content": c.JSON["content"],
		"author": map[string]any{"id": testAppID, "bot": true}}
}

// record stamps a call with its arrival and stores it.
func (f *fakeDiscord) record(c call) {
	c.At = time.Now()
	f.calls.Record(c.Route, c)
}

// next returns the next call of route not returned before, waiting for
// it to arrive.
func (f *fakeDiscord) next(t testing.TB, route string) call {
	t.Helper()
	return f.calls.Next(t, route)
}

// count is how many calls of route arrived so far.
func (f *fakeDiscord) count(route string) int { return f.calls.Count(route) }

// userMessage stores a person's message in channel, as Discord would
// hold it, and returns it as a MESSAGE_CREATE payload.
func (f *fakeDiscord) userMessage(channel, user, content string, mentions ...string) map[string]any {
	ms := []map[string]any{}
	for _, id := range mentions {
		ms = append(ms, map[string]any{"id": id, "username": "user" + id, "bot": id == testBotID})
	}
	m := map[string]any{"channel_id": channel, "guild_id": testGuild, "content": content, "type": 0,
		"author": map[string]any{"id": user, "username": "user" + user}, "mentions": ms}
	return maps.Clone(f.add(m))
}

// latest is the newest message stored in channel.
func (f *fakeDiscord) latest(channel string) map[string]any {
	f.mu.Lock()
	defer f.mu.Unlock()
	msgs := f.msgs[channel]
	if len(msgs) == 0 {
		return nil
	}
	return maps.Clone(msgs[len(msgs)-1])
}

func mentionOf(id string) string { return fmt.Sprintf("<@%s>", id) }
