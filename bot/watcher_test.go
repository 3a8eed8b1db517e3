package bot

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/byline-news/byline/retrieval"
	"github.com/byline-news/byline/retrieval/sqlite"
)

// take returns the posts since the last take.
func (p *recordingPoster) take() []post {
	p.mu.Lock()
	defer p.mu.Unlock()
	out := p.posts
	p.posts = nil
	return out
}

var (
	chGrain = Channel{Platform: "slack", Workspace: "T1", ID: "CGRAIN"}
	chOther = Channel{Platform: "discord", Workspace: "G1", ID: "4000"}
)

// grainStory is a story about Ukraine's grain of more than 50 words, so
// that its copies are recognised as such.
func grainStory(id, outlet string, n int) retrieval.Article {
	return retrieval.Article{
		ID: id, Title: fmt.Sprintf("Grain ships leave Odesa (%d)", n), Outlet: outlet, URL: "https://example.com/" + id,
		Published: testNow.Add(time.Duration(n) * time.Minute),
		Paragraphs: []string{
			fmt.Sprintf("Ukraine sent %d ships of grain to sea on Monday under the corridor agreement, the ministry said.", n),
			"Officials at the port said the convoy carried maize and wheat bound for buyers in Egypt, Turkey and Spain, and that more departures were planned for the rest of the week if the weather held and insurers kept covering the voyages.",
			"Farmers have warned for months that their silos were full and that prices had fallen below the cost of planting next season.",
		},
	}
}

// otherStory is another story on Ukraine's grain: not a copy of any.
func otherStory(id string, n int) retrieval.Article {
	a := grainStory(id, "Wire", n)
	a.Paragraphs[1] = fmt.Sprintf("Story %s: %s", id, strings.Repeat("word"+id+" ", 60))
	return a
}

// watchEnv is a database with watches, a watcher over it and its clock.
type watchEnv struct {
	t      *testing.T
	path   string
	ix     *sqlite.Index
	bot    *Bot
	poster *recordingPoster
	clock  *clock
	w      *Watcher
	rate   int
	busy   time.Duration // SQLite's busy timeout, when not the default
}

func newWatchEnv(t *testing.T, rate int) *watchEnv {
	e := &watchEnv{t: t, path: filepath.Join(t.TempDir(), "w.db"), poster: &recordingPoster{}, clock: &clock{t: testNow}, rate: rate}
	e.open()
	MustPutBot(t, e.ix, testArticles...)
	return e
}

// open (re)opens the database and starts a new watcher and bot, as a
// restarted process would.
func (e *watchEnv) open() {
	e.t.Helper()
	if e.ix != nil {
		e.ix.Close()
	}
	ix, err := sqlite.Open(context.Background(), e.path, sqlite.Options{Create: true, BusyTimeout: e.busy})
	if err != nil {
		e.t.Fatal(err)
	}
	e.t.Cleanup(func() { ix.Close() })
	e.ix = ix
	e.bot = mustBot(e.t, ix, Options{RatePerUser: -1, Watches: ix, Scopes: ix, Now: e.clock.Now})
	e.w, err = NewWatcher(WatcherOptions{Store: ix, Poster: e.poster, Scope: e.bot.Scope, Rate: e.rate, Now: e.clock.Now,
		Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		e.t.Fatal(err)
	}
	e.round() // as serve does on start: the cursor moves to the newest article
}

func MustPutBot(t *testing.T, ix *sqlite.Index, articles ...retrieval.Article) {
	t.Helper()
	if _, err := ix.Put(context.Background(), articles); err != nil {
		t.Fatal(err)
	}
}

func (e *watchEnv) watch(ch Channel, topic string) {
	e.t.Helper()
	r := e.bot.Handle(context.Background(), Message{Platform: ch.Platform, Workspace: ch.Workspace, Channel: ch.ID, User: "U1", Text: "watch " + topic})
	if !strings.HasPrefix(r.Text, "Watching") {
		e.t.Fatalf("watch %s: %q", topic, r.Text)
	}
}

func (e *watchEnv) round() {
	e.t.Helper()
	if err := e.w.Round(context.Background()); err != nil {
		e.t.Fatalf("Round: %v", err)
	}
}

func titles(r Reply) []string {
	var out []string
	for _, s := range r.Sources {
		out = append(out, s.Hit.Article.Title)
	}
	return out
}

func TestWatcherPostsMatchingStoryOnce(t *testing.T) {
	e := newWatchEnv(t, 0)
	MustPutBot(t, e.ix, grainStory("before", "Wire", 0)) // indexed before the watch: old news to it
	e.watch(chGrain, "ukraine grain")
	e.watch(chOther, "harbour bridge")
	e.round()
	if p := e.poster.take(); len(p) != 0 {
		t.Fatalf("posts for a story indexed before the watch: %+v", p)
	}
	MustPutBot(t, e.ix, grainStory("g1", "Wire", 1), testArticles[3]) // the bakery matches nothing
	e.round()
	e.round()
	p := e.poster.take()
	if len(p) != 1 || p[0].ch != chGrain || p[0].r.Kind != KindWatch || p[0].r.Text != "New on “ukraine grain”:" {
		t.Fatalf("posts = %+v, want one watch post in %s", p, chGrain)
	}
	s := p[0].r.Sources[0]
	if len(p[0].r.Sources) != 1 || s.Hit.Article.URL != "https://example.com/g1" || s.Hit.Article.Outlet != "Wire" ||
		!s.Hit.Article.Published.Equal(testNow.Add(time.Minute)) || !strings.HasPrefix(s.Hit.Text, "Ukraine sent 1 ships of grain") {
		t.Errorf("story = %+v, want g1 with its link, outlet, date and the sentence naming the topic", s)
	}
	// The same story updated, and a syndicated copy from another outlet:
	// neither is news to the watch.
	updated, copied := grainStory("g1", "Wire", 1), grainStory("g1-copy", "Daily Paper", 1)
	updated.Paragraphs = append(updated.Paragraphs, "Insurers confirmed cover for the next convoy.")
	copied.Paragraphs[2] = "Farmers have warned for months that their silos were full and that prices had fallen below the cost of planting."
	MustPutBot(t, e.ix, updated)
	MustPutBot(t, e.ix, copied)
	e.round()
	if p := e.poster.take(); len(p) != 0 {
		t.Errorf("an update and a syndicated copy were posted again: %+v", p)
	}
}

// TestWatcherWithinChannelSources: a watch matches only stories from
// the sources its channel answers from.
func TestWatcherWithinChannelSources(t *testing.T) {
	e := newWatchEnv(t, 0)
	e.watch(chGrain, "ukraine grain")
	e.watch(chOther, "ukraine grain")
	r := e.bot.Handle(context.Background(), Message{Platform: chGrain.Platform, Workspace: chGrain.Workspace, Channel: chGrain.ID,
		User: "U1", Admin: true, Text: "sources add outlet Daily Paper"})
	if r.Kind != KindAdmin {
		t.Fatalf("sources add = %v %q", r.Kind, r.Text)
	}
	MustPutBot(t, e.ix, grainStory("wire-1", "Wire", 1))
	e.round()
	p := e.poster.take()
	if len(p) != 1 || p[0].ch != chOther {
		t.Fatalf("posts = %+v, want the Wire story in %s only (%s answers from Daily Paper)", p, chOther, chGrain)
	}
	paper := grainStory("paper-1", "Daily Paper", 2)
	paper.Paragraphs = []string{"Ukraine's grain exports rose again as a second convoy reached the Bosphorus on Tuesday.",
		"Port officials in Odesa said loading would continue through the night despite the air raid warnings."}
	MustPutBot(t, e.ix, paper)
	e.round()
	p = e.poster.take()
	var got []Channel
	for _, x := range p {
		got = append(got, x.ch)
	}
	if !slices.Contains(got, chGrain) {
		t.Errorf("posts = %+v, want the Daily Paper story in %s", p, chGrain)
	}
}

func TestWatcherRateLimitMakesDigest(t *testing.T) {
	e := newWatchEnv(t, 3)
	e.watch(chGrain, "ukraine grain")
	var burst []retrieval.Article
	for i := range 7 {
		burst = append(burst, otherStory(fmt.Sprintf("b%d", i), 100*i))
	}
	MustPutBot(t, e.ix, burst...)
	e.round()
	p := e.poster.take()
	if len(p) != 3 || p[0].r.Kind != KindWatch || p[1].r.Kind != KindWatch || p[2].r.Kind != KindDigest {
		t.Fatalf("burst of 7 at 3 an hour: %d posts %+v; want 2 stories then one digest", len(p), p)
	}
	if got := titles(p[2].r); len(got) != 5 || !strings.HasPrefix(p[2].r.Text, "5 more stories") {
		t.Errorf("digest %q lists %q, want the other 5", p[2].r.Text, got)
	}
	text := exposition(t, e.w)
	for _, want := range []string{"byline_watch_stories_total 7", `byline_watch_posts_total{kind="watch"} 2`,
		`byline_watch_posts_total{kind="digest"} 1`, "byline_watch_post_failures_total 0"} {
		if !strings.Contains(text, want) {
			t.Errorf("metrics lack %q:\n%s", want, text)
		}
	}
	// Over the limit now: a later story waits for the window, then goes
	// out as soon as there is room.
	MustPutBot(t, e.ix, otherStory("late", 999))
	e.clock.Add(59 * time.Minute)
	e.round()
	if p := e.poster.take(); len(p) != 0 {
		t.Fatalf("posted over the limit: %+v", p)
	}
	e.clock.Add(2 * time.Minute)
	e.round()
	if p := e.poster.take(); len(p) != 1 || p[0].r.Kind != KindWatch || titles(p[0].r)[0] != "Grain ships leave Odesa (999)" {
		t.Errorf("after the window: %+v, want the held story", p)
	}
}

func TestWatcherSurvivesRestartAndFailures(t *testing.T) {
	e := newWatchEnv(t, 0)
	e.watch(chGrain, "ukraine grain")
	e.poster.err = errors.New("slack is down")
	MustPutBot(t, e.ix, grainStory("r1", "Wire", 1))
	if err := e.w.Round(context.Background()); err == nil {
		t.Error("Round with a failing poster: nil error")
	}
	e.poster.err = nil
	e.round()
	if p := e.poster.take(); len(p) != 0 {
		t.Fatalf("a failed channel was tried again at once: %+v", p)
	}
	e.clock.Add(2 * time.Minute)
	e.round()
	if p := e.poster.take(); len(p) != 1 || titles(p[0].r)[0] != "Grain ships leave Odesa (1)" {
		t.Fatalf("a minute later: %+v, want the story that failed to post", p)
	}
	e.watch(chGrain, "odesa ships")
	e.poster.err = errors.New("slack is down")
	MustPutBot(t, e.ix, otherStory("r1b", 500))
	if err := e.w.Round(context.Background()); err == nil {
		t.Error("Round with a failing poster: nil error")
	}
	e.poster.err = nil
	e.open() // restart: the watches and the pending story are in the database
	if p := e.poster.take(); len(p) != 1 || p[0].r.Text != "New on “ukraine grain” and “odesa ships”:" {
		t.Fatalf("after restart: %+v, want the pending story once, for both watches", p)
	}
	e.open()
	MustPutBot(t, e.ix, otherStory("r2", 2000))
	e.round()
	if p := e.poster.take(); len(p) != 1 || titles(p[0].r)[0] != "Grain ships leave Odesa (2000)" {
		t.Errorf("after another restart: %+v, want only the new story, once", p)
	}
}

// TestWatcherOneReplicaPosts: a replica that does not hold the lease
// skips the round, so replicas post each story once.
func TestWatcherOneReplicaPosts(t *testing.T) {
	e := newWatchEnv(t, 0)
	e.watch(chGrain, "ukraine grain")
	ctx := context.Background()
	if ok, err := e.ix.Lease(ctx, watchLease, "other-replica", e.clock.Now(), e.clock.Now().Add(time.Minute)); !ok || err != nil {
		t.Fatal(ok, err)
	}
	e.w.opt.Leaser = e.ix
	MustPutBot(t, e.ix, grainStory("l1", "Wire", 1))
	if err := e.w.leasedRound(ctx); err != nil {
		t.Fatal(err)
	}
	if p := e.poster.take(); len(p) != 0 {
		t.Fatalf("posted without the lease: %+v", p)
	}
	e.clock.Add(2 * time.Minute) // the other replica died: its lease expires
	if err := e.w.leasedRound(ctx); err != nil {
		t.Fatal(err)
	}
	if p := e.poster.take(); len(p) != 1 {
		t.Errorf("after taking over: %d posts, want 1", len(p))
	}
}

func TestPostersRoute(t *testing.T) {
	s, d := &recordingPoster{}, &recordingPoster{}
	p := Posters{"slack": s, "discord": d}
	if err := p.Post(context.Background(), chOther, Reply{Text: "x"}); err != nil || len(d.take()) != 1 || len(s.take()) != 0 {
		t.Errorf("a Discord post went elsewhere (%v)", err)
	}
	if err := p.Post(context.Background(), Channel{Platform: "irc"}, Reply{}); err == nil {
		t.Error("a post to an unknown platform: nil error")
	}
}
