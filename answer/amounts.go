package answer

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/byline-news/byline/retrieval/analysis"
)

// unit narrows the amount a number question asks for. "How many" takes
// any count, but "how much did they pay" wants money, and "what
// percentage" a share: "two nominations" answers neither.
type unit int

const (
	unitAny      unit = iota
	unitCount         // how many, how old, how far: not a share ("38%") nor money ("£1.5bn") is a count
	unitMoney         // pay, cost, price, fine: a currency amount
	unitPercent       // percentage, proportion, share
	unitDuration      // how long: a count, or the years that bound a span ("since 1979")
	unitThings        // how many of something other than time: a count, and not of days or years
	unitScore         // a match's score: two numbers joined by a dash, "2-1"
)

// amountUnit reads the unit from the words of a number question: a
// share for "what percentage"; money for "how much" or "what" with a
// money word ("how much did they pay", "what price"). "How much" alone
// may ask for time or area as well, "how many" always counts, and so do
// "how long", "how old" and the like (countHow). A rate may be a share:
// "how fast is the economy growing?" is answered by "7%".
func amountUnit(toks []analysis.Token) unit {
	money, count, things, score := false, false, false, false
	for i, t := range toks {
		switch {
		case (t.Word == "score" || t.Word == "scoreline") && i > 0 && (toks[i-1].Word == "the" || toks[i-1].Word == "final"):
			// "what was the final score?"; not "how much time was left
			// when they took the score to 24-10?", nor "how did they score?"
			score = hasWord(toks, "what")
		case percentNouns[t.Word]:
			return unitPercent
		case moneyNouns[t.Word] || moneyVerbs[t.Term] || muchMoneyVerbs[t.Term] && bareMuch(toks):
			money = true
		case t.Word == "how" && i+1 < len(toks) && countHow[toks[i+1].Word]:
			if i+2 < len(toks) && currencies[toks[i+2].Word] {
				return unitAny // "how many pounds of steam": a weight or money
			}
			if toks[i+1].Word == "long" {
				return unitDuration
			}
			count = true
			things = toks[i+1].Word == "many"
		}
	}
	switch {
	case score && !count:
		return unitScore
	case money && !count:
		return unitMoney
	case things && !anyTok(toks, asksTime):
		return unitThings
	case count:
		return unitCount
	}
	return unitAny
}

// fits reports whether token i of s, a number, is of unit u.
func (u unit) fits(s sent, i int) bool {
	switch u {
	case unitMoney:
		return isMoney(s, i)
	case unitPercent:
		return isPercent(s, i)
	case unitCount:
		return !isPercent(s, i) && !isMoney(s, i) && !compares(s.toks, i)
	case unitDuration:
		return !isPercent(s, i) && !isMoney(s, i) && !compares(s.toks, i) && !isAge(s.toks, i)
	case unitThings:
		return !isPercent(s, i) && !isMoney(s, i) && !compares(s.toks, i) && !measuresTime(s.toks, i)
	case unitScore:
		return isScore(s, i)
	}
	return true
}

// isScore reports whether the number at token i of s is one side of a
// score: "beating Rovers 2–1", "an 18-17 defeat".
func isScore(s sent, i int) bool {
	dash := func(j int) bool { // tokens j-1 and j are numbers joined by a dash
		if j < 1 || j >= len(s.toks) || !isDigits(s.toks[j-1].Word) || !isDigits(s.toks[j].Word) {
			return false
		}
		g := s.gap(j)
		return g == "-" || g == "–" || g == "—"
	}
	return dash(i) || dash(i+1)
}

// compares reports whether toks[i] multiplies another amount to compare
// with it ("twice as many jobs as expected", "double the number"): no
// count, though "twice" alone counts times ("won the cup twice", "twice
// as well").
func compares(toks []analysis.Token, i int) bool {
	if !multipliers[toks[i].Word] || i+1 >= len(toks) {
		return false
	}
	next, after := toks[i+1].Word, ""
	if i+2 < len(toks) {
		after = toks[i+2].Word
	}
	return next == "the" || next == "as" && after != "well"
}

var multipliers = set("twice", "double", "treble", "triple")

func isDigits(w string) bool {
	return w != "" && strings.Trim(w, "0123456789") == ""
}

// asksTime reports whether t makes a count question one of time or age:
// "how many years…", "how many days old…".
func asksTime(t analysis.Token) bool {
	return timeUnits[t.Term] || t.Word == "old" || t.Word == "age" || t.Word == "aged"
}

// isAge reports whether the number at toks[i] is someone's age, "the
// 64-year-old", "aged 64": no answer to how long something lasted.
func isAge(toks []analysis.Token, i int) bool {
	if i > 0 && toks[i-1].Word == "aged" {
		return true
	}
	return measuresTime(toks, i) && i+2 < len(toks) && toks[i+2].Word == "old"
}

// measuresTime reports whether the number at toks[i] counts time, "two
// months", "a 24-year-old": no answer to how many copies were sold.
func measuresTime(toks []analysis.Token, i int) bool {
	j := i + 1
	for j < len(toks) && scaleWords[toks[j].Word] {
		j++
	}
	return j < len(toks) && timeUnits[toks[j].Term]
}

var timeUnits = stems("second", "seconds", "minute", "minutes", "hour", "hours",
	"day", "days", "week", "weeks", "month", "months", "year", "years",
	"decade", "decades", "century", "centuries", "season", "seasons")

// isMoney reports whether token i of s is a currency amount: "$9.4bn",
// "£300", "10m euros", "two million pounds".
func isMoney(s sent, i int) bool {
	if strings.ContainsRune("$£€¥", lastRune(s.gap(i))) {
		return true
	}
	for j := i + 1; j < len(s.toks) && j <= i+2; j++ {
		if currencies[s.toks[j].Word] {
			return true
		}
		if !scaleWords[s.toks[j].Word] {
			break
		}
	}
	return false
}

// isPercent reports whether token i of s is a share: "60%", "4.5 per
// cent", "a third".
func isPercent(s sent, i int) bool {
	w := s.toks[i].Word
	if fractions[w] {
		return true
	}
	if strings.HasPrefix(strings.TrimSpace(s.gap(i+1)), "%") {
		return true
	}
	next := func(k int) string {
		if i+k < len(s.toks) {
			return s.toks[i+k].Word
		}
		return ""
	}
	return next(1) == "percent" || next(1) == "per" && next(2) == "cent"
}

// lastRune returns the last non-space character of s, or 0.
func lastRune(s string) rune {
	r, _ := utf8.DecodeLastRuneInString(strings.TrimRightFunc(s, unicode.IsSpace))
	return r
}

// countHow are the words after "how" that ask for a count or a measure
// that is never a share. "much" is not one, nor "fast", "quickly",
// "high", "big" and "large", which may ask for a rate or a rise.
var countHow = set("many", "long", "old", "far", "often", "tall", "deep",
	"wide", "heavy", "soon")

// muchMoneyVerbs ask for money after a bare "how much" ("how much were
// BA losing a year?", "how much did Tesla sell his patents for?", "how
// much did the film make/take/gross?"); "what did it lose?" asks for a
// thing, and "how much ground did they lose?" for ground. "Raise" is not
// one: "how much did the ferry company raise its fares?" asks for a
// share.
var muchMoneyVerbs = stems("lose", "losing", "lost", "sell", "sold", "receive",
	"make", "made", "take", "took", "gross", "grossed")

// bareMuch reports whether toks hold "how much" followed directly by an
// auxiliary: "how much did…", not "how much ground did…".
func bareMuch(toks []analysis.Token) bool {
	for i := 0; i+2 < len(toks); i++ {
		if toks[i].Word == "how" && toks[i+1].Word == "much" && auxiliaries[toks[i+2].Word] {
			return true
		}
	}
	return false
}

var percentNouns = set("percentage", "percent", "proportion", "share")

var moneyNouns = set("money", "cash", "funding", "price", "cost", "fee", "salary", "fine", "budget",
	"compensation", "wage", "wages", "bid", "value", "worth", "damages",
	"offer", "offers", "offered", "loan", "loans", "invest", "invested",
	"owe", "owes", "owed", "borrow", "borrowed", "lend", "lent", "donate", "donated")

var currencies = set("pounds", "pound", "dollars", "dollar", "euros",
	"euro", "yen", "roubles", "rubles", "rupees", "francs", "pence", "cents",
	"yuan", "krona", "kronor", "lira", "lire", "pesos", "rand", "shillings")

var scaleWords = set("hundred", "thousand", "million", "millions", "billion", "billions",
	"trillion", "m", "bn", "tn", "k")

var fractions = set("half", "third", "quarter", "thirds", "quarters")
