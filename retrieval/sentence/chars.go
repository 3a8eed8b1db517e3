package sentence

import (
	"unicode"
	"unicode/utf8"
)

// spaceLen returns the byte length of the white-space rune at i, or 0.
// Unicode spaces count, since HTML-derived text is full of U+00A0.
func spaceLen(text string, i int) int {
	c := text[i]
	if c < utf8.RuneSelf {
		if asciiSpace[c] {
			return 1
		}
		return 0
	}
	r, size := utf8.DecodeRuneInString(text[i:])
	if unicode.IsSpace(r) {
		return size
	}
	return 0
}

var asciiSpace = [utf8.RuneSelf]bool{' ': true, '\t': true, '\n': true, '\r': true, '\v': true, '\f': true}

func isSpaceAt(text string, i int) bool { return spaceLen(text, i) > 0 }

func skipSpace(text string, i int) int {
	for i < len(text) {
		n := spaceLen(text, i)
		if n == 0 {
			break
		}
		i += n
	}
	return i
}

// trimRight returns the end of text[:end] without trailing white space.
func trimRight(text string, end int) int {
	for end > 0 {
		r, size := utf8.DecodeLastRuneInString(text[:end])
		if r < utf8.RuneSelf && !asciiSpace[r] || r >= utf8.RuneSelf && !unicode.IsSpace(r) {
			return end
		}
		end -= size
	}
	return end
}

// lineBreakEnds reports whether a line break before i ends a sentence:
// when a blank line follows, or a list item ("- ", "* ", "• ", "2. ").
func lineBreakEnds(text string, i int) bool {
	for i < len(text) && (text[i] == ' ' || text[i] == '\t' || text[i] == '\r') {
		i++
	}
	if i == len(text) {
		return false
	}
	switch c := text[i]; {
	case c == '\n':
		return true
	case c == '-' || c == '*':
		return i+1 < len(text) && text[i+1] == ' '
	case hasPrefixAt(text, i, "\u2022"):
		return true
	case isDigit(rune(c)):
		for i < len(text) && isDigit(rune(text[i])) {
			i++
		}
		return i+1 < len(text) && (text[i] == '.' || text[i] == ')') && text[i+1] == ' '
	}
	return false
}

func hasPrefixAt(text string, i int, p string) bool {
	return len(text)-i >= len(p) && text[i:i+len(p)] == p
}

// prefixLen returns the length of the first of set that text has at i.
func prefixLen(text string, i int, set []string) int {
	for _, p := range set {
		if hasPrefixAt(text, i, p) {
			return len(p)
		}
	}
	return 0
}

func isASCIILetter(c byte) bool {
	return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z'
}

func isDigit(r rune) bool { return '0' <= r && r <= '9' }

func isLower(r rune) bool {
	if r < utf8.RuneSelf {
		return 'a' <= r && r <= 'z'
	}
	return unicode.IsLower(r)
}

func isUpper(r rune) bool {
	if r < utf8.RuneSelf {
		return 'A' <= r && r <= 'Z'
	}
	return unicode.IsUpper(r)
}
