package answer

import (
	"regexp"
	"strings"

	"github.com/byline-news/byline/retrieval/analysis"
)

// asTyped undoes what typing a question in chat adds to it that is no
// part of the question: capitals throughout (unshout), a lead-in that
// asks whether someone knows (unframe), and short forms of the words
// stories write (unabbreviate: "govt", "PM"). Greetings, thanks and
// chat abbreviations such as "thx" need nothing here: they are stop
// words.
func asTyped(question string) string {
	return unabbreviate(unframe(unshout(question)))
}

// Read returns question as Ask reads it before searching: its links set
// aside (CutLinks) and what chat typing adds undone (shouting, a lead-in,
// shorthand). Spelling and time words are read later, by the search and
// Ask. byline eval measures recall on it, so that recall is the chat
// path's.
func Read(question string) string {
	q, _ := CutLinks(question)
	return asTyped(q)
}

// unshout lower-cases a question typed all in capitals ("WHAT DID LIANG
// DENY?", analysis.Shouted): its capitals say nothing, yet every word
// would count as a name. A question in lower case is answered as well as
// one written properly (the casual questions of bbc-chat-dev are).
func unshout(s string) string {
	if analysis.Shouted(s) {
		return strings.ToLower(s)
	}
	return s
}

// opening matches what may open a chat message before its question:
// greetings and fillers ("hey, ", "ok so ", "and ").
const opening = `(?i)^\W*(?:(?:hey|hi|hello|ok|okay|so|yo|and)\W+)*`

// leadIn matches a question's opening that asks whether the reader knows
// rather than what is so ("does anyone know", "do you remember", "any
// idea", "I was wondering"), or asks for a summary ("summarise",
// "explain", "tl;dr", "give me a rundown of"). Its content words
// ("know", "summarise") would be searched, and over a small index be
// words no article has, or find a story that uses them; the question
// proper follows it. Only an opening counts: "how did Hoffman describe
// film culture?" asks about describing.
var leadIn = regexp.MustCompile(opening +
	`(?:(?:do|does|did)\s+(?:you|u|ya|anyone|anybody|someone|somebody|any\s+of\s+you)\s+(?:know|remember|recall)` +
	`|(?:any|any1)\s+ideas?|(?:i'?m|i\s+am|i\s+was|was)\s+wondering` +
	`|(?:anyone|anybody|someone|somebody)\s+(?:know|remember|recall)` +
	`|(?P<summary>(?:(?:can|could|would)\s+(?:you|u)\s+)?(?:pls\s+|please\s+)?(?:summari[sz]e|explain|describe|recap|tl;?dr|sum\s+up)(?:\s+(?:to\s+)?(?:me|us))?` +
	`|(?:give|get|show)\s+(?:me|us)\s+(?:a\s+|the\s+)?(?:quick\s+|short\s+|brief\s+)?(?:summary|rundown|recap|overview|tl;?dr|gist)\s+(?:of|on|about)` +
	`|(?:what'?s|what\s+is)\s+the\s+(?:gist|tl;?dr|summary)\s+(?:of|on|about)))` +
	`(?:\s+(?:if|whether))?[\s,:?!.-]+`)

// unframe drops a lead-in that asks whether the reader knows, when a
// question follows it: "does anyone know who won the cup?" asks who
// won the cup. A message that is all lead-in is left as it is.
func unframe(s string) string {
	loc := leadIn.FindStringIndex(s)
	if loc == nil || strings.TrimSpace(s[loc[1]:]) == "" {
		return s
	}
	return s[loc[1]:]
}

// asksSummary reports whether s asks for a summary of something rather
// than a question about it: "tl;dr the Spector case", "summarise the
// kelp story", but not "explain why the tunnel costs more".
func asksSummary(s string) bool {
	m := leadIn.FindStringSubmatchIndex(s)
	if m == nil || m[2*summaryGroup] < 0 {
		return false
	}
	rest := strings.Fields(strings.ToLower(s[m[1]:]))
	return len(rest) > 0 && !whWords[strings.Trim(rest[0], "?!.,")]
}

var (
	summaryGroup = leadIn.SubexpIndex("summary")
	whWords      = set("what", "whats", "what's", "who", "whom", "whose", "who's", "when", "where", "why", "how", "which",
		"is", "are", "was", "were", "did", "does", "do", "will", "can", "could", "should", "has", "have", "had")
)
