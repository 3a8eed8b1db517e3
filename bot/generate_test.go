package bot

import (
	"context"
	"net/http"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/byline-news/byline/llm"
	"github.com/byline-news/byline/llm/fakeai"
)

func TestThrottle(t *testing.T) {
	t.Parallel()
	c := &clock{t: testNow}
	var shown []string
	show := throttle(func(s string) { shown = append(shown, s) }, time.Second, c.Now)
	steps := []struct {
		after time.Duration
		text  string
	}{{0, "a"}, {500 * time.Millisecond, "b"}, {500 * time.Millisecond, "c"}, {200 * time.Millisecond, "d"}, {1300 * time.Millisecond, "e"}}
	for _, s := range steps {
		c.Add(s.after)
		show(s.text)
	}
	if want := []string{"a", "c", "e"}; !reflect.DeepEqual(shown, want) {
		t.Errorf("shown %q, want %q (at most one per second)", shown, want)
	}
}

// modelBot is a Bot over the test articles whose answers a fake model
// writes with reply.
func modelBot(t *testing.T, reply func(int, fakeai.Request) fakeai.Reply) (*Bot, *fakeai.Server) {
	t.Helper()
	srv := fakeai.NewServer(t, reply)
	c, err := llm.New(llm.Options{BaseURL: srv.URL, Model: "m"})
	if err != nil {
		t.Fatal(err)
	}
	return mustBot(t, mustIndex(t, testArticles), Options{Generator: c, EditInterval: time.Nanosecond}), srv
}

func TestHandleGeneratedAnswer(t *testing.T) {
	t.Parallel()
	b, srv := modelBot(t, fakeai.Always("Liang Guanglie denied that his country was behind the hacking of American networks [1]."))
	r := b.Handle(context.Background(), Message{Platform: "test", User: "U1", Text: "what did Liang deny?"})
	if r.Kind != KindAnswer || !r.Generated {
		t.Fatalf("reply %v generated %v: %q", r.Kind, r.Generated, r.Text)
	}
	if !strings.HasPrefix(r.Text, "Liang Guanglie denied") || len(r.Sources) != 1 || r.Sources[0].Hit.Article.ID != "t-pentagon" {
		t.Errorf("reply %q with %d sources, want the generated answer citing t-pentagon", r.Text, len(r.Sources))
	}
	if n := len(srv.Requests()); n != 1 {
		t.Errorf("%d model requests, want 1", n)
	}
}

func TestHandleGeneratedFallsBackQuietly(t *testing.T) {
	t.Parallel()
	b, _ := modelBot(t, fakeai.Always("Liang denied everything [7]."))
	r := b.Handle(context.Background(), Message{Platform: "test", User: "U1", Text: "what did Liang deny?"})
	if r.Kind != KindAnswer || r.Generated {
		t.Fatalf("reply %v generated %v, want the extractive answer", r.Kind, r.Generated)
	}
	if !strings.Contains(r.Text, "Liang") || strings.Contains(r.Text, "[7]") {
		t.Errorf("reply %q, want the extractive answer about Liang", r.Text)
	}
	if out := exposition(t, b); !strings.Contains(out, "byline_answer_fallbacks_total 1\n") || !strings.Contains(out, "byline_generated_answers_total 0\n") {
		t.Errorf("metrics do not count the fallback:\n%s", out)
	}
}

func TestHandleStreamsPartialAnswers(t *testing.T) {
	t.Parallel()
	chunks := []string{"Liang Guanglie denied ", "that his country was behind ", "the hacking of American networks [1]."}
	tests := []struct {
		name      string
		reply     fakeai.Reply
		generated bool
	}{
		{"complete stream", fakeai.Reply{Chunks: chunks}, true},
		{"cut-off stream", fakeai.Reply{Chunks: chunks, NoFinish: true}, false},
		{"invalid citation", fakeai.Reply{Chunks: []string{"Liang denied ", "it [9]."}}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			b, srv := modelBot(t, func(int, fakeai.Request) fakeai.Reply { return tt.reply })
			var partial []string
			r := b.Handle(context.Background(), Message{Platform: "test", User: "U1", Text: "what did Liang deny?",
				Partial: func(s string) { partial = append(partial, s) }})
			if len(partial) == 0 {
				t.Fatal("no partial answer was shown")
			}
			for i := 1; i < len(partial); i++ {
				if !strings.HasPrefix(partial[i], partial[i-1]) {
					t.Errorf("partial %d %q does not extend %q", i, partial[i], partial[i-1])
				}
			}
			if r.Generated != tt.generated || r.Kind != KindAnswer || r.Text == "" {
				t.Errorf("reply %v generated %v %q; want generated %v", r.Kind, r.Generated, r.Text, tt.generated)
			}
			if tt.generated && r.Text != strings.Join(chunks, "") {
				t.Errorf("final %q, want the whole streamed answer", r.Text)
			}
			if reqs := srv.Requests(); len(reqs) != 1 || !reqs[0].Stream {
				t.Errorf("%d requests (stream %v), want one streamed", len(reqs), len(reqs) == 1 && reqs[0].Stream)
			}
		})
	}
}

// A model endpoint that keeps failing is left alone for a while: the
// answers are extractive, and no more requests reach it.
func TestHandleStopsCallingFailingModel(t *testing.T) {
	t.Parallel()
	b, srv := modelBot(t, func(int, fakeai.Request) fakeai.Reply {
		return fakeai.Reply{Status: http.StatusInternalServerError, RetryAfter: "0"}
	})
	ask := func() Reply {
		return b.Handle(context.Background(), Message{Platform: "test", User: "U1", Text: "what did Liang deny?"})
	}
	for i := range llm.DefaultBreakerThreshold {
		if r := ask(); r.Kind != KindAnswer || r.Generated {
			t.Fatalf("question %d: reply %v generated %v, want the extractive answer", i+1, r.Kind, r.Generated)
		}
	}
	sent := len(srv.Requests())
	r := ask()
	if r.Kind != KindAnswer || r.Generated || !strings.Contains(r.Text, "Liang") {
		t.Errorf("with the breaker open: reply %v generated %v %q, want the extractive answer", r.Kind, r.Generated, r.Text)
	}
	if n := len(srv.Requests()); n != sent {
		t.Errorf("%d more requests reached the failing model, want none", n-sent)
	}
}
