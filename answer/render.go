package answer

import (
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// noWordsReason is the reply to a question made only of stop words.
const noWordsReason = "Ask me about something in the news — your question has no searchable words."

// reactionReason is the reply to a message that only reacts ("thanks!",
// "sorry?"): it asked nothing, so nothing is said of its words.
const reactionReason = "Ask me anything about the news."

// notFoundReason says that the index does not hold the answer, quoting
// its size so the user can judge how much was searched.
func notFoundReason(corpus int) string {
	if corpus <= 0 {
		return "I couldn't find a clear answer in the articles I have indexed."
	}
	return "I couldn't find a clear answer in the " + Thousands(corpus) + " articles I have indexed."
}

// withWhy adds to reason what was missing (scorer.why), when anything.
func withWhy(reason, why string) string {
	if why == "" {
		return reason
	}
	return reason + " " + why
}

// Thousands formats n with commas: 2127 → "2,127". The CLI and the
// chat adapters quote counts the same way.
func Thousands(n int) string {
	s := strconv.Itoa(n)
	for i := len(s) - 3; i > 0 && s[i-1] != '-'; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}

// render joins the excerpt's sentences with all white space collapsed
// and cuts the result to maxLen characters.
func render(e excerpt, maxLen int) string {
	var parts []string
	for _, s := range e.sents() {
		parts = append(parts, s.text)
	}
	return cut(strings.Join(strings.Fields(strings.Join(parts, " ")), " "), maxLen)
}

// cut shortens s to at most maxLen characters, ellipsis included, at a
// word boundary, so a quote is never cut mid-word.
func cut(s string, maxLen int) string {
	if runeLen(s) <= maxLen {
		return s
	}
	end := byteIndexOfRune(s, maxLen-1)
	head := s[:end]
	if r, _ := utf8.DecodeRuneInString(s[end:]); !unicode.IsSpace(r) {
		if sp := strings.LastIndexByte(head, ' '); sp > 0 {
			head = head[:sp]
		}
	}
	return strings.TrimRightFunc(head, func(r rune) bool {
		return unicode.IsSpace(r) || strings.ContainsRune(",;:-–—(", r)
	}) + "…"
}

// runeLen is the length of s in characters, the unit of MaxLen.
func runeLen(s string) int { return utf8.RuneCountInString(s) }

// byteIndexOfRune returns the byte offset of the n-th character of s.
func byteIndexOfRune(s string, n int) int {
	for i := range s {
		if n == 0 {
			return i
		}
		n--
	}
	return len(s)
}

// marks returns the byte ranges of p's words whose stem is a question
// term, for highlighting in the cited paragraph.
func marks(q *question, p *para) [][2]int {
	var out [][2]int
	for _, s := range p.sents {
		for _, t := range s.toks {
			if !t.Stop && q.has[t.Term] {
				out = append(out, [2]int{t.Start, t.End})
			}
		}
	}
	return out
}
