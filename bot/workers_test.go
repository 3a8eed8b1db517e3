package bot

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"strings"
	"sync/atomic"
	"testing"
	"testing/synctest"
	"time"
)

// testWorkers is a pool of slots whose logs go to buf.
func testWorkers(slots int, late bool, buf *bytes.Buffer) *Workers {
	return NewWorkers(WorkersOptions{Platform: "test", MaxInFlight: slots, Timeout: time.Minute,
		Logger: slog.New(slog.NewTextHandler(buf, nil)), TaskKey: "action", RunCancelled: late})
}

func TestWorkersLimitAndPanic(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		var logs bytes.Buffer
		w := testWorkers(2, false, &logs)
		var running, most atomic.Int32
		for range 5 {
			w.Spawn("answer", func(context.Context) {
				for n, m := running.Add(1), most.Load(); n > m && !most.CompareAndSwap(m, n); m = most.Load() {
				}
				time.Sleep(time.Second)
				running.Add(-1)
			})
		}
		w.Spawn("boom", func(context.Context) { panic("one odd paragraph") })
		w.Wait()
		if most.Load() != 2 {
			t.Errorf("%d tasks ran at once, want MaxInFlight (2)", most.Load())
		}
		if !strings.Contains(logs.String(), `msg="test task panicked" action=boom err="one odd paragraph"`) {
			t.Errorf("logs = %q, want the panic logged with its task", logs.String())
		}
	})
}

func TestWorkersCloseWaitsThenRefuses(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		var logs bytes.Buffer
		w := testWorkers(1, false, &logs)
		var finished atomic.Bool
		w.Spawn("answer", func(ctx context.Context) {
			time.Sleep(time.Second)
			finished.Store(ctx.Err() == nil)
		})
		w.Close(5 * time.Second)
		if !finished.Load() || logs.Len() != 0 {
			t.Errorf("task finished uncancelled: %v; logs %q, want none", finished.Load(), logs.String())
		}
		err := w.Spawn("late", func(context.Context) { t.Error("a task ran after Close") })
		if !errors.Is(err, ErrClosing) || err.Error() != "test adapter is shutting down" {
			t.Errorf("Spawn after Close = %v, want ErrClosing", err)
		}
	})
}

func TestWorkersCloseCancelsAfterGrace(t *testing.T) {
	for _, late := range []bool{false, true} {
		synctest.Test(t, func(t *testing.T) {
			var logs bytes.Buffer
			w := testWorkers(1, late, &logs)
			release := make(chan struct{})
			w.Spawn("slow", func(ctx context.Context) { <-ctx.Done(); <-release })
			synctest.Wait() // the slow task holds the slot
			var ran, cancelled atomic.Bool
			w.Spawn("queued", func(ctx context.Context) { ran.Store(true); cancelled.Store(ctx.Err() != nil) })
			closed := make(chan struct{})
			go func() { w.Close(time.Second); close(closed) }()
			time.Sleep(time.Second + time.Millisecond)
			synctest.Wait() // the queued task has seen the pool cancelled
			close(release)
			<-closed
			if ran.Load() != late || late && !cancelled.Load() {
				t.Errorf("RunCancelled=%v: queued task ran %v (cancelled %v)", late, ran.Load(), cancelled.Load())
			}
			if !strings.Contains(logs.String(), "test shutdown: grace period over") {
				t.Errorf("logs = %q, want the grace period's end logged", logs.String())
			}
		})
	}
}

func TestAsk(t *testing.T) {
	lg := slog.New(slog.DiscardHandler)
	m := Message{Platform: "test", Channel: "C1", Text: "what did Liang deny?"}
	r := Ask(context.Background(), lg, func(context.Context, Message) Reply { panic("bug") }, m)
	if r.Kind != KindError || r.Question != m.Text {
		t.Errorf("after a panic: %+v, want KindError for the question", r)
	}
	r = Ask(context.Background(), lg, func(context.Context, Message) Reply { return Reply{Kind: KindAnswer} }, m)
	if r.Kind != KindAnswer || r.Question != m.Text {
		t.Errorf("reply without a question: %+v, want it filled with the message's text", r)
	}
}
