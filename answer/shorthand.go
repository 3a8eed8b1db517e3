package answer

import (
	"regexp"
	"strings"
)

// shorthand maps the short forms people type in chat to the words news
// stories write. Typed as is, "govt" or "yrs" is a word no article has,
// which counts against any answer. "PM" and "CEO" are written in
// stories too, but far less often than what they stand for ("Italian
// Prime Minister Silvio Berlusconi", "Fiat chief executive Sergio
// Marchionne"); searched beside it, the rare short form outweighed it
// and found other stories' chief executives. A story that writes only
// "CEO" is found by the question's other words.
var shorthand = map[string]string{
	"pm":     "prime minister",
	"ceo":    "chief executive",
	"ceos":   "chief executives",
	"govt":   "government",
	"gov't":  "government",
	"govts":  "governments",
	"dept":   "department",
	"depts":  "departments",
	"exec":   "executive",
	"execs":  "executives",
	"mgr":    "manager",
	"mgmt":   "management",
	"uni":    "university",
	"intl":   "international",
	"natl":   "national",
	"yr":     "year",
	"yrs":    "years",
	"mins":   "minutes",
	"ppl":    "people",
	"approx": "about",
	"op":     "operation",
	"ops":    "operations",
	"admin":  "administration",
	"hq":     "headquarters",
	"pres":   "president",
}

// shortWord matches a word that may be shorthand, with what comes
// before it: "3 pm" is a time, not a prime minister.
var shortWord = regexp.MustCompile(`(?i)(\d\s*)?\b(gov't|[a-z]+)\b`)

// exPrefix matches "ex-" before a word: "ex-execs", "the ex-WorldCom
// directors". Stories write "former" (356 times against 71 "ex-" in the
// BBC corpus); searched as typed, "ex" finds only the few that do not.
var exPrefix = regexp.MustCompile(`(?i)\bex-(\pL)`)

// unabbreviate writes out the chat shorthand of a question ("what did
// the govt say about the PM's plan?", "the two ex-execs").
func unabbreviate(s string) string {
	s = exPrefix.ReplaceAllString(s, "former $1")
	s = moneyIdiom.ReplaceAllStringFunc(s, plainMoneyVerb)
	return shortWord.ReplaceAllStringFunc(s, func(m string) string {
		if m[0] >= '0' && m[0] <= '9' {
			return m
		}
		if long, ok := shorthand[strings.ToLower(m)]; ok {
			return long
		}
		return m
	})
}

// moneyIdiom matches the chat idioms for paying and spending: "shell
// out", "fork out", "cough up", "stump up", "splash out". Their words
// mean other things in news ("Shell", "a fork in the road"), so searched
// as typed they find the wrong stories and the question asks no amount.
// "Out of" is no idiom: "is Shell out of the deal?"
var moneyIdiom = regexp.MustCompile(`(?i)\b(shell|fork|cough|stump|splash)(s|es|ed|ing)?\s+(out|up)\b(\s+of\b)?`)

// plainMoneyVerb writes a moneyIdiom match as the verb stories use, in
// its tense: "shelled out" → "paid", "splashing out" → "spending".
func plainMoneyVerb(m string) string {
	g := moneyIdiom.FindStringSubmatch(m)
	if g[4] != "" {
		return m
	}
	forms := [4]string{"pay", "pays", "paid", "paying"}
	if strings.EqualFold(g[1], "splash") {
		forms = [4]string{"spend", "spends", "spent", "spending"}
	}
	switch strings.ToLower(g[2]) {
	case "s", "es":
		return forms[1]
	case "ed":
		return forms[2]
	case "ing":
		return forms[3]
	}
	return forms[0]
}
