package answer

import (
	"cmp"
	"slices"
	"strings"
)

// maxWhyWords is how many missing words a refusal names.
const maxWhyWords = 3

// why says what the signals that weighed against the answer found
// missing, in words the asker can check: "No article I have mentions
// “instagram”.", "The closest story doesn't mention “2008”.", "The
// closest story gives no figure for that." A refusal that says what is
// missing lets the asker rephrase, or know the index lacks the story;
// "I couldn't find a clear answer" alone does not. The signal that
// weighed most and names something is said; "" when none does (a
// negation, a tense).
func (sc *scorer) why(key candidate, e excerpt, sig []float64) string {
	fired := []int{}
	for i, v := range sig {
		if sc.m.Answerable[i]*v < 0 {
			fired = append(fired, i)
		}
	}
	slices.SortStableFunc(fired, func(a, b int) int {
		return cmp.Compare(sc.m.Answerable[a]*sig[a], sc.m.Answerable[b]*sig[b])
	})
	for _, s := range fired {
		if w := sc.whySignal(s, key, e); w != "" {
			return w
		}
	}
	return ""
}

// whySignal words what signal s found missing, or "".
func (sc *scorer) whySignal(s int, key candidate, e excerpt) string {
	switch s {
	case sUnknown:
		return sc.unknownWhy(e)
	case sMissingYear, sMissingNames:
		story := sc.story(key, e)
		words := sc.qWords(func(t string) bool {
			return !story[t] && (isYear(t) || s == sMissingNames && sc.isKey(t))
		})
		if len(words) > 0 {
			return "The closest story doesn't mention " + orList(words) + "."
		}
	case sWindowNames:
		window := sc.window(key, answerTerms(e))
		if words := sc.qWords(func(t string) bool { return !window[t] && sc.isKey(t) }); len(words) > 0 {
			return "The closest passage doesn't mention " + orList(words) + "."
		}
	case sCueMissing:
		if sc.q.kind == kindTime {
			return "The closest story gives no date for that."
		}
		return "The closest story gives no figure for that."
	}
	return ""
}

// unknownWhy names the question's words that no indexed paragraph has
// (the unknown signal's words). Without the index's rarity it can only
// say that the closest stories lack them, and nothing when none was found.
func (sc *scorer) unknownWhy(e excerpt) string {
	said := answerTerms(e)
	words := sc.qWords(func(t string) bool { return sc.unknown(t, said) })
	switch {
	case len(words) == 0, !sc.indexed && sc.hits == 0:
		return ""
	case sc.indexed:
		return "No article I have mentions " + orList(words) + "."
	}
	return "The closest stories don't mention " + orList(words) + "."
}

// qWords returns the question's words, as typed, whose terms pass keep:
// each term once, at most maxWhyWords.
func (sc *scorer) qWords(keep func(term string) bool) []string {
	var out []string
	seen := map[string]bool{}
	for _, t := range sc.q.toks {
		if t.Stop || seen[t.Term] || !keep(t.Term) {
			continue
		}
		seen[t.Term] = true
		out = append(out, sc.q.text[t.Start:t.End])
		if len(out) == maxWhyWords {
			break
		}
	}
	return out
}

// orList quotes words and joins them with "or": “a”, “b” or “c”.
func orList(words []string) string {
	q := make([]string, len(words))
	for i, w := range words {
		q[i] = "“" + w + "”"
	}
	if len(q) == 1 {
		return q[0]
	}
	return strings.Join(q[:len(q)-1], ", ") + " or " + q[len(q)-1]
}
