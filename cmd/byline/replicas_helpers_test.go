package main

import (
	"context"
	"crypto/ed25519"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"maps"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/byline-news/byline/config"
)

// This file holds what the replica tests share: serve processes
// started and stopped by the test, a fake of Slack's Web API, response
// URLs and Discord's REST API that records what each replica sent, and
// signed requests to the replicas' webhooks.

// replicaWait bounds every wait in the replica tests; nothing asserts on
// time but the recovery the issue bounds (10 s).
const replicaWait = 20 * time.Second

// replica is one "byline serve" run in-process with its own app, config
// and store handle (so its own connection pool): all it shares with the
// other replicas of a test is the database.
type replica struct {
	name string
	*served
	stop func() // stops it and waits for answers in flight; idempotent
}

// startReplica starts serve with env (copied; HOME and the listener
// address are set here) and waits until /healthz answers.
func startReplica(t *testing.T, name string, env map[string]string) *replica {
	t.Helper()
	return startReplicaWith(t, name, env, nil)
}

// startReplicaWith is startReplica with tune, when not nil, changing the
// app before serve starts (shorter timings).
func startReplicaWith(t *testing.T, name string, env map[string]string, tune func(*app)) *replica {
	t.Helper()
	env = maps.Clone(env)
	s := &served{home: t.TempDir(), addr: freeAddr(t), done: make(chan int, 1), logs: &lockedWriter{b: &strings.Builder{}}}
	env["XDG_DATA_HOME"], env["HOME"], env["BYLINE_HTTP_ADDR"] = s.home, s.home, s.addr
	if env["BYLINE_LOG_LEVEL"] == "" {
		env["BYLINE_LOG_LEVEL"] = "warn"
	}
	cfg, err := config.Load(func(k string) string { return env[k] })
	if err != nil {
		t.Fatal(err)
	}
	a := &app{stdio: stdio{in: strings.NewReader(""), out: io.Discard, err: s.logs}, cfg: cfg,
		log: slog.New(slog.NewTextHandler(s.logs, &slog.HandlerOptions{Level: cfg.LogLevel})), limits: &defaultLimits}
	if tune != nil {
		tune(a)
	}
	ctx, cancel := context.WithCancel(context.Background())
	go func() { s.done <- a.exitCode(runServe(ctx, a, nil)) }()
	var once sync.Once
	code := -1
	r := &replica{name: name, served: s, stop: func() {
		once.Do(func() {
			cancel()
			select {
			case code = <-s.done:
			case <-time.After(2 * shutdownGrace):
				t.Errorf("replica %s did not stop", name)
			}
			if code != 0 {
				t.Errorf("replica %s exited with %d; logs:\n%s", name, code, s.logs)
			}
		})
	}}
	t.Cleanup(func() {
		r.stop()
		if t.Failed() && code == 0 { // a failed wait: what the replica logged says why
			t.Logf("replica %s logs:\n%s", name, s.logs)
		}
	})
	waitFor(t, "http://"+s.addr+"/healthz", s.done)
	return r
}

// startReplicas starts one replica per name at the same moment.
func startReplicas(t *testing.T, env map[string]string, names ...string) []*replica {
	t.Helper()
	out := make([]*replica, len(names))
	var wg sync.WaitGroup
	for i, n := range names {
		wg.Go(func() { out[i] = startReplica(t, n, env) })
	}
	wg.Wait()
	for _, r := range out {
		if r == nil {
			t.FailNow() // startReplica failed it
		}
	}
	return out
}

// ready reports /readyz's status and body.
func (r *replica) ready(t *testing.T) (int, map[string]string) {
	t.Helper()
	res, err := http.Get("http://" + r.addr + "/readyz")
	if err != nil {
		t.Fatalf("replica %s /readyz: %v", r.name, err)
	}
	defer res.Body.Close()
	status := map[string]string{}
	json.NewDecoder(res.Body).Decode(&status)
	return res.StatusCode, status
}

// eventually polls cond until it holds, failing t after replicaWait.
func eventually(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(replicaWait)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// waitReady waits until every replica's /readyz says 200.
func waitReady(t *testing.T, rs ...*replica) {
	t.Helper()
	for _, r := range rs {
		eventually(t, "replica "+r.name+" ready", func() bool { code, _ := r.ready(t); return code == http.StatusOK })
	}
}

// Identities the fakes and webhooks use.
const (
	slackSecret  = "replica-signing-secret"
	discordAppID = "123456789"
)

// replicaEnv is the configuration every replica of a test shares, but
// for the bot token, which tells the fake who posted.
func replicaEnv(db string, fake *fakePlatforms, pub ed25519.PublicKey) map[string]string {
	return map[string]string{
		"BYLINE_DATABASE_URL":  db,
		"SLACK_SIGNING_SECRET": slackSecret, "SLACK_API_URL": fake.srv.URL + "/api/", "SLACK_ADMINS": "UADMIN",
		"DISCORD_PUBLIC_KEY": hex.EncodeToString(pub), "DISCORD_APP_ID": discordAppID,
		"DISCORD_API_URL":    fake.srv.URL + "/discord/api/v9/",
		"BYLINE_FETCH_ALLOW": "127.0.0.1",
	}
}

// withToken returns env with replica name's own Slack bot token.
func withToken(env map[string]string, name string) map[string]string {
	env = maps.Clone(env)
	env["SLACK_BOT_TOKEN"] = "xoxb-" + name
	return env
}

// slackPost is a chat.postMessage a replica made.
type slackPost struct {
	token, channel, thread, text, blocks string
}

// fakePlatforms stands in for Slack's Web API (/api/…), the response
// URLs of slash commands and clicks (/respond/ID) and Discord's REST API
// (/discord/api/v9/…), recording what the replicas send.
type fakePlatforms struct {
	srv *httptest.Server

	mu        sync.Mutex
	posts     []slackPost
	responses map[string][]string // response URL ID -> JSON bodies
	edits     map[string][]string // Discord interaction token -> edits of @original
	seq       int
}

func newFakePlatforms(t *testing.T) *fakePlatforms {
	f := &fakePlatforms{responses: map[string][]string{}, edits: map[string][]string{}}
	mux := http.NewServeMux()
	mux.HandleFunc("POST /api/{method}", f.slackAPI)
	mux.HandleFunc("POST /respond/{id}", func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		f.mu.Lock()
		f.responses[r.PathValue("id")] = append(f.responses[r.PathValue("id")], string(b))
		f.mu.Unlock()
		fmt.Fprint(w, "ok")
	})
	mux.HandleFunc("/discord/api/v9/webhooks/{app}/{token}/{rest...}", func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		f.mu.Lock()
		f.edits[r.PathValue("token")] = append(f.edits[r.PathValue("token")], string(b))
		f.mu.Unlock()
		w.Header().Set("Content-Type", "application/json")
		fmt.Fprint(w, `{"id":"9000","channel_id":"4000","content":"","timestamp":"2026-12-01T00:00:00Z"}`)
	})
	f.srv = httptest.NewServer(mux)
	t.Cleanup(f.srv.Close)
	return f
}

func (f *fakePlatforms) slackAPI(w http.ResponseWriter, r *http.Request) {
	r.ParseForm()
	w.Header().Set("Content-Type", "application/json")
	switch r.PathValue("method") {
	case "auth.test":
		fmt.Fprint(w, `{"ok":true,"team_id":"T1","user_id":"UBOT","bot_id":"BBOT"}`)
	case "chat.postMessage":
		f.mu.Lock()
		f.seq++
		ts := fmt.Sprintf("1700009999.%06d", f.seq)
		f.posts = append(f.posts, slackPost{token: r.PostFormValue("token"), channel: r.PostFormValue("channel"),
			thread: r.PostFormValue("thread_ts"), text: r.PostFormValue("text"), blocks: r.PostFormValue("blocks")})
		f.mu.Unlock()
		fmt.Fprintf(w, `{"ok":true,"channel":%q,"ts":%q}`, r.PostFormValue("channel"), ts)
	case "conversations.replies":
		fmt.Fprint(w, `{"ok":true,"messages":[],"has_more":false}`)
	default: // reactions, ephemeral notices
		fmt.Fprint(w, `{"ok":true}`)
	}
}

// threadPosts returns the chat.postMessage calls in thread ts.
func (f *fakePlatforms) threadPosts(ts string) []slackPost {
	f.mu.Lock()
	defer f.mu.Unlock()
	var out []slackPost
	for _, p := range f.posts {
		if p.thread == ts {
			out = append(out, p)
		}
	}
	return out
}

// responded returns what was posted to response URL id.
func (f *fakePlatforms) responded(id string) []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]string(nil), f.responses[id]...)
}

// edited returns the edits of interaction token's original response.
func (f *fakePlatforms) edited(token string) []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]string(nil), f.edits[token]...)
}

// respondURL is the response URL the fake records under id.
func (f *fakePlatforms) respondURL(id string) string { return f.srv.URL + "/respond/" + id }

// slackRequest posts a signed request to a replica's Slack route and
// returns the status and body; header may add X-Slack-Retry-Num.
func slackRequest(t *testing.T, r *replica, path, contentType, body string, header map[string]string) (int, string) {
	t.Helper()
	req, _ := http.NewRequest("POST", "http://"+r.addr+path, strings.NewReader(body))
	req.Header.Set("Content-Type", contentType)
	ts := fmt.Sprint(time.Now().Unix())
	req.Header.Set("X-Slack-Request-Timestamp", ts)
	req.Header.Set("X-Slack-Signature", sign(slackSecret, ts, body))
	for k, v := range header {
		req.Header.Set(k, v)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("replica %s %s: %v", r.name, path, err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res.StatusCode, string(b)
}

// slackMention is an Events API callback: user mentions the bot with
// question in channel C1, at ts (thread: "" for a new thread).
func slackMention(eventID, user, ts, thread, question string) string {
	ev := map[string]any{"type": "app_mention", "user": user, "text": "<@UBOT> " + question, "ts": ts, "channel": "C1", "event_ts": ts}
	if thread != "" {
		ev["thread_ts"] = thread
	}
	return callback(eventID, ev)
}

// slackReply is a message without a mention in thread.
func slackReply(eventID, user, ts, thread, text string) string {
	return callback(eventID, map[string]any{"type": "message", "user": user, "text": text, "ts": ts, "thread_ts": thread,
		"channel": "C1", "channel_type": "channel", "event_ts": ts})
}

func callback(eventID string, ev map[string]any) string {
	b, _ := json.Marshal(map[string]any{"type": "event_callback", "team_id": "T1", "api_app_id": "A1", "event_id": eventID,
		"event_time": 1700000000, "event": ev})
	return string(b)
}

// slackCommand is a /news slash command's form.
func slackCommand(trigger, user, text, responseURL string) string {
	return url.Values{"command": {"/news"}, "text": {text}, "team_id": {"T1"}, "channel_id": {"C1"}, "user_id": {user},
		"user_name": {user}, "response_url": {responseURL}, "trigger_id": {trigger}, "api_app_id": {"A1"}}.Encode()
}

// slackClick is a click on button actionID (value) of a message.
func slackClick(user, actionID, value, actionTS, responseURL string) string {
	b, _ := json.Marshal(map[string]any{"type": "block_actions", "user": map[string]any{"id": user}, "team": map[string]any{"id": "T1"},
		"channel": map[string]any{"id": "C1"}, "trigger_id": "click-" + actionTS, "response_url": responseURL,
		"container": map[string]any{"type": "message", "message_ts": "1700009999.000001", "channel_id": "C1"},
		"actions":   []map[string]any{{"type": "button", "action_id": actionID, "block_id": "b1", "value": value, "action_ts": actionTS}}})
	return url.Values{"payload": {string(b)}}.Encode()
}

// discordRequest posts a signed interaction to a replica.
func discordRequest(t *testing.T, r *replica, priv ed25519.PrivateKey, body string) (int, string) {
	t.Helper()
	req, _ := http.NewRequest("POST", "http://"+r.addr+"/discord/interactions", strings.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	ts := fmt.Sprint(time.Now().Unix())
	req.Header.Set("X-Signature-Timestamp", ts)
	req.Header.Set("X-Signature-Ed25519", hex.EncodeToString(ed25519.Sign(priv, []byte(ts+body))))
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("replica %s interaction: %v", r.name, err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res.StatusCode, string(b)
}

// discordCommand is a /news interaction asking question.
func discordCommand(id, token, user, question string) string {
	b, _ := json.Marshal(map[string]any{"id": id, "application_id": discordAppID, "type": 2, "token": token, "version": 1,
		"guild_id": "3000", "channel_id": "4000", "member": map[string]any{"user": map[string]any{"id": user, "username": user}},
		"data": map[string]any{"id": "8000", "name": "news", "type": 1,
			"options": []map[string]any{{"name": "question", "type": 3, "value": question}}}})
	return string(b)
}

// discordClick is a click on the button customID.
func discordClick(id, token, user, customID string) string {
	b, _ := json.Marshal(map[string]any{"id": id, "application_id": discordAppID, "type": 3, "token": token, "version": 1,
		"guild_id": "3000", "channel_id": "4000", "member": map[string]any{"user": map[string]any{"id": user, "username": user}},
		"message": map[string]any{"id": "9000", "channel_id": "4000"},
		"data":    map[string]any{"custom_id": customID, "component_type": 2}})
	return string(b)
}

// discordAnswer is what an interaction was answered with: the HTTP
// response's content, or, when it was deferred, the edit that followed.
func discordAnswer(t *testing.T, fake *fakePlatforms, token, response string) string {
	t.Helper()
	var resp struct {
		Type int `json:"type"`
	}
	if err := json.Unmarshal([]byte(response), &resp); err != nil {
		t.Fatalf("interaction response %q: %v", response, err)
	}
	if resp.Type != 5 {
		return response
	}
	eventually(t, "the deferred answer's edit", func() bool { return len(fake.edited(token)) > 0 })
	return strings.Join(fake.edited(token), "\n")
}

// findValue returns the "value" of the first object in the JSON doc
// whose key is want, "" when there is none.
func findValue(doc, key, want string) string {
	var v any
	if json.Unmarshal([]byte(doc), &v) != nil {
		return ""
	}
	var walk func(v any) string
	walk = func(v any) string {
		switch v := v.(type) {
		case map[string]any:
			if v[key] == want {
				s, _ := v["value"].(string)
				return s
			}
			for _, c := range v {
				if s := walk(c); s != "" {
					return s
				}
			}
		case []any:
			for _, c := range v {
				if s := walk(c); s != "" {
					return s
				}
			}
		}
		return ""
	}
	return walk(v)
}
