// Package slack connects byline to Slack. It receives mentions, direct
// messages, thread follow-ups, the /news slash command and button clicks,
// over Socket Mode or the HTTP Events API, hands each question to the
// conversation core and renders the reply as a Block Kit message. It is
// the only package that imports slack-go.
//
// An answer a model writes is shown while it is written: in threads and
// DMs as a reply that chat.update edits (at most once per the core's
// EditInterval) and finally turns into the answer; for the slash
// command through its response_url, which takes a few partial answers
// only (it accepts five posts).
//
// The Slack app needs the bot scopes app_mentions:read, chat:write,
// chat:write.public (watches and briefings in public channels it was
// not invited to), commands, reactions:write and channels:history, groups:history,
// im:history, mpim:history (thread context and DMs); the events
// app_mention and message.channels, message.groups, message.im,
// message.mpim; interactivity on; and, for Socket Mode, an app-level
// token with connections:write. In HTTP mode the request URLs are
// /slack/events, /slack/commands and /slack/interactions (see Routes).
package slack

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	slackgo "github.com/slack-go/slack"

	"github.com/byline-news/byline/bot"
)

// Handler is the conversation core; *bot.Bot implements it.
type Handler interface {
	Handle(ctx context.Context, m bot.Message) bot.Reply
	SaveFeedback(ctx context.Context, f bot.Feedback) error
}

// Defaults for Options fields left at zero, and fixed timings.
const (
	DefaultCommand       = "/news"
	DefaultMaxInFlight   = 16
	DefaultAnswerTimeout = time.Minute

	// ShutdownGrace is how long Run waits for in-flight answers once its
	// context is done before it cancels them.
	ShutdownGrace = 5 * time.Second
)

// ErrInvalidOptions is wrapped by every error New returns for bad Options.
var ErrInvalidOptions = errors.New("invalid slack options")

// Options configures an Adapter. Socket Mode is used when AppToken is
// set; otherwise Slack calls Routes over HTTP, signed with SigningSecret.
type Options struct {
	BotToken      string       // xoxb-…, required
	AppToken      string       // xapp-…: Socket Mode when set
	SigningSecret string       // HTTP mode (required when AppToken is empty)
	APIURL        string       // Web API base URL override (tests, proxies); default slack's
	Command       string       // slash command name, default "/news"
	Logger        *slog.Logger // default slog.Default()

	// Ephemeral makes slash-command answers visible to the asker only,
	// with a "Share in channel" button. It is only read when EphemeralSet
	// is true, so the zero Options answer ephemerally.
	Ephemeral    bool
	EphemeralSet bool

	// Admins are the Slack user IDs (U…, W…) who may add articles and
	// feeds with "add <url>" and "feeds …".
	Admins []string

	MaxInFlight   int           // concurrent answers, default 16
	AnswerTimeout time.Duration // per question, default one minute

	// State, when set, keeps the threads answered in and the answers
	// behind buttons in its Store, so they outlive a restart; its Run
	// must be running. Nil keeps them in memory only.
	State *bot.StateWriter

	// Claims, when set, is the database that replicas of this app share:
	// each message, command and click is claimed there before it is
	// answered, so a delivery Slack retries to another replica is
	// answered once. Nil dedups in this process only.
	Claims bot.Claims
}

// Adapter serves one Slack app. Create it with New, then call Run, and in
// HTTP mode also mount Routes on the server Slack calls.
type Adapter struct {
	h    Handler
	opt  Options
	log  *slog.Logger
	api  *slackgo.Client
	now  func() time.Time
	self atomic.Pointer[identity] // set by Run (auth.test)

	ready   atomic.Bool
	seen    *bot.Dedup         // event IDs, channel+ts, trigger IDs and clicks already handled
	threads *bot.Threads       // threads the bot has answered in
	answers *bot.Cache[stored] // answers that carry buttons, by short ID

	work    *bot.Workers // runs answers, at most MaxInFlight at once
	grace   time.Duration
	backoff time.Duration // the first wait before auth.test is tried again

	decorMu     sync.Mutex     // guards decorClosed and decor.Add
	decorClosed bool           // shutting down: no new reactions
	decor       sync.WaitGroup // 👀 reactions being added or removed
}

// identity is the bot's own user, as auth.test reports it.
type identity struct{ userID, botID, teamID, name string }

// Cache sizes and lifetimes.
const (
	dedupTTL     = time.Hour // Slack retries for a few minutes
	threadTTL    = 24 * time.Hour
	threadMax    = 20_000
	answerTTL    = 24 * time.Hour
	answerMax    = 5_000
	httpTimeout  = 30 * time.Second
	idleConnsMax = 32
)

// New checks opt and returns an adapter that answers with h.
func New(h Handler, opt Options) (*Adapter, error) {
	if h == nil {
		return nil, fmt.Errorf("%w: handler is nil", ErrInvalidOptions)
	}
	opt, err := opt.withDefaults()
	if err != nil {
		return nil, err
	}
	lg := opt.Logger.With(logKeyPlatform, "slack")
	now := time.Now
	return &Adapter{
		h:       h,
		opt:     opt,
		log:     lg,
		api:     newAPI(opt, lg),
		now:     now,
		seen:    bot.NewSharedDedup("slack", dedupTTL, now, opt.Claims, lg),
		threads: bot.NewPersistentThreads("slack.threads", threadTTL, threadMax, now, opt.State),
		answers: bot.NewPersistentCache[stored]("slack.answers", answerTTL, answerMax, now, opt.State),
		work: bot.NewWorkers(bot.WorkersOptions{Platform: "slack", Logger: lg, TaskKey: logKeyAction,
			MaxInFlight: opt.MaxInFlight, Timeout: opt.AnswerTimeout}),
		grace: ShutdownGrace, backoff: time.Second,
	}, nil
}

// newAPI builds the Web API client.
func newAPI(opt Options, lg *slog.Logger) *slackgo.Client {
	tr := http.DefaultTransport.(*http.Transport).Clone()
	tr.MaxIdleConnsPerHost = idleConnsMax
	opts := []slackgo.Option{
		slackgo.OptionAPIURL(opt.APIURL),
		slackgo.OptionHTTPClient(&http.Client{Timeout: httpTimeout, Transport: tr}),
		slackgo.OptionLog(slog.NewLogLogger(lg.Handler(), slog.LevelDebug)),
	}
	if opt.AppToken != "" {
		opts = append(opts, slackgo.OptionAppLevelToken(opt.AppToken))
	}
	return slackgo.New(opt.BotToken, opts...)
}

// withDefaults validates o and fills its zero fields.
func (o Options) withDefaults() (Options, error) {
	var probs []string
	switch {
	case o.BotToken == "":
		probs = append(probs, "bot token is required (xoxb-…)")
	case !strings.HasPrefix(o.BotToken, "xoxb-"):
		probs = append(probs, "bot token must start with xoxb- (got "+tokenKind(o.BotToken)+")")
	}
	if o.AppToken != "" && !strings.HasPrefix(o.AppToken, "xapp-") {
		probs = append(probs, "app-level token must start with xapp- (got "+tokenKind(o.AppToken)+")")
	}
	if o.AppToken == "" && o.SigningSecret == "" {
		probs = append(probs, "a signing secret is required in HTTP mode (set an app-level token xapp-… for Socket Mode)")
	}
	if o.Command == "" {
		o.Command = DefaultCommand
	} else if !strings.HasPrefix(o.Command, "/") || strings.ContainsAny(o.Command, " \t\n") {
		probs = append(probs, fmt.Sprintf("command %q must be a single word starting with /", o.Command))
	}
	if o.APIURL != "" {
		if u, err := url.Parse(o.APIURL); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			probs = append(probs, fmt.Sprintf("API URL %q must be an absolute http(s) URL", o.APIURL))
		} else if !strings.HasSuffix(o.APIURL, "/") {
			o.APIURL += "/" // slack-go appends method names directly
		}
	} else {
		o.APIURL = slackgo.APIURL
	}
	if len(probs) > 0 {
		return o, fmt.Errorf("%w: %s", ErrInvalidOptions, strings.Join(probs, "; "))
	}
	return o.fillZeros(), nil
}

// fillZeros sets the defaults that need no validation.
func (o Options) fillZeros() Options {
	if o.Logger == nil {
		o.Logger = slog.Default()
	}
	if !o.EphemeralSet {
		o.Ephemeral, o.EphemeralSet = true, true
	}
	if o.MaxInFlight <= 0 {
		o.MaxInFlight = DefaultMaxInFlight
	}
	if o.AnswerTimeout <= 0 {
		o.AnswerTimeout = DefaultAnswerTimeout
	}
	return o
}

// tokenKind describes a token by its prefix only, so errors never leak it.
func tokenKind(tok string) string {
	for _, p := range []string{"xoxb-", "xoxp-", "xoxa-", "xoxe-", "xoxs-", "xapp-"} {
		if strings.HasPrefix(tok, p) {
			return "a " + p + " token"
		}
	}
	return "an unrecognised token"
}

// Ready reports whether the adapter can serve: in Socket Mode, Slack's
// hello was received on the current connection; in HTTP mode, auth.test
// succeeded.
func (a *Adapter) Ready() bool { return a.ready.Load() }

// Run authenticates, then serves until ctx is done: in Socket Mode it
// holds the connection, in HTTP mode it waits while Routes serve. On
// return no new work is accepted and in-flight answers have finished or
// were cancelled after ShutdownGrace.
func (a *Adapter) Run(ctx context.Context) error {
	defer a.shutdown()
	if err := a.identify(ctx); err != nil {
		if ctx.Err() != nil {
			return nil
		}
		return err
	}
	if a.opt.AppToken != "" {
		return a.runSocket(ctx)
	}
	a.ready.Store(true)
	a.log.Info("slack ready", logKeyMode, "http")
	<-ctx.Done()
	return nil
}

// identify calls auth.test to learn the bot's own user and bot IDs.
// While Slack cannot be reached (a network error, a 5xx, a rate limit
// that outlasts its retries) it tries again with backoff, doubling from
// a.backoff up to maxBackoff, until ctx is done; a refused token fails
// at once.
func (a *Adapter) identify(ctx context.Context) error {
	for attempt := 0; ; attempt++ {
		var res *slackgo.AuthTestResponse
		err := a.retry(ctx, "auth.test", func(ctx context.Context) (err error) {
			res, err = a.api.AuthTestContext(ctx)
			return err
		})
		if err == nil {
			a.self.Store(&identity{userID: res.UserID, botID: res.BotID, teamID: res.TeamID, name: res.User})
			a.log.Info("slack authenticated", logKeyTeam, res.TeamID, logKeyUser, res.UserID)
			return nil
		}
		if ctx.Err() != nil || !transient(err) {
			return fmt.Errorf("slack auth.test: %w", err)
		}
		wait := min(a.backoff<<min(attempt, 10), maxBackoff)
		a.log.Warn("slack unreachable, retrying", logKeyMethod, "auth.test", logKeyWait, wait, logKeyAttempt, attempt+1, logKeyErr, err)
		if err := bot.Sleep(ctx, wait); err != nil {
			return fmt.Errorf("slack auth.test: %w", err)
		}
	}
}

// maxBackoff caps the wait between attempts to reach Slack at start-up.
const maxBackoff = time.Minute

// transient reports whether a failed call may succeed if tried again:
// Slack was not reached or answered 5xx or 429. An answer from Slack
// ({"ok":false,"error":"invalid_auth"}, a 4xx) will not change.
func transient(err error) bool {
	if _, ok := errors.AsType[slackgo.SlackErrorResponse](err); ok {
		return false
	}
	if sc, ok := errors.AsType[slackgo.StatusCodeError](err); ok {
		return sc.Retryable()
	}
	return true
}

// me returns the bot's identity, empty before auth.test succeeded.
func (a *Adapter) me() identity {
	if id := a.self.Load(); id != nil {
		return *id
	}
	return identity{}
}

// ephemeral reports whether slash-command answers go to the asker only.
func (a *Adapter) ephemeral() bool { return a.opt.Ephemeral }

// admin reports whether user is one of Options.Admins.
func (a *Adapter) admin(user string) bool { return user != "" && slices.Contains(a.opt.Admins, user) }
