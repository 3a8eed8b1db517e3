// Package storetest is the conformance suite of byline's storage
// backends: Run runs the same tests against any of them, given a way to
// make fresh databases and open them (litestream's manner). Every
// backend's own tests call it, so SQLite and PostgreSQL keep one
// contract: indexing and replacing, ranking, time filters, neighbours,
// syndicated copies, vectors, chat state, feedback, feeds, claims and
// leases, and what two handles on one database see of each other.
package storetest

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/byline-news/byline/retrieval"
	"github.com/byline-news/byline/retrieval/engine"
)

// Store is the contract the suite checks: everything byline asks of a
// database. *sqlite.Index and *postgres.Index implement it.
type Store interface {
	Put(ctx context.Context, articles []retrieval.Article) (retrieval.PutResult, error)
	Begin(ctx context.Context) (*engine.Writer, error)
	Search(ctx context.Context, q retrieval.Query) ([]retrieval.Hit, error)
	Delete(ctx context.Context, id string) error
	Remove(ctx context.Context, ref string) ([]retrieval.Article, error)
	DeleteOlder(ctx context.Context, cutoff time.Time, limit int) (int, error)
	Generation(ctx context.Context) (int64, error)
	Stats(ctx context.Context) (retrieval.Stats, error)
	Count(ctx context.Context) (int, error)
	Size(ctx context.Context) (retrieval.Stats, error)
	Provisional(ctx context.Context) (int, error)
	Pristine(ctx context.Context) (bool, error)
	Rarity(ctx context.Context, terms []string) (map[string]float64, error)
	Correct(ctx context.Context, words []string) (map[string]string, error)
	Recent(ctx context.Context, since, until time.Time, n int) ([]retrieval.Hit, error)
	RecentIn(ctx context.Context, scope retrieval.Scope, since, until time.Time, n int) ([]retrieval.Hit, error)
	Sources(ctx context.Context) (retrieval.Scope, error)
	List(ctx context.Context, fn func(a retrieval.Article, paragraphs int) error) error
	Article(ctx context.Context, id string) (retrieval.Article, error)
	ArticleByURL(ctx context.Context, link string) (retrieval.Article, error)

	Embed(ctx context.Context, e engine.Embedder, opt engine.EmbedOptions) (engine.EmbedResult, error)
	PruneEmbeddings(ctx context.Context, keepModel string) (int, error)
	EmbeddingStats(ctx context.Context, model string) (vectors, missing int, err error)
	LoadVectors(ctx context.Context, model string) (int, error)
	SetVectorFormat(f engine.VectorFormat)

	LoadState(ctx context.Context, ns, key string, now time.Time) (value []byte, expires time.Time, ok bool, err error)
	SaveStates(ctx context.Context, entries []retrieval.ChatState) error
	SaveFeedback(ctx context.Context, f retrieval.Feedback) error
	ListFeedback(ctx context.Context, fn func(retrieval.Feedback) error) error

	AddFeed(ctx context.Context, url string, every time.Duration, now time.Time) error
	RemoveFeed(ctx context.Context, url string) error
	Feeds(ctx context.Context) ([]retrieval.FeedState, error)
	DueFeeds(ctx context.Context, now time.Time) ([]retrieval.FeedState, error)
	Feed(ctx context.Context, url string) (retrieval.FeedState, error)
	SaveFeedState(ctx context.Context, f retrieval.FeedState) error

	AddChannelSource(ctx context.Context, ch retrieval.ChannelKey, kind retrieval.SourceKind, value string, now time.Time) (bool, error)
	RemoveChannelSource(ctx context.Context, ch retrieval.ChannelKey, kind retrieval.SourceKind, value string) (bool, error)
	ResetChannelSources(ctx context.Context, ch retrieval.ChannelKey) (int, error)
	ChannelSources(ctx context.Context, ch retrieval.ChannelKey) (retrieval.Scope, error)

	Claim(ctx context.Context, ns, key string, now, expires time.Time) (bool, error)
	Lease(ctx context.Context, name, holder string, now, expires time.Time) (bool, error)
	ReleaseLease(ctx context.Context, name, holder string) error

	SaveBriefing(ctx context.Context, b retrieval.Briefing) error
	DeleteBriefing(ctx context.Context, platform, workspace, channel string) error
	Briefing(ctx context.Context, platform, workspace, channel string) (retrieval.Briefing, error)
	DueBriefings(ctx context.Context, now time.Time) ([]retrieval.Briefing, error)
	AdvanceBriefing(ctx context.Context, b retrieval.Briefing, next time.Time) (bool, error)
	WatchStore

	Close() error
}

// Options are what a test may ask of a handle; a backend maps them to its
// own options.
type Options struct {
	Params engine.Params
	Now    func() time.Time // nil: the suite's fixed clock
	// ReadOnly opens without writing (or migrating) anything.
	ReadOnly bool
	// LockTimeout bounds how long an index call waits for another
	// writer; 0 means the backend's default.
	LockTimeout time.Duration
}

// Backend makes and opens the databases of the suite's tests.
type Backend struct {
	// Fresh returns the address of an empty database for t, removed or
	// emptied when t ends; it may have byline's tables (emptied) already.
	// It may be called at the same time by parallel tests.
	Fresh func(t testing.TB) string
	// Blank returns the address of a database with nothing in it yet, for
	// the tests of creating one; nil means Fresh, which must then be so.
	Blank func(t testing.TB) string
	// Open opens the database at addr, creating and migrating it unless
	// opt.ReadOnly. The suite closes what it opens.
	Open func(ctx context.Context, addr string, opt Options) (Store, error)
	// QueryInt runs a query written in SQL that both backends accept,
	// returning one integer: the suite's view of a table's contents.
	QueryInt func(t testing.TB, addr, query string) int64
	// Exec runs statements written in SQL that both backends accept on
	// the database at addr, closed meanwhile: the suite makes the
	// database an older byline left.
	Exec func(t testing.TB, addr, statements string)
	// Parallel runs the tests in parallel: for a server, whose time goes
	// mostly in waiting for it.
	Parallel bool
}

// Clock is the suite's fixed time: no test depends on the wall clock.
var Clock = time.Date(2026, 11, 20, 9, 0, 0, 0, time.UTC)

// Run runs the conformance suite against b.
func Run(t *testing.T, b Backend) {
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if b.Parallel {
				t.Parallel()
			}
			tc.fn(t, b)
		})
	}
}

type testCase struct {
	name string
	fn   func(t *testing.T, b Backend)
}

func (b Backend) blank(t testing.TB) string {
	if b.Blank != nil {
		return b.Blank(t)
	}
	return b.Fresh(t)
}

// open opens a fresh database with the suite's clock.
func (b Backend) open(t testing.TB) Store {
	t.Helper()
	return b.openAt(t, b.Fresh(t), Options{})
}

// openAt opens the database at addr and closes it when the test ends.
func (b Backend) openAt(t testing.TB, addr string, opt Options) Store {
	t.Helper()
	if opt.Now == nil {
		opt.Now = func() time.Time { return Clock }
	}
	s, err := b.Open(context.Background(), addr, opt)
	if err != nil {
		t.Fatalf("Open(%s): %v", addr, err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// MustPut indexes articles and fails the test on error.
func MustPut(t testing.TB, s Store, articles ...retrieval.Article) retrieval.PutResult {
	t.Helper()
	res, err := s.Put(context.Background(), articles)
	if err != nil {
		t.Fatalf("Put: %v", err)
	}
	return res
}

// MustSearch runs a query and fails the test on error.
func MustSearch(t testing.TB, s Store, q retrieval.Query) []retrieval.Hit {
	t.Helper()
	hits, err := s.Search(context.Background(), q)
	if err != nil {
		t.Fatalf("Search(%q): %v", q.Text, err)
	}
	return hits
}

// MustStats returns the store's statistics.
func MustStats(t testing.TB, s Store) retrieval.Stats {
	t.Helper()
	st, err := s.Stats(context.Background())
	if err != nil {
		t.Fatalf("Stats: %v", err)
	}
	return st
}

// HitIDs renders hits as "id#paragraph" for failure messages and comparisons.
func HitIDs(hits []retrieval.Hit) []string {
	out := make([]string, len(hits))
	for i, h := range hits {
		out[i] = fmt.Sprintf("%s#%d", h.Article.ID, h.Paragraph)
	}
	return out
}

func hitIDs(hits []retrieval.Hit) []string { return HitIDs(hits) }

// containsID reports whether any hit comes from article id.
func containsID(hits []retrieval.Hit, id string) bool {
	for _, h := range hits {
		if h.Article.ID == id {
			return true
		}
	}
	return false
}

func date(y int, m time.Month, d int) time.Time {
	return time.Date(y, m, d, 12, 0, 0, 0, time.UTC)
}

// SchemaName turns a test's name into a short, distinct SQL identifier
// fragment (lower case letters, digits and underscores), for backends
// that make a database or schema per test.
func SchemaName(t testing.TB) string {
	var b strings.Builder
	for _, r := range strings.ToLower(t.Name()) {
		switch {
		case r >= 'a' && r <= 'z', r >= '0' && r <= '9':
			b.WriteRune(r)
		default:
			b.WriteByte('_')
		}
	}
	s := b.String()
	if len(s) > 40 {
		s = s[len(s)-40:]
	}
	return s
}
