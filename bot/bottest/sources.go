package bottest

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"

	"github.com/byline-news/byline/retrieval"
)

// Sources is an in-memory bot.Sources for the adapters' tests: AddURL
// "fetches" from Pages, feeds are kept in a set, and every call that
// reached it is recorded.
type Sources struct {
	Pages map[string]retrieval.Article // fetchable pages by URL

	mu    sync.Mutex
	feeds map[string]bool
	calls []string // "add URL", "feeds add URL", …
}

// Calls returns the calls received, such as "add https://…", in order.
func (s *Sources) Calls() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.calls)
}

func (s *Sources) record(c string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.calls = append(s.calls, c)
	if s.feeds == nil {
		s.feeds = map[string]bool{}
	}
}

// AddURL implements bot.Sources.
func (s *Sources) AddURL(_ context.Context, url string) (retrieval.Article, error) {
	s.record("add " + url)
	a, ok := s.Pages[url]
	if !ok {
		return retrieval.Article{}, fmt.Errorf("%s: the server answered 404 Not Found", url)
	}
	return a, nil
}

// AddFeed implements bot.Sources.
func (s *Sources) AddFeed(_ context.Context, url string) (string, error) {
	s.record("feeds add " + url)
	s.mu.Lock()
	defer s.mu.Unlock()
	s.feeds[url] = true
	return "Subscribed to " + url + ", polled every 15m.", nil
}

// RemoveFeed implements bot.Sources.
func (s *Sources) RemoveFeed(_ context.Context, url string) error {
	s.record("feeds remove " + url)
	s.mu.Lock()
	defer s.mu.Unlock()
	if !s.feeds[url] {
		return errors.New("not subscribed")
	}
	delete(s.feeds, url)
	return nil
}

// ListFeeds implements bot.Sources.
func (s *Sources) ListFeeds(context.Context) ([]string, error) {
	s.record("feeds list")
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []string
	for u := range s.feeds {
		out = append(out, u)
	}
	slices.Sort(out)
	return out, nil
}
