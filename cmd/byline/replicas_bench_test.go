package main

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/byline-news/byline/config"
	"github.com/byline-news/byline/eval/bench"
	"github.com/byline-news/byline/retrieval/postgres"
	"github.com/byline-news/byline/retrieval/postgres/pgtest"
)

// BenchmarkReplicas runs two real "byline serve" processes (Slack HTTP
// mode) on one PostgreSQL database, sends them N concurrent signed
// /news slash commands at once, alternating between the two, and
// reports how many were answered, p50 and p99 from sending a command to
// its answer arriving at its response_url (a local fake), and each
// replica's peak RSS (VmHWM) and RSS once idle before the burst.
//
//	go test -run '^$' -bench Replicas -benchtime 1x ./cmd/byline
//
// By default it indexes 10,000 paragraphs of the shared BBC articles
// (../shared/data, see byline bench) into a test schema. To measure on a
// larger database, build it once and name it:
//
//	byline bench-worker index --data ../shared/data --size 1000000 \
//	    --db 'postgres://postgres@127.0.0.1:5432/test?sslmode=disable&search_path=byline_replicas'
//	BYLINE_REPLICAS_DB='postgres://…&search_path=byline_replicas' go test -run '^$' -bench Replicas -benchtime 1x ./cmd/byline
//
// BYLINE_REPLICAS_COMMANDS sets N (default 200). BYLINE_REPLICAS_SERVE
// sets how many replicas share the commands (default 2); with 1,
// BYLINE_REPLICAS_DB may name a SQLite file, for a comparison.
func BenchmarkReplicas(b *testing.B) {
	if runtime.GOOS != "linux" {
		b.Skip("reads the peak RSS from /proc")
	}
	qs, err := benchQuestions(sharedData)
	if err != nil {
		b.Skipf("shared data absent (%v)", err)
	}
	db := os.Getenv("BYLINE_REPLICAS_DB")
	if db == "" {
		db = replicaCorpus(b, 10_000)
	}
	n, replicas := 200, 2
	if v, err := strconv.Atoi(os.Getenv("BYLINE_REPLICAS_COMMANDS")); err == nil && v > 0 {
		n = v
	}
	if v, err := strconv.Atoi(os.Getenv("BYLINE_REPLICAS_SERVE")); err == nil && v > 0 {
		replicas = v
	}
	bin := filepath.Join(b.TempDir(), "byline")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		b.Fatalf("go build: %v\n%s", err, out)
	}
	for range b.N {
		r := burstReplicas(b, bin, db, qs, n, replicas)
		b.ReportMetric(float64(r.answered), "answered")
		b.ReportMetric(r.p50, "p50-ms")
		b.ReportMetric(r.p99, "p99-ms")
		b.ReportMetric(r.max, "max-ms")
		b.ReportMetric(r.ackP99, "ack-p99-ms")
		for i, rss := range r.peakMB {
			b.ReportMetric(rss, fmt.Sprintf("replica%d-peak-RSS-MB", i+1))
			b.ReportMetric(r.idleMB[i], fmt.Sprintf("replica%d-idle-RSS-MB", i+1))
		}
	}
}

// replicaCorpus indexes n paragraphs of copies of the shared articles
// into a test schema and returns its URL.
func replicaCorpus(b *testing.B, n int) string {
	ctx := context.Background()
	url := pgtest.URL(b)
	base, err := bench.LoadArticles(ctx, filepath.Join(sharedData, "news", "articles.jsonl"))
	if err != nil {
		b.Skipf("shared data absent (%v)", err)
	}
	ix, err := postgres.Open(ctx, url, postgres.Options{Create: true})
	if err != nil {
		b.Fatal(err)
	}
	defer ix.Close()
	if _, err := bench.IndexInto(ctx, ix, base, n); err != nil {
		b.Fatal(err)
	}
	return url
}

type burstResult struct {
	answered       int
	p50, p99, max  float64
	ackP99         float64 // Slack wants the acknowledgement within 3 s
	peakMB, idleMB []float64
}

// burstReplicas starts replicas serve processes on db, sends n commands
// at once, round-robin, and waits for every answer (or a minute).
func burstReplicas(b *testing.B, bin, db string, qs []string, n, replicas int) burstResult {
	start, acked, arrived := make([]time.Time, n), make([]time.Time, n), make([]time.Time, n)
	var mu sync.Mutex
	all, warm := make(chan struct{}), make(chan struct{}, replicas)
	got := 0
	fake := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/warm" {
			warm <- struct{}{}
			return
		}
		if i, ok := strings.CutPrefix(r.URL.Path, "/respond/"); ok {
			k, _ := strconv.Atoi(i)
			mu.Lock()
			if arrived[k].IsZero() {
				arrived[k] = time.Now()
				if got++; got == n {
					close(all)
				}
			}
			mu.Unlock()
			return
		}
		fmt.Fprint(w, `{"ok":true,"team_id":"T1","user_id":"UBOT","bot_id":"BBOT"}`)
	}))
	defer fake.Close()
	var procs []*exec.Cmd
	var addrs []string
	for i := range replicas {
		addr := freeAddr(b)
		home := b.TempDir()
		cmd := exec.Command(bin, "serve")
		cmd.Env = append(os.Environ(), "HOME="+home, "XDG_DATA_HOME="+home, "BYLINE_HTTP_ADDR="+addr, "BYLINE_LOG_LEVEL=error",
			dbVar(db), "SLACK_BOT_TOKEN=xoxb-replica-"+strconv.Itoa(i), "SLACK_SIGNING_SECRET="+slackSecret,
			"SLACK_API_URL="+fake.URL+"/api/")
		cmd.Stderr = os.Stderr
		if err := cmd.Start(); err != nil {
			b.Fatal(err)
		}
		defer func() { cmd.Process.Signal(os.Interrupt); cmd.Wait() }()
		procs, addrs = append(procs, cmd), append(addrs, addr)
	}
	for i, addr := range addrs {
		waitReadyz(b, addr)
		// One question first, as a replica in service has had: it loads
		// the index's segments.
		sendCommand(b, addr, fmt.Sprintf("warm-%d-%d", time.Now().UnixNano(), i), "U-warm", qs[0], fake.URL+"/warm")
		select {
		case <-warm:
		case <-time.After(time.Minute):
			b.Fatal("the warm-up question was never answered")
		}
	}
	var res burstResult
	// Trigger IDs are claimed in the database for an hour: each run
	// needs its own, or a second run is taken for replays.
	run := strconv.FormatInt(time.Now().UnixNano(), 36)
	for _, p := range procs {
		res.idleMB = append(res.idleMB, rssMB(b, p.Process.Pid, "VmRSS"))
	}
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			mu.Lock()
			start[i] = time.Now()
			mu.Unlock()
			sendCommand(b, addrs[i%len(addrs)], fmt.Sprint("burst-", run, "-", i), fmt.Sprint("U", i), qs[i%len(qs)], fmt.Sprintf("%s/respond/%d", fake.URL, i))
			mu.Lock()
			acked[i] = time.Now()
			mu.Unlock()
		})
	}
	wg.Wait()
	select {
	case <-all:
	case <-time.After(time.Minute):
	}
	for _, p := range procs {
		res.peakMB = append(res.peakMB, rssMB(b, p.Process.Pid, "VmHWM"))
	}
	mu.Lock()
	defer mu.Unlock()
	var lat, ack []float64
	for i := range n {
		ack = append(ack, float64(acked[i].Sub(start[i]).Microseconds())/1000)
		if !arrived[i].IsZero() {
			lat = append(lat, float64(arrived[i].Sub(start[i]).Microseconds())/1000)
		}
	}
	slices.Sort(ack)
	res.ackP99 = ack[(len(ack)*99+99)/100-1]
	res.answered = len(lat)
	if len(lat) > 0 {
		slices.Sort(lat)
		res.p50, res.p99, res.max = lat[len(lat)/2], lat[(len(lat)*99+99)/100-1], lat[len(lat)-1]
	}
	return res
}

// dbVar is the environment setting naming db.
func dbVar(db string) string {
	if config.IsPostgresURL(db) {
		return "BYLINE_DATABASE_URL=" + db
	}
	return "BYLINE_DB=" + db
}

// waitReadyz waits until the replica at addr is ready (database open,
// Slack authenticated).
func waitReadyz(b *testing.B, addr string) {
	for i := 0; ; i++ {
		if res, err := http.Get("http://" + addr + "/readyz"); err == nil {
			res.Body.Close()
			if res.StatusCode == http.StatusOK {
				return
			}
		}
		if i == 1200 {
			b.Fatalf("serve at %s never became ready", addr)
		}
		time.Sleep(25 * time.Millisecond)
	}
}

// sendCommand posts a signed /news command; the answer goes to respond.
func sendCommand(b *testing.B, addr, trigger, user, text, respond string) {
	body := slackCommand(trigger, user, text, respond)
	req, _ := http.NewRequest("POST", "http://"+addr+"/slack/commands", strings.NewReader(body))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	ts := strconv.FormatInt(time.Now().Unix(), 10)
	req.Header.Set("X-Slack-Request-Timestamp", ts)
	req.Header.Set("X-Slack-Signature", sign(slackSecret, ts, body))
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		b.Errorf("command %s: %v", trigger, err)
		return
	}
	res.Body.Close()
	if res.StatusCode != http.StatusOK {
		b.Errorf("command %s: %s", trigger, res.Status)
	}
}
