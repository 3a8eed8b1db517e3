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
	"github.com/byline-news/byline/llm"
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
/readyz (database open and platforms connected) and /metrics
(Prometheus: replies, reply times, model calls and tokens).

Slack: set SLACK_BOT_TOKEN (xoxb-…) and either SLACK_APP_TOKEN (xapp-…,
Socket Mode: no public URL needed) or SLACK_SIGNING_SECRET (HTTP mode:
Slack posts to /slack/events, /slack/commands and /slack/interactions on
the listener). See the README's Slack section for creating the app.

Discord: set DISCORD_BOT_TOKEN (gateway: /news and @mentions), and/or
DISCORD_PUBLIC_KEY with DISCORD_APP_ID (HTTP interactions at
/discord/interactions on the listener). DISCORD_GUILD_ID registers /news
in one server only (instant, for testing). See the README's Discord
section.

Subscribed feeds (byline feeds add) are polled on their schedules.
Admins (SLACK_ADMINS; DISCORD_ADMINS and members with Manage Server) may
add articles and feeds from chat: /news add URL, /news feeds add|list|remove.

SIGINT or SIGTERM stops taking new questions and lets answers in flight
finish (up to 10 s); a second signal exits at once.`)
	fs.StringVar(&db, "db", "", "database `file`, or postgres:// URL")
	if _, err := parse(fs, args); err != nil {
		return err
	}
	ix, _, err := a.askIndex(ctx, db)
	if err != nil {
		return err
	}
	defer ix.Close()
	c, err := a.crawler(ix)
	if err != nil {
		return err
	}
	opt, err := a.botOptions(ix)
	if err != nil {
		return err
	}
	opt.Feedback, opt.Sources = feedbackStore{ix}, chatSources{crawler: c, ix: ix}
	b, err := bot.New(opt)
	if err != nil {
		return err
	}
	mux := http.NewServeMux()
	state := bot.NewStateWriter(chatStateStore{ix}, a.log)
	platforms, err := a.platforms(b, mux, state)
	if err != nil {
		return err
	}
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, r *http.Request) { fmt.Fprintln(w, "ok") })
	mux.Handle("GET /readyz", readyHandler(ix, platforms))
	mux.Handle("GET /metrics", metricsHandler(b, a.llm))
	return a.serve(ctx, mux, platforms, map[string]func(context.Context) error{
		"feeds":  c.Run,
		"embeds": func(ctx context.Context) error { return a.embedLoop(ctx, ix) },
	}, state.Run)
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
	opt := bot.Options{Searcher: s, Logger: a.log}
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

// metricsHandler serves counters in the Prometheus text format: the
// bot's replies by kind and their latency, and the model endpoint's
// calls, failures, breaker state and token usage when one is configured.
func metricsHandler(b *bot.Bot, c *llm.Client) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain; version=0.0.4; charset=utf-8")
		b.WriteMetrics(w)
		if c != nil {
			c.Metrics().WritePrometheus(w, "byline_llm")
		}
	})
}

// platforms builds the configured chat adapters, keeping their threads
// and buttons through state.
func (a *app) platforms(b *bot.Bot, mux *http.ServeMux, state *bot.StateWriter) (map[string]platform, error) {
	out := map[string]platform{}
	if s := a.cfg.Slack; s.Enabled() {
		ad, err := slack.New(b, slack.Options{BotToken: s.BotToken, AppToken: s.AppToken, SigningSecret: s.SigningSecret,
			APIURL: s.APIURL, Command: s.Command, Admins: s.Admins, Ephemeral: !s.Public, EphemeralSet: true,
			Logger: a.log.With("platform", "slack"), State: state})
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
			GuildID: d.GuildID, Ephemeral: d.Ephemeral, MessageContent: d.MessageContent,
			ShardID: d.ShardID, ShardCount: d.ShardCount, Admins: d.Admins, Logger: a.log, State: state})
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

// serve runs the listener, the platforms and tasks until ctx is done or
// one of them fails, then shuts down within shutdownGrace. state (the
// chat state's writer) runs until the platforms have returned, so that
// answers finishing during the shutdown still save their threads and
// buttons before the database closes.
func (a *app) serve(ctx context.Context, mux *http.ServeMux, platforms map[string]platform, tasks map[string]func(context.Context) error,
	state func(context.Context) error) error {
	ln, err := net.Listen("tcp", a.cfg.HTTPAddr)
	if err != nil {
		return fmt.Errorf("listen on %s (BYLINE_HTTP_ADDR): %w", a.cfg.HTTPAddr, err)
	}
	a.log.Info("serving", "addr", ln.Addr().String(), "platforms", len(platforms))
	srv := &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second}
	ctx, stop := context.WithCancel(ctx) // a failure stops the others too
	defer stop()
	errc := make(chan error, len(platforms)+len(tasks)+2)
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
	go func() {
		if err := srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			errc <- fmt.Errorf("http: %w", err)
		}
	}()
	var runErr error
	select {
	case <-ctx.Done():
		a.log.Info("shutting down: finishing answers in flight")
	case runErr = <-errc:
		a.log.Error("stopping", "err", runErr)
		stop()
	}
	return a.shutdown(srv, &wg, runErr)
}

func (a *app) shutdown(srv *http.Server, wg *sync.WaitGroup, runErr error) error {
	sctx, cancel := context.WithTimeout(context.Background(), shutdownGrace)
	defer cancel()
	if err := srv.Shutdown(sctx); err != nil {
		a.log.Warn("http shutdown", "err", err)
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
func readyHandler(ix store, platforms map[string]platform) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		status := map[string]string{}
		ok := true
		if _, err := ix.Count(r.Context()); err != nil {
			status["database"], ok = err.Error(), false
		} else {
			status["database"] = "ok"
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
