package answer

import (
	"strings"

	"github.com/byline-news/byline/retrieval/analysis"
)

// hasCue reports whether sentence s holds the kind of answer the
// question expects. The question's own words do not count: "who shot
// Versace" is not answered by "Versace", nor "how many Half-Life 2
// players" by "2".
func (sc *scorer) hasCue(s sent) bool {
	for i, t := range s.toks {
		if !sc.q.has[t.Term] && sc.cueAt(s, i) {
			return true
		}
	}
	return false
}

// cueAt reports whether token i of s is the kind of answer asked for.
func (sc *scorer) cueAt(s sent, i int) bool {
	toks := s.toks
	switch sc.q.kind {
	case kindNumber:
		if sc.shareOfAsked(s, i) {
			return true
		}
		return (isAmount(s, i) || sc.labelAsked(toks, i) || sc.oneOf(toks, i) || sc.q.unit == unitDuration && (yearBound(toks, i) || spanOf(toks, i)) ||
			sc.q.unit == unitThings && (sc.countOfAsked(toks, i) || sc.vagueCount(toks, i))) && sc.q.unit.fits(s, i)
	case kindTime:
		if sc.q.future && pastTime(s, i) {
			return false // "broke even in 2003" does not say when it will
		}
		return isTime(toks, i) || ordinalCentury(toks, i) || sc.q.when && eventTimes[toks[i].Word] || sc.q.generic && conditionWords[toks[i].Word] || sc.q.clock && timeCount(toks, i)
	case kindName:
		if sc.q.future && pastTime(s, i) {
			return false // "Hewitt lost to Dent in the quarter-finals" is not whom Dent plays next
		}
		if sc.listed != nil {
			return sc.listed.at(toks, i) && sc.newName(s, i)
		}
		return sc.isName(toks, i) && sc.newName(s, i)
	case kindPlace:
		if sc.listed != nil {
			return sc.listed.at(toks, i) && sc.newName(s, i)
		}
		return sc.isName(toks, i) && (!sc.q.where || afterPlaceWord(toks, i)) && sc.newName(s, i)
	case kindReason:
		return isReason(toks, i)
	}
	return false
}

// countOfAsked reports whether a figure that looks like a year counts
// what "how many" asks about: "2000 guests" for "how many guests…?".
func (sc *scorer) countOfAsked(toks []analysis.Token, i int) bool {
	return isYear(toks[i].Word) && i+1 < len(toks) && !toks[i+1].Stop && sc.q.has[toks[i+1].Term]
}

// vagueCount reports whether toks[i] counts what "how many" asks about
// without a figure: "several lakes", "a few common biomolecules" answer
// "how many lakes…?" as a figure does. A question word must follow
// within three words: "several varsity sports" counts no weight rooms.
func (sc *scorer) vagueCount(toks []analysis.Token, i int) bool {
	w := toks[i].Word
	if !vagueCounts[w] && !((w == "few" || w == "handful") && i > 0 && toks[i-1].Word == "a") {
		return false
	}
	for j := i + 1; j < len(toks) && j <= i+3; j++ {
		if !toks[j].Stop && sc.q.has[toks[j].Term] {
			return true
		}
	}
	return false
}

var vagueCounts = set("several", "numerous", "countless", "scores")

// shareOfAsked reports whether token i of s is a share of what a "how
// many" question counts: "almost one-third of Romanian pre-pay users"
// answers "how many Romanian pay-as-you-go users…?".
func (sc *scorer) shareOfAsked(s sent, i int) bool {
	if (sc.q.unit != unitThings && sc.q.unit != unitCount) || !isPercent(s, i) {
		return false
	}
	toks := s.toks
	j := i + 1
	for j < len(toks) && toks[j].Word != "of" && j <= i+2 { // "40 per cent of", "a third of"
		j++
	}
	if j >= len(toks) || toks[j].Word != "of" {
		return false
	}
	for _, t := range toks[j+1 : min(j+6, len(toks))] {
		if !t.Stop && sc.q.has[t.Term] {
			return true
		}
	}
	return false
}

// oneOf reports whether toks[i] is "one" counting what the question
// counts: "only one goal" answers "how many goals…?". ("One" alone is
// mostly a pronoun, "one of the", and no count; see numberWords.)
func (sc *scorer) oneOf(toks []analysis.Token, i int) bool {
	return toks[i].Word == "one" && i+1 < len(toks) && sc.q.has[toks[i+1].Term]
}

// labelAsked reports whether toks[i] is the figure of a label the
// question asks for: "employee number 31" answers "what employee number
// was he?", though "number 11" is no amount (see rankWords).
func (sc *scorer) labelAsked(toks []analysis.Token, i int) bool {
	return i > 0 && rankWords[toks[i-1].Word] && toks[i-1].Word != "top" && sc.q.has[toks[i-1].Term] &&
		strings.ContainsAny(toks[i].Word, "0123456789")
}

// anyTok reports whether any token satisfies f.
func anyTok(toks []analysis.Token, f func(analysis.Token) bool) bool {
	for _, t := range toks {
		if f(t) {
			return true
		}
	}
	return false
}

// isAmount reports whether token i of s is a count or an amount: digits
// ("45,000", "9.4bn", "2kW") or a number word. A year, or a day next to
// a month ("14 December"), is a date, not an amount, unless money or a
// thousands comma says otherwise ("$2,000"); "top ten", "number 11" and
// "version 1.0" are ranks and labels. A number word written with a
// capital inside a sentence is part of a name ("Radio Five Live", "the
// Big Four"), not a count.
func isAmount(s sent, i int) bool {
	toks := s.toks
	t := toks[i]
	if i > 0 && rankWords[toks[i-1].Word] {
		return false
	}
	if numberWords[t.Word] && t.Cap && i > 0 && !startsClause(s.gap(i)) {
		return false
	}
	if isYear(t.Word) || nextToMonth(toks, i) {
		return isMoney(s, i) || strings.Contains(s.word(i), ",")
	}
	if modelNumber(s, i) {
		return false
	}
	return strings.ContainsAny(t.Word, "0123456789") || numberWords[t.Word]
}

// modelNumber reports whether the figure at token i of s ends a name:
// "Xbox 2", "Halo 2", "Windows 95", "Channel 4" count nothing. The word
// before it is capitalised inside the sentence, where a capital marks a
// name, and only a space parts them; "Around 120,000" opens a sentence.
// A share or a sum after a name is still one ("in the United States 90%
// of…"), and so is a year of an era ("AD 1250").
func modelNumber(s sent, i int) bool {
	if i < 2 || strings.Contains(s.word(i), ",") || !strings.ContainsAny(s.toks[i].Word, "0123456789") {
		return false
	}
	prev := s.toks[i-1]
	return prev.Cap && !prev.Stop && s.gap(i) == " " && prev.Word != "ad" && !isPercent(s, i) && !isMoney(s, i)
}

// startsClause reports whether gap, the text before a word, starts a
// quoted or introduced sentence, where any word has a capital: `said: "Five`.
func startsClause(gap string) bool {
	return strings.ContainsAny(gap, "\"“‘':—-")
}

// nextToMonth reports whether a month name is next to toks[i].
func nextToMonth(toks []analysis.Token, i int) bool {
	month := func(j int) bool { return j >= 0 && j < len(toks) && toks[j].Cap && months[toks[j].Word] }
	return month(i-1) || month(i+1)
}

// isTime reports whether toks[i] is a year, month, weekday or relative
// day. "am" and "pm" tell the time only after a figure ("10 am"): "I am"
// is no time; nor is "since" before a verb.
func isTime(toks []analysis.Token, i int) bool {
	t := toks[i]
	if clockWords[t.Word] {
		return i > 0 && strings.ContainsAny(toks[i-1].Word, "0123456789")
	}
	if t.Word == "since" {
		// "since 1997", "since the war", "since March"; not "it has since emerged"
		return i+1 < len(toks) && (toks[i+1].Cap || toks[i+1].Stop || strings.ContainsAny(toks[i+1].Word, "0123456789"))
	}
	if t.Word == "later" || t.Word == "earlier" {
		return relativeTime(toks, i)
	}
	if isYear(t.Word) || timeWords[t.Word] || era(toks, i) {
		return true
	}
	return t.Cap && (months[t.Word] || days[t.Word] || monthAbbrs[t.Word] && nextToDay(toks, i))
}

// era reports whether toks[i] is a figure dated by an era: "800 CE",
// "13,000 BP", "AD 410", "300 BC".
func era(toks []analysis.Token, i int) bool {
	if !strings.ContainsAny(toks[i].Word, "0123456789") {
		return false
	}
	return i+1 < len(toks) && eraWords[toks[i+1].Word] || i > 0 && toks[i-1].Word == "ad"
}

var eraWords = set("bc", "bce", "ad", "ce", "bp")

// nextToDay reports whether a day of the month stands beside toks[i]:
// wires abbreviate a month only in a date ("Dec. 10", "5 Sept"), and
// "Jan" alone is more often a name.
func nextToDay(toks []analysis.Token, i int) bool {
	day := func(j int) bool {
		return j >= 0 && j < len(toks) && isDayNumber(toks[j].Word)
	}
	return day(i+1) || day(i-1)
}

// isDayNumber reports whether w may be a day of the month: one or two
// digits.
func isDayNumber(w string) bool { return len(w) <= 2 && isDigits(w) }

// relativeTime reports whether "later" or "earlier" at toks[i] tells a
// time: after a span ("two years later", "a week earlier") or before
// what anchors it ("later this year", "earlier in the day"); not "and
// later inspired millions of fans".
func relativeTime(toks []analysis.Token, i int) bool {
	if i > 0 && timeUnits[toks[i-1].Term] {
		return true
	}
	return i+1 < len(toks) && relativeAnchors[toks[i+1].Word]
}

var relativeAnchors = set("this", "that", "in", "on", "than", "today", "yesterday", "tonight")

// timeCount reports whether toks[i] counts time in units shorter than a
// day: "in the 88th minute", "in two minutes, 35.39 seconds" tell when
// in a match, or how fast in a race.
func timeCount(toks []analysis.Token, i int) bool {
	w := toks[i].Word
	if unit := strings.TrimLeft(w, "0123456789."); unit != w && clockUnits[analysis.Stem(unit)] && !isYear(w) {
		return true // "7.60secs", "3hrs"
	}
	if i+1 >= len(toks) || !clockUnits[toks[i+1].Term] {
		return false
	}
	return strings.ContainsAny(w, "0123456789") || numberWords[w] || ordinals[w]
}

var clockUnits = stems("second", "seconds", "minute", "minutes", "hour", "hours",
	"sec", "secs", "min", "mins", "hr", "hrs")

// ordinalCentury reports whether toks[i] is the ordinal of a century:
// "the 11th century", "during the 16th and 17th centuries". The
// question's own "century" is not the answer; the ordinal is.
func ordinalCentury(toks []analysis.Token, i int) bool {
	w := toks[i].Word
	if !ordinals[w] && !(len(w) > 2 && strings.Trim(w[:len(w)-2], "0123456789") == "" && ordinalSuffixes[w[len(w)-2:]]) {
		return false
	}
	for j := i + 1; j < len(toks) && j <= i+3; j++ {
		if toks[j].Term == centuryTerm {
			return true
		}
	}
	return false
}

var ordinals = set("first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth", "tenth",
	"eleventh", "twelfth", "thirteenth", "fourteenth", "fifteenth", "sixteenth", "seventeenth", "eighteenth",
	"nineteenth", "twentieth")

var ordinalSuffixes = set("st", "nd", "rd", "th")

var centuryTerm = analysis.Stem("century")

// yearBound reports whether toks[i] is a year that bounds a span: "since
// 1979", "until 1796", "from 1870 to 1939". It answers "how long" as a
// count of years would.
func yearBound(toks []analysis.Token, i int) bool {
	if !isYear(toks[i].Word) {
		return false
	}
	j := i - 1 // "since the 1950s", "from 4 August 1915 until November 1918"
	for j >= 0 && i-j <= 3 && (toks[j].Word == "the" || toks[j].Cap && months[toks[j].Word] || isDayNumber(toks[j].Word)) {
		j--
	}
	return j >= 0 && spanWords[toks[j].Word]
}

var spanWords = set("since", "until", "till", "from", "to")

// spanOf reports whether toks[i] is a unit of time a word counts: "a
// month", "several years", "a few days" answer "how long…?" as "two
// months" does.
func spanOf(toks []analysis.Token, i int) bool {
	return i > 0 && timeUnits[toks[i].Term] && spanCounts[toks[i-1].Word]
}

var spanCounts = set("a", "an", "one", "few", "several", "many", "couple")

// isYear reports whether w is a year from 1000 to 2099, or a decade
// such as "1990s", or a year written with "c" for circa ("c1750").
func isYear(w string) bool {
	w = strings.TrimSuffix(w, "s")
	if len(w) == 5 && w[0] == 'c' {
		w = w[1:] // "c1750", circa
	}
	if len(w) != 4 || (w[0] != '1' && w[0] != '2') {
		return false
	}
	return strings.Trim(w, "0123456789") == "" && w < "2100"
}

// isReason reports whether toks[i] introduces a cause. "due" counts
// only in "due to" followed by a noun phrase: "due to be held" and "was
// due to stand" are dates, "delayed due to fog" and "was due to the
// strike" causes. After "was due to", only a determiner tells a noun
// from a verb.
func isReason(toks []analysis.Token, i int) bool {
	if toks[i].Word != "due" {
		return reasonWords[analysis.Stem(toks[i].Word)] || causeWords[toks[i].Word] // stop words keep their word as Term
	}
	if i+2 >= len(toks) || toks[i+1].Word != "to" || toks[i+2].Word == "be" {
		return false
	}
	return i == 0 || !copulas[toks[i-1].Word] || toks[i+2].Stop
}

// isName reports whether toks[i] is a capitalised name. A sentence's
// first word counts only if the next word is capitalised too, or if the
// word is capitalised inside some sentence of the hits ("Sideways was
// also among the winners"). Two-letter words ("US", "UK", "TV") are
// too common in news to answer "who".
func (sc *scorer) isName(toks []analysis.Token, i int) bool {
	t := toks[i]
	if !t.Cap || t.Stop || len(t.Word) <= 2 || months[t.Word] || days[t.Word] || monthAbbrs[t.Word] && nextToDay(toks, i) {
		return false
	}
	return i > 0 || (len(toks) > 1 && toks[1].Cap) || sc.capitals[t.Term]
}

// newName reports whether the name at token i of s is not one the
// question gives: "Andy Roddick" does not answer "who beat Roddick", nor
// "Borussia Dortmund" "who runs Dortmund". The name is the run of
// capitalised words around i, joined by spaces or hyphens only. Words
// that describe the answer do not count: "Virgin Radio" answers "which
// radio station".
func (sc *scorer) newName(s sent, i int) bool {
	lo, hi := i, i
	for lo > 0 && s.toks[lo-1].Cap && joined(s.gap(lo)) {
		lo--
	}
	for hi+1 < len(s.toks) && s.toks[hi+1].Cap && joined(s.gap(hi+1)) {
		hi++
	}
	for _, t := range s.toks[lo : hi+1] {
		if sc.q.has[t.Term] && !sc.q.typed[t.Term] {
			return false
		}
	}
	return true
}

// joined reports whether gap, the text between two words, keeps them in
// one name: white space or a hyphen, but no possessive or comma.
func joined(gap string) bool {
	return strings.Trim(gap, " -") == ""
}

// afterPlaceWord reports whether one of the three words before toks[i]
// is a preposition of place: "in her native Dartford".
func afterPlaceWord(toks []analysis.Token, i int) bool {
	for j := i - 1; j >= 0 && j >= i-3; j-- {
		if placeWords[toks[j].Word] {
			return true
		}
	}
	return false
}

// numberWords are counts written as words. "one" and "once" are left
// out: in news they are mostly a pronoun or an adverb ("one of the",
// "once again"), not an answer to "how many".
var numberWords = set("two", "three", "four", "five", "six", "seven",
	"eight", "nine", "ten", "eleven", "twelve", "thirteen", "fourteen",
	"fifteen", "sixteen", "seventeen", "eighteen", "nineteen", "twenty",
	"thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety",
	"hundred", "hundreds", "thousand", "thousands", "million", "millions",
	"billion", "billions", "trillion", "trillions", "dozen", "dozens",
	"half", "twice", "double", "treble", "quarter", "third")

// rankWords before a number make it a rank or a label, not an amount:
// "top ten", "number 11", "version 1.0", "chapter 11".
var rankWords = set("top", "number", "no", "version", "episode", "chapter", "page", "section", "clause", "division", "grade")

var timeWords = set("yesterday", "today", "tomorrow", "tonight", "ago",
	"midnight", "noon", "weekend", "spring", "summer", "autumn", "winter",
	"century", "decade", "gmt", "bst", "oclock", "since")

// clockWords tell the time after a figure (see isTime).
var clockWords = set("am", "pm")

// eventTimes place a time by an event: "during the Second World War",
// "following the Nice Treaty". They answer "when…?", not "in what
// year…?".
var eventTimes = set("during", "following")

// conditionWords open a clause of condition, which answers "when do…?"
// or "when can…?" (question.generic), asked of what happens whenever
// something holds.
var conditionWords = set("after", "before", "once", "whenever", "when", "if", "until", "upon", "unless")

var months = set("january", "february", "march", "april", "may", "june",
	"july", "august", "september", "october", "november", "december")

var monthAbbrs = set("jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec")

var days = set("monday", "tuesday", "wednesday", "thursday", "friday",
	"saturday", "sunday", "christmas", "easter")

var placeWords = set("in", "at", "from", "near", "to", "outside", "inside",
	"across", "into")

// reasonWords are stems that introduce a cause.
var reasonWords = stems("because", "due", "thanks", "blamed", "caused",
	"led", "reason", "contributed", "result", "order", "fuelled", "amid",
	"prompted", "allegedly", "over")

// causeWords introduce an event that news gives as the cause of what it
// reports: "Parker misses the game after failing to recover from a
// trapped nerve", "thrown out of the cup following the registration
// row". As words, not stems: "follows the same procedure" gives none.
var causeWords = set("after", "following")

// stems builds a lookup table of the stems of words.
func stems(words ...string) map[string]bool {
	m := make(map[string]bool, len(words))
	for _, w := range words {
		m[analysis.Stem(w)] = true
	}
	return m
}
