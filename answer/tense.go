package answer

import (
	"strconv"
	"strings"

	"github.com/byline-news/byline/retrieval/analysis"
)

// asksPast reports whether the question asks about something that has
// happened: "when did…", "how much did…", "who won…".
func asksPast(toks []analysis.Token) bool {
	for i, t := range toks {
		if t.Word == "did" {
			return true
		}
		if t.Word == "who" && i+1 < len(toks) && isPastForm(toks[i+1].Word) {
			return true
		}
	}
	return false
}

// isPastForm reports whether w looks like a verb in the past tense.
func isPastForm(w string) bool {
	_, irr := analysis.IrregularBase(w)
	return irr || len(w) > 4 && strings.HasSuffix(w, "ed")
}

// tellsFuture reports whether toks speak of something still to come:
// "will play", "is to meet", "is set to", "is due to".
func tellsFuture(toks []analysis.Token) bool {
	return futureAt(toks) >= 0
}

// futureAt returns the position of the first word in toks that speaks of
// something still to come (see tellsFuture), or -1. "Set", "due",
// "expected" and the like do so after "is" or "be" only: "due to its
// central location" gives a cause, and "they had expected to" a past
// hope.
func futureAt(toks []analysis.Token) int {
	for i, t := range toks {
		next := ""
		if i+1 < len(toks) {
			next = toks[i+1].Word
		}
		switch {
		case (t.Word == "will" || t.Word == "shall") && !reportsAt(toks, i+1):
			return i
		case (t.Word == "is" || t.Word == "are") && next == "to" && !reportsAt(toks, i+2):
			return i
		case futureTo[t.Word] && next == "to" && i > 0 && futureBe[toks[i-1].Word] && !reportsAt(toks, i+2):
			return i - 1
		}
	}
	return -1
}

// reportsAt reports whether toks[i] is a reporting verb: what is still
// to come in "they will say that 2,600 orders were issued" is the
// saying, not what it tells.
func reportsAt(toks []analysis.Token, i int) bool {
	return i < len(toks) && speechVerb(toks[i]) != ""
}

// futureOnly reports whether toks speak of something to come and of
// nothing past before it: "Roddick will play Saulnier in the final" does
// not tell who won, but "the council voted 9–4 to build the tunnel, which
// is expected to cost $1.2bn" tells of a vote. A reporting verb is not
// the past it reports: "officials said the tunnel will open in 2030".
func futureOnly(toks []analysis.Token) bool {
	at := futureAt(toks)
	if at < 0 {
		return false
	}
	for _, t := range toks[:at] {
		if isPastForm(t.Word) && speechVerb(t) == "" {
			return false
		}
	}
	return true
}

// pastTime reports whether the time or name at token i of s is that of
// something that has happened: the nearest verb before it in its clause
// is in the past ("broke even in 2003", "created Buffy for the 1992
// film", "lost to Taylor Dent in the Adelaide Open"). A reporting verb is
// not such a past ("said the film opens in June"), nor a participle after
// "is" ("trains are expected in 2030") or a determiner ("an estimated
// completion date of 2020"), nor a capitalised word ("Leeds United"); a
// word of what might be or is aimed at ("target", "could", "to" before a
// verb) says the time may be still to come.
func pastTime(s sent, i int) bool {
	for j := i - 1; j >= 0 && j >= i-20; j-- {
		if strings.ContainsAny(s.gap(j+1), ",;:\"()") {
			return false // another clause
		}
		t := s.toks[j]
		switch {
		case maybeWords[t.Word] || futureTo[t.Word] || t.Word == "will" || t.Word == "to" && infinitive(s.toks, j):
			return false
		case !t.Cap && isPastForm(t.Word) && speechVerb(t) == "" && !(j > 0 && (futureBe[s.toks[j-1].Word] || determinersBefore[s.toks[j-1].Word])):
			return true
		}
	}
	return false
}

// infinitive reports whether "to" at toks[j] marks a verb ("agreed to
// sell in June": what was agreed is still to come), not a preposition
// before a name or a noun ("lost to Taylor Dent", "to the final").
func infinitive(toks []analysis.Token, j int) bool {
	return j+1 < len(toks) && !toks[j+1].Cap && !determinersBefore[toks[j+1].Word] && !isDigits(toks[j+1].Word)
}

// determinersBefore make the word after them part of a noun phrase: "an
// estimated completion date", "the final".
var determinersBefore = set("a", "an", "the", "its", "his", "her", "their", "our", "this")

// maybeWords speak of what might be or is aimed at: the time beside them
// may be still to come ("pushed back its target to 2006").
var maybeWords = set("would", "could", "may", "might", "plans", "planned", "hopes", "hoped",
	"next", "upcoming", "soon", "target", "targets", "deadline")

var futureBe = set("is", "are", "be", "been", "being")

var futureTo = set("set", "due", "expected", "poised", "going", "scheduled")

// asksFuture reports whether the question asks about something still to
// come: "when will…", "when is the film due in cinemas?".
func asksFuture(toks []analysis.Token) bool {
	return tellsFuture(toks) || hasWord(toks, "due") || hasWord(toks, "upcoming") || intends(toks)
}

// asksScheduled reports whether text asks when something is set to
// happen: "when does Day-Lewis get his award?", or with a noun phrase
// alone, "when's the vote?", "when is the final?". The present tense asks
// the date an event is set for, or when it recurs, and neither is a time
// the story tells as past ("voted in October", "founded 110 years ago").
// "When is the festival held?" is not asked with a noun phrase alone,
// and "when is the first reference to Warsaw?" asks for a record.
func asksScheduled(text string, toks []analysis.Token) bool {
	if len(toks) < 2 || toks[0].Word != "when" {
		return false
	}
	if (toks[1].Word == "does" || toks[1].Word == "do") && len(toks) > 2 {
		return true
	}
	rest := toks[1:]
	if w := strings.ToLower(text[toks[0].Start:toks[0].End]); !strings.HasSuffix(w, "'s") && !strings.HasSuffix(w, "’s") {
		if rest[0].Word != "is" && rest[0].Word != "are" {
			return false
		}
		rest = rest[1:]
	}
	if len(rest) == 0 || len(rest) > 4 || !determinersBefore[rest[0].Word] {
		return false
	}
	for _, t := range rest {
		if isPastForm(t.Word) || strings.HasSuffix(t.Word, "ing") || recordWords[t.Word] || strings.HasSuffix(t.Word, "iest") {
			return false
		}
	}
	return true
}

// recordWords ask for a first, last or extreme case, which may be past.
var recordWords = set("first", "last", "earliest", "latest", "oldest", "newest", "biggest", "largest", "longest", "highest", "lowest")

// intends reports whether toks hold a verb of intent before "to": "when
// is Fiat aiming to break even?" asks about what is still to come.
func intends(toks []analysis.Token) bool {
	for i := 0; i+1 < len(toks); i++ {
		if intentVerbs[toks[i].Term] && toks[i+1].Word == "to" {
			return true
		}
	}
	return false
}

var intentVerbs = stems("aim", "aiming", "plan", "planning", "hope", "hoping", "intend", "intending")

// tenseDisagrees reports whether the answer's time is not the question's.
// A question about what happened is not answered by a story telling what
// is to come: "will play", or a year later than the story's date ("when
// the country hosts the World Cup in 2006", written in 2005). A question
// about what is to come is not answered by a time the story puts before
// its own date ("created in the 1940s" for "when is the film due?"),
// nor, in an undated story, by a time it tells as past (pastTime).
func (sc *scorer) tenseDisagrees(key candidate, e excerpt) bool {
	published := key.p.hit.Article.Published
	year, dated := published.Year(), !published.IsZero()
	if sc.q.past {
		return futureOnly(e.key.toks) || dated && yearAfter(e.key.toks, year)
	}
	if !sc.q.future || sc.q.kind != kindTime {
		return false
	}
	earlier := false
	for _, st := range e.sents() {
		for i, t := range st.toks {
			if sc.q.has[t.Term] || !isTime(st.toks, i) {
				continue
			}
			if !dated {
				if !pastTime(st, i) {
					return false // a time not told as past may answer
				}
				earlier = true
				continue
			}
			y, ok := yearOf(t.Word)
			if !ok || y >= year {
				return false // a time the story does not place in its past may answer
			}
			earlier = true
		}
	}
	return earlier
}

// yearAfter reports whether toks name a year later than year.
func yearAfter(toks []analysis.Token, year int) bool {
	for _, t := range toks {
		if y, ok := yearOf(t.Word); ok && y > year {
			return true
		}
	}
	return false
}

// yearOf returns the year a word names: "2006", or a decade's first year
// ("1940s" is 1940).
func yearOf(w string) (int, bool) {
	if !isYear(w) {
		return 0, false
	}
	y, err := strconv.Atoi(strings.TrimSuffix(w, "s"))
	return y, err == nil
}
