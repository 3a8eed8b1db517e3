package retrieval

import (
	"regexp"
	"strconv"
	"strings"
	"time"
)

// TimeRange is a window of publication time read from a question's
// wording ("yesterday", "last week", "in March").
type TimeRange struct {
	Since, Until time.Time // Until is exclusive
	Phrase       string    // the words that set it, as written
	// Named is true when the phrase names a year or a month ("in 2004",
	// "in March"): those words stay in the question, because undated
	// articles pass the filter and only their text can match them.
	Named bool
}

var months = map[string]time.Month{
	"january": 1, "jan": 1, "february": 2, "feb": 2, "march": 3, "mar": 3, "april": 4, "apr": 4,
	"may": 5, "june": 6, "jun": 6, "july": 7, "jul": 7, "august": 8, "aug": 8,
	"september": 9, "sep": 9, "sept": 9, "october": 10, "oct": 10, "november": 11, "nov": 11,
	"december": 12, "dec": 12,
}

var weekdays = map[string]time.Weekday{
	"sunday": 0, "monday": 1, "tuesday": 2, "wednesday": 3, "thursday": 4, "friday": 5, "saturday": 6,
}

var (
	reRelative = regexp.MustCompile(`(?i)\b(today|tonight|yesterday|this (?:week|month|year)|last (?:week|month|year))\b`)
	rePast     = regexp.MustCompile(`(?i)\b(?:in the |over the )?(?:past|last) (\d{1,3}) (day|week|month|year)s?\b`)
	reMonth    = regexp.MustCompile(`(?i)\b(?:in|during|since|from) (january|february|march|april|may|june|july|august|september|october|november|december)(?: (\d{4}))?\b`)
	// reRangeTo follows "from March" when it opens a range ("from
	// November 2006 to July 2009"), which is not the month alone.
	reRangeTo = regexp.MustCompile(`(?i)^\s*(?:to|until|till|through|-|–)(?:\s|$)`)
	reYear    = regexp.MustCompile(`(?i)\bin ((?:19|20)\d{2})\b`)
	reWeekday = regexp.MustCompile(`(?i)\b(on|since) (sunday|monday|tuesday|wednesday|thursday|friday|saturday)\b`)
)

// ParseTimeRange finds the first time expression in question, relative to
// now (whose location defines day boundaries). ok is false when there is
// none. Months and weekdays refer to the most recent past one.
func ParseTimeRange(question string, now time.Time) (r TimeRange, ok bool) {
	day := time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, now.Location())
	if m := rePast.FindStringSubmatch(question); m != nil {
		n, _ := strconv.Atoi(m[1])
		return TimeRange{Since: back(now, n, m[2]), Until: now.Add(time.Second), Phrase: m[0]}, n > 0
	}
	if m := reRelative.FindString(question); m != "" {
		return relative(m, day, now), true
	}
	if loc := reMonth.FindStringSubmatchIndex(question); loc != nil && !opensRange(question, loc) {
		return monthRange(submatches(question, loc), now), true
	}
	if m := reYear.FindStringSubmatch(question); m != nil {
		y, _ := strconv.Atoi(m[1])
		start := time.Date(y, 1, 1, 0, 0, 0, 0, now.Location())
		return TimeRange{Since: start, Until: start.AddDate(1, 0, 0), Phrase: m[0], Named: true}, true
	}
	if m := reWeekday.FindStringSubmatch(question); m != nil {
		wd := weekdays[strings.ToLower(m[2])]
		d := day.AddDate(0, 0, -((int(day.Weekday()) - int(wd) + 7) % 7))
		if strings.EqualFold(m[1], "since") {
			return TimeRange{Since: d, Until: now.Add(time.Second), Phrase: m[0]}, true // "since Monday" runs to now
		}
		return TimeRange{Since: d, Until: d.AddDate(0, 0, 1), Phrase: m[0]}, true
	}
	return TimeRange{}, false
}

// opensRange reports whether the month reMonth found at loc opens a
// range ("from November 2006 to July 2009"); "in March to the voters" is
// the month.
func opensRange(question string, loc []int) bool {
	return strings.EqualFold(question[loc[0]:loc[0]+4], "from") && reRangeTo.MatchString(question[loc[1]:])
}

// submatches returns the texts of a FindStringSubmatchIndex result, ""
// for a group that did not match.
func submatches(s string, loc []int) []string {
	out := make([]string, len(loc)/2)
	for i := range out {
		if loc[2*i] >= 0 {
			out[i] = s[loc[2*i]:loc[2*i+1]]
		}
	}
	return out
}

func back(now time.Time, n int, unit string) time.Time {
	switch strings.ToLower(unit) {
	case "day":
		return now.AddDate(0, 0, -n)
	case "week":
		return now.AddDate(0, 0, -7*n)
	case "month":
		return now.AddDate(0, -n, 0)
	}
	return now.AddDate(-n, 0, 0)
}

func relative(phrase string, day, now time.Time) TimeRange {
	r := TimeRange{Phrase: phrase, Until: now.Add(time.Second)} // as written
	phrase = strings.ToLower(phrase)
	week := day.AddDate(0, 0, -((int(day.Weekday()) + 6) % 7)) // Monday
	month := time.Date(day.Year(), day.Month(), 1, 0, 0, 0, 0, day.Location())
	year := time.Date(day.Year(), 1, 1, 0, 0, 0, 0, day.Location())
	switch phrase {
	case "today", "tonight":
		r.Since = day
	case "yesterday":
		r.Since, r.Until = day.AddDate(0, 0, -1), day
	case "this week":
		r.Since = week
	case "last week":
		// People say "last week" loosely: the previous calendar week and
		// the days of this one so far.
		r.Since = week.AddDate(0, 0, -7)
	case "this month":
		r.Since = month
	case "last month":
		r.Since, r.Until = month.AddDate(0, -1, 0), month
	case "this year":
		r.Since = year
	case "last year":
		r.Since, r.Until = year.AddDate(-1, 0, 0), year
	}
	return r
}

func monthRange(m []string, now time.Time) TimeRange {
	mon := months[strings.ToLower(m[1])]
	y := now.Year()
	if m[2] != "" {
		y, _ = strconv.Atoi(m[2])
	} else if mon > now.Month() {
		y-- // "in March" said in November means this year's; said in February, last year's
	}
	start := time.Date(y, mon, 1, 0, 0, 0, 0, now.Location())
	r := TimeRange{Since: start, Until: start.AddDate(0, 1, 0), Phrase: m[0], Named: true}
	if strings.HasPrefix(strings.ToLower(m[0]), "since") && now.Add(time.Second).After(r.Until) {
		// "since May" runs to now; "since May 2099" stays that month, as
		// a range that ends before it starts would.
		r.Until = now.Add(time.Second)
	}
	return r
}

// WithoutPhrase removes the time expression from the question, so words
// like "March" or "yesterday" are not searched for as terms.
func (r TimeRange) WithoutPhrase(question string) string {
	if r.Phrase == "" {
		return question
	}
	// Match case-insensitively in question itself: strings.ToLower can
	// change a text's length in bytes ("Ⱥ"), which would shift the cut.
	loc := regexp.MustCompile(`(?i)` + regexp.QuoteMeta(r.Phrase)).FindStringIndex(question)
	if loc == nil {
		return question
	}
	return strings.TrimSpace(question[:loc[0]] + " " + question[loc[1]:])
}

// ExtractText is the question to pick answer sentences with, once hits
// are known: without the time words, which the date filter answers,
// except a named year or month when no hit has a date, since the words
// are then the only evidence for it.
func (r TimeRange) ExtractText(question string, hits []Hit) string {
	if r.Named && !anyDated(hits) {
		return question
	}
	return r.WithoutPhrase(question)
}

func anyDated(hits []Hit) bool {
	for _, h := range hits {
		if !h.Article.Published.IsZero() {
			return true
		}
	}
	return false
}
