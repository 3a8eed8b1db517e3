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

// leadIn matches a question's opening that asks whether the reader knows
// rather than what is so: "does anyone know", "do you remember", "any
// idea", "I was wondering". Its content words ("know", "idea") would be
// searched, and over a small index be words no article has; the
// question proper follows it.
var leadIn = regexp.MustCompile(`(?i)^\W*(?:(?:hey|hi|hello|ok|okay|so)\W+)*` +
	`(?:(?:do|does|did)\s+(?:you|u|ya|anyone|anybody|someone|somebody|any\s+of\s+you)\s+(?:know|remember|recall)` +
	`|(?:any|any1)\s+ideas?|(?:i'?m|i\s+am|i\s+was|was)\s+wondering` +
	`|(?:anyone|anybody|someone|somebody)\s+(?:know|remember|recall))` +
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
