package main

import (
	"context"
	"crypto/ed25519"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/byline-news/byline/retrieval/sqlite"
)

// freeAddr returns a loopback address with a port that was free a moment ago.
func freeAddr(t testing.TB) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	return addr
}

// TestServeHealthAndShutdown starts serve with no chat platform, checks
// /healthz and /readyz, then cancels it as SIGTERM would.
func TestServeHealthAndShutdown(t *testing.T) {
	home := t.TempDir()
	addr := freeAddr(t)
	env := map[string]string{"XDG_DATA_HOME": home, "HOME": home, "BYLINE_HTTP_ADDR": addr}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var out, errb strings.Builder
	done := make(chan int, 1)
	go func() {
		done <- run(ctx, []string{"serve"}, stdio{in: strings.NewReader(""), out: &out, err: &lockedWriter{b: &errb}}, func(k string) string { return env[k] })
	}()
	resp := waitFor(t, "http://"+addr+"/healthz", done)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("/healthz = %d", resp.StatusCode)
	}
	resp, err := http.Get("http://" + addr + "/readyz")
	if err != nil {
		t.Fatal(err)
	}
	var status map[string]string
	json.NewDecoder(resp.Body).Decode(&status)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK || status["database"] != "ok" {
		t.Errorf("/readyz = %d %v, want 200 with database ok", resp.StatusCode, status)
	}
	cancel()
	select {
	case code := <-done:
		if code != 0 {
			t.Errorf("serve exit %d after shutdown, want 0", code)
		}
	case <-time.After(15 * time.Second):
		t.Fatal("serve did not stop after its context was cancelled")
	}
}

// waitFor polls url until the server answers or serve exits.
func waitFor(t *testing.T, url string, done chan int) *http.Response {
	t.Helper()
	for range 200 {
		select {
		case code := <-done:
			t.Fatalf("serve exited with %d before answering", code)
		default:
		}
		if resp, err := http.Get(url); err == nil {
			resp.Body.Close()
			return resp
		}
		time.Sleep(25 * time.Millisecond)
	}
	t.Fatalf("%s never answered", url)
	return nil
}

func TestServeRejectsBadSlackConfig(t *testing.T) {
	tests := []struct {
		name string
		env  map[string]string
		want string
	}{
		{"user token", map[string]string{"SLACK_BOT_TOKEN": "xoxp-1", "SLACK_SIGNING_SECRET": "s"}, "xoxb-"},
		{"no transport", map[string]string{"SLACK_BOT_TOKEN": "xoxb-1"}, "SLACK_SIGNING_SECRET"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.env["HOME"] = t.TempDir()
			var out, errb strings.Builder
			code := run(context.Background(), []string{"serve"}, stdio{in: strings.NewReader(""), out: &out, err: &errb}, func(k string) string { return tt.env[k] })
			if code != 2 || !strings.Contains(errb.String(), tt.want) {
				t.Errorf("exit %d, stderr %q; want 2 mentioning %q", code, errb.String(), tt.want)
			}
		})
	}
}

// lockedWriter serialises writes from serve's goroutines.
type lockedWriter struct {
	mu sync.Mutex
	b  *strings.Builder
}

func (w *lockedWriter) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.b.Write(p)
}

func (w *lockedWriter) String() string {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.b.String()
}

// TestServeWiresSlackHTTPMode runs serve with Slack in HTTP mode against a
// minimal fake Web API, and checks that Slack's routes are on the shared
// listener, verify signatures, and that /readyz reports Slack.
func TestServeWiresSlackHTTPMode(t *testing.T) {
	api := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		if strings.HasSuffix(r.URL.Path, "auth.test") {
			fmt.Fprint(w, `{"ok":true,"url":"https://t.slack.com/","team":"T","user":"byline","team_id":"T1","user_id":"UBOT","bot_id":"BBOT"}`)
			return
		}
		fmt.Fprint(w, `{"ok":true}`)
	}))
	defer api.Close()
	home := t.TempDir()
	addr := freeAddr(t)
	const secret = "test-signing-secret"
	env := map[string]string{"XDG_DATA_HOME": home, "HOME": home, "BYLINE_HTTP_ADDR": addr,
		"SLACK_BOT_TOKEN": "xoxb-test", "SLACK_SIGNING_SECRET": secret, "SLACK_API_URL": api.URL + "/api/"}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var out, errb strings.Builder
	done := make(chan int, 1)
	go func() {
		done <- run(ctx, []string{"serve"}, stdio{in: strings.NewReader(""), out: &out, err: &lockedWriter{b: &errb}}, func(k string) string { return env[k] })
	}()
	waitFor(t, "http://"+addr+"/healthz", done)

	body := `{"type":"url_verification","challenge":"c-123","token":"x"}`
	if got := postSlack(t, addr, body, "", ""); got.code != http.StatusUnauthorized {
		t.Errorf("unsigned event: status %d, want 401", got.code)
	}
	ts := fmt.Sprint(time.Now().Unix())
	if got := postSlack(t, addr, body, ts, sign(secret, ts, body)); got.code != http.StatusOK || !strings.Contains(got.body, "c-123") {
		t.Errorf("signed url_verification: %d %q, want 200 echoing the challenge", got.code, got.body)
	}
	ready := false
	for range 100 { // Ready once auth.test has answered
		if resp, err := http.Get("http://" + addr + "/readyz"); err == nil {
			b, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				if !strings.Contains(string(b), `"slack":"connected"`) {
					t.Errorf("/readyz = %s, want slack connected", b)
				}
				ready = true
				break
			}
		}
		time.Sleep(20 * time.Millisecond)
	}
	if !ready {
		t.Error("/readyz never reported ready with Slack configured")
	}
	cancel()
	if code := <-done; code != 0 {
		t.Errorf("serve exit %d, want 0; stderr:\n%s", code, errb.String())
	}
}

type httpResult struct {
	code int
	body string
}

func postSlack(t *testing.T, addr, body, ts, sig string) httpResult {
	t.Helper()
	req, _ := http.NewRequest("POST", "http://"+addr+"/slack/events", strings.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	if ts != "" {
		req.Header.Set("X-Slack-Request-Timestamp", ts)
		req.Header.Set("X-Slack-Signature", sig)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return httpResult{resp.StatusCode, string(b)}
}

// sign computes Slack's v0 request signature.
func sign(secret, ts, body string) string {
	mac := hmac.New(sha256.New, []byte(secret))
	fmt.Fprintf(mac, "v0:%s:%s", ts, body)
	return "v0=" + hex.EncodeToString(mac.Sum(nil))
}

// TestServeWiresDiscordInteractions runs serve with only Discord's HTTP
// interactions configured and checks the endpoint on the shared listener:
// a signed PING gets a PONG, an unsigned one a 401.
func TestServeWiresDiscordInteractions(t *testing.T) {
	pub, priv, err := ed25519.GenerateKey(nil)
	if err != nil {
		t.Fatal(err)
	}
	home := t.TempDir()
	addr := freeAddr(t)
	env := map[string]string{"XDG_DATA_HOME": home, "HOME": home, "BYLINE_HTTP_ADDR": addr,
		"DISCORD_PUBLIC_KEY": hex.EncodeToString(pub), "DISCORD_APP_ID": "123456789"}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var out, errb strings.Builder
	done := make(chan int, 1)
	go func() {
		done <- run(ctx, []string{"serve"}, stdio{in: strings.NewReader(""), out: &out, err: &lockedWriter{b: &errb}}, func(k string) string { return env[k] })
	}()
	waitFor(t, "http://"+addr+"/healthz", done)

	body := `{"type":1,"id":"1","application_id":"123456789","token":"t","version":1}`
	post := func(sign bool) (int, string) {
		req, _ := http.NewRequest("POST", "http://"+addr+"/discord/interactions", strings.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		if sign {
			ts := fmt.Sprint(time.Now().Unix())
			req.Header.Set("X-Signature-Timestamp", ts)
			req.Header.Set("X-Signature-Ed25519", hex.EncodeToString(ed25519.Sign(priv, []byte(ts+body))))
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	if code, _ := post(false); code != http.StatusUnauthorized {
		t.Errorf("unsigned PING: %d, want 401", code)
	}
	if code, got := post(true); code != http.StatusOK || !strings.Contains(strings.ReplaceAll(got, " ", ""), `"type":1`) {
		t.Errorf("signed PING: %d %q, want 200 with a PONG", code, got)
	}
	cancel()
	if code := <-done; code != 0 {
		t.Errorf("serve exit %d, want 0; stderr:\n%s", code, errb.String())
	}
}

// TestServeSavesChatStateOnShutdown answers a Slack mention whose reply
// is still being posted when serve is told to stop, and checks that the
// thread it answered in is in the database afterwards: the state
// writer outlives the answers in flight, and flushes before the
// database closes.
func TestServeSavesChatStateOnShutdown(t *testing.T) {
	posting, release := make(chan struct{}, 1), make(chan struct{})
	api := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		switch {
		case strings.HasSuffix(r.URL.Path, "auth.test"):
			fmt.Fprint(w, `{"ok":true,"team_id":"T1","user_id":"UBOT","bot_id":"BBOT"}`)
		case strings.HasSuffix(r.URL.Path, "chat.postMessage"):
			posting <- struct{}{}
			<-release
			fmt.Fprint(w, `{"ok":true,"channel":"C1","ts":"1700000100.000200"}`)
		default:
			fmt.Fprint(w, `{"ok":true}`)
		}
	}))
	defer api.Close()
	home := t.TempDir()
	addr := freeAddr(t)
	const secret = "test-signing-secret"
	env := map[string]string{"XDG_DATA_HOME": home, "HOME": home, "BYLINE_HTTP_ADDR": addr,
		"SLACK_BOT_TOKEN": "xoxb-test", "SLACK_SIGNING_SECRET": secret, "SLACK_API_URL": api.URL + "/api/"}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var out, errb strings.Builder
	logs := &lockedWriter{b: &errb}
	done := make(chan int, 1)
	go func() {
		done <- run(ctx, []string{"serve"}, stdio{in: strings.NewReader(""), out: &out, err: logs}, func(k string) string { return env[k] })
	}()
	waitFor(t, "http://"+addr+"/healthz", done)

	const ts = "1700000100.000100"
	body := `{"type":"event_callback","team_id":"T1","event_id":"Ev1","event":{"type":"app_mention","user":"U1",` +
		`"text":"<@UBOT> what is in the news?","ts":"` + ts + `","channel":"C1","event_ts":"` + ts + `"}}`
	for range 100 { // the adapter answers once auth.test has
		now := fmt.Sprint(time.Now().Unix())
		if got := postSlack(t, addr, body, now, sign(secret, now, body)); got.code == http.StatusOK {
			break
		}
		time.Sleep(20 * time.Millisecond)
	}
	select {
	case <-posting:
	case <-time.After(5 * time.Second):
		t.Fatalf("the mention was never answered; stderr:\n%s", logs.String())
	}
	cancel()
	for i := 0; !strings.Contains(logs.String(), "shutting down"); i++ {
		if i == 1000 {
			t.Fatalf("serve never said it was shutting down; stderr:\n%s", logs.String())
		}
		time.Sleep(5 * time.Millisecond)
	}
	close(release) // the answer finishes during the shutdown
	if code := <-done; code != 0 {
		t.Fatalf("serve exit %d, want 0; stderr:\n%s", code, logs.String())
	}

	ix, err := sqlite.Open(context.Background(), filepath.Join(home, "byline", "byline.db"), sqlite.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	if _, _, ok, err := ix.LoadState(context.Background(), "slack.threads", "C1:"+ts, time.Now()); !ok || err != nil {
		t.Errorf("thread answered during shutdown saved: %v, %v; want it in the database; stderr:\n%s", ok, err, logs.String())
	}
}
