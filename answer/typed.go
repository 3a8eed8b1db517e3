package answer

import (
	"regexp"
	"strings"

	"github.com/byline-news/byline/retrieval/analysis"
)

// asTyped undoes what typing a question in chat adds to it that is no
// part of the question: capitals throughout (unshout), thanks after it
// (unsign), an apology or aside and a lead-in that asks whether someone
// knows (unframe), and short forms of the words stories write
// (unabbreviate: "govt", "PM"). Greetings, "thanks" and chat
// abbreviations such as "thx" need nothing here: they are stop words.
func asTyped(question string) string {
	return unabbreviate(unframe(unsign(unshout(question))))
}

// reaction matches a message that only reacts to a reply: thanks,
// praise, an apology or a puzzled "sorry?", "huh?", "what?". It asks
// nothing to search; searched, "sorry?" was corrected to "worry" and got
// the latest stories on worry, and "nice" found the city of Nice.
var reaction = regexp.MustCompile(`(?i)^[\s\pP\pS]*(?:(?:` + reactionWords + `)[\s\pP\pS]*)+$`)

const reactionWords = `sorry|pardon|huh|eh|what|hmm+|wait|oh|ahh?|wow|` + // puzzled
	`thanks?|thank\s+you|thx|ty|cheers|ta|appreciated|` + // thanks
	`ok|okay|k|cool|nice|great|awesome|perfect|brilliant|amazing|excellent|interesting|good|` + // praise
	`got\s+it|makes\s+sense|no\s+worries|np|fair\s+enough|right|sure|yes|yeah|yep|no|nope|lol|haha|hehe|` +
	`that'?s|that\s+is|one|bot|stuff|answer|reply|job|work|very|so|much|really|again|all|mate|a\s+lot|lots|man|then` // fillers

// Reaction reports whether message only reacts to a reply ("thanks!",
// "sorry?", "nice one") and asks nothing.
func Reaction(message string) bool {
	return reaction.MatchString(message)
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
// greetings and fillers ("hey, ", "ok so ", "and "), apologies and
// asides.
const opening = `(?i)^\W*(?:(?:` + greeting + `|` + apology + `|` + aside + `)\W+)*`

const (
	greeting = `hey|hi|hello|ok|okay|so|yo|and|all|everyone|folks|team|guys`
	// apology matches "sorry to bother you, but", "apologies for asking
	// again", "sorry if this is a dumb q but", and "sorry" followed by
	// "but" or a mark: "sorry for the delay" is a message, not an opening.
	apology = `(?:sorry|apologies)(?:\s+(?:to|for)\s+(?:bother(?:ing)?|interrupt(?:ing)?|ask(?:ing)?)` +
		`(?:\s+(?:you|u|y'?all|all|everyone|again))*(?:\W+but)?|\s+if\s+[^?]*?\bbut|\W+but|\s*[,:;!.-])`
	// aside matches a greeting by the time of day or a word about the
	// question itself, followed by a mark: "morning!", "quick question:".
	aside = `(?:(?:good\s+)?(?:morning|afternoon|evening)(?:\s+(?:all|everyone|folks|guys|team))?|gm|` +
		`(?:(?:quick|random|silly|dumb|stupid|simple|basic|newbie|noob)\s+)?(?:question|q)|` +
		`(?:quick|random|silly|dumb|stupid|simple|basic|another|one\s+more)\s+one)\s*[,:;!.-]`
)

// preamble matches an apology or an aside that opens a chat message
// ("sorry to bother, but", "quick question:"). Its words are no part of
// the question. Over a small index they were words no article has, and
// refused the question, or slips of one that some story had ("sorry"
// for "worry"), and searched.
var preamble = regexp.MustCompile(`(?i)^\W*(?:(?:` + greeting + `)\W+)*(?:(?:` + apology + `|` + aside + `)\W*(?:(?:` + greeting + `)\W+)*)+`)

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

// unframe drops an opening apology or aside (preamble) and a lead-in
// that asks whether the reader knows, when a question follows them:
// "sorry to bother, but does anyone know who won the cup?" asks who won
// the cup. A message that is all lead-in is left as it is.
func unframe(s string) string {
	for _, re := range []*regexp.Regexp{preamble, leadIn} {
		if loc := re.FindStringIndex(s); loc != nil && strings.TrimSpace(s[loc[1]:]) != "" {
			s = s[loc[1]:]
		}
	}
	return s
}

// signOff matches thanks that close a chat message after its question
// ("…? cheers", "…, much appreciated!"). "Thanks" and "thx" are stop
// words, but "cheers" is a word of news ("Wall Street cheers Bush
// victory"): only its place, after the question's last mark, says it
// signs off. Over an index without it, it was a word no article has,
// and the question was refused.
var signOff = regexp.MustCompile(`(?i)([?!.,;:-])\s*(?:cheers|ta|many\s+thanks|thanks?\s+(?:a\s+lot|so\s+much|in\s+advance)` +
	`|thank\s+you(?:\s+so\s+much)?|much\s+appreciated|appreciate\s+it)(?:\s+(?:all|everyone|folks|guys|team|mate))?[\s!.:;()\p{So}]*$`)

// unsign drops thanks that close a message after its question (signOff).
func unsign(s string) string {
	return signOff.ReplaceAllString(s, "$1")
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
