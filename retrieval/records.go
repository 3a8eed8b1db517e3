package retrieval

import "time"

// A byline database keeps, beside the articles and their index, what the
// bot and the crawler remember: feeds and what polling them learned, chat
// state, readers' feedback. Both storage backends (retrieval/sqlite,
// retrieval/postgres) store these records; they are declared here so that
// their consumers need neither backend.

// FeedState is a subscribed feed and what polling it has learned.
type FeedState struct {
	URL          string
	Title        string
	Every        time.Duration
	ETag         string // validators for the next conditional GET
	LastModified string
	Added        time.Time
	LastPolled   time.Time // zero before the first poll
	NextPoll     time.Time
	Failures     int    // consecutive failed polls (backoff grows with it)
	LastError    string // "" after a good poll
	Articles     int
}

// ChatState is one value the chat adapters keep for a while (a thread
// answered in, an answer behind buttons), under a namespace and key,
// until Expires. Value is opaque here (the adapters store JSON).
type ChatState struct {
	NS, Key string
	Value   []byte
	Expires time.Time
}

// Feedback is one reader's verdict on an answer, as stored.
type Feedback struct {
	At                                 time.Time
	Platform, Workspace, Channel, User string
	Question, Answer                   string
	Sources                            []string // cited article IDs
	Helpful                            bool
}

// ChannelKey names a chat channel's sources: Channel "" is the default
// of the whole workspace (a Discord guild, a Slack team), which channels
// without sources of their own follow.
type ChannelKey struct {
	Platform, Workspace, Channel string
}

// SourceNorm is the form in which a channel's sources compare: outlets
// and categories folded (FoldSource), feed URLs exactly.
func SourceNorm(kind SourceKind, value string) string {
	if kind == SourceFeed {
		return value
	}
	return FoldSource(value)
}

// Briefing is a channel's daily briefing: its top stories, posted every
// day at a local time of day in an IANA time zone. A channel has one at
// most, keyed by Platform, Workspace and Channel.
type Briefing struct {
	Platform, Workspace, Channel string

	Topic  string // "" for all the news
	Minute int    // minutes after local midnight it is due at
	Zone   string // IANA name, e.g. "Europe/London"
	// Next is when it is due next (to the second). Advancing it is how a
	// firing is claimed, once, whichever process fires it.
	Next    time.Time
	By      string // who scheduled it
	Created time.Time
}
