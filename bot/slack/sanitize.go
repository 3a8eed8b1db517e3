package slack

import (
	"cmp"
	"net/url"
	"regexp"
	"strings"

	"github.com/byline-news/byline/bot"
)

// zwsp is a zero-width space: put after "@" it stops Slack from reading
// "@here" as a mention while the text looks unchanged.
const zwsp = "\u200b"

var (
	// slackToken is any <…> sequence: mentions, channels, links, dates.
	slackToken = regexp.MustCompile(`<([^<>]*)>`)
	// controlSeq is a <…> sequence that can ping or link to people.
	controlSeq = regexp.MustCompile(`<[!@#][^<>]*>`)
	// bareMention is a mass mention typed as plain text.
	bareMention = regexp.MustCompile(`(?i)@(here|channel|everyone)\b`)
	// linkToken is a link to a web page, with or without a label.
	linkToken = regexp.MustCompile(`<(https?://[^|<>]*)(?:\|[^<>]*)?>`)
	// leadingUser is a user mention at the start of a message.
	leadingUser = regexp.MustCompile(`^\s*<@[A-Z0-9]+(?:\|[^<>]*)?>`)

	escaper   = strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;")
	unescaper = strings.NewReplacer("&lt;", "<", "&gt;", ">", "&amp;", "&")
)

// escape makes text that came from articles or users safe to show as
// mrkdwn: mentions are disarmed, bidirectional controls removed and &, <
// and > escaped, so it can neither ping anyone, reorder what follows,
// nor inject links or formatting sequences.
func escape(s string) string {
	return escaper.Replace(neutralise(bot.NeutraliseBidi(s)))
}

// neutralise rewrites Slack's mention sequences (<!channel>, <!here>,
// <!everyone>, <!subteam^…>, <@U…>) and bare @here, @channel and
// @everyone into look-alikes that do not notify anyone.
func neutralise(s string) string {
	s = controlSeq.ReplaceAllStringFunc(s, func(tok string) string {
		return inert(tok[1 : len(tok)-1])
	})
	return bareMention.ReplaceAllString(s, "@"+zwsp+"$1")
}

// inert is the harmless text for the inside of a <…> control sequence.
func inert(inner string) string {
	target, label, _ := strings.Cut(inner, "|")
	label = strings.TrimPrefix(label, "@")
	switch {
	case strings.HasPrefix(target, "#"):
		return "#" + cmp.Or(label, target[1:])
	case strings.HasPrefix(target, "!date^"):
		return label
	case strings.HasPrefix(target, "!subteam^"):
		return "@" + zwsp + cmp.Or(label, "team")
	}
	return "@" + zwsp + cmp.Or(label, target[1:])
}

// plain turns Slack message text into what the user typed: the bot's own
// mention (self) is dropped, other mentions and channels become their
// labels, links their URLs (see linkText), entities are unescaped and
// white space is collapsed.
func plain(s, self string) string {
	s = slackToken.ReplaceAllStringFunc(s, func(tok string) string {
		return tokenText(tok[1:len(tok)-1], self)
	})
	return strings.Join(strings.Fields(unescaper.Replace(s)), " ")
}

// userText is plain(s, self), except that in the admin commands ("add
// <url>", "feeds add <url>") links keep their target rather than their
// label: Slack shows example.com/a but the command needs the URL.
func userText(s, self string) string {
	p := plain(s, self)
	if !bot.IsSourcesCommand(p) {
		return p
	}
	return plain(linkToken.ReplaceAllString(s, "<$1>"), self)
}

// tokenText is the readable text of one <…> sequence.
func tokenText(inner, self string) string {
	target, label, _ := strings.Cut(inner, "|")
	switch {
	case strings.HasPrefix(target, "@"):
		if self != "" && target[1:] == self {
			return ""
		}
		return "@" + strings.TrimPrefix(cmp.Or(label, target[1:]), "@")
	case strings.HasPrefix(target, "#"):
		return "#" + cmp.Or(label, target[1:])
	case strings.HasPrefix(target, "!subteam^"):
		return "@" + strings.TrimPrefix(cmp.Or(label, "team"), "@")
	case strings.HasPrefix(target, "!"):
		return cmp.Or(label, "@"+target[1:])
	case strings.HasPrefix(target, "http://") || strings.HasPrefix(target, "https://"):
		return linkText(target, label)
	}
	return cmp.Or(label, target)
}

// linkText is what the user typed for a link: its URL, which says which
// story a question is about ("what does this say? <https://…|bbc.co.uk/…>"),
// where Slack's label is the URL shortened. Words the user gave the link
// as its label are kept before it.
func linkText(target, label string) string {
	if label == "" || strings.Contains(target, label) {
		return target
	}
	return label + " " + target
}

// stripLeadingMention removes a user mention that starts s; it is used
// for app_mention text before the bot's own ID is known.
func stripLeadingMention(s string) string {
	return leadingUser.ReplaceAllString(s, "")
}

// mentionsOthers reports whether s mentions a user other than self.
func mentionsOthers(s, self string) bool {
	for _, m := range slackToken.FindAllStringSubmatch(s, -1) {
		target, _, _ := strings.Cut(m[1], "|")
		if strings.HasPrefix(target, "@") && target[1:] != self {
			return true
		}
	}
	return false
}

// linkTarget returns u ready to be the target of a <url|label> link, or
// false when u is not an absolute http(s) URL.
func linkTarget(u string) (string, bool) {
	p, err := url.Parse(strings.TrimSpace(u))
	if err != nil || (p.Scheme != "http" && p.Scheme != "https") || p.Host == "" {
		return "", false
	}
	s := strings.NewReplacer("|", "%7C", "<", "%3C", ">", "%3E", " ", "%20").Replace(p.String())
	return strings.ReplaceAll(s, "&", "&amp;"), true
}

// oneLine collapses all white space, newlines included, to single spaces:
// a newline inside a link label breaks the link.
func oneLine(s string) string {
	return strings.Join(strings.Fields(s), " ")
}
