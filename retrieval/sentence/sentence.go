// Package sentence splits English news prose into sentences.
//
// It is a hand-written scanner rather than a model or a regexp: ingest
// runs it over every paragraph it indexes, and answer runs it over every
// paragraph it quotes, so it has to be fast, allocation-light and
// predictable. The rules are tuned for news copy: abbreviations such as
// "Mr." and "U.S.", initials, month abbreviations before dates, decimals,
// ellipses, and closing quotes after the full stop.
package sentence

import (
	"strings"
	"unicode/utf8"
)

// Split returns the sentences of text in order, trimmed and non-empty.
// Joining them with single spaces gives back every word of text.
func Split(text string) []string {
	spans := Spans(text)
	if len(spans) == 0 {
		return nil
	}
	out := make([]string, len(spans))
	for i, s := range spans {
		out[i] = text[s[0]:s[1]]
	}
	return out
}

// Spans returns the byte ranges [start, end) of the sentences of text.
// Ranges are in order, do not overlap, never start or end with white
// space, and together cover every non-space byte of text. Text with no
// terminal punctuation is one sentence.
func Spans(text string) [][2]int {
	var spans [][2]int
	start := skipSpace(text, 0)
	for i := start; i < len(text); {
		if !candidate[text[i]] {
			i++
			continue
		}
		end, next, ok := boundaryAt(text, start, i)
		if !ok {
			i = next
			continue
		}
		if end > start {
			spans = append(spans, [2]int{start, end})
		}
		start = skipSpace(text, next)
		i = start
	}
	if end := trimRight(text, len(text)); end > start {
		spans = append(spans, [2]int{start, end})
	}
	return spans
}

// candidate marks the bytes that may end a sentence: terminal
// punctuation, line breaks, and the first byte of "…" (U+2026).
var candidate = [256]bool{'.': true, '?': true, '!': true, '\n': true, 0xE2: true}

// boundaryAt reports whether a sentence that began at start ends at i.
// When it does, end is the end of the sentence (after any closing quotes)
// and next is where the following sentence may begin. When it does not,
// next is where scanning resumes.
func boundaryAt(text string, start, i int) (end, next int, ok bool) {
	c := text[i]
	switch {
	case c == '\n':
		if lineBreakEnds(text, i+1) {
			return trimRight(text, i), i + 1, true
		}
		return 0, i + 1, false
	case c == '.' || c == '?' || c == '!' || hasPrefixAt(text, i, ellipsis):
		return terminalAt(text, start, i)
	}
	return 0, i + 1, false
}

// terminalAt handles a run of terminal punctuation beginning at i.
func terminalAt(text string, start, i int) (end, next int, ok bool) {
	runEnd, kind := scanTerminal(text, i)
	end = skipClosers(text, runEnd)
	if end < len(text) && !isSpaceAt(text, end) {
		return 0, runEnd, false
	}
	k := skipSpace(text, end)
	if k == len(text) {
		return end, k, true
	}
	if kind == fullStop && !fullStopEnds(text, start, i, k) {
		return 0, runEnd, false
	}
	if kind != fullStop && !startsSentence(text, k) {
		return 0, runEnd, false
	}
	return end, k, true
}

type terminalKind int

const (
	fullStop terminalKind = iota // a single '.'
	other                        // '?', '!', an ellipsis, or a mix
)

const ellipsis = "\u2026"

// scanTerminal consumes a run such as ".", "?!", "..." or "…" and
// reports whether it was a single full stop, the only kind that can
// follow an abbreviation.
func scanTerminal(text string, i int) (int, terminalKind) {
	j := i
	for j < len(text) {
		if c := text[j]; c == '.' || c == '?' || c == '!' {
			j++
		} else if hasPrefixAt(text, j, ellipsis) {
			j += len(ellipsis)
		} else {
			break
		}
	}
	if j-i == 1 && text[i] == '.' {
		return j, fullStop
	}
	return j, other
}

// closers are the marks that stay with the sentence they close:
// `he said." Next` keeps the quote in the first sentence.
var closers = [...]string{`"`, `'`, ")", "]", "}", "\u201d", "\u2019", "\u00bb"}

func skipClosers(text string, j int) int {
	for j < len(text) {
		n := prefixLen(text, j, closers[:])
		if n == 0 {
			return j
		}
		j += n
	}
	return j
}

// openers may precede the first word of a sentence.
var openers = [...]string{`"`, `'`, "(", "[", "\u201c", "\u2018", "\u00ab"}

// word is the start of the text after a candidate boundary.
type word struct {
	text   string // leading ASCII letters, possibly empty
	first  rune   // first rune after any openers
	second rune   // the rune after first
	quoted bool   // an opening quote or bracket came first
	dotted bool   // text is directly followed by '.', as in "R." or "Mr."
}

// nextWord reads the word at k, skipping opening quotes and brackets.
func nextWord(text string, k int) word {
	var w word
	for k < len(text) {
		n := prefixLen(text, k, openers[:])
		if n == 0 {
			break
		}
		k += n
		w.quoted = true
	}
	first, size := utf8.DecodeRuneInString(text[k:])
	w.first = first
	w.second, _ = utf8.DecodeRuneInString(text[k+size:])
	e := k
	for e < len(text) && isASCIILetter(text[e]) {
		e++
	}
	w.text = text[k:e]
	w.dotted = e < len(text) && text[e] == '.'
	return w
}

// startsSentence reports whether the text at k looks like the start of a
// sentence.
func startsSentence(text string, k int) bool {
	return nextWord(text, k).startsSentence()
}

// startsSentence reports whether w can open a sentence: anything but a
// lower-case word or closing punctuation, as in "(Ae Fond Kiss... )".
// Words such as "iPod" and "eBay" count as capitalised.
func (w word) startsSentence() bool {
	if isLower(w.first) {
		return isUpper(w.second)
	}
	return !strings.ContainsRune(")]},;:%\u201d\u00bb", w.first)
}
