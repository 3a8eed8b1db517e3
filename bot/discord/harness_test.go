package discord

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"encoding/hex"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/byline-news/byline/bot/bottest"
)

// testKey signs HTTP interactions as Discord would.
var testKey = ed25519.NewKeyFromSeed(bytes.Repeat([]byte{7}, ed25519.SeedSize))

// harness runs one adapter against one fake Discord.
type harness struct {
	t         testing.TB
	fake      *fakeDiscord
	a         *Adapter
	app       *httptest.Server // serves Routes, when the adapter has a public key
	gw        *gwConn          // the gateway connection, when it has a bot token
	cancel    context.CancelFunc
	runErr    chan error
	once      sync.Once
	err       error // what Run returned
	expectErr bool
}

// setup says how to start a harness.
type setup struct {
	opt    Options
	tune   func(*Adapter) // before Run: timings
	fake   func(*fakeDiscord)
	noWait bool // do not wait until ready (failure tests)
}

// gatewayOptions is a bot token, with /news registered in testGuild.
func gatewayOptions() Options { return Options{BotToken: testToken, GuildID: testGuild} }

// httpOptions is HTTP interactions only.
func httpOptions() Options {
	return Options{PublicKey: hex.EncodeToString(testKey.Public().(ed25519.PublicKey)), AppID: testAppID}
}

// start runs an adapter answering with h against a new fake.
func start(t testing.TB, h Handler, s setup) *harness {
	t.Helper()
	hs := &harness{t: t, fake: newFakeDiscord(t), runErr: make(chan error, 1)}
	s.opt.APIBase = hs.fake.apiBase()
	if s.opt.Logger == nil {
		s.opt.Logger = bottest.Logger(t)
	}
	a, err := New(h, s.opt)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	a.backoff = 5 * time.Millisecond
	if s.tune != nil {
		s.tune(a)
	}
	if s.fake != nil {
		s.fake(hs.fake)
	}
	hs.a = a
	if a.key != nil {
		mux := http.NewServeMux()
		a.Routes(mux)
		hs.app = httptest.NewServer(mux)
	}
	ctx, cancel := context.WithCancel(context.Background())
	hs.cancel = cancel
	go func() { hs.runErr <- a.Run(ctx) }()
	t.Cleanup(hs.stop)
	if s.noWait {
		return hs
	}
	if a.sess != nil {
		select {
		case hs.gw = <-hs.fake.conns:
		case <-time.After(waitTimeout):
			t.Fatal("the adapter never connected to the gateway")
		}
	}
	bottest.Eventually(t, "adapter ready", a.Ready)
	return hs
}

// result waits for Run to return and gives its error.
func (hs *harness) result() error {
	hs.once.Do(func() {
		select {
		case hs.err = <-hs.runErr:
		case <-time.After(2 * ShutdownGrace):
			hs.err = errors.New("Run did not return")
		}
	})
	return hs.err
}

// failure waits for Run to fail on its own and returns its error.
func (hs *harness) failure() error {
	hs.t.Helper()
	hs.expectErr = true
	err := hs.result()
	if err == nil {
		hs.t.Fatal("Run returned nil, want an error")
	}
	return err
}

// stop cancels Run, waits for it and closes the app server. Run must
// return nil unless the test expected an error.
func (hs *harness) stop() {
	hs.cancel()
	if err := hs.result(); err != nil && !hs.expectErr {
		hs.t.Errorf("Run returned %v on shutdown, want nil", err)
	}
	if hs.app != nil {
		hs.app.Close()
	}
}

// settle waits until no answer is in flight, so a test can assert that
// something did not happen.
func (hs *harness) settle() { hs.a.work.Wait() }

// dispatch sends a gateway event to the adapter.
func (hs *harness) dispatch(event string, d any) {
	hs.t.Helper()
	if err := hs.gw.dispatch(event, d); err != nil {
		hs.t.Fatalf("dispatching %s: %v", event, err)
	}
}

// signed posts an interaction to the endpoint, signed with testKey at when.
func (hs *harness) signed(body []byte, when time.Time) *http.Response {
	hs.t.Helper()
	ts := strconv.FormatInt(when.Unix(), 10)
	return hs.post(body, ts, hex.EncodeToString(ed25519.Sign(testKey, append([]byte(ts), body...))))
}

// post sends body with the given signature headers; the response body
// is read and kept.
func (hs *harness) post(body []byte, ts, sig string) *http.Response {
	hs.t.Helper()
	req, _ := http.NewRequest(http.MethodPost, hs.app.URL+InteractionsPath, bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("X-Signature-Timestamp", ts)
	req.Header.Set("X-Signature-Ed25519", sig)
	res, err := hs.app.Client().Do(req)
	if err != nil {
		hs.t.Fatalf("POST %s: %v", InteractionsPath, err)
	}
	b, _ := io.ReadAll(res.Body)
	res.Body.Close()
	res.Body = io.NopCloser(bytes.NewReader(b))
	return res
}

// respond posts a signed interaction and decodes the JSON response.
func (hs *harness) respond(ia map[string]any) map[string]any {
	hs.t.Helper()
	body, _ := json.Marshal(ia)
	res := hs.signed(body, time.Now())
	var out map[string]any
	if res.StatusCode != http.StatusOK || json.NewDecoder(res.Body).Decode(&out) != nil {
		hs.t.Fatalf("interaction %v: status %d, want 200 and JSON", ia["id"], res.StatusCode)
	}
	return out
}

// command is a /news INTERACTION_CREATE payload asking question.
func command(id, question string) map[string]any {
	return map[string]any{
		"id": id, "application_id": testAppID, "type": 2, "token": "tok-" + id, "version": 1,
		"guild_id": testGuild, "channel_id": testChannel,
		"member": map[string]any{"user": map[string]any{"id": testHuman, "username": "alice"}},
		"data": map[string]any{"id": "8000", "name": CommandName, "type": 1,
			"options": []any{map[string]any{"name": optionQuestion, "type": 3, "value": question}}},
	}
}

// click is a button press on customID.
func click(id, customID string) map[string]any {
	return map[string]any{
		"id": id, "application_id": testAppID, "type": 3, "token": "tok-" + id, "version": 1,
		"guild_id": testGuild, "channel_id": testChannel,
		"member": map[string]any{"user": map[string]any{"id": testOther, "username": "bob"}},
		"data":   map[string]any{"custom_id": customID, "component_type": 2},
	}
}
