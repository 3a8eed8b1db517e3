// Package bot is byline's conversation logic, shared by every chat
// platform: it turns a question asked in a channel, a thread or a direct
// message into a reply with sources, answers "help" and "stats", and
// keeps the rules that protect users (rate limits, question length,
// duplicate deliveries). Platform adapters (bot/slack, bot/discord)
// translate between their platform and these types, and nothing else.
package bot

import (
	"context"
	"strconv"
	"time"

	"github.com/byline-news/byline/answer"
	"github.com/byline-news/byline/retrieval"
)

// Message is a question as an adapter received it.
type Message struct {
	Platform  string // "slack", "discord"
	Workspace string // Slack team ID, Discord guild ID
	Channel   string
	User      string
	Thread    string // the thread's key ("" outside a thread)
	Text      string // the question, with the bot's own mention removed
	History   []Turn // earlier turns of the thread, oldest first
	// BotName is the bot's own name on the platform ("byline"). People
	// address the bot by it in plain text ("byline, what did Liang
	// deny?"), and it is no word of their question.
	BotName string

	// Admin is set by the adapter when the user may add articles and
	// feeds (configured IDs; on Discord also Manage Server).
	Admin bool

	// Partial, when set, shows an answer while a model writes it: it is
	// called with the text so far (plain, citations as [n]) at most once
	// per Options.EditInterval, from the goroutine running Handle. The
	// Reply that Handle returns replaces whatever it showed.
	Partial func(text string)
}

// Turn is one earlier message of a thread.
type Turn struct {
	User    string
	Text    string
	FromBot bool
}

// Kind says what a Reply is, so adapters can style it.
type Kind int

const (
	KindAnswer      Kind = iota // an answer with sources
	KindAbstained               // nothing indexed answers the question
	KindHelp                    // usage text
	KindStats                   // what the index holds
	KindRateLimited             // the user asked too often
	KindRejected                // the question was refused (too long, empty)
	KindError                   // something failed; Text says so politely
	KindAdmin                   // the outcome of an admin's add or feeds command
	// The kinds below are posted unasked (see Poster) or list stories:
	// Text is a one-line heading, each Source one story (its Hit's
	// article, and for KindWatch the sentence to quote as Hit.Text).
	KindWatch    // a story that matched a channel's watch
	KindDigest   // watched stories held back by the rate limit, in one post
	KindBriefing // the top stories of the last 24 hours, one line each
)

var kindNames = [...]string{"answer", "abstained", "help", "stats", "rate-limited", "rejected", "error", "admin", "watch", "digest", "briefing"}

// String names the kind for logs and tests.
func (k Kind) String() string {
	if k < 0 || int(k) >= len(kindNames) {
		return "Kind(" + strconv.Itoa(int(k)) + ")"
	}
	return kindNames[k]
}

// Reply is what the bot says back, in plain text: adapters render it.
type Reply struct {
	Kind     Kind
	Question string // the question as answered (follow-ups: with context)
	Text     string // the answer, or the message for other kinds
	// Sources are the answer's cited paragraphs; for KindAbstained, the
	// closest stories, which adapters must show as not an answer.
	Sources []Source

	// Generated is set when a model wrote Text (adapters may say so).
	Generated bool

	// Searched is the question as searched when misspelt words were
	// corrected ("goverment" → "government"), for adapters to show; ""
	// when none was.
	Searched string

	// Note is what the asker should know to read the answer
	// (answer.Answer.Note: "Newer coverage: [2], 19 Nov 2026.", "I
	// haven't indexed https://…; this is from other stories."), for
	// adapters to show before it; "" when there is nothing.
	Note string

	// RetryAfter is, for KindRateLimited, how long until the user may
	// ask again; adapters may use it, the Text already says it.
	RetryAfter time.Duration
}

// ClosestStories heads the sources of an abstention in every adapter:
// they are the stories nearest the question, not an answer to it.
const ClosestStories = "Closest stories (not an answer):"

// Source is one paragraph a reply shows, numbered as the answer cites it.
type Source struct {
	N     int           // 1-based
	Hit   retrieval.Hit // the article and paragraph
	Marks [][2]int      // byte ranges of Hit.Text that matched the question, for highlighting
}

// sourcesOf converts an answer's sources.
func sourcesOf(srcs []answer.Source) []Source {
	if len(srcs) == 0 {
		return nil
	}
	out := make([]Source, len(srcs))
	for i, s := range srcs {
		out[i] = Source{N: s.N, Hit: s.Hit, Marks: s.Marks}
	}
	return out
}

// Searcher finds paragraphs; both storage backends (retrieval/sqlite,
// retrieval/postgres) implement it.
type Searcher interface {
	Search(ctx context.Context, q retrieval.Query) ([]retrieval.Hit, error)
	Count(ctx context.Context) (int, error)
}

// Feedback is a 👍/👎 on an answer.
type Feedback struct {
	Platform, Workspace, Channel, User string
	Question, Answer                   string
	Sources                            []string // cited article IDs, in order
	Helpful                            bool
	At                                 time.Time
}

// FeedbackStore keeps feedback.
type FeedbackStore interface {
	SaveFeedback(ctx context.Context, f Feedback) error
}
