package bot

import (
	"regexp"
	"strings"
	"sync"
	"time"

	"github.com/byline-news/byline/answer"
	"github.com/byline-news/byline/retrieval"
	"github.com/byline-news/byline/retrieval/analysis"
)

// asked is a question made ready for answer.Ask.
type asked struct {
	question string // what is answered: a follow-up resolved ("what did Liang deny?")
	context  string // words of the earlier question the search adds, and its time words when the question has none
	shown    string // Reply.Question: the question as answered
}

// maxContextWords caps the words a follow-up borrows from the earlier
// question, so a long earlier message cannot swamp the new one.
const maxContextWords = 8

// plan resolves a question asked in a thread. A question that leans on
// the one before ("what did he deny?", "and Panetta?") borrows that
// question's words and names, its time words when it has none, and its
// links; answer.Ask then reads time words as a date filter and links as
// the story meant, as for any question.
func plan(question string, history []Turn, now time.Time) asked {
	a := asked{question: question, shown: question}
	tr, timed := retrieval.ParseTimeRange(question, now)
	bare := tr.WithoutPhrase(question)
	prev, links := answer.CutLinks(previousQuestion(history, question))
	prev = answer.Read(prev) // without its chat framing ("sorry to bother, but")
	if prev == "" || !needsContext(bare) {
		return a
	}
	ptr, ptimed := retrieval.ParseTimeRange(prev, now)
	a = withContext(question, bare, ptr.WithoutPhrase(prev))
	if !timed && ptimed {
		a.context = strings.TrimSpace(a.context + " " + ptr.Phrase)
	}
	// The story the earlier question linked to is still the one asked
	// about; answer.Ask reads the link, and its parts are no words.
	for _, l := range links {
		a.context = strings.TrimSpace(a.context + " " + l)
	}
	return a
}

// mention matches Slack (<@U123|name>, <#C1>, <!here>) and Discord
// (<@123>, <@!123>, <@&role>, and @everyone and @here, which Discord
// sends as typed) mentions, and emoji written as text:
// Slack's shortcodes (:pray:, :thinking_face:, :+1:) and Discord's custom
// emoji (<:pepe:1234>, <a:wave:5678>). None is a word of a question, and
// a shortcode's words ("thinking face") would be searched as if they were.
// A shortcode holds a letter, so a time ("10:30:45") is left alone.
var mention = regexp.MustCompile(`<[@#!][^>]*>|(?i:@(?:everyone|here))\b|<a?:\w+:\d+>|:[a-z0-9_+'-]*[a-z][a-z0-9_+'-]*:`)

// clean removes mentions and emoji from a message and normalises its
// spaces, so "<@U0BOT> what did\nLiang deny? :pray:" is the question
// "what did Liang deny?".
func clean(text string) string {
	return strings.Join(strings.Fields(mention.ReplaceAllString(text, " ")), " ")
}

// addressed returns m with the bot's name taken out where the message
// addresses the bot by it, in its text and its thread's earlier turns:
// "byline, what did Liang deny?", "hey @byline what…", "what did Liang
// deny, byline?". The name elsewhere in a sentence is left ("whose
// byline is on the story?").
func addressed(m Message) Message {
	if strings.TrimSpace(m.BotName) == "" {
		return m
	}
	v := vocativesOf(strings.TrimSpace(m.BotName))
	strip := func(s string) string {
		s = v.lead.ReplaceAllString(clean(s), "")
		return v.tail.ReplaceAllString(s, "$1")
	}
	m.Text = strip(m.Text)
	if len(m.History) > 0 {
		h := make([]Turn, len(m.History))
		for i, t := range m.History {
			h[i] = t
			if !t.FromBot {
				h[i].Text = strip(t.Text)
			}
		}
		m.History = h
	}
	return m
}

// vocatives match a bot's name addressing it: at the start of a
// message, after a greeting or not ("hey byline, …"), or last, after a
// comma ("…, byline?").
type vocatives struct{ lead, tail *regexp.Regexp }

// vocativeCache holds each bot name's vocatives: a process serves one
// or two names, and a message should not compile them again.
var vocativeCache sync.Map // name → vocatives

func vocativesOf(name string) vocatives {
	if v, ok := vocativeCache.Load(name); ok {
		return v.(vocatives)
	}
	q := regexp.QuoteMeta(name)
	v := vocatives{
		lead: regexp.MustCompile(`(?i)^\s*(?:(?:hey|hi|hello|ok|okay|yo)[\s,!]+)?@?` + q + `(?:[\s,:;!.]+|$)`),
		tail: regexp.MustCompile(`(?i),\s*@?` + q + `\s*([?!.]*)\s*$`),
	}
	vocativeCache.Store(name, v)
	return v
}

// previousQuestion returns the most recent earlier question asked by a
// person in the thread, or "": thanks and other reactions are skipped.
// Adapters may pass the current message as the last turn (Slack's
// conversations.replies includes it), so a last turn equal to the
// question is skipped.
func previousQuestion(history []Turn, question string) string {
	for i := len(history) - 1; i >= 0; i-- {
		t := history[i]
		if t.FromBot {
			continue
		}
		text := clean(t.Text)
		if i == len(history)-1 && text == question {
			continue
		}
		if isHelp(text) || isStats(text) || len(analysis.Terms(text)) == 0 || OnlyReacts(text) {
			continue // not a question: "help", "thanks!"
		}
		return text
	}
	return ""
}

// pronouns refer back to something named earlier. The last four may also
// be demonstratives or conjunctions ("that"), which is why a pronoun only
// adds the earlier question's words to the search: a wrong guess costs
// little there.
var pronouns = map[string]bool{
	"he": true, "she": true, "they": true, "him": true, "her": true, "his": true,
	"hers": true, "their": true, "theirs": true, "them": true,
	"it": true, "its": true, "that": true, "this": true,
}

// personal pronouns can be replaced by a name; possessive ones take "'s"
// and plural ones stand for every name.
var (
	personal   = map[string]bool{"he": true, "she": true, "him": true, "her": true, "his": true, "hers": true, "they": true, "them": true, "their": true, "theirs": true}
	possessive = map[string]bool{"his": true, "hers": true, "their": true, "theirs": true}
	pluralPron = map[string]bool{"they": true, "them": true, "their": true, "theirs": true}
)

// needsContext reports whether a question (time words removed) leans on
// an earlier one: it has a pronoun, fewer than two content words, or
// starts with "and", "what about" or "how about".
func needsContext(question string) bool {
	toks := analysis.Tokens(question)
	content := 0
	for _, t := range toks {
		if t.Stop && pronouns[t.Word] {
			return true
		}
		if !t.Stop {
			content++
		}
	}
	if content < 2 || len(toks) > 0 && toks[0].Word == "and" {
		return true
	}
	return len(toks) > 1 && toks[1].Word == "about" && (toks[0].Word == "what" || toks[0].Word == "how")
}

// withContext resolves a follow-up from the earlier question prev (time
// words removed); bare is the question without its own time words. A
// personal pronoun is replaced by the earlier question's name, so "what
// did he deny?" is answered as "what did Liang deny?". The earlier
// content words the question lacks are added to the search, and, when no
// name was substituted and the question is too short to say what it
// asks ("what about Panetta?"), to the question answered too.
func withContext(question, bare, prev string) asked {
	ptoks := analysis.Tokens(prev)
	names := namesIn(prev, ptoks, analysis.Tokens(bare))
	a := asked{question: question, shown: question}
	resolved := len(names) > 0 && hasPersonal(bare)
	if resolved {
		bare = substitute(bare, names)
		a.question, a.shown = substitute(question, names), substitute(question, names)
	}
	ownNames := len(namesIn(bare, analysis.Tokens(bare), nil)) > 0
	words := contextWords(prev, ptoks, bare, ownNames)
	a.context = words
	if words != "" && !resolved {
		a.shown = question + " (" + words + ")"
		if len(analysis.Terms(bare)) < 2 {
			a.question, a.context = question+" "+words, ""
		}
	}
	return a
}

// namesIn returns the names in text: runs of capitalised content words,
// not counting the first word, which is capitalised anyway. Names that
// already occur in except are left out: "what did Panetta tell him?"
// after "what did Panetta tell Liang?" means Liang.
func namesIn(text string, toks, except []analysis.Token) []string {
	skip := map[string]bool{}
	for _, t := range except {
		skip[t.Term] = true
	}
	var names []string
	for i := 1; i < len(toks); i++ {
		j := i
		for j < len(toks) && isNameWord(toks[j]) && (j == i || adjacent(text, toks[j-1], toks[j])) {
			j++
		}
		if j > i {
			if !skip[toks[i].Term] {
				names = append(names, text[toks[i].Start:toks[j-1].End])
			}
			i = j - 1
		}
	}
	return names
}

func isNameWord(t analysis.Token) bool { return t.Cap && !t.Stop }

// adjacent reports whether only spaces separate a and b, so "Leon
// Panetta" is one name and "Liang, Panetta" two.
func adjacent(text string, a, b analysis.Token) bool {
	return strings.TrimSpace(text[a.End:b.Start]) == ""
}

// hasPersonal reports whether text has a pronoun that a name can replace.
func hasPersonal(text string) bool {
	for _, t := range analysis.Tokens(text) {
		if t.Stop && personal[t.Word] {
			return true
		}
	}
	return false
}

// substitute replaces the first personal pronoun of text with the first
// name ("his" with "Liang's"; "they" with "Liang and Panetta").
func substitute(text string, names []string) string {
	for _, t := range analysis.Tokens(text) {
		if !t.Stop || !personal[t.Word] {
			continue
		}
		name := names[0]
		if pluralPron[t.Word] && len(names) > 1 {
			name = strings.Join(names[:len(names)-1], ", ") + " and " + names[len(names)-1]
		}
		if possessive[t.Word] {
			name += "'s"
		}
		return text[:t.Start] + name + text[t.End:]
	}
	return text
}

// contextWords returns the content words of the earlier question that
// the new one lacks, as written, space-separated. When the new question
// names someone itself, the earlier names are left out: "and what did
// Panetta say?" after "what did Liang say about cyber attacks?" asks
// about Panetta and cyber attacks, not Liang.
func contextWords(prev string, ptoks []analysis.Token, current string, dropNames bool) string {
	have := map[string]bool{}
	for _, t := range analysis.Terms(current) {
		have[t] = true
	}
	var words []string
	for i, t := range ptoks {
		if t.Stop || have[t.Term] || dropNames && i > 0 && t.Cap {
			continue
		}
		have[t.Term] = true
		words = append(words, prev[t.Start:t.End])
		if len(words) == maxContextWords {
			break
		}
	}
	return strings.Join(words, " ")
}
