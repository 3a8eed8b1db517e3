package discord

import (
	"bufio"
	"crypto/ed25519"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/bwmarrin/discordgo"
)

func TestHTTPPingGetsPong(t *testing.T) {
	hs := start(t, newFakeCore(), setup{opt: httpOptions()})
	body := []byte(`{"id":"1","application_id":"2000","type":1,"token":"t","version":1}`)
	res := hs.signed(body, time.Now())
	var pong map[string]any
	if res.StatusCode != http.StatusOK || res.Header.Get("Content-Type") != "application/json" ||
		json.NewDecoder(res.Body).Decode(&pong) != nil || len(pong) != 1 || pong["type"] != 1.0 {
		t.Errorf("PING: status %d, %s %v; want 200 and JSON {\"type\":1}", res.StatusCode, res.Header.Get("Content-Type"), pong)
	}
}

func TestHTTPNewsIsAnsweredInTheResponse(t *testing.T) {
	core := newFakeCore()
	hs := start(t, core, setup{opt: httpOptions()})
	resp := hs.respond(command("7001", "what did Liang deny?"))
	if resp["type"] != 4.0 {
		t.Fatalf("response %v, want type 4 with the answer", resp)
	}
	data := dataOf(t, resp)
	checkAnswer(t, data)
	if data["flags"] != nil {
		t.Errorf("flags = %v, want a public answer by default", data["flags"])
	}
	hs.settle()
	if n := hs.fake.count("callback") + hs.fake.count("edit"); n != 0 {
		t.Errorf("%d REST calls, want the answer in the HTTP response only", n)
	}

	// 👍 on it is saved, and thanked privately.
	thanks := dataOf(t, hs.respond(click("7002", buttons(t, data)[1])))
	if thanks["content"] != thanksText || thanks["flags"] != float64(discordgo.MessageFlagsEphemeral) {
		t.Errorf("click answered %v, want %q to the clicker only", thanks, thanksText)
	}
	if fb := core.feedbacks(); len(fb) != 1 || fb[0].Helpful || fb[0].Channel != testChannel {
		t.Errorf("feedback %+v, want one 👎", fb)
	}
}

func TestHTTPRefusesUnverifiedRequests(t *testing.T) {
	core := newFakeCore()
	hs := start(t, core, setup{opt: httpOptions()})
	body, _ := json.Marshal(command("7001", "what did Liang deny?"))
	now := time.Now()
	sign := func(ts string, b []byte) string {
		return hex.EncodeToString(ed25519.Sign(testKey, append([]byte(ts), b...)))
	}
	_, otherKey, _ := ed25519.GenerateKey(nil)
	fresh := strconv.FormatInt(now.Unix(), 10)
	for name, req := range map[string]struct{ body, ts, sig string }{
		"another key":         {string(body), fresh, hex.EncodeToString(ed25519.Sign(otherKey, append([]byte(fresh), body...)))},
		"tampered body":       {strings.Replace(string(body), "Liang", "Lian", 1), fresh, sign(fresh, body)},
		"6 minutes old":       {string(body), ts(now.Add(-6 * time.Minute)), sign(ts(now.Add(-6*time.Minute)), body)},
		"6 minutes ahead":     {string(body), ts(now.Add(6 * time.Minute)), sign(ts(now.Add(6*time.Minute)), body)},
		"other timestamp":     {string(body), ts(now.Add(-time.Second)), sign(fresh, body)},
		"no signature":        {string(body), fresh, ""},
		"malformed signature": {string(body), fresh, "zz" + sign(fresh, body)[2:]},
		"malformed timestamp": {string(body), "yesterday", sign("yesterday", body)},
	} {
		if res := hs.post([]byte(req.body), req.ts, req.sig); res.StatusCode != http.StatusUnauthorized {
			t.Errorf("%s: status %d, want 401", name, res.StatusCode)
		}
	}
	hs.settle()
	if qs := core.questions(); len(qs) != 0 {
		t.Errorf("core asked %v, want nothing answered", qs)
	}
	if n := hs.fake.count("callback") + hs.fake.count("edit"); n != 0 {
		t.Errorf("%d REST calls, want none", n)
	}
}

func ts(t time.Time) string { return strconv.FormatInt(t.Unix(), 10) }

func TestHTTPSlowAnswerIsDeferredAndEditWaitsOut429(t *testing.T) {
	core := newFakeCore().gated()
	hs := start(t, core, setup{opt: httpOptions(), tune: func(a *Adapter) { a.direct = 0 },
		fake: func(f *fakeDiscord) { f.limitEdits.Store(1) }})
	if resp := hs.respond(command("7301", "what did Liang deny?")); resp["type"] != 5.0 || resp["data"] != nil {
		t.Fatalf("response %v, want a public deferral (type 5)", resp)
	}
	<-core.entered
	core.release()
	limited, ed := hs.fake.next(t, "edit"), hs.fake.next(t, "edit")
	if limited.Status != http.StatusTooManyRequests || ed.Status != http.StatusOK {
		t.Errorf("edits answered %d then %d, want 429 then 200", limited.Status, ed.Status)
	}
	if want := "/api/v9/webhooks/" + testAppID + "/tok-7301/messages/@original"; ed.Path != want || limited.Path != want {
		t.Errorf("edits at %s and %s, want %s", limited.Path, ed.Path, want)
	}
	checkAnswer(t, ed.JSON)
	hs.settle()
	if n := hs.fake.count("edit"); n != 2 {
		t.Errorf("%d edits, want 2", n)
	}
}

func TestHTTPEphemeralOptionHelpAndAbstention(t *testing.T) {
	opt := httpOptions()
	opt.Ephemeral = true
	hs := start(t, newFakeCore(), setup{opt: opt})
	eph := float64(discordgo.MessageFlagsEphemeral)
	if d := dataOf(t, hs.respond(command("7401", "what did Liang deny?"))); d["flags"] != eph {
		t.Errorf("answer flags %v, want ephemeral with Options.Ephemeral", d["flags"])
	}
	help := dataOf(t, hs.respond(command("7402", "help")))
	if c := help["content"].(string); help["flags"] != eph || !strings.Contains(c, "/news") || len(buttons(t, help)) != 0 {
		t.Errorf("help %v, want usage with /news to the asker only, no buttons", help)
	}
	none := dataOf(t, hs.respond(command("7403", "who won the snooker in Sheffield?")))
	if c := none["content"].(string); !strings.Contains(c, "couldn't find") || none["embeds"] != nil || len(buttons(t, none)) != 0 {
		t.Errorf("unanswerable: %v, want a clear couldn't-find reply without sources or buttons", none)
	}
	checkNoMentions(t, none)
}

func TestHTTPUnknownInteractions(t *testing.T) {
	hs := start(t, newFakeCore(), setup{opt: httpOptions()})
	other := command("7501", "x")
	other["data"].(map[string]any)["name"] = "weather"
	if d := dataOf(t, hs.respond(other)); d["content"] != unknownText {
		t.Errorf("unknown command answered %v", d)
	}
	if resp := hs.respond(click("7502", "someone-else:button")); resp["type"] != 6.0 {
		t.Errorf("foreign button answered %v, want a silent acknowledgement (type 6)", resp)
	}
	if d := dataOf(t, hs.respond(click("7503", helpfulPrefix+"gone"))); d["content"] != expiredText {
		t.Errorf("button on a forgotten answer answered %v, want %q", d, expiredText)
	}
}

func TestHTTPReplayedInteractionIsAnsweredOnce(t *testing.T) {
	core := newFakeCore()
	hs := start(t, core, setup{opt: httpOptions()})
	body, _ := json.Marshal(command("7601", "what did Liang deny?"))
	now := time.Now()
	first := hs.signed(body, now)
	if first.StatusCode != http.StatusOK {
		t.Fatalf("first delivery: status %d, want 200", first.StatusCode)
	}
	for i := range 2 { // the same signed request again, within the five minutes
		if res := hs.signed(body, now); res.StatusCode != http.StatusConflict {
			t.Errorf("replay %d: status %d, want 409", i+1, res.StatusCode)
		}
	}
	hs.settle()
	if qs := core.questions(); len(qs) != 1 {
		t.Errorf("core asked %d times, want once", len(qs))
	}
	if n := hs.fake.count("callback") + hs.fake.count("edit"); n != 0 {
		t.Errorf("%d REST calls, want none for the replays", n)
	}
	// A PING carries no work: Discord may send the same one again while
	// validating the endpoint, and it still gets its PONG.
	ping := []byte(`{"id":"1","application_id":"2000","type":1,"token":"t","version":1}`)
	for range 2 {
		if res := hs.signed(ping, now); res.StatusCode != http.StatusOK {
			t.Errorf("repeated PING: status %d, want 200", res.StatusCode)
		}
	}
}

func TestHTTPRefusesUnsignedRequestsBeforeTheBody(t *testing.T) {
	hs := start(t, newFakeCore(), setup{opt: httpOptions()})
	for name, hdr := range map[string]string{
		"no signature headers": "",
		"stale timestamp":      "X-Signature-Timestamp: 1000000000\r\nX-Signature-Ed25519: " + strings.Repeat("ab", 64) + "\r\n",
	} {
		t.Run(name, func(t *testing.T) {
			conn, err := net.Dial("tcp", strings.TrimPrefix(hs.app.URL, "http://"))
			if err != nil {
				t.Fatal(err)
			}
			defer conn.Close()
			// Headers promise a body that is never sent: the answer must
			// not wait for it.
			fmt.Fprintf(conn, "POST %s HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100000\r\n%s\r\n", InteractionsPath, hdr)
			conn.SetReadDeadline(time.Now().Add(waitTimeout))
			res, err := http.ReadResponse(bufio.NewReader(conn), nil)
			if err != nil {
				t.Fatalf("no response while the body is outstanding: %v", err)
			}
			if res.StatusCode != http.StatusUnauthorized || !res.Close {
				t.Errorf("status %d, close %v; want 401 and the connection closed", res.StatusCode, res.Close)
			}
		})
	}
}

// forged is the signature (R = the identity, S = 0) that verifies for
// any message under the identity point, and for a fixed share of
// messages under the other small-order points.
func forged() []byte {
	sig := make([]byte, ed25519.SignatureSize)
	sig[0] = 1
	return sig
}

func TestSmallOrderPublicKeysAreRefused(t *testing.T) {
	var keys [][]byte
	for _, y := range smallOrderY {
		for _, sign := range []byte{0, 0x80} {
			k := y
			k[31] |= sign
			keys = append(keys, k[:])
		}
	}
	for _, key := range keys {
		hexKey := hex.EncodeToString(key)
		// The danger is real: some message out of 64 verifies with the
		// forged signature, for every key whose encoding Go accepts.
		forgeable := false
		for i := range 64 {
			forgeable = forgeable || ed25519.Verify(key, []byte(fmt.Sprintf("%d{\"type\":2}", 1700000000+i)), forged())
		}
		_, err := New(newFakeCore(), Options{PublicKey: hexKey, AppID: testAppID})
		if !errors.Is(err, ErrWeakPublicKey) || !strings.Contains(err.Error(), "Developer Portal") {
			t.Errorf("key %s (forgeable: %v): New error %v, want ErrWeakPublicKey with advice", hexKey, forgeable, err)
		}
		if key[31]&0x80 == 0 && !forgeable {
			t.Errorf("key %s: no forged signature verified; is it really of small order?", hexKey)
		}
	}
	if _, err := New(newFakeCore(), httpOptions()); err != nil {
		t.Errorf("a real key: %v", err)
	}
}

func TestHTTPRefusesForgedSignature(t *testing.T) {
	core := newFakeCore()
	hs := start(t, core, setup{opt: httpOptions()})
	body, _ := json.Marshal(command("7701", "what did Liang deny?"))
	for i := range 16 {
		ts := strconv.FormatInt(time.Now().Unix()+int64(i), 10)
		if res := hs.post(body, ts, hex.EncodeToString(forged())); res.StatusCode != http.StatusUnauthorized {
			t.Errorf("forged signature at %s: status %d, want 401", ts, res.StatusCode)
		}
	}
	hs.settle()
	if qs := core.questions(); len(qs) != 0 {
		t.Errorf("core asked %v, want nothing answered", qs)
	}
}
