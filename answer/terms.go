package answer

import "github.com/byline-news/byline/retrieval/analysis"

// tokens is analysis.Tokens with irregular verb forms mapped to the term
// of their base form, so that "how much did they pay" meets "paid" and
// "who won" meets "win". The index does not need this (it searches
// paragraphs, and one matching word is enough), but picking the sentence
// that answers does.
func tokens(text string) []analysis.Token {
	toks := analysis.Tokens(text)
	for i, t := range toks {
		if base, ok := irregular[t.Word]; ok {
			toks[i].Term = analysis.Stem(base)
		}
	}
	return toks
}

// contentTerms is the set of non-stop terms of toks.
func contentTerms(toks []analysis.Token) map[string]bool {
	m := make(map[string]bool, len(toks))
	for _, t := range toks {
		if !t.Stop {
			m[t.Term] = true
		}
	}
	return m
}

// irregular maps past forms of common irregular verbs to the base form.
// Forms that are more often other words ("left", "saw", "found") are
// left out.
var irregular = map[string]string{
	"paid": "pay", "sold": "sell", "bought": "buy", "won": "win",
	"lost": "lose", "took": "take", "taken": "take", "gave": "give",
	"given": "give", "made": "make", "began": "begin", "begun": "begin",
	"brought": "bring", "came": "come", "went": "go", "gone": "go",
	"held": "hold", "kept": "keep", "met": "meet", "ran": "run",
	"spent": "spend", "struck": "strike", "thought": "think", "fell": "fall",
	"fallen": "fall", "rose": "rise", "risen": "rise", "shot": "shoot",
	"built": "build", "chose": "choose", "chosen": "choose", "drew": "draw",
	"drawn": "draw", "drove": "drive", "driven": "drive", "flew": "fly",
	"flown": "fly", "grew": "grow", "grown": "grow", "knew": "know",
	"known": "know", "became": "become", "broke": "break", "broken": "break",
	"caught": "catch", "fought": "fight", "sent": "send", "sought": "seek",
	"taught": "teach", "told": "tell", "wrote": "write", "written": "write",
	"hung": "hang", "stole": "steal", "stolen": "steal", "swore": "swear",
	"sworn": "swear", "threw": "throw", "thrown": "throw", "beaten": "beat",
	"forgot": "forget", "forgotten": "forget", "hid": "hide", "hidden": "hide",
	"sang": "sing", "sung": "sing", "spoke": "speak", "spoken": "speak",
	"wore": "wear", "worn": "wear", "felt": "feel", "heard": "hear",
	"meant": "mean", "lent": "lend", "dealt": "deal", "bore": "bear",
	"overtook": "overtake", "withdrew": "withdraw", "withdrawn": "withdraw",
	"understood": "understand", "undertook": "undertake", "quit": "quit",
	// Snowball stems these to "ad", the stem of "ads".
	"added": "add", "adding": "add",
}
