package analysis

import "slices"

// IrregularBase returns the base form of word when it is a past form of
// a common irregular verb ("sold": "sell", "hidden": "hide"), which
// Snowball leaves as it is, or a form Snowball stems to another word's
// stem ("added", stemmed "ad" like "ads").
func IrregularBase(word string) (string, bool) {
	if base, ok := irregular[word]; ok {
		return base, true
	}
	base, ok := stemFixes[word]
	return base, ok
}

// VerbForms returns the terms of the other forms of the irregular verb
// whose form has term t ("sell" gives "sold"; "hidden" gives "hide" and
// "hid"), in a new slice, nil for any other term. The index holds words
// as written and Snowball does not join these forms, so a question that
// asks "what did the email hide?" must look for "hidden" too.
func VerbForms(t string) []string {
	return slices.Clone(verbForms[t])
}

// verbForms maps the term of each form of an irregular verb to the
// terms of its other forms.
var verbForms = func() map[string][]string {
	groups := map[string][]string{} // base term → the terms of all its forms
	for form, base := range irregular {
		b := Stem(base)
		for _, t := range []string{b, Stem(form)} {
			if !slices.Contains(groups[b], t) {
				groups[b] = append(groups[b], t)
			}
		}
	}
	out := map[string][]string{}
	for _, terms := range groups {
		slices.Sort(terms)
		for _, t := range terms {
			for _, o := range terms {
				if o != t {
					out[t] = append(out[t], o)
				}
			}
		}
	}
	return out
}()

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
}

// stemFixes are regular forms Snowball stems to another word's stem:
// "added" and "adding" to "ad", the stem of "ads".
var stemFixes = map[string]string{"added": "add", "adding": "add"}
