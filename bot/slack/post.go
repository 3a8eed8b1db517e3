package slack

import (
	"cmp"
	"context"
	"fmt"
	"strings"

	slackgo "github.com/slack-go/slack"

	"github.com/byline-news/byline/bot"
)

// Caps of a story list: one section per story keeps each within
// Slack's section limit whatever the quote.
const (
	maxStories    = 20
	maxStoryQuote = 300
)

var _ bot.Poster = (*Adapter)(nil)

// Post posts r in the channel ch unasked (bot.Poster): a watched story,
// a digest or a briefing. Slack retries are waited out as for answers.
func (a *Adapter) Post(ctx context.Context, ch bot.Channel, r bot.Reply) error {
	if ch.Platform != "" && ch.Platform != "slack" {
		return fmt.Errorf("slack cannot post to a %s channel (%s)", ch.Platform, ch)
	}
	_, err := a.post(ctx, ch.ID, "", render(r, renderOpts{}))
	switch {
	case err == nil:
		return nil
	case isSlackError(err, goneCodes...):
		return fmt.Errorf("post %s to %s: %w: %w", r.Kind, ch, bot.ErrChannelGone, err)
	}
	return fmt.Errorf("post %s to %s: %w", r.Kind, ch, err)
}

// goneCodes are the Web API errors that say the bot can no longer post
// in a channel, whatever it retries: the channel was deleted
// (channel_not_found) or archived, the bot was removed from it, or the
// workspace denies it the channel.
var goneCodes = []string{"channel_not_found", "is_archived", "channel_is_archived", "not_in_channel", "access_denied"}

// isStoryList reports whether r lists stories one line each.
func isStoryList(k bot.Kind) bool {
	return k == bot.KindWatch || k == bot.KindDigest || k == bot.KindBriefing
}

// renderStories is a story list: the heading as a section, then one
// section per story, "<url|Title> · Outlet · date", with the sentence
// quoted under it for a watch.
func renderStories(r bot.Reply) message {
	srcs := r.Sources[:min(len(r.Sources), maxStories)]
	blocks := []slackgo.Block{slackgo.NewSectionBlock(mrkdwn(escape(clip(oneLine(replyText(r)), maxSectionText))), nil, nil)}
	lines := []string{escape(oneLine(replyText(r)))}
	for _, s := range srcs {
		line := storyLine(s, r.Kind)
		if r.Kind == bot.KindWatch {
			if q := oneLine(s.Hit.Text); q != "" {
				line += "\n>" + escape(clip(q, maxStoryQuote))
			}
		}
		blocks = append(blocks, slackgo.NewSectionBlock(mrkdwn(line), nil, nil))
		lines = append(lines, "• "+escape(clip(oneLine(cmp.Or(s.Hit.Article.Title, s.Hit.Article.URL, "Untitled")), maxTitle)))
	}
	if n := len(r.Sources) - len(srcs); n > 0 {
		blocks = append(blocks, contextBlock(fmt.Sprintf("…and %d more", n)))
	}
	return message{blocks: blocks, text: clip(strings.Join(lines, "\n"), maxFallback)}
}

// storyLine is one story: its linked headline, outlet and date; a
// briefing shows the time too, in each reader's own time zone (Slack's
// date formatting), with the UTC time as fallback.
func storyLine(s bot.Source, k bot.Kind) string {
	a := s.Hit.Article
	title := escape(clip(oneLine(cmp.Or(a.Title, a.Outlet, a.URL, "Untitled")), maxTitle))
	parts := []string{title}
	if u, ok := linkTarget(a.URL); ok {
		parts[0] = "<" + u + "|" + strings.ReplaceAll(title, "|", "¦") + ">"
	}
	if a.Outlet != "" && a.Outlet != a.Title {
		parts = append(parts, escape(clip(oneLine(a.Outlet), maxOutlet)))
	}
	if p := a.Published; !p.IsZero() {
		format, fallback := "{date_short}", p.UTC().Format("Jan 2, 2006")
		if k == bot.KindBriefing {
			format, fallback = "{date_short} {time}", p.UTC().Format("Jan 2, 2006 15:04 UTC")
		}
		parts = append(parts, fmt.Sprintf("<!date^%d^%s|%s>", p.Unix(), format, fallback))
	}
	if also := bot.AlsoCarried(s.Hit.AlsoCarriedBy); also != "" {
		parts = append(parts, escape(clip(oneLine(also), maxOutlet*3)))
	}
	return strings.Join(parts, " · ")
}
