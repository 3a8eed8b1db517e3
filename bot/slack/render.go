package slack

import (
	"cmp"
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf16"

	slackgo "github.com/slack-go/slack"

	"github.com/byline-news/byline/bot"
)

// Slack's limits (api.slack.com/reference/block-kit, chat.postMessage),
// and our own caps for compact source lines.
const (
	maxSectionText = 3000
	maxBlocks      = 50
	maxFallback    = 40000
	maxSources     = 10
	maxTitle       = 200
	maxOutlet      = 80
	maxQuoted      = 300 // a question repeated back
)

// Button action IDs; each button's value is the stored answer's ID.
const (
	actionShare     = "byline_share"
	actionHelpful   = "byline_helpful"
	actionUnhelpful = "byline_unhelpful"
	actionsBlockID  = "byline_actions"
)

// Context lines of generated answers: while the model writes one, and
// under the finished one.
const (
	writingNote   = "✍️ Writing…"
	generatedNote = "Summary written by a language model from the sources below."
)

// Texts used when a reply comes without one.
const (
	defaultErrorText     = "Sorry, something went wrong while I was looking that up. Please try again in a little while."
	defaultAbstainedText = "I couldn't find a clear answer in the articles I have indexed."
)

// userID is a Slack user ID, safe to mention.
var userID = regexp.MustCompile(`^[UW][A-Z0-9]{2,20}$`)

// renderOpts says which extras a rendered reply carries.
type renderOpts struct {
	id       string // stored answer ID for the buttons; "" = no buttons
	share    bool   // offer "Share in channel" (ephemeral slash answers)
	sharedBy string // the user who shared this answer into the channel
	usage    string // an extra context line, e.g. how to ask in Slack
}

// render turns a reply into a message within Slack's limits: the text in
// mrkdwn sections, one context line per source, then the buttons.
func render(r bot.Reply, o renderOpts) message {
	if isStoryList(r.Kind) {
		return renderStories(r)
	}
	var head, tail []slackgo.Block
	if userID.MatchString(o.sharedBy) {
		head = append(head, contextBlock(fmt.Sprintf("<@%s> asked: %s", o.sharedBy, escape(clip(oneLine(r.Question), maxQuoted)))))
	}
	if searched := searchedNote(r); searched != "" {
		head = append(head, contextBlock(searched))
	}
	if answered(r) && r.Note != "" {
		head = append(head, contextBlock(escape(clip(oneLine(r.Note), maxQuoted))))
	}
	if generated(r) {
		tail = append(tail, contextBlock(generatedNote))
	}
	if r.Kind == bot.KindAbstained && len(r.Sources) > 0 {
		// The closest stories, said to be no answer.
		tail = append(tail, contextBlock(bot.ClosestStories))
	}
	for i, s := range r.Sources {
		if i == maxSources {
			break
		}
		tail = append(tail, contextBlock(sourceLine(s)))
	}
	if o.usage != "" {
		tail = append(tail, contextBlock(o.usage))
	}
	if o.id != "" {
		tail = append(tail, actionBlock(o.id, o.share))
	}
	body := sections(bodyText(r), maxBlocks-len(head)-len(tail))
	return message{blocks: slices.Concat(head, body, tail), text: fallbackText(r)}
}

// searchedNote says what was searched when the core corrected the
// question's spelling, for an answer or an abstention; "" otherwise.
func searchedNote(r bot.Reply) string {
	if r.Searched == "" || !answered(r) {
		return ""
	}
	return "Searched for: " + escape(clip(oneLine(r.Searched), maxQuoted))
}

// renderPartial is a generated answer being written: its text so far and
// a note that more is coming. It carries no sources (the model's
// citations are checked only once it has finished) and no buttons.
func renderPartial(text string) message {
	body := escape(markdownLinks(text))
	if strings.TrimSpace(body) == "" {
		body = "…"
	}
	blocks := append(sections(body, maxBlocks-1), contextBlock(writingNote))
	if slackLen(body) > maxFallback {
		body = shorten(body, maxFallback)
	}
	return message{blocks: blocks, text: body}
}

// generated reports whether r is an answer a model wrote.
func generated(r bot.Reply) bool { return r.Generated && r.Kind == bot.KindAnswer }

// bodyText is the reply's text as mrkdwn: escaped, and for a generated
// answer with each citation [n] linked to source n's page.
func bodyText(r bot.Reply) string {
	text := escape(shownText(r))
	if !generated(r) {
		return text
	}
	urls := map[string]string{}
	for _, s := range r.Sources {
		if u, ok := linkTarget(s.Hit.Article.URL); ok {
			urls[strconv.Itoa(s.N)] = u
		}
	}
	return citationRef.ReplaceAllStringFunc(text, func(ref string) string {
		if u, ok := urls[ref[1:len(ref)-1]]; ok {
			return "<" + u + "|" + ref + ">"
		}
		return ref
	})
}

// shownText is replyText with, for a generated answer, Markdown links
// written out (see markdownLinks).
func shownText(r bot.Reply) string {
	if generated(r) {
		return markdownLinks(replyText(r))
	}
	return replyText(r)
}

var (
	// citationRef is a generated answer's citation of one source.
	citationRef = regexp.MustCompile(`\[\d+\]`)
	// markdownLink is a Markdown link, which mrkdwn would show raw.
	markdownLink = regexp.MustCompile(`\[([^\[\]\n]+)\]\((https?://[^\s()<>]+)\)`)
	// citationLabel is the label of a Markdown link that is a citation.
	citationLabel = regexp.MustCompile(`^[\d\s,]+$`)
)

// markdownLinks writes out the Markdown links a model may put in an
// answer despite being asked for plain text: "[label](url)" becomes
// "label (url)", so the target stays visible, and "[1](url)" stays a
// citation, "[1]".
func markdownLinks(s string) string {
	return markdownLink.ReplaceAllStringFunc(s, func(m string) string {
		sub := markdownLink.FindStringSubmatch(m)
		if citationLabel.MatchString(sub[1]) {
			return "[" + sub[1] + "]"
		}
		return sub[1] + " (" + sub[2] + ")"
	})
}

// replyText is the reply's text, or a default when the core sent none.
func replyText(r bot.Reply) string {
	if strings.TrimSpace(r.Text) != "" {
		return r.Text
	}
	switch r.Kind {
	case bot.KindAbstained:
		return defaultAbstainedText
	default:
		return defaultErrorText
	}
}

// sections splits mrkdwn text into at most room section blocks of at
// most maxSectionText characters each, shortening the last when the text
// does not fit.
func sections(text string, room int) []slackgo.Block {
	chunks := split(text, maxSectionText)
	if len(chunks) > room {
		chunks = chunks[:room]
		chunks[room-1] = withEllipsis(chunks[room-1], maxSectionText)
	}
	out := make([]slackgo.Block, len(chunks))
	for i, c := range chunks {
		out[i] = slackgo.NewSectionBlock(mrkdwn(c), nil, nil)
	}
	return out
}

// sourceLine is one compact citation: "[1] <url|title> · outlet · as of date".
func sourceLine(s bot.Source) string {
	a := s.Hit.Article
	title := escape(clip(oneLine(cmp.Or(a.Title, a.Outlet, a.URL, "Untitled")), maxTitle))
	ref := title
	if u, ok := linkTarget(a.URL); ok {
		ref = "<" + u + "|" + strings.ReplaceAll(title, "|", "¦") + ">"
	}
	parts := []string{fmt.Sprintf("[%d] %s", s.N, ref)}
	if a.Outlet != "" && a.Outlet != a.Title {
		parts = append(parts, escape(clip(oneLine(a.Outlet), maxOutlet)))
	}
	if !a.Published.IsZero() {
		parts = append(parts, "as of "+a.Published.UTC().Format("Jan 2, 2006"))
	}
	if also := bot.AlsoCarried(s.Hit.AlsoCarriedBy); also != "" {
		parts = append(parts, escape(clip(oneLine(also), maxOutlet*3)))
	}
	return strings.Join(parts, " · ")
}

// actionBlock holds the 👍/👎 buttons, and "Share in channel" if asked.
func actionBlock(id string, share bool) slackgo.Block {
	var els []slackgo.BlockElement
	if share {
		els = append(els, slackgo.NewButtonBlockElement(actionShare, id, plainText("Share in channel")).WithStyle(slackgo.StylePrimary))
	}
	els = append(els,
		slackgo.NewButtonBlockElement(actionHelpful, id, plainText("👍 Helpful")),
		slackgo.NewButtonBlockElement(actionUnhelpful, id, plainText("👎 Not helpful")))
	return slackgo.NewActionBlock(actionsBlockID, els...)
}

// fallbackText is the plain notification text: the answer, then its
// sources by title.
func fallbackText(r bot.Reply) string {
	var b strings.Builder
	b.WriteString(escape(shownText(r)))
	for i, s := range r.Sources {
		if i == maxSources {
			break
		}
		a := s.Hit.Article
		fmt.Fprintf(&b, "\n[%d] %s", s.N, escape(clip(oneLine(cmp.Or(a.Title, a.URL, "Untitled")), maxTitle)))
		if a.Outlet != "" && a.Outlet != a.Title {
			b.WriteString(" · " + escape(clip(oneLine(a.Outlet), maxOutlet)))
		}
	}
	if slackLen(b.String()) <= maxFallback {
		return b.String()
	}
	return shorten(b.String(), maxFallback)
}

func contextBlock(text string) slackgo.Block {
	return slackgo.NewContextBlock("", mrkdwn(text))
}

func mrkdwn(text string) *slackgo.TextBlockObject {
	return slackgo.NewTextBlockObject(slackgo.MarkdownType, text, false, false)
}

func plainText(text string) *slackgo.TextBlockObject {
	return slackgo.NewTextBlockObject(slackgo.PlainTextType, text, true, false)
}

// slackLen counts s in UTF-16 code units, never fewer than its
// characters, so a limit checked with it holds however Slack counts.
func slackLen(s string) int {
	n := 0
	for _, r := range s {
		n += max(utf16.RuneLen(r), 1)
	}
	return n
}

// clip shortens plain (unescaped) s to at most limit characters.
func clip(s string, limit int) string {
	if slackLen(s) <= limit {
		return s
	}
	return shorten(s, limit)
}

// split cuts s into chunks of at most limit characters, preferring
// paragraph, line, sentence and word boundaries, in that order.
func split(s string, limit int) []string {
	var out []string
	for slackLen(s) > limit {
		cut := max(cutPoint(s, limit), 1)
		out = append(out, strings.TrimRightFunc(s[:cut], unicode.IsSpace))
		s = strings.TrimLeftFunc(s[cut:], unicode.IsSpace)
	}
	if s != "" || len(out) == 0 {
		out = append(out, s)
	}
	return out
}

// withEllipsis marks s as cut short, keeping it within limit.
func withEllipsis(s string, limit int) string {
	if slackLen(s)+2 <= limit {
		return s + " …"
	}
	return shorten(s, limit)
}

// shorten cuts s, which is longer than limit, to at most limit
// characters, an ellipsis included.
func shorten(s string, limit int) string {
	head := s[:cutPoint(s, limit-1)]
	return strings.TrimRightFunc(head, unicode.IsSpace) + "…"
}

// cutPoint is the byte offset where a chunk of s of at most limit
// characters should end: after the last boundary in its second half,
// else at the limit itself, but never inside an &entity;.
func cutPoint(s string, limit int) int {
	end := prefixBytes(s, limit)
	head := s[:end]
	for _, sep := range []string{"\n\n", "\n", ". ", " "} {
		if i := strings.LastIndex(head, sep); i > end/2 {
			return i + len(sep)
		}
	}
	if amp := strings.LastIndexByte(head, '&'); amp > 0 && !strings.Contains(head[amp:], ";") {
		return amp
	}
	return end
}

// prefixBytes is the byte length of the longest prefix of s whose
// slackLen is at most limit.
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

// answered reports whether r replies to a question: an answer or an
// abstention.
func answered(r bot.Reply) bool { return r.Kind == bot.KindAnswer || r.Kind == bot.KindAbstained }
