package main

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"sync/atomic"
	"time"

	"github.com/byline-news/byline/bot"
	"github.com/byline-news/byline/config"
	"github.com/byline-news/byline/retrieval"
	"github.com/byline-news/byline/retrieval/engine"
	"github.com/byline-news/byline/retrieval/postgres"
	"github.com/byline-news/byline/retrieval/sqlite"
)

// store is what the commands need of the database: the index and what
// the bot and crawler keep beside it. *sqlite.Index (a file, the
// default) and *postgres.Index (BYLINE_DATABASE_URL or --db
// postgres://…) both provide it; openStore picks one.
type store interface {
	searcher
	Put(ctx context.Context, articles []retrieval.Article) (retrieval.PutResult, error)
	Begin(ctx context.Context) (*engine.Writer, error)
	Delete(ctx context.Context, id string) error
	Remove(ctx context.Context, ref string) ([]retrieval.Article, error)
	DeleteOlder(ctx context.Context, cutoff time.Time, limit int) (int, error)
	Recent(ctx context.Context, since, until time.Time, n int) ([]retrieval.Hit, error)
	List(ctx context.Context, fn func(a retrieval.Article, paragraphs int) error) error
	Article(ctx context.Context, id string) (retrieval.Article, error)
	Generation(ctx context.Context) (int64, error)
	Size(ctx context.Context) (retrieval.Stats, error)
	Provisional(ctx context.Context) (int, error)
	Pristine(ctx context.Context) (bool, error)
	RecentIn(ctx context.Context, scope retrieval.Scope, since, until time.Time, n int) ([]retrieval.Hit, error)
	bot.ScopeStore
	// Rarity, Correct and ArticleByURL are listed so that the hybrid
	// searcher, which embeds a store, offers them to answer.Ask too.
	Rarity(ctx context.Context, terms []string) (map[string]float64, error)
	Correct(ctx context.Context, words []string) (map[string]string, error)
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

	Claim(ctx context.Context, ns, key string, now, expires time.Time) (bool, error)
	Lease(ctx context.Context, name, holder string, now, expires time.Time) (bool, error)
	ReleaseLease(ctx context.Context, name, holder string) error

	SaveBriefing(ctx context.Context, b retrieval.Briefing) error
	DeleteBriefing(ctx context.Context, platform, workspace, channel string) error
	Briefing(ctx context.Context, platform, workspace, channel string) (retrieval.Briefing, error)
	DueBriefings(ctx context.Context, now time.Time) ([]retrieval.Briefing, error)
	AdvanceBriefing(ctx context.Context, b retrieval.Briefing, next time.Time) (bool, error)
	bot.WatchStore
	bot.WatchSource

	Close() error
}

var (
	_ store = (*sqlite.Index)(nil)
	_ store = (*postgres.Index)(nil)
)

// openStore opens the database at location: PostgreSQL for a
// postgres:// URL, else the SQLite file, created (with its directory)
// when create is set.
func openStore(ctx context.Context, location string, create bool) (store, error) {
	if config.IsPostgresURL(location) {
		ix, err := postgres.Open(ctx, location, postgres.Options{Create: create})
		if err != nil {
			return nil, err
		}
		return ix, nil
	}
	ix, err := sqlite.Open(ctx, location, sqlite.Options{Create: create})
	if err != nil {
		return nil, err
	}
	return ix, nil
}

// sharedClaims is where serve's chat adapters claim each delivery
// before answering it: the database, when other replicas may share it
// (PostgreSQL); nil for a SQLite file, which one process serves, so
// that a claim costs no write there.
func sharedClaims(ix store) bot.Claims {
	if _, ok := ix.(*postgres.Index); ok {
		return ix
	}
	return nil
}

// leaseHolder names this app (this process, or each of a test's
// in-process replicas) in the database's leases: the feeds it polls, the
// embedding of new paragraphs.
func (a *app) leaseHolder() string {
	a.holderOnce.Do(func() { a.holder = retrieval.NewHolder() })
	return a.holder
}

// displayDB names a database for messages: a URL without its password.
func displayDB(location string) string {
	if !config.IsPostgresURL(location) {
		return location
	}
	u, err := url.Parse(location)
	if err != nil {
		return "(PostgreSQL)"
	}
	return u.Redacted()
}

// storeName names the database ix for messages: the file, or the
// PostgreSQL schema.
func storeName(ix store) string {
	switch ix := ix.(type) {
	case *sqlite.Index:
		return ix.Path()
	case *postgres.Index:
		return "the PostgreSQL schema " + cmp.Or(ix.Schema(), "public")
	}
	return "the database"
}

// noSource explains a missing SQLite database given to migrate --from.
func noSource(err error, location string) error {
	if errors.Is(err, sqlite.ErrNoDatabase) {
		return fmt.Errorf("no SQLite database at %s: name the file to copy with --from (or BYLINE_DB)", location)
	}
	return err
}

// readyTimeout bounds /readyz's database check: a server cut off by the
// network would otherwise hold the probe until the prober gives up.
const readyTimeout = 2 * time.Second

// dbProbe is /readyz's database check. The probe says only "ok",
// "unreachable" or "failing": the listener is public, and the error
// names the server and user. The error is logged instead, when the
// state changes, not at every probe.
type dbProbe struct {
	ix   store
	log  *slog.Logger
	last atomic.Value // the last state reported, a string
}

func (p *dbProbe) check(ctx context.Context) string {
	ctx, cancel := context.WithTimeout(ctx, readyTimeout)
	defer cancel()
	_, err := p.ix.Count(ctx)
	state := "ok"
	switch {
	case errors.Is(err, retrieval.ErrUnavailable):
		state = "unreachable"
	case err != nil:
		state = "failing"
	}
	if prev, _ := p.last.Swap(state).(string); prev != state {
		if err != nil {
			p.log.Warn("not ready: the database is "+state, "err", err)
		} else if prev != "" {
			p.log.Info("ready: the database answers again")
		}
	}
	return state
}
