package bot

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"time"

	"github.com/byline-news/byline/retrieval"
)

// Sources adds articles and feeds from chat; cmd/byline implements it
// over the crawler and the index. Errors it returns are shown to the
// admin who asked, so they should say what went wrong in words.
type Sources interface {
	// AddURL fetches, extracts and indexes one article page.
	AddURL(ctx context.Context, url string) (retrieval.Article, error)
	// AddFeed subscribes to a feed, polls it once and returns a one-line
	// summary of that poll.
	AddFeed(ctx context.Context, url string) (string, error)
	// RemoveFeed unsubscribes; indexed articles stay.
	RemoveFeed(ctx context.Context, url string) error
	// ListFeeds describes the subscribed feeds, one line each.
	ListFeeds(ctx context.Context) ([]string, error)
}

// DefaultSourcesTimeout bounds one add or feed command: fetching is
// polite (one request per second per host), so a first feed poll takes
// longer than an answer, but stays under the adapters' one minute.
const DefaultSourcesTimeout = 50 * time.Second

// Texts of the source commands.
const (
	notAdminText      = "Only byline admins can add articles or feeds."
	sourcesOffText    = "Adding articles and feeds from chat is not enabled here."
	sourcesUsageText  = "Usage: add <url> · feeds add <url> · feeds list · feeds remove <url>"
	noFeedsText       = "No feeds yet: add one with feeds add <url>."
	sourcesTimeoutMsg = "it took too long (the page or feed did not answer in time)"
	sourcesHelpText   = "Admins can also add an article with add <url>, subscribe to a feed with feeds add <url>, and see or drop feeds with feeds list and feeds remove <url>."
)

// sourcesOp is a parsed source command.
type sourcesOp struct {
	verb string // "add", "feeds add", "feeds remove", "feeds list"
	url  string // unwrapped; "" for feeds list, or when missing
	bad  bool   // malformed: answer with usage
}

// parseSources recognises the source commands, case-insensitively:
// "add <url>", "feeds add <url>", "feeds remove <url>", "feeds list".
// Anything else, such as "add" followed by several words, is a question.
func parseSources(text string) (sourcesOp, bool) {
	f := strings.Fields(text)
	if len(f) == 0 {
		return sourcesOp{}, false
	}
	switch strings.ToLower(f[0]) {
	case "add":
		if len(f) != 2 {
			return sourcesOp{}, false
		}
		return sourcesOp{verb: "add", url: unwrapURL(f[1])}, true
	case "feeds":
		if len(f) < 2 {
			return sourcesOp{verb: "feeds", bad: true}, true
		}
		sub := strings.ToLower(f[1])
		switch sub {
		case "list":
			return sourcesOp{verb: "feeds list", bad: len(f) != 2}, true
		case "add", "remove":
			op := sourcesOp{verb: "feeds " + sub, bad: len(f) != 3}
			if !op.bad {
				op.url = unwrapURL(f[2])
			}
			return op, true
		}
	}
	return sourcesOp{}, false
}

// IsSourcesCommand reports whether text (as the user typed it) is one of
// the admin source commands, or delete, so adapters can keep link
// targets intact.
func IsSourcesCommand(text string) bool {
	_, ok := parseSources(clean(text))
	_, scope := parseScope(clean(text))
	_, del := parseDelete(clean(text))
	return ok || scope || del
}

// unwrapURL removes Slack's link wrapping, <https://…> or
// <https://…|label>, and Discord's embed-suppressing <https://…>.
func unwrapURL(s string) string {
	if strings.HasPrefix(s, "<") && strings.HasSuffix(s, ">") {
		s = s[1 : len(s)-1]
		s, _, _ = strings.Cut(s, "|")
		s = strings.ReplaceAll(s, "&amp;", "&")
	}
	return strings.TrimSpace(s)
}

// checkURL says why u cannot be fetched, or "" when it can be tried.
func checkURL(u string) string {
	p, err := url.Parse(u)
	if err != nil || (p.Scheme != "http" && p.Scheme != "https") || p.Host == "" {
		return "not an http(s) URL"
	}
	return ""
}

// sources runs a source command for m, whose user may not be an admin.
func (b *Bot) sources(ctx context.Context, m Message, op sourcesOp) Reply {
	q := clean(m.Text)
	if b.opt.Sources == nil {
		return Reply{Kind: KindRejected, Question: q, Text: sourcesOffText}
	}
	if !m.Admin {
		b.lg.Info("source command refused: not an admin", logPlatform, m.Platform, logWorkspace, m.Workspace, logUser, m.User)
		return Reply{Kind: KindRejected, Question: q, Text: notAdminText}
	}
	if op.bad {
		return Reply{Kind: KindRejected, Question: q, Text: sourcesUsageText}
	}
	if r, limited := b.rateLimit(m); limited {
		return r
	}
	if op.url != "" {
		if why := checkURL(op.url); why != "" {
			return Reply{Kind: KindAdmin, Question: q, Text: couldNot(op.verb, op.url, why)}
		}
	}
	ctx, cancel := context.WithTimeout(ctx, b.opt.SourcesTimeout)
	defer cancel()
	b.lg.Info("source command", logPlatform, m.Platform, logWorkspace, m.Workspace, logUser, m.User, "op", op.verb, "url", op.url)
	text, err := b.runSources(ctx, op)
	if err != nil {
		b.lg.Warn("source command failed", logPlatform, m.Platform, logUser, m.User, "op", op.verb, "url", op.url, logErr, err)
		why := err.Error()
		if errors.Is(err, context.DeadlineExceeded) {
			why = sourcesTimeoutMsg
		}
		text = couldNot(op.verb, op.url, why)
	}
	return Reply{Kind: KindAdmin, Question: q, Text: text}
}

func (b *Bot) runSources(ctx context.Context, op sourcesOp) (string, error) {
	s := b.opt.Sources
	switch op.verb {
	case "add":
		a, err := s.AddURL(ctx, op.url)
		if err != nil {
			return "", err
		}
		return indexedText(a), nil
	case "feeds add":
		return s.AddFeed(ctx, op.url)
	case "feeds remove":
		if err := s.RemoveFeed(ctx, op.url); err != nil {
			return "", err
		}
		return "Unsubscribed from " + op.url + ". Articles already indexed stay.", nil
	case "feeds list":
		lines, err := s.ListFeeds(ctx)
		if err != nil {
			return "", err
		}
		if len(lines) == 0 {
			return noFeedsText, nil
		}
		return strings.Join(lines, "\n"), nil
	}
	return "", fmt.Errorf("unknown command %q", op.verb)
}

// couldNot words a failed source command, keeping the reason.
func couldNot(verb, u, why string) string {
	switch verb {
	case "feeds remove":
		return "Couldn't remove " + u + ": " + why
	case "feeds list":
		return "Couldn't list the feeds: " + why
	}
	return "Couldn't add " + u + ": " + why
}

// indexedText says what was indexed: "Indexed “Title” · Outlet · as of
// 2 Jan 2006 · 7 paragraphs".
func indexedText(a retrieval.Article) string {
	title := a.Title
	if title == "" {
		title = a.URL
	}
	parts := []string{"Indexed “" + title + "”"}
	if a.Outlet != "" {
		parts = append(parts, a.Outlet)
	}
	if d := AsOf(a.Published); d != "" {
		parts = append(parts, d)
	}
	parts = append(parts, plural(len(a.Paragraphs), "paragraph"))
	return strings.Join(parts, " · ")
}
