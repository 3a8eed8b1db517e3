package bot

import (
	"context"
	"database/sql"
	"log/slog"
	"path/filepath"
	"sync"
	"testing"
	"time"
)

// lockingPoster posts, then has another connection hold the database's
// write lock for hold, as another process indexing into SQLite does.
type lockingPoster struct {
	*recordingPoster
	t    *testing.T
	db   *sql.DB
	hold time.Duration
	once sync.Once
	held chan struct{}
}

func (p *lockingPoster) Post(ctx context.Context, ch Channel, r Reply) error {
	if err := p.recordingPoster.Post(ctx, ch, r); err != nil {
		return err
	}
	p.once.Do(func() {
		tx, err := p.db.BeginTx(ctx, nil)
		if err == nil {
			_, err = tx.ExecContext(ctx, `UPDATE meta SET value = value WHERE key = 'generation'`) // takes the write lock
		}
		if err != nil {
			p.t.Errorf("lock the database: %v", err)
			return
		}
		go func() {
			time.Sleep(p.hold)
			tx.Rollback()
			close(p.held)
		}()
	})
	return nil
}

// TestWatcherRecordsPostDespiteBusyDatabase: a story posted while another
// process holds the database's write lock longer than its busy timeout
// is recorded once the lock is free, so it is never posted again.
func TestWatcherRecordsPostDespiteBusyDatabase(t *testing.T) {
	defer func(p, e time.Duration) { markPatience, markEvery = p, e }(markPatience, markEvery)
	markPatience, markEvery = 10*time.Second, 20*time.Millisecond

	e := &watchEnv{t: t, path: filepath.Join(t.TempDir(), "w.db"), poster: &recordingPoster{}, clock: &clock{t: testNow},
		busy: 50 * time.Millisecond}
	e.open()
	MustPutBot(t, e.ix, testArticles...)
	db, err := sql.Open("sqlite", "file:"+e.path+"?_pragma=busy_timeout(5000)")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	locking := &lockingPoster{recordingPoster: e.poster, t: t, db: db, hold: 400 * time.Millisecond, held: make(chan struct{})}
	e.w, err = NewWatcher(WatcherOptions{Store: e.ix, Poster: locking, Now: e.clock.Now, Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatal(err)
	}
	e.round()
	e.watch(chGrain, "ukraine grain")
	MustPutBot(t, e.ix, grainStory("g1", "Wire", 1))
	e.round() // posts, then records once the lock is released
	<-locking.held
	if p := e.poster.take(); len(p) != 1 {
		t.Fatalf("posts = %+v, want the story once", p)
	}
	e.clock.Add(2 * time.Minute) // past any wait for a failed channel
	e.round()
	if p := e.poster.take(); len(p) != 0 {
		t.Errorf("the story was posted again: %+v (its post was not recorded)", p)
	}
}
