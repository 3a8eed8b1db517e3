package discord

import (
	"cmp"
	"fmt"
	"net/url"
	"regexp"
	"strings"
	"unicode"
	"unicode/utf16"

	"github.com/bwmarrin/discordgo"

	"github.com/byline-news/byline/answer"
	"github.com/byline-news/byline/bot"
)

// Discord's limits (developers/resources/message.mdx), and our own caps
// for compact source lines.
const (
	maxContent     = 2000
	maxDescription = 4096
	maxSources     = 10
	maxTitle       = 200
	maxOutlet      = 80
	embedColor     = 0x2B6CB0
	sourcesTitle   = "Sources"
)

// quoteLens are the quote lengths tried, longest first, until every
// source fits the embed's description.
var quoteLens = []int{300, 160, 80, 0}

// Texts used when a reply comes without one.
const (
	defaultErrorText     = "Sorry, something went wrong while I was looking that up. Please try again in a little while."
	defaultAbstainedText = "I couldn't find that in the articles I have indexed."
)

// Button custom IDs: the prefix, then the stored answer's short ID.
const (
	helpfulPrefix   = "byline:up:"
	unhelpfulPrefix = "byline:down:"
)

// message is a rendered Discord message.
type message struct {
	content    string
	embeds     []*discordgo.MessageEmbed
	components []discordgo.MessageComponent
	private    bool // for the asker only, where Discord allows it
}

// render turns a reply into a message within Discord's limits: the text
// as content, the sources as one embed, and 👍/👎 buttons when id is set.
func (a *Adapter) render(r bot.Reply, id string) message {
	text := escape(replyText(r))
	if r.Kind == bot.KindHelp {
		text += "\n\n" + a.usage()
	}
	m := message{content: fit(text, maxContent), private: private(r.Kind)}
	if r.Kind == bot.KindAnswer && len(r.Sources) > 0 {
		m.embeds = []*discordgo.MessageEmbed{{
			Type: discordgo.EmbedTypeRich, Title: sourcesTitle, Color: embedColor, Description: describe(r.Sources),
		}}
	}
	if id != "" {
		m.components = feedbackButtons(id)
	}
	return m
}

// private reports whether a reply of kind k is for the asker only.
func private(k bot.Kind) bool {
	switch k {
	case bot.KindHelp, bot.KindRateLimited, bot.KindRejected, bot.KindError, bot.KindAdmin:
		return true
	}
	return false
}

// replyText is the reply's text, or a default when the core sent none.
func replyText(r bot.Reply) string {
	if strings.TrimSpace(r.Text) != "" {
		return r.Text
	}
	if r.Kind == bot.KindAbstained {
		return defaultAbstainedText
	}
	return defaultErrorText
}

// usage says how to ask in Discord; it follows the core's help text.
func (a *Adapter) usage() string {
	s := "In Discord: type `/" + CommandName + "` and your question, or mention me. " +
		"For a follow-up, reply to my answer or mention me again in the thread"
	if a.opt.MessageContent {
		s += " (in a thread where I answered, no mention is needed)"
	}
	return s + "."
}

// noMentions lets a message ping nobody: not users, roles, @everyone or
// @here, whatever its text says. Parse must be an empty list, not null.
func noMentions() *discordgo.MessageAllowedMentions {
	return &discordgo.MessageAllowedMentions{Parse: []discordgo.AllowedMentionType{}}
}

// responseData is m as an interaction response's data.
func (m message) responseData(ephemeral bool) *discordgo.InteractionResponseData {
	d := &discordgo.InteractionResponseData{
		Content: m.content, Embeds: m.embeds, Components: m.components, AllowedMentions: noMentions(),
	}
	if ephemeral {
		d.Flags = discordgo.MessageFlagsEphemeral
	}
	return d
}

// edit is m as an edit of an interaction's original response.
func (m message) edit() *discordgo.WebhookEdit {
	embeds, components := m.embeds, m.components
	if embeds == nil {
		embeds = []*discordgo.MessageEmbed{}
	}
	if components == nil {
		components = []discordgo.MessageComponent{}
	}
	return &discordgo.WebhookEdit{Content: &m.content, Embeds: &embeds, Components: &components, AllowedMentions: noMentions()}
}

// send is m as a channel message replying to ref.
func (m message) send(ref *discordgo.MessageReference) *discordgo.MessageSend {
	return &discordgo.MessageSend{
		Content: m.content, Embeds: m.embeds, Components: m.components, AllowedMentions: noMentions(), Reference: ref,
	}
}

// describe lists the sources, one block each: the numbered, linked title,
// outlet and date, then the quoted passage; quotes are shortened, then
// sources dropped, until the list fits an embed's description.
func describe(srcs []answer.Source) string {
	srcs = srcs[:min(len(srcs), maxSources)]
	for _, ql := range quoteLens {
		if d := sourceBlocks(srcs, ql); textLen(d) <= maxDescription {
			return d
		}
	}
	for n := len(srcs) - 1; n > 0; n-- {
		d := sourceBlocks(srcs[:n], 0) + fmt.Sprintf("\n\n…and %d more", len(srcs)-n)
		if textLen(d) <= maxDescription {
			return d
		}
	}
	return fit(sourceBlocks(srcs[:1], 0), maxDescription)
}

func sourceBlocks(srcs []answer.Source, quoteLen int) string {
	blocks := make([]string, len(srcs))
	for i, s := range srcs {
		blocks[i] = sourceBlock(s, quoteLen)
	}
	return strings.Join(blocks, "\n\n")
}

// sourceBlock is "**[1]** [Title](url) · Outlet · as of 7 May 2012",
// then "> the quoted passage" when quoteLen > 0.
func sourceBlock(s answer.Source, quoteLen int) string {
	a := s.Hit.Article
	title := escape(fit(oneLine(cmp.Or(a.Title, a.Outlet, a.URL, "Untitled")), maxTitle))
	if u, ok := linkURL(a.URL); ok {
		title = "[" + title + "](" + u + ")"
	}
	parts := []string{fmt.Sprintf("**\\[%d\\]** %s", s.N, title)}
	if a.Outlet != "" && a.Outlet != a.Title {
		parts = append(parts, escape(fit(oneLine(a.Outlet), maxOutlet)))
	}
	if asOf := bot.AsOf(a.Published); asOf != "" {
		parts = append(parts, asOf)
	}
	if also := bot.AlsoCarried(s.Hit.AlsoCarriedBy); also != "" {
		parts = append(parts, escape(fit(oneLine(also), maxOutlet*3)))
	}
	block := strings.Join(parts, " · ")
	if q := oneLine(bot.Quote(s, quoteLen)); quoteLen > 0 && q != "" {
		block += "\n> " + escape(q)
	}
	return block
}

// feedbackButtons are 👍 and 👎 for the stored answer id.
func feedbackButtons(id string) []discordgo.MessageComponent {
	return []discordgo.MessageComponent{discordgo.ActionsRow{Components: []discordgo.MessageComponent{
		discordgo.Button{Label: "Helpful", Style: discordgo.SecondaryButton,
			Emoji: &discordgo.ComponentEmoji{Name: "👍"}, CustomID: helpfulPrefix + id},
		discordgo.Button{Label: "Not helpful", Style: discordgo.SecondaryButton,
			Emoji: &discordgo.ComponentEmoji{Name: "👎"}, CustomID: unhelpfulPrefix + id},
	}}}
}

var (
	// inlineMarkup are the characters Discord's Markdown gives meaning
	// anywhere in a line: emphasis, code, spoilers, masked links, and <…>
	// mentions, channels and timestamps.
	inlineMarkup = strings.NewReplacer(`\`, `\\`, `*`, `\*`, `_`, `\_`, `~`, `\~`, "`", "\\`",
		`|`, `\|`, `[`, `\[`, `]`, `\]`, `<`, `\<`)
	// lineMarkup is a heading, quote or list marker starting a line.
	lineMarkup = regexp.MustCompile(`(?m)^(\s*)([#>\-+])`)
	// massMention is @everyone or @here typed as text.
	massMention = regexp.MustCompile(`(?i)@(everyone|here)\b`)
)

// escape makes text from articles or users show literally in Discord
// Markdown: no formatting, links or mentions. A zero-width space after
// "@" in @everyone and @here backs up allowed_mentions.
func escape(s string) string {
	s = lineMarkup.ReplaceAllString(inlineMarkup.Replace(s), `$1\$2`)
	return massMention.ReplaceAllString(s, "@\u200b$1")
}

// linkURL returns u ready for a Markdown link target, or false when u
// is not an absolute http(s) URL.
func linkURL(u string) (string, bool) {
	p, err := url.Parse(strings.TrimSpace(u))
	if err != nil || (p.Scheme != "http" && p.Scheme != "https") || p.Host == "" {
		return "", false
	}
	return strings.NewReplacer("(", "%28", ")", "%29", " ", "%20", "<", "%3C", ">", "%3E").Replace(p.String()), true
}

// oneLine collapses all white space, newlines included, to single spaces.
func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }

// textLen counts s in UTF-16 code units, never fewer than its characters,
// so a limit checked with it holds however Discord counts.
func textLen(s string) int {
	n := 0
	for _, r := range s {
		n += max(utf16.RuneLen(r), 1)
	}
	return n
}

// fit returns s, or s cut to at most limit characters at a paragraph,
// line, sentence or word boundary, with an ellipsis. A cut never leaves
// half of a backslash escape.
func fit(s string, limit int) string {
	if textLen(s) <= limit {
		return s
	}
	end := prefixBytes(s, limit-1)
	head := s[:end]
	for _, sep := range []string{"\n\n", "\n", ". ", " "} {
		if i := strings.LastIndex(head, sep); i > end/2 {
			head = head[:i+len(sep)]
			break
		}
	}
	head = strings.TrimRightFunc(head, unicode.IsSpace)
	if n := len(head) - len(strings.TrimRight(head, `\`)); n%2 == 1 {
		head = head[:len(head)-1]
	}
	return head + "…"
}

// prefixBytes is the byte length of the longest prefix of s whose
// textLen is at most limit.
func prefixBytes(s string, limit int) int {
	n := 0
	for i, r := range s {
		n += max(utf16.RuneLen(r), 1)
		if n > limit {
			return i
		}
	}
	return len(s)
}
