package slack

import (
	"fmt"
	"net/http"
	"sync"
	"time"

	"github.com/gorilla/websocket"
)

// openConnection hands out the Socket Mode URL, for the app token only.
func (f *fakeSlack) openConnection(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "application/json")
	if r.Header.Get("Authorization") != "Bearer "+testAppToken {
		fmt.Fprint(w, `{"ok":false,"error":"invalid_auth"}`)
		return
	}
	fmt.Fprintf(w, `{"ok":true,"url":"ws://%s/link/?ticket=t1"}`, r.Host)
}

// wsConn serialises the fake's writes on one Socket Mode connection.
type wsConn struct {
	mu sync.Mutex
	c  *websocket.Conn
}

func (c *wsConn) write(v any) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.c.WriteJSON(v)
}

func (c *wsConn) ping() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.c.WriteControl(websocket.PingMessage, nil, time.Now().Add(time.Second))
}

// serveSocket is the Socket Mode websocket: hello, pings, and every
// frame the client sends recorded as "socket.ack".
func (f *fakeSlack) serveSocket(w http.ResponseWriter, r *http.Request) {
	up := websocket.Upgrader{CheckOrigin: func(*http.Request) bool { return true }}
	c, err := up.Upgrade(w, r, nil)
	if err != nil {
		return
	}
	defer c.Close()
	conn := &wsConn{c: c}
	if conn.write(map[string]any{"type": "hello", "num_connections": 1,
		"connection_info": map[string]any{"app_id": "A123"}, "debug_info": map[string]any{"host": "fake"}}) != nil {
		return
	}
	go f.pinger(conn)
	f.conns <- conn
	for {
		var m map[string]any
		if c.ReadJSON(&m) != nil {
			return
		}
		f.record(apiCall{Method: "socket.ack", JSON: m})
	}
}

// pinger sends websocket pings as Slack does, so the client's watchdog
// stays quiet.
func (f *fakeSlack) pinger(c *wsConn) {
	tick := time.NewTicker(100 * time.Millisecond)
	defer tick.Stop()
	for {
		select {
		case <-f.done:
			return
		case <-tick.C:
			if c.ping() != nil {
				return
			}
		}
	}
}
