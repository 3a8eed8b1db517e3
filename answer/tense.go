package answer

import (
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
	_, irr := irregular[w]
	return irr || len(w) > 4 && strings.HasSuffix(w, "ed")
}

// tellsFuture reports whether toks speak of something still to come:
// "will play", "is to meet", "is set to", "is due to".
func tellsFuture(toks []analysis.Token) bool {
	for i, t := range toks {
		next := ""
		if i+1 < len(toks) {
			next = toks[i+1].Word
		}
		switch {
		case t.Word == "will" || t.Word == "shall":
			return true
		case (t.Word == "is" || t.Word == "are") && next == "to":
			return true
		case futureTo[t.Word] && next == "to":
			return true
		}
	}
	return false
}

var futureTo = set("set", "due", "expected", "poised", "going", "scheduled")
