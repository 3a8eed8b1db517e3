package answer

import (
	"strings"
	"testing"
	"time"

	"github.com/byline-news/byline/retrieval"
)

// The stories below are invented for these tests.

// conf returns the confidence of Extract's answer to q from hits.
func conf(q string, hits ...retrieval.Hit) float64 {
	return Extract(q, hits, Options{MinConfidence: -1}).Confidence
}

// TestConfidenceNearMiss checks that a story naming the people of the
// question but not the fact asked for gets less confidence than one that
// gives it: the near misses of the issue.
func TestConfidenceNearMiss(t *testing.T) {
	paid := hit("t-paid", "Orbis buys Kestrel", 0, "",
		"Orbis has bought the rest of Kestrel Records for $40m (£21m), the firm said on Monday.", "")
	share := hit("t-share", "Orbis takes over Kestrel", 0, "",
		"Orbis has bought the 50% of Kestrel Records it did not already own, the firm said on Monday.", "")
	won := hit("t-won", "Tidewater lift the Harbour Cup", 0, "",
		"Tidewater won the Harbour Cup final on Sunday, beating Marrow Park by two goals.", "")
	toCome := hit("t-tocome", "Tidewater reach the Harbour Cup final", 0, "",
		"Tidewater will play Marrow Park in the Harbour Cup final on Sunday.", "")
	poll := hit("t-poll", "Quartet top the Lakeside poll", 0, "",
		"The Tidewater Quartet have come top of the Lakeside Sound of 2008 poll of promising new acts.", "")
	tests := []struct {
		name, q   string
		good, bad retrieval.Hit
	}{
		{"money asked, share given", "how much did Orbis pay for the rest of Kestrel?", paid, share},
		{"past asked, future told", "who won the Harbour Cup final?", won, toCome},
		{"year of the question missing", "who topped the Lakeside Sound of 2009 poll?", fixYear(poll), poll},
	}
	for _, tt := range tests {
		g, b := conf(tt.q, tt.good), conf(tt.q, tt.bad)
		if b >= g*0.6 {
			t.Errorf("%s: confidence %.2f for the near miss, %.2f for the answer; want at most 60%% of it", tt.name, b, g)
		}
	}
}

// fixYear returns h about 2009 instead of 2008.
func fixYear(h retrieval.Hit) retrieval.Hit {
	h.Text = "The Tidewater Quartet have come top of the Lakeside Sound of 2009 poll of promising new acts."
	return h
}

// TestConfidenceFirstName checks that a question's first name need not
// be repeated by the story once its surname is there.
func TestConfidenceFirstName(t *testing.T) {
	h := hit("t-okafor", "Mayor opens harbour", 2,
		"Mayor Grace Okafor unveiled the plan in March.",
		"Mrs Okafor said the new harbour would open in 2007.", "")
	q := "when will Grace Okafor's new harbour open?"
	with := conf(q, h)
	h.Before = ""
	if without := conf(q, h); without < with*0.9 {
		t.Errorf("confidence %.2f when only the surname is in the story, %.2f with the full name; want about the same", without, with)
	}
}

// TestTenseDisagrees checks the signal that a question and its answer
// speak of different times, which reads the story's date where the words
// alone cannot tell: "hosts the Cup in 2009", written in 2008, is still
// to come.
func TestTenseDisagrees(t *testing.T) {
	dated := func(year int, text string) retrieval.Hit {
		h := hit("t-cup", "Harbour Cup", 0, "", text, "")
		if year > 0 {
			h.Article.Published = time.Date(year, 5, 1, 0, 0, 0, 0, time.UTC)
		}
		return h
	}
	const hosts = "Marrow Park is proud to host the Harbour Cup final in 2009, when Tidewater hope to defend the trophy."
	const film = "The studio bought the rights to the Tidewater comic, which was created in the 1940s, for $4m."
	tests := []struct {
		name string
		q    string
		h    retrieval.Hit
		want float64
	}{
		{"past asked, a later year told", "who won the Harbour Cup final in 2009?", dated(2008, hosts), 1},
		{"past asked, the story's own year", "who won the Harbour Cup final in 2009?", dated(2009, hosts), 0},
		{"past asked, undated story", "who won the Harbour Cup final in 2009?", dated(0, hosts), 0},
		{"past asked, a future told", "who won the Harbour Cup final?", dated(0, "Tidewater will play Marrow Park in the Harbour Cup final."), 1},
		{"past asked, the past told beside a future", "how many votes did the tunnel get?",
			dated(0, "The council voted 9-4 to build the tunnel, which is expected to cost $1.2bn."), 0},
		{"future asked, only an earlier year told", "when is the Tidewater film due in cinemas?", dated(2005, film), 1},
		{"future asked, undated story telling only the past", "when is the Tidewater film due in cinemas?", dated(0, film), 1},
		{"future asked, undated story telling the present", "when is the Tidewater film due in cinemas?",
			dated(0, "The Tidewater film, based on a comic created in the 1940s, opens in June."), 0},
		{"future asked, a later year told", "when is the Tidewater film due in cinemas?",
			dated(2005, "The Tidewater film, based on a comic created in the 1940s, is due in cinemas in 2007."), 0},
		{"future asked, a month told", "when is the Tidewater film due in cinemas?",
			dated(2005, "The Tidewater film, based on a comic created in the 1940s, opens in June."), 0},
	}
	for _, tt := range tests {
		a := Extract(tt.q, []retrieval.Hit{tt.h}, Options{MinConfidence: -1})
		if len(a.Signals) != numSignals {
			t.Fatalf("%s: %d signals, want %d", tt.name, len(a.Signals), numSignals)
		}
		if got := a.Signals[sFuture]; got != tt.want {
			t.Errorf("%s: tense signal %v, want %v (answer %q)", tt.name, got, tt.want, a.Text)
		}
	}
}

// TestCueMissingSignal checks that only an answer lacking the written
// mark of a number or a time counts against answerability: a person or
// a place is often named by common nouns.
func TestCueMissingSignal(t *testing.T) {
	checkSignal(t, sCueMissing, []signalCase{
		{"how many people came to the Lakeside festival?", "Crowds came to the Lakeside festival from across the county.", 1},
		{"how many people came to the Lakeside festival?", "About 14,500 people came to the Lakeside festival.", 0},
		{"when did the Lakeside festival begin?", "The Lakeside festival began with a parade.", 1},
		{"when did the Lakeside festival begin?", "The Lakeside festival began in 1998.", 0},
		{"who runs the Lakeside festival?", "The Lakeside festival is run by volunteers from the village.", 0},
		{"where is the Lakeside festival held?", "The Lakeside festival is held on the meadow behind the church.", 0},
	})
}

// TestMissingYearSignal checks that an answer dated by another year or
// month than the question's counts as another event, while a story with
// no date, the question's own date, a date the question asks for, or a
// bound of a span does not.
func TestMissingYearSignal(t *testing.T) {
	checkSignal(t, sMissingYear, []signalCase{
		{"who led the Lakeside parade in 1998?", "The mayor led the Lakeside parade in 1998. In 2003 it was rained off.", 0},
		{"who led the Lakeside parade in 1998?", "The mayor led the Lakeside parade.", 1}, // the story lacks 1998
		{"who led the Lakeside parade in July 1998?", "The mayor led the Lakeside parade in June 1998.", 1},
		{"who led the Lakeside parade in July 1998?", "The mayor led the Lakeside parade in July 1998.", 0},
		{"how big was the lakeside parade crowd back in december?", "The Lakeside parade drew a crowd of 4,000 in February.", 1}, // chat's lower case
		{"how big was the lakeside parade crowd in may?", "The Lakeside parade drew a crowd of 4,000 in February.", 0},           // "may" may be a verb
	})
	// The paragraph holds the question's year; the answer gives another.
	for _, tt := range []struct {
		q    string
		want float64
	}{
		{"which band played the Lakeside parade in 1998?", 1},
		{"which band has played the Lakeside parade since 1998?", 0},
		{"when did a band play the Lakeside parade after the 1998 cuts?", 0},
	} {
		h := hit("t-band", "Lakeside news", 1, "", "Council budgets were cut in 1998. The weather stayed fine for years. The Harbour Band played the Lakeside parade in 2004 to a record crowd.", "")
		a := Extract(tt.q, []retrieval.Hit{h}, Options{MinConfidence: -1})
		if got := a.Signals[sMissingYear]; got != tt.want || !strings.Contains(a.Text, "Harbour Band") {
			t.Errorf("%q answered by %q: missing_year %v, want %v", tt.q, a.Text, got, tt.want)
		}
	}
}

// signalCase is a question, the one-sentence story that answers it, and
// the value one signal should take.
type signalCase struct {
	q, text string
	want    float64
}

// checkSignal answers each case from its story alone and checks signal
// s (sCueMissing, sNegation…).
func checkSignal(t *testing.T, s int, tests []signalCase) {
	t.Helper()
	for _, tt := range tests {
		a := Extract(tt.q, []retrieval.Hit{hit("t-signal", "Lakeside news", 0, "", tt.text, "")}, Options{MinConfidence: -1})
		if got := a.Signals[s]; got != tt.want {
			t.Errorf("%q answered by %q: %s %v, want %v", tt.q, tt.text, signalNames[s], got, tt.want)
		}
	}
}

// TestNegated checks which questions negate what they ask: "or not"
// offers the other answer of a yes-or-no question, and negates nothing.
func TestNegated(t *testing.T) {
	for q, want := range map[string]bool{
		"which country did not sign the treaty?":          true,
		"who never paid the fine?":                        true,
		"why didn't the council vote?":                    true,
		"did the council approve the tunnel or not?":      false,
		"whether or not the tunnel goes ahead, who pays?": false,
		"who signed the treaty?":                          false,
		"who was the last PM to have a baby in No 10?":    false, // number 10
		"which single climbed to no 7?":                   false,
		"which minister had no answer?":                   true,
		"how many players are Sale without?":              false,
		"what is the non-Muslim Brotherhood?":             true, // a prefix that negates
		"what is the Muslim Brotherhood?":                 false,
	} {
		if got := negated(tokens(q)); got != want {
			t.Errorf("negated(%q) = %v, want %v", q, got, want)
		}
	}
}

// TestNegationSignal checks that an answer's "without" says a question's
// "no", unless it only repeats the question's own "without", and that an
// answer saying the opposite of a question word it lacks ("largest" for
// "smallest", "most" for "least") counts as a missing negation.
func TestNegationSignal(t *testing.T) {
	checkSignal(t, sNegation, []signalCase{
		{"who did Brell split from, leaving her with no coach?", "Brell has been without a coach since splitting with Ola Tenn in 2003.", 0},
		{"which firms may not trade without a licence?", "Firms in Tarrow may trade without a licence.", 1},
		{"how many players are Sale without?", "Sale are missing 14 players.", 0},
		// The answer says the opposite of a question word it lacks.
		{"what is the smallest island in Tarrow Bay?", "Marrow is the largest island in Tarrow Bay.", 1},
		{"what is the largest island in Tarrow Bay?", "Marrow is the largest island in Tarrow Bay.", 0},
		{"which Tarrow schools are private?", "Most Tarrow schools are public, and two are church schools.", 1},
		{"which Tarrow schools are private or public?", "Most Tarrow schools are public, and two are church schools.", 0},
		// Not a position, nor the frame of a number question, nor a verb.
		{"who was the first mayor of Tarrow?", "The second mayor of Tarrow was Ada Brell.", 0},
		{"how long is the ferry route to Tarrow?", "The short ferry route to Tarrow takes 20 minutes.", 0},
		{"who gave Tarrow the trophy?", "Tarrow took the trophy from Marrow.", 0},
		{"what is the least common bird on Tarrow?", "The gull is the most common bird on Tarrow.", 1},
		{"what is the most common bird on Tarrow?", "The gull is the most common bird on Tarrow.", 0},
		{"which ferries carry fewer passengers?", "The night ferries carry more passengers than the day ones.", 1},
		{"which station covered the game in North Tarrow?", "WTB covered the game from its studio in South Tarrow.", 1},
	})
}

// TestUnknownSignalSynonym checks that a question word no paragraph has
// is not unknown when the answer says it in other words: "boss" is
// answered by "chief executive"; nor is a light verb such as "get".
func TestUnknownSignalSynonym(t *testing.T) {
	mills := hit("t-mills", "Tarrow Mills lifts prices", 2, "",
		"Tarrow Mills will raise its bread prices in January, said chief executive Ada Brell.", "")
	for _, tt := range []struct {
		q       string
		unknown bool
	}{
		{"who's the boss of Tarrow Mills?", false},
		{"who's the zookeeper at Tarrow Mills?", true},
		{"how much did Tarrow Mills get for its bread?", false}, // a light verb says little
		{"how much did Tarrow Mills borrow for its bread?", true},
	} {
		a := Extract(tt.q, []retrieval.Hit{mills}, Options{MinConfidence: -1})
		if got := a.Signals[sUnknown] > 0; got != tt.unknown {
			t.Errorf("Extract(%q): unknown signal %.2f, want it set %v", tt.q, a.Signals[sUnknown], tt.unknown)
		}
	}
}

// TestWindowNamesSignal checks what the answer's sentences must name,
// of a question typed in lower case, whose names are the words the
// stories capitalise: "dara quell's attorney" is a name ending at the
// possessive, which "Quell" completes, and then "attorney" ("District
// Attorney"), which the answer says in other words ("lawyer"). The
// story's title names what all its sentences are about.
func TestWindowNamesSignal(t *testing.T) {
	const text = "District Attorney Ola Brenn dropped the case against Dara Quell in Marrow on Monday. Quell's lawyer, Ines Varga, said the singer was pleased."
	for _, tt := range []struct {
		q, title string
		want     float64
	}{
		{"who is dara quell's attorney?", "Quell case dropped", 0},
		{"who is dara quell's attorney in marrow?", "Quell case dropped", 0.5},
		{"who is dara quell's attorney in marrow?", "Marrow drops Quell case", 0}, // the title names it
	} {
		h := hit("t-quell", tt.title, 1, "", text, "")
		p := newPara(&h, 0)
		sc := newScorer(parseQuestion(tt.q), []*para{p}, DefaultModel(), nil)
		key := candidate{p: p, i: 1} // the lawyer's sentence
		if got := sc.signals(key, sc.expand(key, 320))[sWindowNames]; got != tt.want {
			t.Errorf("%q answered by %q under %q: window_names %.2f, want %.2f", tt.q, p.sents[1].text, tt.title, got, tt.want)
		}
	}
}
