package answer

import (
	"slices"
	"strings"

	"github.com/byline-news/byline/retrieval/analysis"
)

// kind is the kind of answer a question expects. Questions are short and
// mostly lower-case, so the wh-word is the strongest hint we have.
type kind int

const (
	kindAny    kind = iota
	kindNumber      // how many, how much, what percentage
	kindTime        // when, what year
	kindName        // who, which player: a capitalised name
	kindPlace       // where, which city
	kindReason      // why
)

// question is a parsed question.
type question struct {
	text  string
	toks  []analysis.Token // every token, stop words included
	terms []string         // distinct content terms, in order of appearance
	has   map[string]bool  // the set of terms
	seq   []string         // content terms in order, repeats kept (for phrases)
	caps  map[string]bool  // content terms written with a capital inside the question
	lower map[string]bool  // content terms written in lower case, when a word after the first is capitalised: not names
	kind  kind
	where bool // asks "where": a place follows "in", "at", "from"…
	when  bool // asks "when": a time may be an event's ("during the war")
	// generic is set for "when do/does/can/might…?", which may ask on
	// what condition ("when do chloroplasts turn sideways?": "under
	// intense light", "after detecting stress"; "when can oxygen be
	// toxic?": "at elevated partial pressures").
	generic bool
	clock   bool            // asks "when" or "what time": a time may be minutes into a match, or a race's time
	unit    unit            // for kindNumber: the amount asked for
	typed   map[string]bool // terms that describe the answer: "which UK radio station"
	past    bool            // asks about something that has happened
	future  bool            // asks when, or with whom, something still to come will happen
	speech  string          // canonical speech verb ("say", "deny") or ""
	doer    map[string]bool // content terms before the speech verb: who spoke
}

// parseQuestion analyses text with the same analyser the index uses, so
// its terms match the words of the retrieved paragraphs.
func parseQuestion(text string) *question {
	q := &question{text: text, toks: tokens(text), has: map[string]bool{}, caps: map[string]bool{}, doer: map[string]bool{}}
	cased := false
	for i, t := range q.toks {
		if i > 0 && q.toks[i-1].Word == "how" && countHow[t.Word] && t.Word != "old" {
			// "how long", "how far" say what is asked, not what it is
			// about: "waited long enough" does not answer "how long will
			// the tunnel be?". "Old" stays: "41 years old" answers "how old".
			q.toks[i].Stop = true
		}
		if q.toks[i].Stop {
			continue
		}
		q.seq = append(q.seq, t.Term)
		if t.Cap && i > 0 {
			q.caps[t.Term] = true
			cased = cased || !opensSentence(text, q.toks[i-1], t)
		}
		if !q.has[t.Term] {
			q.has[t.Term] = true
			q.terms = append(q.terms, t.Term)
		}
	}
	if cased {
		q.lower = lowerTerms(q.toks)
	}
	q.kind = questionKind(askingClause(q.toks))
	q.where = q.kind == kindPlace && hasWord(q.toks, "where")
	q.when = q.kind == kindTime && hasWord(q.toks, "when")
	q.generic = q.when && len(q.toks) > 2 && q.toks[0].Word == "when" && genericAux[q.toks[1].Word]
	q.clock = q.when || q.kind == kindTime && hasPhrase(q.toks, "what", "time")
	q.findSpeech()
	if q.kind == kindAny && q.speech == "" && !asksWhich(q.toks) {
		q.kind = measureKind(text, q.toks)
	}
	if q.kind == kindName && asksIdentity(text, q.toks) {
		q.kind = kindAny
	}
	if q.kind != kindAny && q.kind != kindName {
		// "how much are they claiming" asks an amount, not a quote
		q.speech, q.doer = "", map[string]bool{}
	}
	q.unit = amountUnit(q.toks)
	q.typed = typeTerms(text, q.toks)
	q.past = asksPast(q.toks)
	q.future = (q.kind == kindTime || q.kind == kindName) && !q.past && (asksFuture(q.toks) || hasWord(q.toks, "next") || asksScheduled(text, q.toks))
	return q
}

// lowerTerms returns the content terms toks write in lower case. In a
// question that capitalises its names, they are no names: "who shot
// Gianni Versace?" says that "shot" is none, whatever the retrieved
// paragraphs write ("the Live-Shot site"). A question typed all in lower
// case says nothing, and parseQuestion leaves q.lower empty.
func lowerTerms(toks []analysis.Token) map[string]bool {
	m := map[string]bool{}
	for _, t := range toks {
		if !t.Stop && !t.Cap {
			m[t.Term] = true
		}
	}
	return m
}

// opensSentence reports whether t, which follows prev in text, opens a
// sentence ("Morning! Who won?"), where a capital says nothing of names.
func opensSentence(text string, prev, t analysis.Token) bool {
	return strings.ContainsAny(text[prev.End:t.Start], ".!?:")
}

// findSpeech records the question's speech verb and the content words
// before it, which name the speaker: "what did Liang deny" → deny, liang.
// "tell" is a stop word, so the verb is looked for among all tokens. A
// passive verb is not speech, nor "called" at the end of the question:
// "what is the service called" and "what is the film X is making called"
// ask a name.
func (q *question) findSpeech() {
	for i, t := range q.toks {
		v := speechVerb(t)
		if v == "" && makesOf(q.toks, i) {
			v = "think"
		}
		if v == "" || (i > 0 && copulas[q.toks[i-1].Word]) || t.Word == "called" && lastWord(q.toks, i) {
			continue
		}
		q.speech = v
		for _, d := range q.toks[:i] {
			if !d.Stop {
				q.doer[d.Term] = true
			}
		}
		return
	}
}

// makesOf reports whether toks[i] is the "make of" of "what did X make
// of Y?", which asks what X thought of Y; not "what order did they make
// of it?", where "what" asks for a thing, nor "what is it made of?".
func makesOf(toks []analysis.Token, i int) bool {
	if i+1 >= len(toks) || toks[i+1].Word != "of" || !makeForms[toks[i].Word] {
		return false
	}
	return toks[0].Word == "what" && doForms[toks[1].Word]
}

var (
	makeForms = set("make", "makes", "made")
	doForms   = set("did", "does", "do", "will", "would")
)

// lastWord reports whether toks[i] is the last word of toks that is not
// a stop word.
func lastWord(toks []analysis.Token, i int) bool {
	for _, t := range toks[i+1:] {
		if !t.Stop {
			return false
		}
	}
	return true
}

// typeTerms returns the content terms right after "which" or "what"
// (or "who is the"), up to the first stop word: they describe the answer
// ("which UK radio station" may be "Virgin Radio"), where other words of
// the question name what the answer is about.
func typeTerms(text string, toks []analysis.Token) map[string]bool {
	m := map[string]bool{}
	for i, t := range toks {
		start := i + 1
		if t.Word != "which" && t.Word != "what" {
			var ok bool
			if start, ok = whoIsThe(text, toks, i); !ok {
				continue
			}
		}
		for _, u := range toks[start:min(start+3, len(toks))] {
			if u.Stop {
				break
			}
			m[u.Term] = true
		}
		break
	}
	return m
}

// whoIsThe returns the index after "who is the" (or "who was a", "who's
// the") at toks[i], and whether it is there: the words after it describe
// the person asked for, as "which" words do ("who is the mayor?" is
// answered by "Mayor Mara Okafor").
func whoIsThe(text string, toks []analysis.Token, i int) (int, bool) {
	j, ok := afterWhoIs(text, toks, i)
	if ok && j < len(toks) && articles[toks[j].Word] {
		return j + 1, true
	}
	return 0, false
}

// afterWhoIs returns the index after "who is" (or "who was", "who's",
// the copula contracted) at toks[i], and whether it is there.
func afterWhoIs(text string, toks []analysis.Token, i int) (int, bool) {
	switch {
	case toks[i].Word != "who":
		return 0, false
	case possessive(text, toks[i]):
		return i + 1, true
	case i+1 < len(toks) && copulas[toks[i+1].Word]:
		return i + 2, true
	}
	return 0, false
}

var articles = set("the", "a", "an")

// questionKind reads the expected answer kind from the first wh-word and
// the word or two after it.
func questionKind(toks []analysis.Token) kind {
	for i, t := range toks {
		next := ""
		if i+1 < len(toks) {
			next = toks[i+1].Word
		}
		switch t.Word {
		case "who", "whom", "whose":
			return kindName
		case "when":
			return kindTime
		case "where":
			if marketLevel(toks[i+1:]) {
				return kindNumber
			}
			return kindPlace
		case "why":
			return kindReason
		case "how":
			return howKind(next)
		case "what", "which":
			if i+1 < len(toks) && toks[i+1].Word == "level" && marketLevel(toks[i+1:]) {
				return kindNumber // "what level did the bourse finish at?"
			}
			return whatKind(toks[i+1:])
		}
	}
	return kindAny
}

// askingClause returns the tokens from the wh-word that asks. A question
// may open with a clause of time ("When John Fox left, who replaced
// him?", "so when he quits who takes over?"): its "when" is followed by
// a subject, not a verb as in "when did he quit?", and the question is
// asked by the wh-word after it.
func askingClause(toks []analysis.Token) []analysis.Token {
	w := slices.IndexFunc(toks, func(t analysis.Token) bool { return t.Word == "when" || askWords[t.Word] })
	if w < 0 || toks[w].Word != "when" || w+1 < len(toks) && auxiliaries[toks[w+1].Word] {
		return toks
	}
	if i := slices.IndexFunc(toks[w+1:], func(t analysis.Token) bool { return askWords[t.Word] }); i >= 0 {
		return toks[w+1+i:]
	}
	return toks
}

// auxiliaries are the verbs that follow a "when" that asks.
var auxiliaries = set("did", "does", "do", "is", "are", "was", "were", "will", "would", "has", "have", "had",
	"can", "could", "should", "shall", "might", "may", "must")

var askWords = set("who", "whom", "whose", "what", "which", "where", "why", "how")

// marketLevel reports whether the words after "where" (or "what
// level") ask the level a market closed or traded at: "where did Cairn
// shares finish?", "where was the pound trading?" want "1130p", not a
// place. A market word and a verb of closing or trading must both be
// there: "where did the race finish?" and "where was the trading
// centre?" ask for places.
func marketLevel(rest []analysis.Token) bool {
	return slices.ContainsFunc(rest, func(t analysis.Token) bool { return marketWords[t.Word] }) &&
		slices.ContainsFunc(rest, func(t analysis.Token) bool { return levelVerbs[t.Word] })
}

var marketWords = set("shares", "share", "stock", "stocks", "index", "market", "bourse", "price", "prices", "crude", "oil", "pound",
	"dollar", "euro", "yen", "sterling", "bonds", "futures", "gold", "ftse", "dow", "nasdaq", "nikkei")

var levelVerbs = set("close", "closed", "closes", "closing", "finish", "finished", "finishes", "finishing",
	"trade", "traded", "trades", "trading", "settle", "settled", "end", "ended")

// asksIdentity reports whether a "who" question asks who someone is:
// "who is Mara Okafor?", "who's liang", "who was Gerd Niebaum?" ask for
// what the stories say of them (the mayor, a defence minister), which is
// said beside their name, not for another name. The name follows the
// copula directly, up to four words and nothing after; "who is the
// mayor?", "who is Liang meeting with?" and "who is Yukos's boss?" ask
// for a person.
func asksIdentity(text string, toks []analysis.Token) bool {
	i := slices.IndexFunc(toks, func(t analysis.Token) bool { return t.Word == "who" })
	if i < 0 {
		return false
	}
	j, ok := afterWhoIs(text, toks, i)
	rest := toks[j:]
	if !ok || len(rest) == 0 || len(rest) > maxNameWords {
		return false
	}
	for _, t := range rest {
		if t.Stop || possessive(text, t) {
			return false
		}
	}
	return true
}

// possessive reports whether token t of text ends in "'s" (or a
// contracted "is": "who's").
func possessive(text string, t analysis.Token) bool {
	w := strings.ToLower(text[t.Start:t.End])
	return strings.HasSuffix(w, "'s") || strings.HasSuffix(w, "’s")
}

// asksWhich reports whether the question opens its ask with "which" and a
// word: "which economist reckoned the price figures were…?" asks for an
// economist, whatever else it names ("price", "figures"), where "what"
// may stand for the answer itself ("what was the dollar's new low?").
func asksWhich(toks []analysis.Token) bool {
	i := slices.IndexFunc(toks, func(t analysis.Token) bool { return t.Word == "which" })
	return i >= 0 && i+1 < len(toks) && !toks[i+1].Stop
}

// measureKind is the fallback for questions whose wh-word says nothing:
// "what was the dollar's new record low" and "what's Verizon paying for
// MCI" ask for a number all the same, "what is the service called" for a
// name.
func measureKind(text string, toks []analysis.Token) kind {
	asksWhatIs, object := asksWhatIs(text, toks), whatObject(toks)
	for i, t := range toks {
		if k, ok := measureNouns[t.Word]; ok && asksWhatIs && !describes(toks, i) {
			return k
		}
		if object[i] && (measureNouns[t.Word] == kindNumber || t.Word == "growth") && !describes(toks, i) {
			return kindNumber // "what growth target has Beijing set?"
		}
		if moneyVerbs[t.Term] && !hasWord(toks[i+1:], "with") && !paidFor(toks, i) && asksObject(text, toks, i) {
			return kindNumber // not "charged Nistelrooy with" an offence
		}
		if t.Word == "called" || t.Word == "named" {
			return kindName
		}
	}
	return kindAny
}

// genericAux are the auxiliaries after "when" that ask what happens
// whenever something holds, not when something happened.
var genericAux = set("do", "does", "can", "could", "might", "may", "would", "should")

// paidFor reports whether the money verb at toks[i] asks what is paid
// for rather than how much: the question ends with its "for" ("what are
// pharmacists increasingly paid for?"), or time is what is spent ("what
// do teachers spend more time doing?").
func paidFor(toks []analysis.Token, i int) bool {
	if toks[len(toks)-1].Word == "for" {
		return true
	}
	for j := i + 1; j < len(toks) && j <= i+2; j++ {
		if toks[j].Word == "time" {
			return true
		}
	}
	return false
}

// asksObject reports whether the wh-word stands for the object of the
// verb at toks[i]: it is followed by an auxiliary ("what did the mill
// fetch?", "what's Verizon paying…?"), and no clause opens between them
// ("what did Tesla do for a job that paid…?", "what was his punishment
// for not paying…?").
func asksObject(text string, toks []analysis.Token, i int) bool {
	w := slices.IndexFunc(toks, func(t analysis.Token) bool { return askWords[t.Word] })
	if w < 0 || w >= i {
		return false
	}
	from := w + 1 // "what's" holds its auxiliary (see possessive)
	if !possessive(text, toks[w]) {
		if from >= i || !auxiliaries[toks[from].Word] {
			return false
		}
		from++
	}
	return !slices.ContainsFunc(toks[from:i], func(t analysis.Token) bool { return clauseWords[t.Word] })
}

var clauseWords = set("that", "who", "which", "whose", "for", "of", "by", "after", "before")

// whatObject returns the positions of the words between "what" and an
// auxiliary after them: the noun phrase "what" asks for as the object
// of the verb that follows ("what earnings growth is Absa forecasting?",
// "what price did it fetch?"). Not the subject of a clause: "what
// increases entrepreneurship rates at…?" has no auxiliary after them.
func whatObject(toks []analysis.Token) map[int]bool {
	w := slices.IndexFunc(toks, func(t analysis.Token) bool { return t.Word == "what" })
	if w < 0 {
		return nil
	}
	end := w + 1
	for end < len(toks) && end <= w+3 && !toks[end].Stop {
		end++
	}
	if end == w+1 || end+1 >= len(toks) || !auxiliaries[toks[end].Word] || participle(toks, end+1) {
		return nil // "what growth is driving the rally?": its subject
	}
	m := map[int]bool{}
	for i := w + 1; i < end; i++ {
		m[i] = true
	}
	return m
}

// participle reports whether toks[i] looks like a verb's -ing or -ed
// form that goes on to its object ("is driving the rally"), not a name
// before the verb ("has beijing set").
func participle(toks []analysis.Token, i int) bool {
	w := toks[i].Word
	return len(w) > 4 && (strings.HasSuffix(w, "ing") || strings.HasSuffix(w, "ed")) && (i+1 == len(toks) || toks[i+1].Stop)
}

// asksWhatIs reports whether the wh-word is followed by a copula, so
// that the question asks what something is ("what was the turnout?",
// "what's the dollar's new low?") and a measure noun may be what is
// asked for; after another verb it is part of a clause ("what increases
// entrepreneurship rates?", "what has the crime rate been linked to?").
func asksWhatIs(text string, toks []analysis.Token) bool {
	w := slices.IndexFunc(toks, func(t analysis.Token) bool { return askWords[t.Word] })
	return w >= 0 && (possessive(text, toks[w]) || w+1 < len(toks) && copulas[toks[w+1].Word])
}

// describes reports whether toks[i], "high" or "low", is an adjective
// before a noun ("high wages", "a low tide"), not the level asked for
// ("the dollar's record low against the euro").
func describes(toks []analysis.Token, i int) bool {
	return (toks[i].Word == "high" || toks[i].Word == "low") && i+1 < len(toks) && !toks[i+1].Stop && !opponentWords[toks[i+1].Word]
}

// opponentWords are prepositions that are not stop words ("a record
// low against the euro"); see analysis.IsStop.
var opponentWords = set("against", "versus", "vs")

// moneyVerbs are the stems of verbs whose object is an amount.
var moneyVerbs = stems("pay", "paying", "cost", "fetch", "charge", "earn",
	"spend", "worth", "fined")

// howKind maps "how many", "how long", ... to a number; "how did" asks
// for a manner, which has no cue.
func howKind(next string) kind {
	if numberHow[next] {
		return kindNumber
	}
	return kindAny
}

// whatKind looks at the three words after "what"/"which" for a noun that
// tells the kind: "what year", "which French city", "what share".
func whatKind(rest []analysis.Token) kind {
	if len(rest) > 0 && auxiliaries[rest[0].Word] && !copulas[rest[0].Word] {
		return kindAny // "what has the crime rate been linked to?": the words after are the subject
	}
	for i := 0; i < len(rest) && i < 3; i++ {
		w := rest[i].Word
		if k, ok := whatNouns[w]; ok && !(w == "day" && i > 0 && dayAdjectives[rest[i-1].Word]) {
			return k
		}
		if w != "of" && i+1 < len(rest) && rest[i+1].Word == "of" {
			return kindAny // the head noun: "what type of number generators?", "what measurement of time?"
		}
	}
	return kindAny
}

// dayAdjectives make "day" part of an adjective: "what modern-day
// country?" asks for a country.
var dayAdjectives = set("modern", "present")

var copulas = set("is", "are", "was", "were", "be", "been", "being")

var numberHow = set("many", "much", "long", "old", "far", "big", "large",
	"high", "tall", "fast", "often", "heavy", "deep", "wide", "quickly", "soon")

var whatNouns = map[string]kind{
	"year": kindTime, "date": kindTime, "day": kindTime, "month": kindTime,
	"time": kindTime, "decade": kindTime, "century": kindTime, "season": kindTime,
	"percentage": kindNumber, "percent": kindNumber, "proportion": kindNumber,
	"share": kindNumber, "price": kindNumber, "cost": kindNumber, "amount": kindNumber,
	"number": kindNumber, "sum": kindNumber, "figure": kindNumber, "rate": kindNumber,
	"score": kindNumber, "scoreline": kindNumber, "height": kindNumber, "age": kindNumber, "distance": kindNumber,
	"total": kindNumber, "fee": kindNumber, "salary": kindNumber, "speed": kindNumber,
	"city": kindPlace, "country": kindPlace, "countries": kindPlace, "town": kindPlace,
	"place": kindPlace, "venue": kindPlace, "stadium": kindPlace, "county": kindPlace,
	"state": kindPlace, "region": kindPlace, "island": kindPlace, "capital": kindPlace,
	"village": kindPlace, "cities": kindPlace, "nation": kindPlace, "nations": kindPlace,
	"person": kindName, "player": kindName, "man": kindName, "woman": kindName,
	"company": kindName, "companies": kindName, "firm": kindName, "team": kindName,
	"club": kindName, "band": kindName, "singer": kindName, "actor": kindName,
	"actress": kindName, "director": kindName, "minister": kindName, "manager": kindName,
	"coach": kindName, "keeper": kindName, "bookie": kindName, "film": kindName,
	"album": kindName, "song": kindName, "book": kindName, "show": kindName,
	"name": kindName, "surname": kindName, "nickname": kindName, "reporter": kindName, "mep": kindName, "mp": kindName,
	"station": kindName, "group": kindName, "brand": kindName, "website": kindName,
	"movie": kindName, "network": kindName, "organization": kindName, "organisation": kindName,
	"language": kindName, "languages": kindName, "religions": kindName, "river": kindName, "episode": kindName, "church": kindName,
	"religion": kindName, "university": kindName, "nationality": kindName, "party": kindName,
	"tribe": kindName, "lake": kindName, "department": kindName, "artist": kindName,
	"newspaper": kindName, "magazine": kindName, "airline": kindName, "label": kindName,
	"channel": kindName, "agency": kindName, "ministry": kindName, "author": kindName, "writer": kindName,
}

var measureNouns = map[string]kind{
	"score": kindNumber, "turnout": kindNumber, "rate": kindNumber,
	"rates": kindNumber, "price": kindNumber, "cost": kindNumber,
	"total": kindNumber, "figure": kindNumber, "percentage": kindNumber,
	"sum": kindNumber, "fee": kindNumber, "low": kindNumber, "high": kindNumber,
	"tally": kindNumber, "margin": kindNumber, "speed": kindNumber,
	"salary": kindNumber, "budget": kindNumber, "deadline": kindTime,
	"date": kindTime, "year": kindTime,
}

// possessive reports whether question token i ends in "'s": "Jay-Z's".
func (q *question) possessive(i int) bool { return possessive(q.text, q.toks[i]) }

// hasWord reports whether toks hold the folded word w.
func hasWord(toks []analysis.Token, w string) bool {
	return anyTok(toks, func(t analysis.Token) bool { return t.Word == w })
}

// set builds a lookup table of words.
func set(words ...string) map[string]bool {
	m := make(map[string]bool, len(words))
	for _, w := range words {
		m[w] = true
	}
	return m
}

// hasPhrase reports whether toks hold the words a and b in a row.
func hasPhrase(toks []analysis.Token, a, b string) bool {
	for i := 0; i+1 < len(toks); i++ {
		if toks[i].Word == a && toks[i+1].Word == b {
			return true
		}
	}
	return false
}
