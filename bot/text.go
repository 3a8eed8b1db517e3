package bot

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/byline-news/byline/answer"
	"github.com/byline-news/byline/retrieval"
	"github.com/byline-news/byline/retrieval/analysis"
)

// helpText is plain text without markup, so it reads the same in Slack
// mrkdwn and Discord Markdown.
const helpText = `Ask me a question about the news and I'll answer in a sentence or two, quoting the articles I found it in. For example:
• what did Liang deny?
• what happened last week?
• tunnel (the latest stories on a topic)
• stats (how many articles I have indexed)
Ask follow-ups in the same thread, like "and what did Panetta say?". Time words such as "yesterday" or "in March" limit the search to articles from then.`

// Replies for the kinds that have fixed wording.
const (
	errorText   = "Sorry, something went wrong while I was looking that up. Please try again in a little while."
	timeoutText = "Sorry, that took me too long to look up. Please try again in a little while."
	// unreachableText answers while the database is down (PostgreSQL
	// stopped or cut off): nothing is wrong with the question.
	unreachableText = "I can't reach my index right now. Please try again in a minute."
	notFoundText    = "I couldn't find that in the articles I have indexed."
)

// isHelp reports whether text asks for usage: nothing, "help" or "?".
func isHelp(text string) bool {
	switch strings.ToLower(strings.TrimRight(text, "!. ")) {
	case "", "help", "?", "/help":
		return true
	}
	return false
}

// namesNothing reports whether text, the first message of a thread,
// has no word to search and no link: "hello", "who are you?", "what
// can you do?", or only reacts ("thanks!", "sorry?"). The usage, with
// its examples, answers such a message better than a refusal. Later in
// a thread it may lean on what came before ("and why?"), so it goes to
// the answerer with its history.
func namesNothing(text string, history []Turn) bool {
	rest, links := answer.CutLinks(text)
	return len(history) == 0 && len(links) == 0 && (len(analysis.Terms(rest)) == 0 || OnlyReacts(rest))
}

// OnlyReacts reports whether text only reacts ("thanks!", "nice one",
// "sorry?") and asks nothing. Adapters ask before answering a reply
// without a mention in a thread the bot answered in: such a reply is
// people talking in the thread, and gets no reply; a mention or a direct
// message that only reacts is answered as namesNothing and answer.Ask say.
func OnlyReacts(text string) bool {
	return answer.Reaction(text)
}

// isStats reports whether text asks what the index holds.
func isStats(text string) bool {
	return strings.ToLower(strings.TrimRight(text, "?!. ")) == "stats"
}

func tooLongText(n, limit int) string {
	return fmt.Sprintf("Your question is %s characters long. Please ask in at most %s characters.",
		answer.Thousands(n), answer.Thousands(limit))
}

func rateLimitedText(n int, window, wait time.Duration) string {
	return fmt.Sprintf("You've reached the limit of %d questions a %s. Please try again in %s.",
		n, spellWindow(window), spellWait(wait))
}

// statsText words the index size: "I have indexed 2,127 articles. The
// newest was published on 7 May 2012."
func statsText(st retrieval.Stats) string {
	var s string
	switch st.Articles {
	case 0:
		return "I haven't indexed any articles yet."
	case 1:
		s = "I have indexed 1 article."
	default:
		s = "I have indexed " + answer.Thousands(st.Articles) + " articles."
	}
	if !st.Newest.IsZero() {
		s += " The newest was published on " + st.Newest.Format(dateLayout) + "."
	}
	return s
}

// dateLayout is the day format users read: unambiguous on both sides of
// the Atlantic.
const dateLayout = "2 Jan 2006"

// AsOf words an article's publication date for a source line, "as of 7
// May 2012", so readers can judge how old the evidence is; "" when the
// date is unknown.
func AsOf(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return "as of " + t.Format(dateLayout)
}

// spellWindow words a rate window as in "in the last minute".
func spellWindow(d time.Duration) string {
	switch d {
	case time.Minute:
		return "minute"
	case time.Hour:
		return "hour"
	}
	return spellWait(d)
}

// spellWait words a wait, rounded up so the user never retries too early.
func spellWait(d time.Duration) string {
	secs := int((d + time.Second - 1) / time.Second)
	switch {
	case secs < 1:
		return "1 second"
	case secs < 60:
		return plural(secs, "second")
	case secs < 3600:
		return plural((secs+59)/60, "minute")
	}
	return plural((secs+3599)/3600, "hour")
}

func plural(n int, unit string) string {
	if n == 1 {
		return "1 " + unit
	}
	return strconv.Itoa(n) + " " + unit + "s"
}
