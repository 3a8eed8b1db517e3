package bot

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/byline-news/byline/retrieval"
)

func TestNewNeedsSearcher(t *testing.T) {
	if _, err := New(Options{}); err == nil {
		t.Fatal("New without a Searcher succeeded")
	}
}

func TestHandle(t *testing.T) {
	b := mustBot(t, mustIndex(t, testArticles), Options{RatePerUser: -1})
	thread := func(turns ...string) []Turn {
		var h []Turn
		for _, s := range turns {
			h = append(h, Turn{User: "U1", Text: s}, Turn{Text: "(an answer)", FromBot: true})
		}
		return h
	}
	tests := []struct {
		name     string
		text     string
		botName  string // Message.BotName
		history  []Turn
		kind     Kind
		question string   // Reply.Question, when checked
		searched string   // Reply.Searched
		contains []string // in Reply.Text
		absent   []string // not in Reply.Text
		sources  []string // the only article IDs cited, when checked
	}{
		{name: "empty", text: "  ", kind: KindHelp, contains: []string{"what did Liang deny?", "what happened last week?", "latest stories on a topic", "stats"}},
		{name: "help", text: " Help ", kind: KindHelp, contains: []string{"what did Liang deny?"}},
		{name: "question mark", text: "?", kind: KindHelp},
		{name: "help after a mention", text: "<@U0BOT> help", kind: KindHelp},
		{name: "mentions and spaces removed", text: "<@U0BOT>  what did\nLiang  deny?", kind: KindAnswer,
			question: "what did Liang deny?"},
		{name: "mass mentions removed", text: "@everyone @here what did Liang deny?", kind: KindAnswer,
			question: "what did Liang deny?", contains: []string{"denied"}},
		{name: "emoji removed", text: ":wave: what did Liang deny? :thinking_face::pray: <:pepe:81234> <a:nod:5678>", kind: KindAnswer,
			question: "what did Liang deny?", contains: []string{"denied"}},
		{name: "a time is not an emoji", text: "what did Liang deny at 10:30:45?", kind: KindAbstained, // no article has the time
			question: "what did Liang deny at 10:30:45?"},
		{name: "addressed by name", text: "hey byline, what did Liang deny?", botName: "byline", kind: KindAnswer,
			question: "what did Liang deny?", contains: []string{"denied"}},
		{name: "follow-up addressed by name", text: "Byline: what did he deny?", botName: "byline",
			history: thread("byline, what did Liang say about cyber attacks?"), kind: KindAnswer, question: "what did Liang deny?"},
		{name: "stats", text: "stats", kind: KindStats, contains: []string{"I have indexed 4 articles. The newest was published on 7 May 2012."}},
		{name: "too long", text: strings.Repeat("why ", 130), kind: KindRejected, contains: []string{"519 characters", "at most 500"}},
		{name: "answer", text: "what did Liang deny?", kind: KindAnswer, question: "what did Liang deny?",
			contains: []string{"denied"}, sources: []string{"t-pentagon"}},
		{name: "follow-up with and", text: "and what did Panetta say?", history: thread("what did Liang deny?"),
			kind: KindAnswer, contains: []string{"Panetta said", "work together"}, absent: []string{"denied"}},
		{name: "follow-up with pronoun", text: "what did he deny?", history: thread("what did Liang say about cyber attacks?"),
			kind: KindAnswer, question: "what did Liang deny?", contains: []string{"Liang Guanglie denied"}},
		{name: "misspelt", text: "what did Liang dneied?", kind: KindAnswer, question: "what did Liang dneied?",
			searched: "what did Liang denied?", contains: []string{"denied"}, sources: []string{"t-pentagon"}},
		{name: "yesterday", text: "what happened to the harbour bridge yesterday?", kind: KindAnswer,
			question: "what happened to the harbour bridge yesterday?", contains: []string{"reopened"}, sources: []string{"t-reopens"}},
		{name: "in March", text: "what happened to the harbour bridge in March?", kind: KindAnswer,
			contains: []string{"closed"}, sources: []string{"t-closes"}},
		{name: "abstain", text: "what did the Martian ambassador announce?", kind: KindAbstained,
			contains: []string{"I couldn't find a clear answer in the 4 articles I have indexed."}},
		{name: "no searchable words", text: "what is it?", kind: KindHelp, contains: []string{"what did Liang deny?"}},
		{name: "a greeting", text: "hello!", kind: KindHelp, contains: []string{"what did Liang deny?"}},
		{name: "a reaction", text: "<@U0BOT> sorry?", kind: KindHelp, contains: []string{"what did Liang deny?"}},
		{name: "a reaction in a thread", text: "thanks, great answer!", history: thread("what did Liang deny?"),
			kind: KindAbstained, contains: []string{"Ask me anything about the news."}, absent: []string{"denied", "searchable"}},
		{name: "about the bot", text: "<@U0BOT> what can you do?", kind: KindHelp},
		{name: "no searchable words in a thread", text: "and what was it?", history: thread("what did Liang deny?"),
			kind: KindAnswer, contains: []string{"denied"}},
		{name: "a topic alone gets its latest stories", text: "<@U0BOT> Panetta?", kind: KindAnswer,
			contains: []string{"The latest on Panetta:"}, sources: []string{"t-pentagon"}},
		{name: "a name alone in a thread is a follow-up", text: "Panetta?", history: thread("what did Liang deny?"),
			kind: KindAnswer, absent: []string{"The latest on"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := b.Handle(context.Background(), Message{Platform: "slack", User: "U1", Text: tt.text, BotName: tt.botName, History: tt.history})
			if r.Kind != tt.kind {
				t.Fatalf("Kind = %v, want %v (text %q)", r.Kind, tt.kind, r.Text)
			}
			if r.Text == "" {
				t.Fatal("empty Text")
			}
			if tt.question != "" && r.Question != tt.question {
				t.Errorf("Question = %q, want %q", r.Question, tt.question)
			}
			if r.Searched != tt.searched {
				t.Errorf("Searched = %q, want %q", r.Searched, tt.searched)
			}
			for _, s := range tt.contains {
				if !strings.Contains(r.Text, s) {
					t.Errorf("Text = %q, want it to contain %q", r.Text, s)
				}
			}
			for _, s := range tt.absent {
				if strings.Contains(r.Text, s) {
					t.Errorf("Text = %q, want no %q", r.Text, s)
				}
			}
			checkSources(t, r, tt.sources)
		})
	}
}

// checkSources checks that r cites only the articles in ids, when ids is set.
func checkSources(t *testing.T, r Reply, ids []string) {
	t.Helper()
	if ids == nil {
		return
	}
	if len(r.Sources) == 0 {
		t.Fatal("no sources")
	}
	for _, s := range r.Sources {
		found := false
		for _, id := range ids {
			found = found || s.Hit.Article.ID == id
		}
		if !found {
			t.Errorf("cites %s, want only %v", s.Hit.Article.ID, ids)
		}
	}
}

func TestStatsWithoutStatser(t *testing.T) {
	b := mustBot(t, &fakeSearcher{count: 2127}, Options{})
	r := b.Handle(context.Background(), Message{Text: "Stats?"})
	if got, want := r.Text, "I have indexed 2,127 articles."; r.Kind != KindStats || got != want {
		t.Fatalf("Handle(stats) = %v %q, want %v %q", r.Kind, got, KindStats, want)
	}
}

func TestSearchFailure(t *testing.T) {
	failing := &fakeSearcher{search: func(context.Context, retrieval.Query) ([]retrieval.Hit, error) {
		return nil, errors.New("disk on fire")
	}}
	blocking := &fakeSearcher{search: func(ctx context.Context, _ retrieval.Query) ([]retrieval.Hit, error) {
		<-ctx.Done()
		return nil, ctx.Err()
	}}
	unreachable := &fakeSearcher{search: func(context.Context, retrieval.Query) ([]retrieval.Hit, error) {
		return nil, fmt.Errorf("search: %w: dial tcp 127.0.0.1:5432: connect: connection refused", retrieval.ErrUnavailable)
	}}
	tests := []struct {
		name string
		s    Searcher
		want string
	}{
		{"error", failing, errorText},
		{"database unreachable", unreachable, unreachableText},
		{"timeout", blocking, timeoutText},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var logs bytes.Buffer
			lg := slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelInfo}))
			b := mustBot(t, tt.s, Options{Logger: lg, AnswerTimeout: 10 * time.Millisecond})
			r := b.Handle(context.Background(), Message{Text: "what did the secretive minister say?"})
			if r.Kind != KindError || r.Text != tt.want {
				t.Fatalf("Handle = %v %q, want %v %q", r.Kind, r.Text, KindError, tt.want)
			}
			if !strings.Contains(logs.String(), "level=ERROR") {
				t.Errorf("error not logged: %s", logs.String())
			}
			if strings.Contains(logs.String(), "secretive") {
				t.Errorf("question logged above debug level: %s", logs.String())
			}
		})
	}
}

func TestRateLimit(t *testing.T) {
	clk := &clock{t: testNow}
	b := mustBot(t, &fakeSearcher{count: 3}, Options{RatePerUser: 2, RateWindow: time.Minute, Now: clk.Now})
	ask := func(workspace, user, text string) Reply {
		return b.Handle(context.Background(), Message{Platform: "slack", Workspace: workspace, User: user, Text: text})
	}
	// Two in a row (the burst), 10 s apart: the bucket refills one
	// question per 30 s, so a third at 20 s waits 10 s more.
	for i := range 2 {
		if r := ask("T1", "U1", "stats"); r.Kind != KindStats {
			t.Fatalf("question %d: Kind = %v, want stats", i+1, r.Kind)
		}
		clk.Add(10 * time.Second)
	}
	r := ask("T1", "U1", "stats")
	if r.Kind != KindRateLimited || r.RetryAfter != 10*time.Second {
		t.Fatalf("third question: %v, RetryAfter %v; want rate-limited, 10s", r.Kind, r.RetryAfter)
	}
	if want := "You've reached the limit of 2 questions a minute. Please try again in 10 seconds."; r.Text != want {
		t.Errorf("Text = %q, want %q", r.Text, want)
	}
	if r := ask("T1", "U1", "help"); r.Kind != KindHelp {
		t.Errorf("help while limited: Kind = %v, want help", r.Kind)
	}
	if r := ask("T2", "U1", "stats"); r.Kind != KindStats {
		t.Errorf("same user ID in another workspace: Kind = %v, want stats", r.Kind)
	}
	// Refused questions take no token: retrying does not lock the user out longer.
	clk.Add(9 * time.Second)
	if r := ask("T1", "U1", "stats"); r.Kind != KindRateLimited || r.RetryAfter != time.Second {
		t.Fatalf("retry after 9 s: %v, RetryAfter %v; want rate-limited, 1s", r.Kind, r.RetryAfter)
	}
	clk.Add(time.Second)
	if r := ask("T1", "U1", "stats"); r.Kind != KindStats {
		t.Errorf("once refilled: Kind = %v, want stats", r.Kind)
	}
	if r := ask("T1", "U1", "stats"); r.Kind != KindRateLimited {
		t.Errorf("the refilled token is spent: Kind = %v, want rate-limited", r.Kind)
	}
}

func TestRateLimiterForgetsIdleUsers(t *testing.T) {
	clk := &clock{t: testNow}
	l := newLimiter(3, time.Minute, clk.Now)
	for i := range 1000 {
		l.allow(fmt.Sprint("user", i), clk.Now())
	}
	clk.Add(time.Minute) // a whole window: every bucket is full again
	l.allow("late", clk.Now())
	if got := l.users.len(); got != 1 {
		t.Fatalf("%d users kept after an idle window, want 1", got)
	}
	for range 3 {
		if ok, _ := l.allow("user1", clk.Now()); !ok {
			t.Fatal("a forgotten user did not get a full bucket")
		}
	}
}

// fakeStore records feedback, or fails with err.
type fakeStore struct {
	mu  sync.Mutex
	got []Feedback
	err error
}

func (s *fakeStore) SaveFeedback(_ context.Context, f Feedback) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.got = append(s.got, f)
	return s.err
}

func TestSaveFeedback(t *testing.T) {
	ctx := context.Background()
	f := Feedback{Platform: "discord", User: "U1", Question: "q", Answer: "a", Sources: []string{"t-pentagon"}, Helpful: true}

	store := &fakeStore{}
	b := mustBot(t, &fakeSearcher{}, Options{Feedback: store})
	if err := b.SaveFeedback(ctx, f); err != nil {
		t.Fatal(err)
	}
	want := f
	want.At = testNow // stamped when the adapter left it zero
	if len(store.got) != 1 || fmt.Sprint(store.got[0]) != fmt.Sprint(want) {
		t.Fatalf("stored %+v, want [%+v]", store.got, want)
	}

	store.err = errors.New("full")
	if err := b.SaveFeedback(ctx, f); !errors.Is(err, store.err) {
		t.Errorf("SaveFeedback error = %v, want it to wrap %v", err, store.err)
	}

	nilStore := mustBot(t, &fakeSearcher{}, Options{})
	if err := nilStore.SaveFeedback(ctx, f); err != nil {
		t.Errorf("SaveFeedback without a store = %v, want nil", err)
	}
}

// TestHandleConcurrent is meant for -race: many goroutines share one Bot,
// one Dedup and one Threads.
func TestHandleConcurrent(t *testing.T) {
	b := mustBot(t, mustIndex(t, testArticles), Options{})
	dedup := NewDedup(time.Hour, nil)
	threads := NewThreads(time.Hour, 100, nil)
	questions := []struct {
		text string
		kind Kind
	}{
		{"what did Liang deny?", KindAnswer},
		{"what happened to the harbour bridge yesterday?", KindAnswer},
		{"stats", KindStats},
		{"what did the Martian ambassador announce?", KindAbstained},
	}
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Go(func() {
			for i, q := range questions {
				key := fmt.Sprint("C1/", g%4, "/", i)
				dedup.Seen(key)
				threads.Mark(key)
				threads.Active(key)
				r := b.Handle(context.Background(), Message{Platform: "slack", User: fmt.Sprint("U", g), Text: q.text})
				if r.Kind != q.kind {
					t.Errorf("%q: Kind = %v, want %v", q.text, r.Kind, q.kind)
				}
			}
		})
	}
	wg.Wait()
}

func TestKindString(t *testing.T) {
	if got := KindRateLimited.String(); got != "rate-limited" {
		t.Errorf("KindRateLimited.String() = %q", got)
	}
	if got := Kind(99).String(); got != "Kind(99)" {
		t.Errorf("Kind(99).String() = %q", got)
	}
}

func TestHandlePanic(t *testing.T) {
	s := &fakeSearcher{search: func(context.Context, retrieval.Query) ([]retrieval.Hit, error) { panic("bad paragraph") }}
	b := mustBot(t, s, Options{})
	if r := b.Handle(context.Background(), Message{Text: "what did Liang deny?"}); r.Kind != KindError || r.Text != errorText {
		t.Fatalf("Handle after a panic = %v %q, want %v %q", r.Kind, r.Text, KindError, errorText)
	}
}

// TestAddressed checks that the bot's name is taken out where a message
// addresses the bot by it, and left where it is a word of the question.
func TestAddressed(t *testing.T) {
	for _, tt := range []struct{ name, text, want string }{
		{"byline", "byline, what did Liang deny?", "what did Liang deny?"},
		{"byline", "Hey @Byline what did Liang deny?", "what did Liang deny?"},
		{"byline", "ok byline: what did Liang deny?", "what did Liang deny?"},
		{"byline", "what did Liang deny, byline?", "what did Liang deny?"},
		{"byline", "byline", ""},
		{"byline", "whose byline is on the story?", "whose byline is on the story?"},
		{"byline", "bylines of the week?", "bylines of the week?"},
		{"News Bot", "news bot, any news today?", "any news today?"},
		{"", "byline, what did Liang deny?", "byline, what did Liang deny?"},
	} {
		got := addressed(Message{Text: tt.text, BotName: tt.name}).Text
		if clean(got) != tt.want {
			t.Errorf("addressed(%q, name %q) = %q, want %q", tt.text, tt.name, got, tt.want)
		}
	}
}
