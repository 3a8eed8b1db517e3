package bot

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"runtime/debug"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/byline-news/byline/answer"
	"github.com/byline-news/byline/retrieval"
)

// Defaults for Options fields left at zero.
const (
	DefaultK             = 5
	DefaultMaxQuestion   = 500 // characters: a chat question is a sentence, a pasted article is not
	DefaultRatePerUser   = 10
	DefaultRateWindow    = time.Minute
	DefaultAnswerTimeout = 10 * time.Second
	// DefaultEditInterval is the shortest time between two showings of
	// a streamed answer: Slack's chat.update and Discord's message edits
	// are both rate-limited at about one per second per message.
	DefaultEditInterval = time.Second
)

// corpusTTL is how long the article count quoted in "I couldn't find
// that in the 2,127 articles" is reused: it changes only when an index
// run finishes, and counting on every question would double the queries.
const corpusTTL = time.Minute

// Log attribute keys, kept stable so log queries keep working.
const (
	logPlatform  = "platform"
	logWorkspace = "workspace"
	logChannel   = "channel"
	logUser      = "user"
	logKind      = "kind"
	logQuestion  = "question"
	logErr       = "err"
)

// Options configures a Bot. Zero fields take the defaults above.
type Options struct {
	Searcher Searcher      // required
	Feedback FeedbackStore // may be nil: feedback is then logged and dropped
	Sources  Sources       // may be nil: "add" and "feeds" then answer that they are not enabled
	Scopes   ScopeStore    // may be nil: every channel then answers from everything
	Watches  WatchStore    // may be nil: "watch" then answers that watches are not enabled
	// WatchRate is the watch loop's posts per channel per hour, which
	// help mentions; default DefaultWatchRate.
	WatchRate int
	Logger    *slog.Logger // default slog.Default()

	K           int // paragraphs retrieved per question, default DefaultK
	MaxQuestion int // longest question in characters, default DefaultMaxQuestion

	// RatePerUser questions (and "stats") are allowed per user (platform,
	// workspace and user ID) per RateWindow: that many in a row, then one
	// every RateWindow/RatePerUser (a token bucket); "help" and refused
	// questions do not count. A negative value turns the limit off, for a
	// console or test adapter with a single trusted user.
	RatePerUser int
	RateWindow  time.Duration

	Now           func() time.Time // default time.Now; tests inject a clock
	AnswerTimeout time.Duration    // per question, default DefaultAnswerTimeout

	// Generator, when set, writes the answers from the retrieved passages
	// (the extractive answer stays the fallback); nil means extractive
	// answers only. A Generator that is an answer.Streamer feeds
	// Message.Partial.
	Generator answer.Generator
	// ContextTokens is the model's context window (0: the answer
	// package's default).
	ContextTokens int
	// EditInterval throttles Message.Partial, default DefaultEditInterval.
	EditInterval time.Duration

	// SourcesTimeout bounds an add or feeds command, default
	// DefaultSourcesTimeout.
	SourcesTimeout time.Duration

	// "brief" is on when the Searcher lists recent stories (RecentIn,
	// as both storage backends do); Briefings enables "brief daily" and
	// "brief off". Deleter enables an admin's "delete".
	Briefings BriefingStore
	Deleter   Deleter
}

// Bot answers chat messages. It is safe for concurrent use: adapters call
// Handle from one goroutine per message.
type Bot struct {
	opt   Options
	lg    *slog.Logger
	limit *limiter // nil when the rate limit is off

	metrics *metrics

	mu       sync.Mutex // guards corpus and corpusAt
	corpus   int        // cached article count
	corpusAt time.Time  // when corpus was counted; zero: never
}

// statser is the optional part of a Searcher that also reports the
// newest article, as both storage backends do.
type statser interface {
	Stats(ctx context.Context) (retrieval.Stats, error)
}

// New returns a Bot answering from opt.Searcher.
func New(opt Options) (*Bot, error) {
	if opt.Searcher == nil {
		return nil, errors.New("bot: Options.Searcher is nil")
	}
	opt = opt.withDefaults()
	b := &Bot{opt: opt, lg: opt.Logger, metrics: newMetrics()}
	if opt.RatePerUser > 0 {
		b.limit = newLimiter(opt.RatePerUser, opt.RateWindow, opt.Now)
	}
	return b, nil
}

func (o Options) withDefaults() Options {
	if o.Logger == nil {
		o.Logger = slog.Default()
	}
	if o.K <= 0 {
		o.K = DefaultK
	}
	if o.MaxQuestion <= 0 {
		o.MaxQuestion = DefaultMaxQuestion
	}
	if o.RatePerUser == 0 {
		o.RatePerUser = DefaultRatePerUser
	}
	if o.RateWindow <= 0 {
		o.RateWindow = DefaultRateWindow
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.AnswerTimeout <= 0 {
		o.AnswerTimeout = DefaultAnswerTimeout
	}
	if o.EditInterval <= 0 {
		o.EditInterval = DefaultEditInterval
	}
	if o.WatchRate <= 0 {
		o.WatchRate = DefaultWatchRate
	}
	if o.SourcesTimeout <= 0 {
		o.SourcesTimeout = DefaultSourcesTimeout
	}
	return o
}

// Handle answers one message. It always returns a reply with a non-empty
// Text: a silent bot is the failure users complain about most, so every
// refusal and error is turned into words here and nowhere else, and a
// panic (a bug on one odd paragraph) costs one reply, not the process.
func (b *Bot) Handle(ctx context.Context, m Message) (r Reply) {
	start := time.Now()
	defer func() {
		if v := recover(); v != nil {
			r = b.fail(m, "handle", fmt.Errorf("panic: %v\n%s", v, debug.Stack()))
		}
		b.metrics.observe(r, time.Since(start))
	}()
	m = addressed(m)
	text := clean(m.Text)
	if isHelp(text) {
		return Reply{Kind: KindHelp, Question: text, Text: b.help()}
	}
	if op, ok := parseSources(text); ok {
		return b.sources(ctx, m, op)
	}
	if op, ok := parseScope(text); ok {
		return b.scope(ctx, m, op)
	}
	if op, ok := parseWatch(text); ok {
		return b.watch(ctx, m, op)
	}
	if n := utf8.RuneCountInString(text); n > b.opt.MaxQuestion {
		return Reply{Kind: KindRejected, Question: text, Text: tooLongText(n, b.opt.MaxQuestion)}
	}
	if r, ok := b.command(ctx, m, text); ok {
		return r
	}
	if namesNothing(text, m.History) {
		return Reply{Kind: KindHelp, Question: text, Text: b.help()}
	}
	if r, limited := b.rateLimit(m); limited {
		return r
	}
	ctx, cancel := context.WithTimeout(ctx, b.opt.AnswerTimeout)
	defer cancel()
	if isStats(text) {
		return b.stats(ctx, m)
	}
	return b.ask(ctx, m, text)
}

// help is the usage text, mentioning the admin commands when enabled.
func (b *Bot) help() string {
	text := helpText
	if b.opt.Scopes != nil {
		text += "\n" + scopeHelpText
	}
	if b.opt.Watches != nil {
		text += "\n" + fmt.Sprintf(watchHelpFormat, b.opt.WatchRate)
	}
	if b.briefingsOn() {
		text += "\n" + briefingsHelpText
	}
	if b.opt.Sources != nil {
		text += "\n" + sourcesHelpText
	}
	if b.opt.Deleter != nil {
		text += "\n" + deleteHelpText
	}
	return text
}

// rateLimit reports whether m's user has asked too often, with the reply
// saying when to try again.
func (b *Bot) rateLimit(m Message) (Reply, bool) {
	if b.limit == nil {
		return Reply{}, false
	}
	ok, wait := b.limit.allow(userKey(m), b.opt.Now())
	if ok {
		return Reply{}, false
	}
	b.lg.Info("rate limited", logPlatform, m.Platform, logWorkspace, m.Workspace, logUser, m.User)
	text := rateLimitedText(b.opt.RatePerUser, b.opt.RateWindow, wait)
	return Reply{Kind: KindRateLimited, Question: clean(m.Text), Text: text, RetryAfter: wait}, true
}

// userKey identifies a user across platforms and workspaces: user IDs
// are only unique within one workspace.
func userKey(m Message) string {
	return m.Platform + "\x00" + m.Workspace + "\x00" + m.User
}

// stats reports the size of the index and, when the Searcher can tell,
// how recent it is.
func (b *Bot) stats(ctx context.Context, m Message) Reply {
	var st retrieval.Stats
	var err error
	if s, ok := b.opt.Searcher.(statser); ok {
		st, err = s.Stats(ctx)
	} else {
		st.Articles, err = b.opt.Searcher.Count(ctx)
	}
	if err != nil {
		return b.fail(m, "stats", err)
	}
	return Reply{Kind: KindStats, Question: "stats", Text: statsText(st)}
}

// ask answers a question, with context from the thread for follow-ups,
// through answer.Ask: the path byline ask and byline eval take too.
func (b *Bot) ask(ctx context.Context, m Message, text string) Reply {
	p := plan(text, m.History, b.opt.Now())
	b.lg.Debug("question", logPlatform, m.Platform, logChannel, m.Channel,
		logQuestion, text, "effective", p.shown, "context", p.context)
	scope, err := b.Scope(ctx, ChannelOf(m))
	if err != nil {
		return b.fail(m, "channel sources", err)
	}
	req := answer.Request{
		Question: p.question, Context: p.context, Now: b.opt.Now(), K: b.opt.K, Scope: scope,
		Options: answer.Options{Corpus: b.corpusSize(ctx)},
		Model:   b.opt.Generator, Gen: answer.GenOptions{ContextTokens: b.opt.ContextTokens},
	}
	if m.Partial != nil && b.opt.Generator != nil {
		req.Gen.Partial = throttle(m.Partial, b.opt.EditInterval, b.opt.Now)
	}
	ans, err := answer.Ask(ctx, b.opt.Searcher, req)
	if err != nil {
		return b.fail(m, "search", err)
	}
	if ans.Fallback != "" {
		b.metrics.fallbacks.Inc()
		// Users see the extractive answer, which is a good answer: the
		// reason is for operators.
		b.lg.Warn("generated answer replaced by the extractive one", logPlatform, m.Platform,
			logChannel, m.Channel, "reason", ans.Fallback)
	}
	r := Reply{Kind: KindAnswer, Question: p.shown, Text: ans.Text, Sources: sourcesOf(ans.Sources), Generated: ans.Generated,
		Searched: ans.Corrected, Note: ans.Note}
	if ans.Abstained || ans.Text == "" {
		r.Kind, r.Text, r.Generated = KindAbstained, ans.Reason, false
		b.metrics.abstained(ans.Filtered)
		if r.Text == "" {
			r.Text = notFoundText
		}
	}
	b.lg.Debug("replied", logPlatform, m.Platform, logKind, r.Kind.String(), "confidence", ans.Confidence)
	return r
}

// throttle calls show with a text at most once per interval, dropping
// the texts in between: the final reply follows anyway.
func throttle(show func(string), interval time.Duration, now func() time.Time) func(string) {
	var last time.Time
	return func(text string) {
		t := now()
		if !last.IsZero() && t.Sub(last) < interval {
			return
		}
		last = t
		show(text)
	}
}

// corpusSize returns the number of indexed articles, quoted when the bot
// abstains; 0 (which the answer words without a number) when unknown.
func (b *Bot) corpusSize(ctx context.Context) int {
	now := b.opt.Now()
	b.mu.Lock()
	n, at := b.corpus, b.corpusAt
	b.mu.Unlock()
	if age := now.Sub(at); !at.IsZero() && age >= 0 && age < corpusTTL {
		return n
	}
	n, err := b.opt.Searcher.Count(ctx)
	if err != nil {
		b.lg.Warn("count articles failed", logErr, err)
		return 0
	}
	b.mu.Lock()
	b.corpus, b.corpusAt = n, now
	b.mu.Unlock()
	return n
}

// fail logs err and returns the polite reply for it: users get no
// internals, operators get the details.
func (b *Bot) fail(m Message, op string, err error) Reply {
	text := errorText
	switch {
	case errors.Is(err, retrieval.ErrUnavailable):
		text = unreachableText
	case errors.Is(err, context.DeadlineExceeded):
		text = timeoutText
	}
	b.lg.Error(op+" failed", logPlatform, m.Platform, logWorkspace, m.Workspace,
		logChannel, m.Channel, logErr, err)
	return Reply{Kind: KindError, Question: clean(m.Text), Text: text}
}

// SaveFeedback records a 👍/👎. Without a FeedbackStore the feedback is
// logged and dropped, so adapters can offer the buttons regardless.
func (b *Bot) SaveFeedback(ctx context.Context, f Feedback) error {
	if f.At.IsZero() {
		f.At = b.opt.Now()
	}
	b.metrics.voted(f.Helpful)
	if b.opt.Feedback == nil {
		b.lg.Info("feedback dropped: no store", logPlatform, f.Platform, "helpful", f.Helpful)
		return nil
	}
	if err := b.opt.Feedback.SaveFeedback(ctx, f); err != nil {
		return fmt.Errorf("save feedback: %w", err)
	}
	return nil
}
