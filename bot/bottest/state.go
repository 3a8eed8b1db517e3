package bottest

import (
	"context"
	"log/slog"
	"sync"
	"testing"
	"time"

	"github.com/byline-news/byline/bot"
	"github.com/byline-news/byline/retrieval/sqlite"
)

// StateStore keeps the adapters' chat state in the index's database,
// like cmd/byline/serve.go's adapter of the same name.
type StateStore struct{ Index *sqlite.Index }

// LoadState implements bot.Store.
func (s StateStore) LoadState(ctx context.Context, ns, key string, now time.Time) ([]byte, time.Time, bool, error) {
	return s.Index.LoadState(ctx, ns, key, now)
}

// SaveStates implements bot.Store.
func (s StateStore) SaveStates(ctx context.Context, entries []bot.StateEntry) error {
	out := make([]sqlite.ChatState, len(entries))
	for i, e := range entries {
		out[i] = sqlite.ChatState(e)
	}
	return s.Index.SaveStates(ctx, out)
}

// StateWriter runs a bot.StateWriter over ix, logging to t, until stop
// is called or the test ends; stop returns once its final flush is
// done, as `byline serve` stops it after the adapters.
func StateWriter(t testing.TB, ix *sqlite.Index) (w *bot.StateWriter, stop func()) {
	return runState(t, ix, Logger(t))
}

func runState(t testing.TB, ix *sqlite.Index, lg *slog.Logger) (*bot.StateWriter, func()) {
	w := bot.NewStateWriter(StateStore{ix}, lg)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- w.Run(ctx) }()
	stop := sync.OnceFunc(func() {
		cancel()
		select {
		case err := <-done:
			if err != nil {
				t.Errorf("StateWriter.Run = %v, want nil", err)
			}
		case <-time.After(2 * WaitTimeout):
			t.Errorf("StateWriter.Run did not return after its context was cancelled")
		}
	})
	t.Cleanup(stop)
	return w, stop
}
