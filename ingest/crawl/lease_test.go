package crawl

import (
	"context"
	"fmt"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/byline-news/byline/ingest/fetch"
	"github.com/byline-news/byline/retrieval/postgres"
	"github.com/byline-news/byline/retrieval/postgres/pgtest"
	"github.com/byline-news/byline/retrieval/sqlite"
)

// leaseStore is what a replica's crawler is given: both backends.
type leaseStore interface {
	Store
	Leases
	AddFeed(ctx context.Context, url string, every time.Duration, now time.Time) error
	Count(ctx context.Context) (int, error)
	Close() error
}

// backends open handles on one database, as separate processes would.
var backends = []struct {
	name string
	open func(t *testing.T) func() leaseStore
}{
	{"sqlite", func(t *testing.T) func() leaseStore {
		path := filepath.Join(t.TempDir(), "shared.db")
		return func() leaseStore {
			ix, err := sqlite.Open(context.Background(), path, sqlite.Options{Create: true})
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { ix.Close() })
			return ix
		}
	}},
	{"postgres", func(t *testing.T) func() leaseStore {
		url := pgtest.URL(t)
		return func() leaseStore {
			ix, err := postgres.Open(context.Background(), url+"&pool_max_conns=4", postgres.Options{Create: true})
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { ix.Close() })
			return ix
		}
	}},
}

// TestReplicasPollEachFeedOnce: three crawlers over one database, each
// with its own handle, poll the same due feeds at once, twice over; each
// feed and each page is fetched once per due poll, and each article
// indexed once.
func TestReplicasPollEachFeedOnce(t *testing.T) {
	for _, be := range backends {
		t.Run(be.name, func(t *testing.T) {
			ctx := context.Background()
			open := be.open(t)
			s := newSite(t)
			now := time.Date(2026, 11, 26, 9, 0, 0, 0, time.UTC)
			var mu sync.Mutex
			clock := func() time.Time { mu.Lock(); defer mu.Unlock(); return now }
			const feeds = 4
			seed := open()
			for i := range feeds {
				path := fmt.Sprintf("/story%d", i)
				s.set(path, page(fmt.Sprintf("Harbour story %d", i), "2026-11-25T08:00:00Z", ferryA+fmt.Sprint(" Story ", i), ferryB))
				s.set(fmt.Sprintf("/feed%d.xml", i), rss(item("Story", s.srv.URL+path, "Wed, 25 Nov 2026 08:00:00 GMT")))
				if err := seed.AddFeed(ctx, s.srv.URL+fmt.Sprintf("/feed%d.xml", i), 10*time.Minute, now); err != nil {
					t.Fatal(err)
				}
			}
			var crawlers []*Crawler
			for i := range 3 {
				ix := open()
				fetcher := fetch.New(fetch.Options{Allow: []string{"127.0.0.1"}, PerHostInterval: -1, Timeout: 5 * time.Second})
				crawlers = append(crawlers, New(Options{Index: ix, Fetcher: fetcher, Now: clock, Leases: ix, Holder: fmt.Sprint("replica-", i)}))
			}
			for round := 1; round <= 2; round++ {
				polled := pollAll(t, crawlers)
				if polled != feeds {
					t.Errorf("round %d: %d polls over all replicas, want %d (one per feed)", round, polled, feeds)
				}
				for i := range feeds {
					if n := s.count(fmt.Sprintf("/feed%d.xml", i)); n != round {
						t.Errorf("round %d: feed %d fetched %d times, want %d", round, i, n, round)
					}
					if n := s.count(fmt.Sprintf("/story%d", i)); n != 1 {
						t.Errorf("round %d: story %d fetched %d times, want once", round, i, n)
					}
				}
				mu.Lock()
				now = now.Add(time.Hour) // every feed due again (its ETag makes it a 304)
				mu.Unlock()
			}
			if n, err := seed.Count(ctx); err != nil || n != feeds {
				t.Errorf("%d articles, %v; want %d, each once", n, err, feeds)
			}
		})
	}
}

// pollAll runs PollDue in every crawler at once and counts the polls.
func pollAll(t *testing.T, crawlers []*Crawler) int {
	t.Helper()
	var wg sync.WaitGroup
	var mu sync.Mutex
	polled := 0
	start := make(chan struct{})
	for _, c := range crawlers {
		wg.Go(func() {
			<-start
			res, err := c.PollDue(context.Background())
			if err != nil {
				t.Errorf("PollDue: %v", err)
			}
			for _, r := range res {
				if r.Err != nil {
					t.Errorf("poll %s: %v", r.Feed, r.Err)
				}
			}
			mu.Lock()
			polled += len(res)
			mu.Unlock()
		})
	}
	close(start)
	wg.Wait()
	return polled
}

// TestLeaseHeldAndStaleDueList: a feed whose lease another process holds
// is skipped until that lease expires (its holder died); and one found
// due but polled by another process since is not fetched again.
func TestLeaseHeldAndStaleDueList(t *testing.T) {
	for _, be := range backends {
		t.Run(be.name, func(t *testing.T) {
			ctx := context.Background()
			open := be.open(t)
			s := newSite(t)
			s.set("/kiln", page("Medieval kiln found in Marsh Lane", "2026-11-25T10:00:00Z", kilnA, kilnB))
			s.set("/rss.xml", rss(item("Kiln", s.srv.URL+"/kiln", "Wed, 25 Nov 2026 10:00:00 GMT")))
			now := time.Date(2026, 11, 26, 9, 0, 0, 0, time.UTC)
			clock := func() time.Time { return now }
			ix := open()
			feed := s.srv.URL + "/rss.xml"
			if err := ix.AddFeed(ctx, feed, 10*time.Minute, now); err != nil {
				t.Fatal(err)
			}
			fetcher := fetch.New(fetch.Options{Allow: []string{"127.0.0.1"}, PerHostInterval: -1, Timeout: 5 * time.Second})
			c := New(Options{Index: ix, Fetcher: fetcher, Now: clock, Leases: ix, Holder: "alive"})

			dead := open() // a replica that took the lease and died
			if ok, err := dead.Lease(ctx, leaseName(feed), "dead", now, now.Add(leaseTTL)); !ok || err != nil {
				t.Fatalf("Lease = %v, %v", ok, err)
			}
			if res, err := c.PollDue(ctx); err != nil || len(res) != 0 || s.count("/rss.xml") != 0 {
				t.Fatalf("PollDue while another holds the lease = %+v, %v, %d fetches; want it skipped", res, err, s.count("/rss.xml"))
			}
			now = now.Add(leaseTTL)
			if res, err := c.PollDue(ctx); err != nil || len(res) != 1 || res[0].Indexed != 1 {
				t.Fatalf("PollDue after the lease expired = %+v, %v; want the feed polled", res, err)
			}
			// The lease was handed back: the dead replica's successor
			// takes it at once, finds the feed polled, and fetches nothing.
			other := New(Options{Index: dead, Fetcher: fetcher, Now: clock, Leases: dead, Holder: "successor"})
			if res, ok := other.pollLeased(ctx, feed); ok {
				t.Errorf("a feed polled meanwhile was polled again: %+v", res)
			}
			if n := s.count("/rss.xml"); n != 1 {
				t.Errorf("feed fetched %d times, want once", n)
			}
		})
	}
}
