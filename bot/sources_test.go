package bot

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/byline-news/byline/retrieval"
)

// fakeSources keeps pages it can "fetch" and the feeds subscribed, in
// memory, and records what it was asked.
type fakeSources struct {
	mu      sync.Mutex
	pages   map[string]retrieval.Article // fetchable article pages by URL
	feeds   map[string]bool
	indexed []string // URLs indexed, in order
}

func newFakeSources() *fakeSources {
	return &fakeSources{
		pages: map[string]retrieval.Article{
			"https://example.com/a?id=1&src=x": {
				URL: "https://example.com/a?id=1&src=x", Title: "Harbour bridge reopens", Outlet: "Test Gazette",
				Published: date(2012, 5, 7, 10), Paragraphs: []string{"One.", "Two.", "Three."},
			},
		},
		feeds: map[string]bool{},
	}
}

func (f *fakeSources) AddURL(_ context.Context, u string) (retrieval.Article, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	a, ok := f.pages[u]
	if !ok {
		return retrieval.Article{}, fmt.Errorf("%s: the server answered 404 Not Found", u)
	}
	f.indexed = append(f.indexed, u)
	return a, nil
}

func (f *fakeSources) AddFeed(_ context.Context, u string) (string, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.feeds[u] = true
	return "Subscribed to " + u + ": 3 items, 3 indexed", nil
}

func (f *fakeSources) RemoveFeed(_ context.Context, u string) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	if !f.feeds[u] {
		return errors.New("no such feed")
	}
	delete(f.feeds, u)
	return nil
}

func (f *fakeSources) ListFeeds(context.Context) ([]string, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	var out []string
	for u := range f.feeds {
		out = append(out, u+" · every 15m · ok")
	}
	slices.Sort(out)
	return out, nil
}

func TestSourcesCommands(t *testing.T) {
	src := newFakeSources()
	b := mustBot(t, mustIndex(t, testArticles), Options{RatePerUser: -1, Sources: src})
	const page = "https://example.com/a?id=1&src=x"
	const feed = "https://example.com/rss.xml"
	steps := []struct {
		name  string
		text  string
		admin bool
		kind  Kind
		want  string // the whole Reply.Text, or a prefix when it ends in "…"
	}{
		{"non-admin add", "add " + page, false, KindRejected, notAdminText},
		{"non-admin feeds list", "feeds list", false, KindRejected, notAdminText},
		{"admin add", "add " + page, true, KindAdmin,
			"Indexed “Harbour bridge reopens” · Test Gazette · as of 7 May 2012 · 3 paragraphs"},
		{"Slack-wrapped with label, upper case", "ADD <https://example.com/a?id=1&amp;src=x|example.com/a>", true, KindAdmin, "Indexed “Harbour bridge reopens”…"},
		{"Slack-wrapped bare", "<@U0BOT> add <" + page + ">", true, KindAdmin, "Indexed “Harbour bridge reopens”…"},
		{"fetch error kept", "add https://example.com/missing", true, KindAdmin,
			"Couldn't add https://example.com/missing: https://example.com/missing: the server answered 404 Not Found"},
		{"not a URL", "add ftp://example.com/x", true, KindAdmin, "Couldn't add ftp://example.com/x: not an http(s) URL"},
		{"feeds list empty", "feeds list", true, KindAdmin, noFeedsText},
		{"feeds add", "Feeds Add <" + feed + ">", true, KindAdmin, "Subscribed to " + feed + ": 3 items, 3 indexed"},
		{"feeds list", "feeds LIST", true, KindAdmin, feed + " · every 15m · ok"},
		{"feeds remove", "feeds remove " + feed, true, KindAdmin, "Unsubscribed from " + feed + ". Articles already indexed stay."},
		{"feeds remove unknown", "feeds remove " + feed, true, KindAdmin, "Couldn't remove " + feed + ": no such feed"},
		{"feeds without URL", "feeds add", true, KindRejected, sourcesUsageText},
		{"feeds alone", "feeds", true, KindRejected, sourcesUsageText},
		{"a question starting with add is a question", "add up the bridge repairs?", true, KindAnswer, "…"},
	}
	for _, s := range steps {
		r := b.Handle(context.Background(), Message{Platform: "slack", User: "U1", Text: s.text, Admin: s.admin})
		prefix, partial := strings.CutSuffix(s.want, "…")
		if r.Kind != s.kind || (partial && !strings.HasPrefix(r.Text, prefix)) || (!partial && r.Text != s.want) {
			t.Errorf("%s: %q → %v %q, want %v %q", s.name, s.text, r.Kind, r.Text, s.kind, s.want)
		}
	}
	if want := []string{page, page, page}; !slices.Equal(src.indexed, want) {
		t.Errorf("indexed %q, want %q (non-admins never reach Sources)", src.indexed, want)
	}
}

func TestSourcesNotEnabled(t *testing.T) {
	b := mustBot(t, mustIndex(t, testArticles), Options{RatePerUser: -1})
	for _, text := range []string{"add https://example.com/a", "feeds list"} {
		r := b.Handle(context.Background(), Message{Text: text, Admin: true})
		if r.Kind != KindRejected || r.Text != sourcesOffText {
			t.Errorf("%q without Sources → %v %q, want %v %q", text, r.Kind, r.Text, KindRejected, sourcesOffText)
		}
	}
	if r := b.Handle(context.Background(), Message{Text: "help"}); strings.Contains(r.Text, "feeds add") {
		t.Errorf("help mentions the admin commands without Sources: %q", r.Text)
	}
}

func TestSourcesHelpAndRateLimit(t *testing.T) {
	b := mustBot(t, mustIndex(t, testArticles), Options{RatePerUser: 2, Sources: newFakeSources()})
	if r := b.Handle(context.Background(), Message{Text: "help"}); !strings.Contains(r.Text, "feeds add <url>") || !strings.Contains(r.Text, "Admins") {
		t.Errorf("help = %q, want the admin commands mentioned", r.Text)
	}
	m := Message{Platform: "slack", User: "U1", Text: "feeds list", Admin: true}
	for i := range 2 {
		if r := b.Handle(context.Background(), m); r.Kind != KindAdmin {
			t.Fatalf("command %d: %v %q, want it run", i+1, r.Kind, r.Text)
		}
	}
	if r := b.Handle(context.Background(), m); r.Kind != KindRateLimited {
		t.Errorf("third command in a minute: %v, want rate-limited like a question", r.Kind)
	}
}
