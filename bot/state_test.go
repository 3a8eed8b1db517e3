package bot

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/byline-news/byline/retrieval"
	"github.com/byline-news/byline/retrieval/sqlite"
)

// sqliteStore is the index as a Store, as cmd/byline wires it.
type sqliteStore struct{ ix *sqlite.Index }

func (s sqliteStore) LoadState(ctx context.Context, ns, key string, now time.Time) ([]byte, time.Time, bool, error) {
	return s.ix.LoadState(ctx, ns, key, now)
}

func (s sqliteStore) SaveStates(ctx context.Context, entries []StateEntry) error {
	out := make([]sqlite.ChatState, len(entries))
	for i, e := range entries {
		out[i] = sqlite.ChatState(e)
	}
	return s.ix.SaveStates(ctx, out)
}

// countingStore records the SaveStates calls made to the Store it
// wraps, and can fail them.
type countingStore struct {
	Store
	fail  error    // returned by every call when set
	block bool     // SaveStates waits for its context to end
	saved chan int // each call's entry count (buffered)
	mu    sync.Mutex
	calls [][]StateEntry
}

func newCountingStore(s Store) *countingStore {
	return &countingStore{Store: s, saved: make(chan int, 100)}
}

func (c *countingStore) SaveStates(ctx context.Context, entries []StateEntry) error {
	c.mu.Lock()
	c.calls = append(c.calls, entries)
	c.mu.Unlock()
	defer func() { c.saved <- len(entries) }()
	if c.block {
		<-ctx.Done()
		return ctx.Err()
	}
	if c.fail != nil {
		return c.fail
	}
	return c.Store.SaveStates(ctx, entries)
}

func (c *countingStore) LoadState(ctx context.Context, ns, key string, now time.Time) ([]byte, time.Time, bool, error) {
	if c.fail != nil {
		return nil, time.Time{}, false, c.fail
	}
	return c.Store.LoadState(ctx, ns, key, now)
}

func (c *countingStore) callSizes() []int {
	c.mu.Lock()
	defer c.mu.Unlock()
	var n []int
	for _, e := range c.calls {
		n = append(n, len(e))
	}
	return n
}

// nextSave waits for the next SaveStates call and returns its size.
func (c *countingStore) nextSave(t *testing.T) int {
	t.Helper()
	select {
	case n := <-c.saved:
		return n
	case <-time.After(5 * time.Second):
		t.Fatal("no SaveStates call")
		return 0
	}
}

// logBuffer collects log output for assertions.
type logBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *logBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *logBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

func (l *logBuffer) logger() *slog.Logger { return slog.New(slog.NewTextHandler(l, nil)) }

// running starts w.Run and returns a stop that cancels it and waits for
// it to return (after its final flush).
func running(t *testing.T, w *StateWriter) (stop func()) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- w.Run(ctx) }()
	var once sync.Once
	stop = func() {
		once.Do(func() {
			cancel()
			select {
			case err := <-done:
				if err != nil {
					t.Errorf("Run = %v, want nil", err)
				}
			case <-time.After(10 * time.Second):
				t.Error("Run did not return after its context was cancelled")
			}
		})
	}
	t.Cleanup(stop)
	return stop
}

// stateNow is a test clock's start near the real time: SaveStates
// prunes rows by the real clock, so stored entries must not look long
// expired to it.
func stateNow() time.Time { return time.Now().Truncate(time.Second) }

// testReply is an answer with a source, as adapters keep it for buttons.
func testReply() Reply {
	a := testArticles[0]
	a.Paragraphs = nil
	return Reply{Kind: KindAnswer, Question: "what did Liang deny?", Text: "Liang denied it [1].", Generated: true,
		Sources: []Source{{N: 1, Marks: [][2]int{{0, 5}},
			Hit: retrieval.Hit{Article: a, Paragraph: 1, Text: "Visiting Chinese Defence Minister Liang Guanglie denied…",
				Before: "Defence officials…", Score: 3.25, AlsoCarriedBy: []string{"Other Wire"}}}}}
}

// TestPersistentCacheRestart puts an answer through one cache, and
// reads it back through new caches over the same database, as a
// restarted process would, at several times in its hour of life.
func TestPersistentCacheRestart(t *testing.T) {
	store := sqliteStore{mustIndex(t, nil)}
	start := stateNow()
	w := NewStateWriter(store, slog.New(slog.DiscardHandler))
	stop := running(t, w)
	NewPersistentCache[Reply]("test.answers", time.Hour, 10, func() time.Time { return start }, w).Put("a1", testReply())
	stop() // flushes

	tests := []struct {
		name  string
		after time.Duration
		found bool
	}{
		{"at once", 0, true},
		{"near the end of its hour", time.Hour - time.Second, true},
		{"an hour after it was put", time.Hour, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			clk := &clock{t: start.Add(tt.after)}
			c := NewPersistentCache[Reply]("test.answers", time.Hour, 10, clk.Now, NewStateWriter(store, nil))
			got, ok := c.Get("a1")
			if ok != tt.found {
				t.Fatalf("Get found %v, want %v", ok, tt.found)
			}
			if !ok {
				return
			}
			if want := testReply(); !reflect.DeepEqual(got, want) {
				t.Errorf("Get = %+v\nwant %+v", got, want)
			}
			// In memory now, for the rest of its stored hour, not a new one.
			clk.Add(time.Hour - time.Second - tt.after)
			if !c.Has("a1") {
				t.Error("gone from memory before its stored expiry")
			}
			clk.Add(time.Second)
			if c.Has("a1") || c.len() != 0 {
				t.Errorf("still there (%d entries in memory) after its stored expiry", c.len())
			}
		})
	}
	if _, ok := NewPersistentCache[Reply]("test.other", time.Hour, 10, nil, NewStateWriter(store, nil)).Get("a1"); ok {
		t.Error("another namespace sees the entry")
	}
}

func TestPersistentThreadsRestart(t *testing.T) {
	store := sqliteStore{mustIndex(t, nil)}
	clk := &clock{t: stateNow()}
	w := NewStateWriter(store, nil)
	stop := running(t, w)
	before := NewPersistentThreads("test.threads", time.Hour, 0, clk.Now, w)
	before.Mark("C1:100.1")
	clk.Add(30 * time.Minute)
	before.Mark("C1:200.1")
	stop()

	after := NewPersistentThreads("test.threads", time.Hour, 0, clk.Now, NewStateWriter(store, nil))
	clk.Add(30 * time.Minute)
	if after.Active("C1:100.1") || !after.Active("C1:200.1") || after.Active("C1:300.1") {
		t.Errorf("after a restart and 30 minutes: active %v, %v, %v; want only the thread marked 30 minutes ago",
			after.Active("C1:100.1"), after.Active("C1:200.1"), after.Active("C1:300.1"))
	}
}

// TestLoadedEntriesKeepExpiryOrder checks that an entry read from the
// Store, which expires before fresh ones, is evicted in expiry order.
func TestLoadedEntriesKeepExpiryOrder(t *testing.T) {
	store := sqliteStore{mustIndex(t, nil)}
	clk := &clock{t: stateNow()}
	w := NewStateWriter(store, nil)
	stop := running(t, w)
	NewPersistentCache[int]("test.n", time.Hour, 2, clk.Now, w).Put("old", 1)
	stop()

	c := NewPersistentCache[int]("test.n", time.Hour, 2, clk.Now, NewStateWriter(store, nil))
	clk.Add(30 * time.Minute)
	c.Put("new", 2)
	if v, ok := c.Get("old"); !ok || v != 1 {
		t.Fatalf("Get(old) = %v, %v; want 1 from the store", v, ok)
	}
	c.Put("newest", 3) // over max: the entry closest to expiry, old, goes
	c.mu.Lock()
	_, hasOld := c.items["old"]
	_, hasNew := c.items["new"]
	c.mu.Unlock()
	if hasOld || !hasNew {
		t.Errorf("after overflow: in memory old=%v new=%v; want old evicted first", hasOld, hasNew)
	}
}

func TestStateWriterBatches(t *testing.T) {
	store := newCountingStore(sqliteStore{mustIndex(t, nil)})
	w := NewStateWriter(store, nil)
	c := NewPersistentCache[int]("test.n", time.Hour, 1000, stateNow, w)
	for i := range 600 {
		c.Put(fmt.Sprint(i), i)
	}
	for i := range 50 {
		c.Put("7", i) // a key queued again is saved once, with its last value
	}
	stop := running(t, w) // 600 queued: more than a batch, so it flushes at once
	if n := store.nextSave(t); n != 600 {
		t.Errorf("first save: %d entries, want all 600 queued", n)
	}
	stop()
	if got := store.callSizes(); len(got) != 1 {
		t.Errorf("SaveStates calls of %v entries, want one call", got)
	}
	if v, ok := NewPersistentCache[int]("test.n", time.Hour, 1000, stateNow, NewStateWriter(store, nil)).Get("7"); !ok || v != 49 {
		t.Errorf("key 7 = %v, %v; want its last value 49", v, ok)
	}
}

func TestStateWriterFlushesOnStop(t *testing.T) {
	store := newCountingStore(sqliteStore{mustIndex(t, nil)})
	w := NewStateWriter(store, nil)
	w.every = time.Hour // only the stop flushes
	stop := running(t, w)
	c := NewPersistentCache[string]("test.s", time.Hour, 10, stateNow, w)
	for _, k := range []string{"a", "b", "c"} {
		c.Put(k, k+"!")
	}
	stop()
	if got := store.callSizes(); len(got) != 1 || got[0] != 3 {
		t.Fatalf("SaveStates calls of %v entries, want one of 3 on stop", got)
	}
	if v, ok := NewPersistentCache[string]("test.s", time.Hour, 10, stateNow, NewStateWriter(store, nil)).Get("b"); !ok || v != "b!" {
		t.Errorf("after stop, b = %q, %v; want it saved", v, ok)
	}
}

func TestStateWriterQueueBound(t *testing.T) {
	var logs logBuffer
	store := newCountingStore(sqliteStore{mustIndex(t, nil)})
	w := NewStateWriter(store, logs.logger())
	w.limit = 5
	c := NewPersistentCache[int]("test.n", time.Hour, 100, stateNow, w)
	for i := range 8 {
		c.Put(fmt.Sprint(i), i)
	}
	c.Put("4", 40) // a queued key is still updated when full
	running(t, w)()
	if got := store.callSizes(); len(got) != 1 || got[0] != 5 {
		t.Errorf("SaveStates calls of %v entries, want one of the 5 that fit", got)
	}
	if v, ok := c.Get("7"); !ok || v != 7 {
		t.Errorf("dropped from the queue, 7 = %v, %v; want it still in memory", v, ok)
	}
	if got := NewPersistentCache[int]("test.n", time.Hour, 100, stateNow, NewStateWriter(store, nil)); !got.Has("4") || got.Has("5") {
		t.Errorf("after a restart: has 4 = %v, has 5 = %v; want 4 saved, 5 dropped", got.Has("4"), got.Has("5"))
	}
	if s := logs.String(); strings.Count(s, "chat state queue full") != 1 || !strings.Contains(s, "dropped=3") {
		t.Errorf("logs = %q, want one queue-full warning and a count of 3 dropped", s)
	}
}

// TestStateWriterFailingStore checks that a failing Store is logged
// once, retried, and costs the caches only their persistence.
func TestStateWriterFailingStore(t *testing.T) {
	var logs logBuffer
	store := newCountingStore(sqliteStore{mustIndex(t, nil)})
	store.fail = errors.New("disk I/O error")
	w := NewStateWriter(store, logs.logger())
	w.batch = 1 // flush on every Put
	stop := running(t, w)
	c := NewPersistentCache[int]("test.n", time.Hour, 10, stateNow, w)
	c.Put("a", 1)
	store.nextSave(t)
	c.Put("b", 2)
	for store.nextSave(t) != 2 { // a is retried with b
	}
	if v, ok := c.Get("a"); !ok || v != 1 {
		t.Errorf("Get(a) = %v, %v; want it from memory", v, ok)
	}
	if c.Has("missing") {
		t.Error("a failing store found a missing key")
	}
	stop()
	s := logs.String()
	for want, n := range map[string]int{
		"chat state not saved; retrying": 1, // once, however many retries fail
		"chat state not read":            1,
		"disk I/O error":                 2, // the save and the read
		"not saved on shutdown":          1,
	} {
		if got := strings.Count(s, want); got != n {
			t.Errorf("%q logged %d times, want %d; logs:\n%s", want, got, n, s)
		}
	}
}

// TestStateWriterBlockedStore checks that Put never waits for a Store
// that hangs, and that Run still returns.
func TestStateWriterBlockedStore(t *testing.T) {
	store := newCountingStore(sqliteStore{mustIndex(t, nil)})
	store.block = true
	w := NewStateWriter(store, slog.New(slog.DiscardHandler))
	w.batch, w.saveTimeout, w.finalTimeout = 1, 50*time.Millisecond, time.Millisecond
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- w.Run(ctx) }()
	c := NewPersistentCache[int]("test.n", time.Hour, 1000, stateNow, w)
	c.Put("first", 1) // starts a save that hangs
	puts := make(chan struct{})
	go func() {
		for i := range 500 {
			c.Put(fmt.Sprint(i), i)
		}
		close(puts)
	}()
	select {
	case <-puts:
	case <-time.After(5 * time.Second):
		t.Fatal("Put waited for the hung store")
	}
	cancel()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		t.Fatal("Run did not return")
	}
}
