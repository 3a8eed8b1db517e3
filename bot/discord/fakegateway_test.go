package discord

import (
	"net/http"
	"sync"
	"time"

	"github.com/gorilla/websocket"
)

// gwConn is the fake's end of one gateway connection; writes are
// serialised, as gorilla requires.
type gwConn struct {
	mu       sync.Mutex
	c        *websocket.Conn
	seq      int
	identify map[string]any // the client's IDENTIFY payload
}

func (g *gwConn) send(v any) error {
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.c.WriteJSON(v)
}

// dispatch sends an event (op 0) with the next sequence number.
func (g *gwConn) dispatch(event string, d any) error {
	g.mu.Lock()
	g.seq++
	s := g.seq
	g.mu.Unlock()
	return g.send(map[string]any{"op": 0, "s": s, "t": event, "d": d})
}

// serveGateway speaks the gateway handshake: HELLO, then IDENTIFY from
// the client, then READY (or a close code when closeCode is set); it
// acknowledges heartbeats until the client goes.
func (f *fakeDiscord) serveGateway(w http.ResponseWriter, r *http.Request) {
	c, err := (&websocket.Upgrader{}).Upgrade(w, r, nil)
	if err != nil {
		return
	}
	defer c.Close()
	g := &gwConn{c: c}
	if g.send(map[string]any{"op": 10, "d": map[string]any{"heartbeat_interval": 45000}}) != nil {
		return
	}
	var id struct {
		Op int            `json:"op"`
		D  map[string]any `json:"d"`
	}
	if c.ReadJSON(&id) != nil || (id.Op != 2 && id.Op != 6) {
		return
	}
	g.identify = id.D
	if id.Op == 6 { // a resumed session
		f.record(call{Route: "resume", JSON: id.D})
		g.seq++
		if g.send(map[string]any{"op": 0, "s": g.seq, "t": "RESUMED", "d": map[string]any{}}) == nil {
			f.conns <- g
			g.ackHeartbeats()
		}
		return
	}
	f.record(call{Route: "identify", JSON: id.D})
	if code := int(f.closeCode.Load()); code != 0 {
		msg := websocket.FormatCloseMessage(code, "closed by the fake")
		c.WriteControl(websocket.CloseMessage, msg, time.Now().Add(time.Second))
		return
	}
	g.seq = 1
	err = g.send(map[string]any{"op": 0, "s": 1, "t": "READY", "d": map[string]any{
		"v": 9, "session_id": "sess-1",
		"user":        map[string]any{"id": testBotID, "username": "byline", "bot": true},
		"application": map[string]any{"id": testAppID},
		"guilds":      []any{map[string]any{"id": testGuild, "unavailable": true}},
	}})
	if err != nil {
		return
	}
	f.conns <- g
	g.ackHeartbeats()
}

// ackHeartbeats answers heartbeats until the client goes.
func (g *gwConn) ackHeartbeats() {
	for {
		var m struct {
			Op int `json:"op"`
		}
		if g.c.ReadJSON(&m) != nil {
			return
		}
		if m.Op == 1 && g.send(map[string]any{"op": 11}) != nil {
			return
		}
	}
}
