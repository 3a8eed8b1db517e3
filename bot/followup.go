package bot

import (
	"regexp"
	"strings"
	"time"

	"github.com/byline-news/byline/retrieval"
	"github.com/byline-news/byline/retrieval/analysis"
)

// asked is a question made ready to search and answer.
type asked struct {
	query   retrieval.Query     // Text and time bounds; the caller sets K
	extract string              // the question answer.Extract answers (see tr)
	tr      retrieval.TimeRange // the time words; tr.ExtractText(extract, hits) is what is answered
	shown   string              // Reply.Question: the question as answered
}

// maxContextWords caps the words a follow-up borrows from the earlier
// question, so a long earlier message cannot swamp the new one.
const maxContextWords = 8

// plan turns a question into a search, as `byline ask` does: time words
// become a date filter that undated articles pass, and are not searched
// for (unless they name a year or month, which stays in the question
// throughout). Like ask, they are not given to answer.Extract either: the date
// filter already honours them, and as question words no paragraph
// contains they cost enough confidence to make "what happened to the
// bridge yesterday?" abstain. In a thread, a question that leans on the
// one before ("what did he deny?", "and Panetta?") borrows that
// question's words and names, and its time words when it has none.
func plan(question string, history []Turn, now time.Time) asked {
	tr, timed := retrieval.ParseTimeRange(question, now)
	bare := tr.WithoutPhrase(question)
	a := asked{query: retrieval.Query{Text: bare}, extract: bare, shown: question}
	if tr.Named { // a year or month: undated articles can match it only by words
		a.query.Text, a.extract = question, question
	}
	if prev := previousQuestion(history, question); prev != "" && needsContext(bare) {
		ptr, ptimed := retrieval.ParseTimeRange(prev, now)
		a = withContext(question, bare, ptr.WithoutPhrase(prev))
		if !timed && ptimed {
			tr, timed = ptr, true
		}
	}
	if timed {
		a.query.Since, a.query.Until, a.query.KeepUndated = tr.Since, tr.Until, true
		a.tr = tr
	}
	return a
}

// mention matches Slack (<@U123|name>, <#C1>, <!here>) and Discord
// (<@123>, <@!123>, <@&role>) mentions, which are not words of a question.
var mention = regexp.MustCompile(`<[@#!][^>]*>`)

// clean removes mentions from a message and normalises its spaces, so
// "<@U0BOT> what did\nLiang deny?" is the question "what did Liang deny?".
func clean(text string) string {
	return strings.Join(strings.Fields(mention.ReplaceAllString(text, " ")), " ")
}

// previousQuestion returns the most recent earlier question asked by a
// person in the thread, or "". Adapters may pass the current message as
// the last turn (Slack's conversations.replies includes it), so a last
// turn equal to the question is skipped.
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
		if isHelp(text) || isStats(text) || len(analysis.Terms(text)) == 0 {
			continue
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

// withContext builds the search for a follow-up from the earlier
// question prev (time words removed). A personal pronoun is replaced by
// the earlier question's name, so "what did he deny?" is answered as
// "what did Liang deny?". The earlier content words the question lacks
// are added to the search, and, when no name was substituted and the
// question is too short to say what it asks ("what about Panetta?"), to
// the extracted question too.
func withContext(question, bare, prev string) asked {
	ptoks := analysis.Tokens(prev)
	names := namesIn(prev, ptoks, analysis.Tokens(bare))
	a := asked{extract: bare, shown: question}
	resolved := len(names) > 0 && hasPersonal(bare)
	if resolved {
		bare = substitute(bare, names)
		a.extract, a.shown = bare, substitute(question, names)
	}
	ownNames := len(namesIn(bare, analysis.Tokens(bare), nil)) > 0
	words := contextWords(prev, ptoks, bare, ownNames)
	a.query.Text = strings.TrimSpace(bare + " " + words)
	if words != "" && !resolved {
		a.shown = question + " (" + words + ")"
		if len(analysis.Terms(bare)) < 2 {
			a.extract = bare + " " + words
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
