package bot

import (
	"context"
	"errors"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/byline-news/byline/retrieval/sqlite"
)

// post is one message a recordingPoster was asked to post.
type post struct {
	ch Channel
	r  Reply
}

// recordingPoster records posts; it fails them while err is set, and
// those to a channel in fail with its error.
type recordingPoster struct {
	mu    sync.Mutex
	posts []post
	err   error
	fail  map[Channel]error
	sent  chan post // when not nil, each post is sent here too
}

func (p *recordingPoster) Post(_ context.Context, ch Channel, r Reply) error {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.err != nil {
		return p.err
	}
	if err := p.fail[ch]; err != nil {
		return err
	}
	p.posts = append(p.posts, post{ch, r})
	if p.sent != nil {
		p.sent <- post{ch, r}
	}
	return nil
}

func (p *recordingPoster) count() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return len(p.posts)
}

// replica is one process's bot and scheduler over a shared file.
type replica struct {
	b      *Bot
	s      *Scheduler
	ix     *sqlite.Index
	poster *recordingPoster
}

func openReplica(t *testing.T, path string, now func() time.Time, poster *recordingPoster) replica {
	t.Helper()
	ix, err := sqlite.Open(context.Background(), path, sqlite.Options{Create: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ix.Close() })
	b := mustBot(t, ix, Options{Briefings: ix, Now: now, RatePerUser: -1})
	s, err := NewScheduler(b, SchedulerOptions{Queue: ix, Poster: poster})
	if err != nil {
		t.Fatal(err)
	}
	return replica{b, s, ix, poster}
}

// newReplica is openReplica on a fresh file holding briefArticles.
func newReplica(t *testing.T, now func() time.Time) (replica, string) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "byline.db")
	r := openReplica(t, path, now, &recordingPoster{})
	if _, err := r.ix.Put(context.Background(), briefArticles); err != nil {
		t.Fatal(err)
	}
	return r, path
}

func (r replica) schedule(t *testing.T, text string) {
	t.Helper()
	m := Message{Platform: "slack", Workspace: "T1", Channel: "C9", User: "U1", Text: text}
	if rep := r.b.Handle(context.Background(), m); rep.Kind != KindAdmin {
		t.Fatalf("%q: %v %q", text, rep.Kind, rep.Text)
	}
}

func (r replica) fire(t *testing.T) int {
	t.Helper()
	n, err := r.s.Fire(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// TestSchedulerFiresAtLocalTime: a briefing scheduled for 08:00 London
// time is posted at 08:00 GMT in winter and 08:00 BST (07:00 UTC) in
// summer, once each day, in its channel, with the day's stories.
func TestSchedulerFiresAtLocalTime(t *testing.T) {
	clk := &clock{t: utc(2026, 12, 7, 7, 0)}
	r, _ := newReplica(t, clk.Now)
	r.schedule(t, "brief daily 08:00 Europe/London")
	steps := []struct {
		at    time.Time
		posts int
	}{
		{utc(2026, 12, 7, 7, 59).Add(59 * time.Second), 0},
		{utc(2026, 12, 7, 8, 0), 1},
		{utc(2026, 12, 7, 8, 0).Add(20 * time.Second), 1},
		{utc(2026, 12, 7, 23, 0), 1},
		{utc(2026, 12, 8, 8, 0), 2},
	}
	for _, s := range steps {
		clk.t = s.at
		r.fire(t)
		if got := r.poster.count(); got != s.posts {
			t.Fatalf("at %v: %d posts, want %d", s.at, got, s.posts)
		}
	}
	p := r.poster.posts[0]
	if p.ch != (Channel{Platform: "slack", Workspace: "T1", ID: "C9"}) || p.r.Kind != KindBriefing {
		t.Errorf("post = %+v in %v, want a briefing in slack:T1:C9", p.r.Kind, p.ch)
	}
	if p.r.Text != "Daily briefing, Mon 7 Dec 2026: top stories in the last 24 hours" {
		t.Errorf("heading = %q", p.r.Text)
	}
	if len(p.r.Sources) == 0 || p.r.Sources[0].Hit.Article.ID != "grain-wire" {
		t.Errorf("stories = %v, want the grain story first", sourceIDs(p.r))
	}

	// Across the change to summer time the briefing moves an hour
	// earlier in UTC, and stays at 08:00 on the clock in London.
	r.schedule(t, "brief daily 08:00 Europe/London")
	before := r.poster.count()
	for _, s := range []struct {
		at    time.Time
		posts int
	}{
		{utc(2027, 3, 27, 8, 0), 0}, // the first time it looks: stale schedule moves on
		{utc(2027, 3, 28, 6, 59), 0},
		{utc(2027, 3, 28, 7, 0), 1}, // 08:00 BST
		{utc(2027, 3, 28, 8, 0), 1},
		{utc(2027, 3, 29, 7, 0), 2},
	} {
		clk.t = s.at
		r.fire(t)
		if got := r.poster.count() - before; got != s.posts {
			t.Fatalf("at %v: %d posts, want %d", s.at, got, s.posts)
		}
	}
}

// TestSchedulerOneReplicaPosts: replicas over one database that find the
// same briefing due at the same moment post it once between them.
func TestSchedulerOneReplicaPosts(t *testing.T) {
	clk := &clock{t: utc(2026, 12, 7, 7, 0)}
	first, path := newReplica(t, clk.Now)
	first.schedule(t, "brief daily 08:00 Europe/London")
	poster := &recordingPoster{}
	var replicas []replica
	for range 4 {
		replicas = append(replicas, openReplica(t, path, clk.Now, poster))
	}
	clk.t = utc(2026, 12, 7, 8, 0)
	var wg sync.WaitGroup
	for _, r := range replicas {
		wg.Go(func() { r.fire(t) })
	}
	wg.Wait()
	if n := poster.count(); n != 1 {
		t.Errorf("%d posts from 4 replicas, want 1", n)
	}
}

// TestSchedulerRestart: a process restarted after posting does not post
// the same day's briefing again, and posts the next day's.
func TestSchedulerRestart(t *testing.T) {
	clk := &clock{t: utc(2026, 12, 7, 7, 0)}
	r, path := newReplica(t, clk.Now)
	r.schedule(t, "brief daily 08:00 Europe/London")
	clk.t = utc(2026, 12, 7, 8, 0)
	if n := r.fire(t); n != 1 {
		t.Fatalf("posted %d, want 1", n)
	}
	r.ix.Close()
	restarted := openReplica(t, path, clk.Now, &recordingPoster{})
	clk.t = utc(2026, 12, 7, 8, 1)
	if n := restarted.fire(t); n != 0 {
		t.Errorf("after a restart: posted %d, want 0 (posted already today)", n)
	}
	clk.t = utc(2026, 12, 8, 8, 0)
	if n := restarted.fire(t); n != 1 {
		t.Errorf("the next day: posted %d, want 1", n)
	}
}

// TestSchedulerLateAndFailed: a briefing whose time passed while no
// process ran is skipped when hours late; a post that fails is not
// retried; either way the next day's comes.
func TestSchedulerLateAndFailed(t *testing.T) {
	clk := &clock{t: utc(2026, 12, 7, 7, 0)}
	r, _ := newReplica(t, clk.Now)
	r.schedule(t, "brief daily 08:00 Europe/London")
	clk.t = utc(2026, 12, 7, 11, 0)
	if n := r.fire(t); n != 0 {
		t.Errorf("3 hours late: posted %d, want 0", n)
	}
	clk.t = utc(2026, 12, 8, 9, 30) // late, but within DefaultMaxLate
	r.poster.err = errors.New("slack is down")
	r.fire(t)
	r.poster.err = nil
	clk.t = utc(2026, 12, 8, 9, 31)
	if n := r.fire(t); n != 0 {
		t.Errorf("after a failed post: posted %d, want 0 (not retried)", n)
	}
	clk.t = utc(2026, 12, 9, 8, 0)
	if n := r.fire(t); n != 1 {
		t.Errorf("the next day: posted %d, want 1", n)
	}
	scrape := exposition(t, r.s)
	for _, want := range []string{`byline_briefings_total{result="posted"} 1`,
		`byline_briefings_total{result="skipped_late"} 1`, `byline_briefings_total{result="failed"} 1`} {
		if !strings.Contains(scrape, want+"\n") {
			t.Errorf("/metrics lacks %q:\n%s", want, scrape)
		}
	}
}

// TestSchedulerRun: Run looks for due briefings on its own and stops
// with its context.
func TestSchedulerRun(t *testing.T) {
	clk := &clock{t: utc(2026, 12, 7, 7, 0)}
	r, path := newReplica(t, clk.Now)
	r.schedule(t, "brief daily 08:00 Europe/London grain")
	poster := &recordingPoster{sent: make(chan post, 1)}
	run := openReplica(t, path, clk.Now, poster)
	s, err := NewScheduler(run.b, SchedulerOptions{Queue: run.ix, Poster: poster, Every: time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- s.Run(ctx) }()
	clk.Add(time.Hour)
	select {
	case p := <-poster.sent:
		if !strings.Contains(p.r.Text, "on “grain”") {
			t.Errorf("posted %q, want the grain briefing", p.r.Text)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("no briefing posted")
	}
	cancel()
	select {
	case err := <-done:
		if !errors.Is(err, context.Canceled) {
			t.Errorf("Run = %v, want context.Canceled", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("Run did not stop")
	}
}
