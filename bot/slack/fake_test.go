package slack

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/byline-news/byline/bot/bottest"
)

// Identities the fake workspace uses.
const (
	testBotToken = "xoxb-test"
	testAppToken = "xapp-1-test"
	testSecret   = "8f742231b10e8888abcd99yyyzzz85a5"
	testTeam     = "T0NEWS001"
	testBotUser  = "U0BYLINE1"
	testBotID    = "B0BYLINE1"
	testHuman    = "U024BE7LH"
	testChannel  = "C0NEWS001"
)

// waitTimeout bounds every wait on the fake; nothing asserts on time.
const waitTimeout = bottest.WaitTimeout

// apiCall is one request the fake received.
type apiCall struct {
	Seq    int            // order of arrival across all methods
	Method string         // "chat.postMessage", "respond", "socket.ack", …
	Form   url.Values     // form-encoded Web API methods
	JSON   map[string]any // response_url posts and socket acks
	At     time.Time      // arrival, for the benchmark only
}

// fakeSlack speaks Slack's Web API, response_url and Socket Mode wire
// formats on 127.0.0.1, records every call and keeps thread messages so
// conversations.replies returns what was really posted.
type fakeSlack struct {
	srv        *httptest.Server
	limitPosts atomic.Int32 // answer this many chat.postMessage calls with 429
	conns      chan *wsConn
	done       chan struct{}
	calls      *bottest.Calls[apiCall] // by method
	seq        atomic.Int64            // calls so far

	mu        sync.Mutex
	msgs      []threadMsg
	unknown   []string
	updateErr func(form url.Values) string // chat.update's error code for a call; nil or "": it succeeds
	// postErr, when set, answers chat.postMessage with an HTTP status
	// and error code ({"ok":false,"error":code}) for the calls it
	// returns a code for.
	postErr func(form url.Values) (status int, code string)
	// reactAdd, when set, answers reactions.add after the call is
	// recorded (a slow or rate-limited Slack).
	reactAdd func(w http.ResponseWriter)
}

// threadMsg is a message the fake's conversations.replies can return.
type threadMsg struct{ Channel, User, BotID, Text, TS, ThreadTS string }

func newFakeSlack(t testing.TB) *fakeSlack {
	f := &fakeSlack{
		conns: make(chan *wsConn, 4), done: make(chan struct{}), calls: bottest.NewCalls[apiCall]("fake Slack"),
	}
	mux := http.NewServeMux()
	mux.HandleFunc("/auth.test", f.form("auth.test", f.authTest))
	mux.HandleFunc("/apps.connections.open", f.openConnection)
	mux.HandleFunc("/link/", f.serveSocket)
	mux.HandleFunc("/chat.postMessage", f.postMessage)
	mux.HandleFunc("/chat.postEphemeral", f.form("chat.postEphemeral", func(url.Values) string {
		return `{"ok":true,"message_ts":"1700000900.000001"}`
	}))
	mux.HandleFunc("/chat.update", f.form("chat.update", f.update))
	mux.HandleFunc("/chat.delete", f.form("chat.delete", f.delete))
	mux.HandleFunc("/reactions.add", f.reactionsAdd)
	mux.HandleFunc("/reactions.remove", f.form("reactions.remove", okJSON))
	mux.HandleFunc("/conversations.replies", f.form("conversations.replies", f.replies))
	mux.HandleFunc("/respond/", f.respond)
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		f.mu.Lock()
		f.unknown = append(f.unknown, r.URL.Path)
		f.mu.Unlock()
		fmt.Fprint(w, `{"ok":false,"error":"unknown_method"}`)
	})
	f.srv = httptest.NewServer(mux)
	t.Cleanup(func() {
		close(f.done)
		f.srv.Close()
		if len(f.unknown) > 0 {
			t.Errorf("fake Slack got calls to unknown methods: %v", f.unknown)
		}
	})
	return f
}

func (f *fakeSlack) apiURL() string                 { return f.srv.URL + "/" }
func (f *fakeSlack) responseURL(name string) string { return f.srv.URL + "/respond/" + name }

func okJSON(url.Values) string { return `{"ok":true}` }

// reactionsAdd answers reactions.add with f.reactAdd when it is set.
func (f *fakeSlack) reactionsAdd(w http.ResponseWriter, r *http.Request) {
	f.mu.Lock()
	answer := f.reactAdd
	f.mu.Unlock()
	if answer == nil {
		f.form("reactions.add", okJSON)(w, r)
		return
	}
	r.ParseForm()
	f.record(apiCall{Method: "reactions.add", Form: r.PostForm})
	answer(w)
}

// answerReactions makes reactions.add answer with fn.
func (f *fakeSlack) answerReactions(fn func(w http.ResponseWriter)) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.reactAdd = fn
}

// record numbers a call in order of arrival, stamps it and stores it.
func (f *fakeSlack) record(c apiCall) {
	c.Seq, c.At = int(f.seq.Add(1)), time.Now()
	f.calls.Record(c.Method, c)
}

// next returns the next call of method not returned before, waiting for
// it to arrive.
func (f *fakeSlack) next(t testing.TB, method string) apiCall {
	t.Helper()
	return f.calls.Next(t, method)
}

// count is how many calls of method arrived so far.
func (f *fakeSlack) count(method string) int { return f.calls.Count(method) }

// addMessage stores a user's message so conversations.replies sees it.
func (f *fakeSlack) addMessage(m threadMsg) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.msgs = append(f.msgs, m)
}

// form wraps a form-encoded Web API method: it checks the bot token,
// records the call and writes reply's JSON.
func (f *fakeSlack) form(method string, reply func(url.Values) string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if err := r.ParseForm(); err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		if r.PostForm.Get("token") != testBotToken {
			fmt.Fprint(w, `{"ok":false,"error":"invalid_auth"}`)
			return
		}
		f.record(apiCall{Method: method, Form: r.PostForm})
		fmt.Fprint(w, reply(r.PostForm))
	}
}

func (f *fakeSlack) authTest(url.Values) string {
	return fmt.Sprintf(`{"ok":true,"url":"https://news.slack.com/","team":"News","user":"byline","team_id":%q,"user_id":%q,"bot_id":%q}`,
		testTeam, testBotUser, testBotID)
}

// postMessage answers 429 while limitPosts lasts, else stores the
// message in its thread.
func (f *fakeSlack) postMessage(w http.ResponseWriter, r *http.Request) {
	if f.limitPosts.Add(-1) >= 0 {
		r.ParseForm()
		f.record(apiCall{Method: "chat.postMessage", Form: r.PostForm})
		w.Header().Set("Retry-After", "1")
		http.Error(w, `{"ok":false,"error":"ratelimited"}`, http.StatusTooManyRequests)
		return
	}
	if f.postFailed(w, r) {
		return
	}
	f.form("chat.postMessage", func(form url.Values) string {
		f.mu.Lock()
		ts := f.nextTS()
		f.msgs = append(f.msgs, threadMsg{
			Channel: form.Get("channel"), User: testBotUser, BotID: testBotID,
			Text: form.Get("text"), TS: ts, ThreadTS: form.Get("thread_ts"),
		})
		f.mu.Unlock()
		return fmt.Sprintf(`{"ok":true,"channel":%q,"ts":%q,"message":{"type":"message","ts":%q}}`, form.Get("channel"), ts, ts)
	})(w, r)
}

// failPosts makes chat.postMessage answer the calls for which fail
// returns an error code with that code and HTTP status.
func (f *fakeSlack) failPosts(fail func(form url.Values) (status int, code string)) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.postErr = fail
}

// postFailed answers a chat.postMessage call with f.postErr's error,
// reporting whether it did.
func (f *fakeSlack) postFailed(w http.ResponseWriter, r *http.Request) bool {
	f.mu.Lock()
	fail := f.postErr
	f.mu.Unlock()
	if fail == nil {
		return false
	}
	r.ParseForm()
	status, code := fail(r.PostForm)
	if code == "" {
		return false
	}
	f.record(apiCall{Method: "chat.postMessage", Form: r.PostForm})
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	fmt.Fprintf(w, `{"ok":false,"error":%q}`, code)
	return true
}

// failUpdates makes chat.update answer the calls for which code returns
// an error code with {"ok":false,"error":code}.
func (f *fakeSlack) failUpdates(code func(form url.Values) string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.updateErr = code
}

// update edits the bot's message at ts, as chat.update does.
func (f *fakeSlack) update(form url.Values) string {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.updateErr != nil {
		if code := f.updateErr(form); code != "" {
			return fmt.Sprintf(`{"ok":false,"error":%q}`, code)
		}
	}
	for i, m := range f.msgs {
		if m.Channel == form.Get("channel") && m.TS == form.Get("ts") && m.User == testBotUser {
			f.msgs[i].Text = form.Get("text")
			return fmt.Sprintf(`{"ok":true,"channel":%q,"ts":%q}`, m.Channel, m.TS)
		}
	}
	return `{"ok":false,"error":"message_not_found"}`
}

// delete removes the bot's message at ts, as chat.delete does.
func (f *fakeSlack) delete(form url.Values) string {
	f.mu.Lock()
	defer f.mu.Unlock()
	for i, m := range f.msgs {
		if m.Channel == form.Get("channel") && m.TS == form.Get("ts") && m.User == testBotUser {
			f.msgs = append(f.msgs[:i], f.msgs[i+1:]...)
			return fmt.Sprintf(`{"ok":true,"channel":%q,"ts":%q}`, m.Channel, m.TS)
		}
	}
	return `{"ok":false,"error":"message_not_found"}`
}

// botMessages returns the bot's messages the fake holds in channel: in
// thread, or at the top level when thread is "".
func (f *fakeSlack) botMessages(channel, thread string) []threadMsg {
	f.mu.Lock()
	defer f.mu.Unlock()
	var out []threadMsg
	for _, m := range f.msgs {
		if m.Channel == channel && m.ThreadTS == thread && m.User == testBotUser {
			out = append(out, m)
		}
	}
	return out
}

// nextTS is one microsecond after the latest message the fake knows, as
// Slack's time-based timestamps would be; f.mu is held.
func (f *fakeSlack) nextTS() string {
	latest := "1700000000.000000"
	for _, m := range f.msgs {
		if tsBefore(latest, m.TS) {
			latest = m.TS
		}
	}
	sec, micro, _ := strings.Cut(latest, ".")
	n, _ := strconv.Atoi(micro)
	return fmt.Sprintf("%s.%06d", sec, n+1)
}

// replies returns a thread's messages, parent first, like Slack.
func (f *fakeSlack) replies(form url.Values) string {
	f.mu.Lock()
	defer f.mu.Unlock()
	var out []map[string]string
	for _, m := range f.msgs {
		if m.Channel == form.Get("channel") && (m.TS == form.Get("ts") || m.ThreadTS == form.Get("ts")) {
			out = append(out, map[string]string{
				"type": "message", "user": m.User, "bot_id": m.BotID, "text": m.Text, "ts": m.TS, "thread_ts": m.ThreadTS,
			})
		}
	}
	sort.Slice(out, func(i, j int) bool { return tsBefore(out[i]["ts"], out[j]["ts"]) })
	b, _ := json.Marshal(map[string]any{"ok": true, "messages": out, "has_more": false})
	return string(b)
}

// respond records a JSON post to a response_url.
func (f *fakeSlack) respond(w http.ResponseWriter, r *http.Request) {
	var body map[string]any
	if err := json.NewDecoder(r.Body).Decode(&body); err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	body["path"] = r.URL.Path
	f.record(apiCall{Method: "respond", JSON: body})
	w.Header().Set("Content-Type", "application/json")
	fmt.Fprint(w, `{"ok":true}`)
}
