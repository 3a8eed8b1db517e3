package bot

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/byline-news/byline/retrieval"
)

// recentIn is the optional part of a Searcher that lists the newest
// stories of a date range within a scope (engine.Index.RecentIn, which
// both storage backends have): a briefing needs it.
type recentIn interface {
	RecentIn(ctx context.Context, scope retrieval.Scope, since, until time.Time, n int) ([]retrieval.Hit, error)
}

// BriefingStore keeps channels' daily briefings; both storage backends
// implement it.
type BriefingStore interface {
	SaveBriefing(ctx context.Context, b retrieval.Briefing) error
	DeleteBriefing(ctx context.Context, platform, workspace, channel string) error
	Briefing(ctx context.Context, platform, workspace, channel string) (retrieval.Briefing, error)
}

// A briefing lists BriefingStories of the stories published in the
// last BriefingWindow, ranked from briefingCandidates.
const (
	BriefingStories    = 8
	BriefingWindow     = 24 * time.Hour
	briefingCandidates = 40
	// aheadSlack lets in stories stamped a little in the future: a
	// publisher's wrong time zone makes a new story look an hour ahead,
	// while one dated days ahead is an error or an embargo.
	aheadSlack = time.Hour
)

// Texts of the brief commands.
const (
	briefOffText       = "Briefings are not enabled here."
	briefUsageText     = "Usage: brief [topic] · brief daily 08:00 Europe/London [topic] · brief daily · brief off"
	noDailyText        = "This channel has no daily briefing. Schedule one with brief daily 08:00 Europe/London."
	dailyStoppedText   = "Daily briefing stopped."
	briefingsHelpText  = "brief [topic] lists the top stories of the last 24 hours; brief daily 08:00 Europe/London [topic] posts that every day at that time (any IANA time zone), brief daily shows the schedule and brief off stops it."
	zoneExampleText    = "use an IANA name such as Europe/London, America/New_York or Asia/Tokyo"
	briefingHeadingFmt = "Top stories%s in the last 24 hours"
)

// briefOp is a parsed brief command.
type briefOp struct {
	verb  string // "now", "daily", "show", "off"
	topic string
	clock string // "daily": as typed
	zone  string
	usage bool   // malformed: answer with usage
	typed string // the command as typed
}

// parseBrief recognises, case-insensitively: "brief [topic]", "brief
// daily HH:MM Zone [topic]", "brief daily" and "brief off".
func parseBrief(text string) (briefOp, bool) {
	f := strings.Fields(text)
	if len(f) == 0 || !strings.EqualFold(f[0], "brief") {
		return briefOp{}, false
	}
	op := briefOp{verb: "now", typed: text}
	switch {
	case len(f) == 1:
	case strings.EqualFold(f[1], "off"):
		op.verb, op.usage = "off", len(f) != 2
	case strings.EqualFold(f[1], "daily") && len(f) == 2:
		op.verb = "show"
	case strings.EqualFold(f[1], "daily"):
		op.verb, op.usage = "daily", len(f) < 4
		if !op.usage {
			op.clock, op.zone, op.topic = f[2], f[3], strings.Join(f[4:], " ")
		}
	default:
		op.topic = strings.Join(f[1:], " ")
	}
	return op, true
}

// brief runs a brief command. Anyone may ask for a briefing or schedule
// the channel's daily one.
func (b *Bot) brief(ctx context.Context, m Message, op briefOp) Reply {
	if !b.briefingsOn() || (op.verb != "now" && b.opt.Briefings == nil) {
		return Reply{Kind: KindRejected, Question: op.typed, Text: briefOffText}
	}
	if op.usage {
		return Reply{Kind: KindRejected, Question: op.typed, Text: briefUsageText}
	}
	if r, limited := b.rateLimit(m); limited {
		return r
	}
	ctx, cancel := context.WithTimeout(ctx, b.opt.AnswerTimeout)
	defer cancel()
	ch := ChannelOf(m)
	switch op.verb {
	case "daily":
		return b.scheduleDaily(ctx, m, op)
	case "show":
		return b.showDaily(ctx, m, ch)
	case "off":
		return b.stopDaily(ctx, m, ch)
	}
	r, err := b.briefing(ctx, ch, op.topic)
	if err != nil {
		return b.fail(m, "briefing", err)
	}
	r.Question = op.typed
	return r
}

// briefingsOn reports whether the Searcher can list recent stories,
// which "brief" needs.
func (b *Bot) briefingsOn() bool {
	_, ok := b.opt.Searcher.(recentIn)
	return ok
}

// stories are a briefing's candidates, published in [since, until)
// within scope: the newest, or with a topic those that match it best,
// through the Searcher questions use (hybrid when embeddings are on).
func (b *Bot) stories(ctx context.Context, scope retrieval.Scope, topic string, since, until time.Time) ([]retrieval.Hit, error) {
	if topic == "" {
		return b.opt.Searcher.(recentIn).RecentIn(ctx, scope, since, until, briefingCandidates)
	}
	return b.opt.Searcher.Search(ctx, retrieval.Query{Text: topic, Since: since, Until: until, K: briefingCandidates, Scope: scope})
}

// briefing lists the top stories of the last BriefingWindow in ch, on
// topic when it is not "".
func (b *Bot) briefing(ctx context.Context, ch Channel, topic string) (Reply, error) {
	now := b.opt.Now()
	scope, err := b.Scope(ctx, ch)
	if err != nil {
		return Reply{}, fmt.Errorf("briefing for %s: %w", ch, err)
	}
	hits, err := b.stories(ctx, scope, topic, now.Add(-BriefingWindow), now.Add(aheadSlack))
	if err != nil {
		return Reply{}, fmt.Errorf("briefing for %s: %w", ch, err)
	}
	stories := rankStories(hits)
	stories = stories[:min(len(stories), BriefingStories)]
	r := Reply{Kind: KindBriefing, Question: strings.TrimSpace("brief " + topic), Text: briefingHeading(topic, len(stories))}
	for i, h := range stories {
		r.Sources = append(r.Sources, Source{N: i + 1, Hit: h})
	}
	return r, nil
}

// rankStories orders stories by how many outlets carry them (the story
// itself and its syndicated copies), then by recency, newest first; a
// story found by several of its paragraphs is listed once.
func rankStories(hits []retrieval.Hit) []retrieval.Hit {
	seen := map[string]bool{}
	var out []retrieval.Hit
	for _, h := range hits {
		if !seen[h.Article.ID] {
			seen[h.Article.ID] = true
			out = append(out, h)
		}
	}
	slices.SortStableFunc(out, func(a, b retrieval.Hit) int {
		if c := cmp.Compare(len(b.AlsoCarriedBy), len(a.AlsoCarriedBy)); c != 0 {
			return c
		}
		if c := b.Article.Published.Compare(a.Article.Published); c != 0 {
			return c
		}
		return strings.Compare(a.Article.ID, b.Article.ID)
	})
	return out
}

// briefingHeading is a briefing's one-line heading.
func briefingHeading(topic string, n int) string {
	on := ""
	if topic != "" {
		on = " on “" + topic + "”"
	}
	if n == 0 {
		return "No stories" + on + " in the last 24 hours."
	}
	return fmt.Sprintf(briefingHeadingFmt, on)
}
