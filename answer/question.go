package answer

import "github.com/byline-news/byline/retrieval/analysis"

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
	toks   []analysis.Token // every token, stop words included
	terms  []string         // distinct content terms, in order of appearance
	has    map[string]bool  // the set of terms
	seq    []string         // content terms in order, repeats kept (for phrases)
	caps   map[string]bool  // content terms written with a capital inside the question
	kind   kind
	speech string          // canonical speech verb ("say", "deny") or ""
	doer   map[string]bool // content terms before the speech verb: who spoke
}

// parseQuestion analyses text with the same analyser the index uses, so
// its terms match the words of the retrieved paragraphs.
func parseQuestion(text string) *question {
	q := &question{toks: tokens(text), has: map[string]bool{}, caps: map[string]bool{}, doer: map[string]bool{}}
	for i, t := range q.toks {
		if t.Stop {
			continue
		}
		q.seq = append(q.seq, t.Term)
		if t.Cap && i > 0 {
			q.caps[t.Term] = true
		}
		if !q.has[t.Term] {
			q.has[t.Term] = true
			q.terms = append(q.terms, t.Term)
		}
	}
	q.kind = questionKind(q.toks)
	if q.kind == kindAny {
		q.kind = measureKind(q.toks)
	}
	q.findSpeech()
	return q
}

// findSpeech records the question's speech verb and the content words
// before it, which name the speaker: "what did Liang deny" → deny, liang.
// "tell" is a stop word, so the verb is looked for among all tokens. A
// passive verb is not speech: "what is the service called" asks a name.
func (q *question) findSpeech() {
	for i, t := range q.toks {
		v := speechVerb(t)
		if v == "" || (i > 0 && copulas[q.toks[i-1].Word]) {
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
			return kindPlace
		case "why":
			return kindReason
		case "how":
			return howKind(next)
		case "what", "which":
			return whatKind(toks[i+1:])
		}
	}
	return kindAny
}

// measureKind is the fallback for questions whose wh-word says nothing:
// "what was the dollar's new record low" and "what's Verizon paying for
// MCI" ask for a number all the same, "what is the service called" for a
// name.
func measureKind(toks []analysis.Token) kind {
	for _, t := range toks {
		if k, ok := measureNouns[t.Word]; ok {
			return k
		}
		if moneyVerbs[t.Term] {
			return kindNumber
		}
		if t.Word == "called" || t.Word == "named" {
			return kindName
		}
	}
	return kindAny
}

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
	for i := 0; i < len(rest) && i < 3; i++ {
		if k, ok := whatNouns[rest[i].Word]; ok {
			return k
		}
	}
	return kindAny
}

var copulas = set("is", "are", "was", "were", "be", "been", "being")

var numberHow = set("many", "much", "long", "old", "far", "big", "large",
	"high", "tall", "fast", "often", "heavy", "deep", "wide", "quickly", "soon")

var whatNouns = map[string]kind{
	"year": kindTime, "date": kindTime, "day": kindTime, "month": kindTime,
	"time": kindTime, "decade": kindTime, "century": kindTime, "season": kindTime,
	"percentage": kindNumber, "percent": kindNumber, "proportion": kindNumber,
	"share": kindNumber, "price": kindNumber, "cost": kindNumber, "amount": kindNumber,
	"number": kindNumber, "sum": kindNumber, "figure": kindNumber, "rate": kindNumber,
	"score": kindNumber, "height": kindNumber, "age": kindNumber, "distance": kindNumber,
	"total": kindNumber, "fee": kindNumber, "salary": kindNumber, "speed": kindNumber,
	"city": kindPlace, "country": kindPlace, "countries": kindPlace, "town": kindPlace,
	"place": kindPlace, "venue": kindPlace, "stadium": kindPlace, "county": kindPlace,
	"state": kindPlace, "region": kindPlace, "island": kindPlace, "capital": kindPlace,
	"village": kindPlace, "cities": kindPlace,
	"person": kindName, "player": kindName, "man": kindName, "woman": kindName,
	"company": kindName, "companies": kindName, "firm": kindName, "team": kindName,
	"club": kindName, "band": kindName, "singer": kindName, "actor": kindName,
	"actress": kindName, "director": kindName, "minister": kindName, "manager": kindName,
	"coach": kindName, "keeper": kindName, "bookie": kindName, "film": kindName,
	"album": kindName, "song": kindName, "book": kindName, "show": kindName,
	"name": kindName, "reporter": kindName, "mep": kindName, "mp": kindName,
	"station": kindName, "group": kindName, "brand": kindName, "website": kindName,
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

// set builds a lookup table of words.
func set(words ...string) map[string]bool {
	m := make(map[string]bool, len(words))
	for _, w := range words {
		m[w] = true
	}
	return m
}
