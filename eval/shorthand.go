package eval

import (
	"cmp"
	"regexp"
	"slices"
	"strings"
)

// Shorthand returns qs with the words people shorten in chat shortened
// ("government" → "govt", "prime minister" → "PM", "years" → "yrs"),
// to measure how byline reads chat shorthand. Questions without such a
// word are left as they are.
func Shorthand(qs []Question) []Question {
	out := make([]Question, len(qs))
	for i, q := range qs {
		out[i] = q
		out[i].Question = longWord.ReplaceAllStringFunc(q.Question, func(m string) string {
			short := shortForms[strings.ToLower(m)]
			if m[0] >= 'A' && m[0] <= 'Z' && short[0] >= 'a' && short[0] <= 'z' {
				short = strings.ToUpper(short[:1]) + short[1:]
			}
			return short
		})
	}
	return out
}

// shortForms are the short forms of chat for words of news questions.
var shortForms = map[string]string{
	"prime minister":   "PM",
	"chief executive":  "CEO",
	"chief executives": "CEOs",
	"government":       "govt",
	"governments":      "govts",
	"department":       "dept",
	"executive":        "exec",
	"executives":       "execs",
	"manager":          "mgr",
	"management":       "mgmt",
	"university":       "uni",
	"international":    "intl",
	"national":         "natl",
	"year":             "yr",
	"years":            "yrs",
	"minutes":          "mins",
	"people":           "ppl",
	"former ":          "ex-", // "former directors" → "ex-directors"
}

// longWord matches any word or phrase of shortForms, longest first.
var longWord = func() *regexp.Regexp {
	var alts []string
	for w := range shortForms {
		alts = append(alts, regexp.QuoteMeta(w))
	}
	// Longer phrases first, so that "chief executives" wins over
	// "executives"; then alphabetically, so the pattern is the same
	// every run.
	slices.SortFunc(alts, func(a, b string) int { return cmp.Or(cmp.Compare(len(b), len(a)), strings.Compare(a, b)) })
	return regexp.MustCompile(`(?i)\b(?:` + strings.Join(alts, "|") + `)\b`)
}()
