package main

import (
	"crypto/ed25519"
	"encoding/hex"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// BenchmarkStalledClients runs a real "byline serve" process with
// serve's default limits, sends it 300 clients that each send the
// headers and half of a 1 MiB body to the webhooks and then go silent,
// and reports the process's peak RSS (VmHWM), how long until serve had
// closed every one, and how /healthz fared meanwhile (polled every
// 100 ms, 2 s timeout). "unsigned" clients send no signature headers; "signed" ones
// send well-formed forged headers, so serve reads their bodies.
//
//	go test -run '^$' -bench StalledClients -benchtime 1x ./cmd/byline
//
// BYLINE_STALL_BIN runs another binary instead (say, an older build, for
// a before-and-after); BYLINE_STALL_CLIENTS sets the number of clients.
func BenchmarkStalledClients(b *testing.B) {
	if runtime.GOOS != "linux" {
		b.Skip("reads the peak RSS from /proc")
	}
	bin := os.Getenv("BYLINE_STALL_BIN")
	if bin == "" {
		bin = filepath.Join(b.TempDir(), "byline")
		if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
			b.Fatalf("go build: %v\n%s", err, out)
		}
	}
	for _, signed := range []bool{false, true} {
		name := "unsigned"
		if signed {
			name = "signed"
		}
		b.Run(name, func(b *testing.B) {
			for range b.N {
				r := stallOnce(b, bin, signed)
				b.ReportMetric(r.peakMB, "peak-RSS-MB")
				b.ReportMetric(r.baseMB, "idle-RSS-MB")
				b.ReportMetric(r.shedSecs, "s-to-close-all")
				b.ReportMetric(float64(r.stillOpen), "never-closed")
				b.ReportMetric(float64(r.healthFail), "healthz-failures")
				b.ReportMetric(r.healthMaxMs, "healthz-max-ms")
			}
		})
	}
}

type stallResult struct {
	peakMB, baseMB, shedSecs, healthMaxMs float64
	stillOpen, healthFail                 int
}

// stallOnce starts serve, attacks it once and stops it.
func stallOnce(b *testing.B, bin string, signed bool) stallResult {
	home := b.TempDir()
	addr := freeAddr(b)
	pub, _, _ := ed25519.GenerateKey(nil)
	slackAPI := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, `{"ok":true,"team_id":"T1","user_id":"UBOT","bot_id":"BBOT"}`)
	}))
	defer slackAPI.Close()
	cmd := exec.Command(bin, "serve")
	cmd.Env = append(os.Environ(), "HOME="+home, "XDG_DATA_HOME="+home, "BYLINE_HTTP_ADDR="+addr, "BYLINE_LOG_LEVEL=error",
		"DISCORD_PUBLIC_KEY="+hex.EncodeToString(pub), "DISCORD_APP_ID=123456789",
		"SLACK_BOT_TOKEN=xoxb-bench", "SLACK_SIGNING_SECRET=secret", "SLACK_API_URL="+slackAPI.URL+"/api/")
	if err := cmd.Start(); err != nil {
		b.Fatal(err)
	}
	defer func() { cmd.Process.Signal(os.Interrupt); cmd.Wait() }()
	hc := &http.Client{Timeout: 2 * time.Second}
	for i := 0; ; i++ {
		if res, err := hc.Get("http://" + addr + "/healthz"); err == nil {
			res.Body.Close()
			break
		}
		if i == 400 {
			b.Fatal("serve never answered /healthz")
		}
		time.Sleep(25 * time.Millisecond)
	}
	var r stallResult
	r.baseMB = rssMB(b, cmd.Process.Pid, "VmRSS")

	stop := make(chan struct{})
	var health sync.WaitGroup
	var fails atomic.Int32
	var maxMs atomic.Int64
	health.Go(func() {
		for {
			select {
			case <-stop:
				return
			case <-time.After(100 * time.Millisecond):
			}
			t0 := time.Now()
			res, err := hc.Get("http://" + addr + "/healthz")
			if err != nil || res.StatusCode != http.StatusOK {
				fails.Add(1)
			}
			if err == nil {
				res.Body.Close()
			}
			if ms := time.Since(t0).Milliseconds(); ms > maxMs.Load() {
				maxMs.Store(ms)
			}
		}
	})

	now := strconv.FormatInt(time.Now().Unix(), 10)
	headers := map[string]string{"/discord/interactions": "", "/slack/commands": ""}
	if signed {
		headers["/discord/interactions"] = "X-Signature-Timestamp: " + now + "\r\nX-Signature-Ed25519: " + strings.Repeat("ab", 64) + "\r\n"
		headers["/slack/commands"] = "X-Slack-Request-Timestamp: " + now + "\r\nX-Slack-Signature: v0=" + strings.Repeat("ab", 32) + "\r\n"
	}
	half := make([]byte, maxBody/2)
	start := time.Now()
	var closed sync.WaitGroup
	var last atomic.Int64
	n := 300
	if v, err := strconv.Atoi(os.Getenv("BYLINE_STALL_CLIENTS")); err == nil && v > 0 {
		n = v
	}
	clients := make([]*stalledClient, n)
	for i := range clients {
		path := "/discord/interactions"
		if i%2 == 1 {
			path = "/slack/commands"
		}
		c := &stalledClient{path: path, header: headers[path]}
		clients[i] = c
		closed.Go(func() {
			c.stall(addr, half, 60*time.Second, func() {})
			if d := int64(time.Since(start)); d > last.Load() {
				last.Store(d)
			}
		})
	}
	closed.Wait()
	close(stop)
	health.Wait()
	for _, c := range clients {
		if ne, ok := c.err.(interface{ Timeout() bool }); ok && ne.Timeout() {
			r.stillOpen++
		}
	}
	r.peakMB = rssMB(b, cmd.Process.Pid, "VmHWM")
	r.shedSecs = time.Duration(last.Load()).Seconds()
	r.healthFail, r.healthMaxMs = int(fails.Load()), float64(maxMs.Load())
	return r
}

// rssMB reads a memory field (VmRSS, VmHWM) of process pid, in MB.
func rssMB(b *testing.B, pid int, field string) float64 {
	data, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		b.Fatal(err)
	}
	for _, line := range strings.Split(string(data), "\n") {
		if rest, ok := strings.CutPrefix(line, field+":"); ok {
			kb, _ := strconv.Atoi(strings.TrimSuffix(strings.TrimSpace(rest), " kB"))
			return float64(kb) / 1024
		}
	}
	b.Fatalf("no %s in /proc/%d/status", field, pid)
	return 0
}
