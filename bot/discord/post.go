package discord

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"

	"github.com/bwmarrin/discordgo"

	"github.com/byline-news/byline/bot"
)

// maxStoryQuote caps a watched story's quoted sentence.
const maxStoryQuote = 300

// errNoToken: posting unasked needs the bot token (HTTP interactions
// alone can only answer).
var errNoToken = errors.New("discord needs a bot token to post in a channel")

var _ bot.Poster = (*Adapter)(nil)

// Post posts r in the channel ch unasked (bot.Poster): a watched story,
// a digest or a briefing, as a channel message that pings nobody
// (allowed_mentions parse []). When Discord rejects the embed (400), the
// text is sent alone.
func (a *Adapter) Post(ctx context.Context, ch bot.Channel, r bot.Reply) error {
	if ch.Platform != "" && ch.Platform != "discord" {
		return fmt.Errorf("discord cannot post to a %s channel (%s)", ch.Platform, ch)
	}
	if a.sess == nil {
		return fmt.Errorf("post %s to %s: %w", r.Kind, ch, errNoToken)
	}
	m := a.render(r, "")
	_, err := a.post(ctx, ch.ID, m.send(nil))
	if httpStatus(err) == http.StatusBadRequest && len(m.embeds) > 0 {
		a.log.Warn("discord rejected the post, sending its text only", logChannel, ch.ID, logErr, err)
		_, err = a.post(ctx, ch.ID, message{content: m.fallback}.send(nil))
	}
	switch {
	case err == nil:
		return nil
	case channelGone(err):
		return fmt.Errorf("post %s to %s: %w: %w", r.Kind, ch, bot.ErrChannelGone, err)
	}
	return fmt.Errorf("post %s to %s: %w", r.Kind, ch, err)
}

// channelGone reports whether Discord answered that the bot can no
// longer post in the channel, whatever it retries: Unknown Channel (it
// was deleted) or Missing Access (the bot was removed from the server
// or can no longer see the channel).
func channelGone(err error) bool {
	e, ok := errors.AsType[*discordgo.RESTError](err)
	if !ok || e.Message == nil {
		return false
	}
	return e.Message.Code == discordgo.ErrCodeUnknownChannel || e.Message.Code == discordgo.ErrCodeMissingAccess
}

// isStoryList reports whether r lists stories one line each.
func isStoryList(k bot.Kind) bool {
	return k == bot.KindWatch || k == bot.KindDigest || k == bot.KindBriefing
}

// renderStories is a story list: the heading as content, the stories in
// one embed, a line each, "[Title](url) · Outlet · date", with the
// sentence quoted under it for a watch. The fallback, sent when Discord
// refuses the embed, is the same as text.
func renderStories(r bot.Reply) message {
	head := fit(escape(oneLine(replyText(r))), maxContent)
	fallback := fit(head+"\n"+storyLines(r, 0), maxContent)
	desc := fit(storyLines(r, 0), maxDescription)
	for _, ql := range []int{maxStoryQuote, 120} {
		if d := storyLines(r, ql); textLen(d) <= maxDescription {
			desc = d
			break
		}
	}
	return message{content: head, fallback: fallback, embeds: []*discordgo.MessageEmbed{{
		Type: discordgo.EmbedTypeRich, Color: embedColor, Description: desc}}}
}

// storyLines lists r's stories, quoting a watch's sentence up to quoteLen.
func storyLines(r bot.Reply, quoteLen int) string {
	lines := make([]string, 0, len(r.Sources))
	for _, s := range r.Sources {
		line := storyLine(s, r.Kind)
		if q := oneLine(s.Hit.Text); r.Kind == bot.KindWatch && quoteLen > 0 && q != "" {
			line += "\n> " + escape(fit(q, quoteLen))
		}
		lines = append(lines, line)
	}
	return strings.Join(lines, "\n")
}

// storyLine is one story: linked headline, outlet and date; a briefing
// shows the time too, as a Discord timestamp, which each reader sees in
// their own time zone.
func storyLine(s bot.Source, k bot.Kind) string {
	a := s.Hit.Article
	title := escape(fit(oneLine(cmp.Or(a.Title, a.Outlet, a.URL, "Untitled")), maxTitle))
	if u, ok := linkURL(a.URL); ok {
		title = "[" + title + "](<" + u + ">)"
	}
	parts := []string{"**" + title + "**"}
	if a.Outlet != "" && a.Outlet != a.Title {
		parts = append(parts, escape(fit(oneLine(a.Outlet), maxOutlet)))
	}
	if p := a.Published; !p.IsZero() {
		style := "d"
		if k == bot.KindBriefing {
			style = "f"
		}
		parts = append(parts, fmt.Sprintf("<t:%d:%s>", p.Unix(), style))
	}
	if also := bot.AlsoCarried(s.Hit.AlsoCarriedBy); also != "" {
		parts = append(parts, escape(fit(oneLine(also), maxOutlet*3)))
	}
	return strings.Join(parts, " · ")
}
