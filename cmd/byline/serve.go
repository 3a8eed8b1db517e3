package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/http"
	"sync"
	"time"

	"github.com/byline-news/byline/bot"
	"github.com/byline-news/byline/bot/discord"
	"github.com/byline-news/byline/bot/slack"
	"github.com/byline-news/byline/config"
	"github.com/byline-news/byline/retrieval"
)

// shutdownGrace bounds how long answers in flight may take to finish
// after SIGINT/SIGTERM.
const shutdownGrace = 10 * time.Second

// platform is a chat adapter run by serve.
type platform interface {
	Run(ctx context.Context) error
	Ready() bool
}

func runServe(ctx context.Context, a *app, args []string) error {
	var db string
	fs := a.flags("serve", "", `
Serves every configured chat platform from one database, plus an HTTP
listener (BYLINE_HTTP_ADDR, default :8080) with /healthz (liveness),
/readyz (database reachable and platforms connected) and /metrics
(Prometheus: replies, abstentions, feedback, reply times, index size,
feed polls, model calls and tokens, Go and process metrics). Set
BYLINE_METRICS_ADDR (e.g. 127.0.0.1:9090) to serve /metrics on that
address instead, off the public listener.

`+defaultLimits.help()+`

The database (--db, else BYLINE_DATABASE_URL, else BYLINE_DB, else the
default file) is created when missing; serve never adds the sample
articles. Several serve processes (replicas) may share one PostgreSQL
database: each message, command and click is answered by one of them,
and each feed polled by one at a time (see the README's PostgreSQL
section). Articles come from byline index and add, and from subscribed
feeds (byline feeds add), polled on their schedules.

Slack: set SLACK_BOT_TOKEN (xoxb-…) and either SLACK_APP_TOKEN (xapp-…,
Socket Mode: no public URL needed) or SLACK_SIGNING_SECRET (HTTP mode:
Slack posts to /slack/events, /slack/commands and /slack/interactions on
the listener). SLACK_API_URL points the Web API elsewhere (a proxy). See
the README's Slack section for creating the app.

Discord: set DISCORD_BOT_TOKEN (gateway: /news and @mentions), and/or
DISCORD_PUBLIC_KEY with DISCORD_APP_ID (HTTP interactions at
/discord/interactions on the listener). DISCORD_GUILD_ID registers /news
in one server only (instant, for testing); DISCORD_API_URL points REST
and the gateway elsewhere (a proxy). See the README's Discord section.

Admins (SLACK_ADMINS; DISCORD_ADMINS and members with Manage Server) may
add articles and feeds from chat: /news add URL, /news feeds add|list|remove,
and delete one: /news delete ID-or-URL. They also choose what a channel
answers from: /news sources add OUTLET|FEED_URL|CATEGORY, /news sources
remove …, /news sources reset (anyone may look: /news sources); questions,
watches and briefings in that channel then use only those sources.

Anyone may ask for a briefing, /news brief [topic] (the top stories of
the last 24 hours), or schedule the channel's daily one: /news brief
daily 08:00 Europe/London [topic] (any IANA time zone), /news brief off.
Of several replicas, one posts each.

BYLINE_RETAIN (e.g. 365d) deletes articles published longer ago than
that (undated ones: indexed), checked hourly, with a log line and the
byline_retention_deleted_articles_total metric.

Anyone may watch a topic in a channel: /news watch ukraine grain. Each
new article that matches it, whatever indexed it, is posted there once
(syndicated copies too), at most BYLINE_WATCH_RATE posts a channel an
hour (default 6), the rest in one digest; /news watches lists a
channel's watches and /news unwatch N stops one. With replicas, one at a
time runs the watch loop.

SIGINT or SIGTERM stops taking new questions and lets answers in flight
finish (up to 10 s); a second signal exits at once.`)
	fs.StringVar(&db, "db", "", "database `file` (created if missing), or postgres:// URL")
	if _, err := parse(fs, args); err != nil {
		return err
	}
	ix, err := a.serveIndex(ctx, db)
	if err != nil {
		return err
	}
	defer ix.Close()
	feeds := newFeedMetrics()
	c := a.crawler(ix, feeds.observe)
	opt, err := a.botOptions(ix)
	if err != nil {
		return err
	}
	opt.Feedback, opt.Sources = feedbackStore{ix}, chatSources{crawler: c, ix: ix}
	opt.Briefings, opt.Deleter = ix, ix
	opt.Watches, opt.WatchRate = ix, a.cfg.WatchRate
	b, err := bot.New(opt)
	if err != nil {
		return err
	}
	mux := http.NewServeMux()
	state := bot.NewStateWriter(chatStateStore{ix}, a.log)
	platforms, err := a.platforms(b, mux, state, sharedClaims(ix))
	if err != nil {
		return err
	}
	tasks := map[string]func(context.Context) error{
		"feeds":  c.Run,
		"embeds": func(ctx context.Context) error { return a.embedLoop(ctx, ix) },
	}
	posters := postersOf(platforms)
	brief, err := a.briefings(b, ix, posters)
	if err != nil {
		return err
	}
	tasks["briefings"] = brief.Run
	watcher, err := a.watcher(b, ix, posters)
	if err != nil {
		return err
	}
	tasks["watches"] = watcher.Run
	ret := newRetention(ix, a.cfg.Retain, a.leaseHolder(), a.log)
	if a.cfg.Retain > 0 {
		tasks["retention"] = ret.run
	}
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, r *http.Request) { fmt.Fprintln(w, "ok") })
	mux.Handle("GET /readyz", readyHandler(&dbProbe{ix: ix, log: a.log}, platforms))
	reg := newRegistry(b, a.llm, ix, feeds)
	reg.MustRegister(ret.deleted, brief, watcher)
	listeners, err := a.listeners(mux, metricsHandler(reg, a.log))
	if err != nil {
		return err
	}
	return a.serve(ctx, listeners, platforms, tasks, state.Run)
}

// serveIndex opens serve's database, creating and migrating it when
// missing, so that a deployment fed only by feeds can start empty. It
// never adds the sample articles: they would answer real users.
func (a *app) serveIndex(ctx context.Context, flagDB string) (store, error) {
	path, _ := a.dbPath(flagDB)
	ix, err := a.openIndex(ctx, path, true)
	if err != nil {
		return nil, err
	}
	n, err := ix.Count(ctx)
	if err != nil {
		ix.Close()
		return nil, err
	}
	if n == 0 {
		a.log.Warn("the index is empty: questions get \"I couldn't find that\" until articles are indexed (byline index, byline add, byline feeds add)", "db", displayDB(path))
	}
	return ix, nil
}

// Answer deadlines in chat. Both platforms accept a late answer once the
// question is acknowledged (Slack's response_url for 30 minutes,
// Discord's interaction token for 15), but a user waits: extractive
// answers take milliseconds, and a model gets this long, streaming.
const (
	chatAnswerTimeout = 20 * time.Second
	answerMargin      = 2 * time.Second // search and the fallback, beyond the model's own timeout
)

// botOptions wires the model endpoint into the bot: generated answers
// when a chat model is configured, hybrid search when an embedding
// model is.
func (a *app) botOptions(ix store) (bot.Options, error) {
	s, err := a.searcherFor(ix, false)
	if err != nil {
		return bot.Options{}, err
	}
	opt := bot.Options{Searcher: s, Logger: a.log, Scopes: ix}
	gen, err := a.generatorFor()
	if err != nil || gen == nil {
		return opt, err
	}
	opt.Generator, opt.ContextTokens = gen, a.cfg.LLM.ChatContext
	opt.AnswerTimeout = chatAnswerTimeout
	if t := a.cfg.LLM.Timeout; t > 0 {
		opt.AnswerTimeout = t + answerMargin
	}
	return opt, nil
}

// platforms builds the configured chat adapters, keeping their threads
// and buttons through state, and claiming deliveries in claims (nil: in
// memory only).
func (a *app) platforms(b *bot.Bot, mux *http.ServeMux, state *bot.StateWriter, claims bot.Claims) (map[string]platform, error) {
	out := map[string]platform{}
	if s := a.cfg.Slack; s.Enabled() {
		ad, err := slack.New(b, slack.Options{BotToken: s.BotToken, AppToken: s.AppToken, SigningSecret: s.SigningSecret,
			APIURL: s.APIURL, Command: s.Command, Admins: s.Admins, Ephemeral: !s.Public, EphemeralSet: true,
			Logger: a.log, State: state, Claims: claims})
		if err != nil {
			return nil, fmt.Errorf("slack: %w", err)
		}
		if s.AppToken == "" {
			ad.Routes(mux)
		}
		out["slack"] = ad
	}
	if d := a.cfg.Discord; d.Enabled() {
		ad, err := discord.New(b, discord.Options{BotToken: d.BotToken, PublicKey: d.PublicKey, AppID: d.AppID,
			GuildID: d.GuildID, APIBase: d.APIURL, Ephemeral: d.Ephemeral, MessageContent: d.MessageContent,
			ShardID: d.ShardID, ShardCount: d.ShardCount, Admins: d.Admins, Logger: a.log, State: state,
			Settings: discordSettings, Claims: claims})
		if errors.Is(err, discord.ErrWeakPublicKey) {
			return nil, fmt.Errorf("%s: %w", config.VarDiscordPublicKey, err)
		}
		if err != nil {
			return nil, fmt.Errorf("discord: %w", err)
		}
		if d.PublicKey != "" {
			ad.Routes(mux)
		}
		out["discord"] = ad
	}
	if len(out) == 0 {
		a.log.Warn("no chat platform configured; serving only /healthz and /readyz (see byline serve --help)")
	}
	return out, nil
}

// endpoint is one listener and the server that serves it.
type endpoint struct {
	name string // what it serves, for logs
	ln   net.Listener
	srv  *http.Server
}

// listeners opens the public listener for mux and, with
// BYLINE_METRICS_ADDR, a second one for /metrics; otherwise /metrics
// joins mux.
func (a *app) listeners(mux *http.ServeMux, metrics http.Handler) ([]endpoint, error) {
	lim := a.httpLimits()
	if a.cfg.MetricsAddr == "" {
		mux.Handle("GET /metrics", metrics)
	}
	ln, err := listen(a.cfg.HTTPAddr, "BYLINE_HTTP_ADDR", lim)
	if err != nil {
		return nil, err
	}
	out := []endpoint{{"http", ln, newServer(mux, lim, a.log)}}
	if a.cfg.MetricsAddr == "" {
		return out, nil
	}
	mln, err := listen(a.cfg.MetricsAddr, "BYLINE_METRICS_ADDR", lim)
	if err != nil {
		ln.Close()
		return nil, err
	}
	mmux := http.NewServeMux()
	mmux.Handle("GET /metrics", metrics)
	return append(out, endpoint{"metrics", mln, newServer(mmux, lim, a.log)}), nil
}

// httpLimits are the listeners' limits: defaultLimits unless a test
// set others.
func (a *app) httpLimits() httpLimits {
	if a.limits != nil {
		return *a.limits
	}
	return defaultLimits
}

// serve runs the listeners, the platforms and tasks until ctx is done or
// one of them fails, then shuts down within shutdownGrace. state (the
// chat state's writer) runs until the platforms have returned, so that
// answers finishing during the shutdown still save their threads and
// buttons before the database closes.
func (a *app) serve(ctx context.Context, listeners []endpoint, platforms map[string]platform, tasks map[string]func(context.Context) error,
	state func(context.Context) error) error {
	for _, e := range listeners {
		a.log.Info("serving", "addr", e.ln.Addr().String(), "serves", e.name, "platforms", len(platforms))
	}
	ctx, stop := context.WithCancel(ctx) // a failure stops the others too
	defer stop()
	errc := make(chan error, len(platforms)+len(tasks)+len(listeners)+1)
	var wg, platformsDone sync.WaitGroup
	start := func(ctx context.Context, name string, run func(context.Context) error) {
		wg.Go(func() {
			if err := run(ctx); err != nil && !errors.Is(err, context.Canceled) {
				errc <- fmt.Errorf("%s: %w", name, err)
			}
		})
	}
	for name, p := range platforms {
		platformsDone.Add(1)
		start(ctx, name, func(ctx context.Context) error { defer platformsDone.Done(); return p.Run(ctx) })
	}
	for name, t := range tasks {
		start(ctx, name, t)
	}
	stateCtx, stopState := context.WithCancel(context.WithoutCancel(ctx))
	go func() { platformsDone.Wait(); stopState() }()
	start(stateCtx, "chat state", state)
	for _, e := range listeners {
		go func() {
			if err := e.srv.Serve(e.ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
				errc <- fmt.Errorf("%s listener: %w", e.name, err)
			}
		}()
	}
	var runErr error
	select {
	case <-ctx.Done():
		a.log.Info("shutting down: finishing answers in flight")
	case runErr = <-errc:
		a.log.Error("stopping", "err", runErr)
		stop()
	}
	return a.shutdown(listeners, &wg, runErr)
}

func (a *app) shutdown(listeners []endpoint, wg *sync.WaitGroup, runErr error) error {
	sctx, cancel := context.WithTimeout(context.Background(), shutdownGrace)
	defer cancel()
	for _, e := range listeners {
		if err := e.srv.Shutdown(sctx); err != nil {
			a.log.Warn("http shutdown", "listener", e.name, "err", err)
		}
	}
	done := make(chan struct{})
	go func() { wg.Wait(); close(done) }()
	select {
	case <-done:
	case <-sctx.Done():
		a.log.Warn("gave up waiting for answers in flight")
	}
	return runErr
}

// readyHandler reports 200 when the database answers and every platform
// is connected, 503 otherwise, with the details as JSON.
func readyHandler(db *dbProbe, platforms map[string]platform) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		status := map[string]string{}
		ok := true
		if status["database"] = db.check(r.Context()); status["database"] != "ok" {
			ok = false
		}
		for name, p := range platforms {
			if p.Ready() {
				status[name] = "connected"
			} else {
				status[name], ok = "not connected", false
			}
		}
		w.Header().Set("Content-Type", "application/json")
		if !ok {
			w.WriteHeader(http.StatusServiceUnavailable)
		}
		json.NewEncoder(w).Encode(status)
	})
}

// chatStateStore keeps the chat adapters' state (threads, answers behind
// buttons) in the index's database. It converts between the packages'
// entry types, which match field for field: neither package imports the
// other.
type chatStateStore struct{ ix store }

func (s chatStateStore) LoadState(ctx context.Context, ns, key string, now time.Time) ([]byte, time.Time, bool, error) {
	return s.ix.LoadState(ctx, ns, key, now)
}

func (s chatStateStore) SaveStates(ctx context.Context, entries []bot.StateEntry) error {
	out := make([]retrieval.ChatState, len(entries))
	for i, e := range entries {
		out[i] = retrieval.ChatState(e)
	}
	return s.ix.SaveStates(ctx, out)
}

// feedbackStore saves the bot's feedback in the index's database.
type feedbackStore struct{ ix store }

func (s feedbackStore) SaveFeedback(ctx context.Context, f bot.Feedback) error {
	return s.ix.SaveFeedback(ctx, retrieval.Feedback{At: f.At, Platform: f.Platform, Workspace: f.Workspace,
		Channel: f.Channel, User: f.User, Question: f.Question, Answer: f.Answer, Sources: f.Sources, Helpful: f.Helpful})
}
