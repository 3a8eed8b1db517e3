package ingest

import (
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// cleanLine turns one line into plain text: Markdown inline syntax is
// removed when markdown is set, numeric character references are decoded
// and white space is collapsed.
func cleanLine(line string, markdown bool) string {
	line = cleanText(line)
	if markdown && strings.ContainsAny(line, "*_[]!\\") {
		line = stripInline(line)
	}
	if strings.Contains(line, "&#") {
		line = decodeNumericRefs(line)
	}
	return strings.Join(strings.Fields(line), " ")
}

// stripInline removes emphasis markers, escapes, images and link syntax
// from one line in a single pass.
func stripInline(line string) string {
	var b strings.Builder
	b.Grow(len(line))
	for i := 0; i < len(line); {
		c := line[i]
		switch {
		case c == '\\' && i+1 < len(line) && isASCIIPunct(line[i+1]):
			b.WriteByte(line[i+1])
			i += 2
		case c == '!' && strings.HasPrefix(line[i+1:], "["):
			if _, end, ok := parseLink(line, i+1); ok {
				i = end // images carry no article text
				continue
			}
			b.WriteByte(c)
			i++
		case c == '[':
			if text, end, ok := parseLink(line, i); ok {
				b.WriteString(stripInline(text))
				i = end
				continue
			}
			b.WriteByte(c)
			i++
		case c == '*' || c == '_':
			j := i
			for j < len(line) && line[j] == c {
				j++
			}
			if !isEmphasis(line, i, j) {
				b.WriteString(line[i:j])
			}
			i = j
		default:
			b.WriteByte(c)
			i++
		}
	}
	return b.String()
}

// Bounds for parseLink. Link texts and URLs are short; bounding the
// search keeps a line full of stray brackets linear instead of quadratic.
const (
	maxLinkText = 300
	maxLinkURL  = 2000
)

// parseLink parses "[text](url)" or "[text][ref]" starting at the '['
// at i, returning the text and the index just past the link.
func parseLink(line string, i int) (text string, end int, ok bool) {
	rb := indexWithin(line[i+1:], ']', maxLinkText)
	if rb < 0 {
		return "", 0, false
	}
	text = line[i+1 : i+1+rb]
	j := i + 1 + rb + 1
	if j >= len(line) || (line[j] != '(' && line[j] != '[') {
		return "", 0, false
	}
	closer := byte(')')
	if line[j] == '[' {
		closer = ']'
	}
	k := indexWithin(line[j+1:], closer, maxLinkURL)
	if k < 0 {
		return "", 0, false
	}
	return text, j + 1 + k + 1, true
}

// indexWithin is strings.IndexByte limited to the first limit bytes of s.
func indexWithin(s string, c byte, limit int) int {
	if len(s) > limit {
		s = s[:limit]
	}
	return strings.IndexByte(s, c)
}

// isEmphasis reports whether the run line[i:j] of '*' or '_' is an
// emphasis marker: it touches a word on one side and not a letter or
// digit on the other. "*bold*" and "__init__" lose their markers;
// "snake_case" and "2 * 3" keep theirs.
func isEmphasis(line string, i, j int) bool {
	prev, _ := utf8.DecodeLastRuneInString(line[:i])
	next, _ := utf8.DecodeRuneInString(line[j:])
	if i == 0 {
		prev = ' '
	}
	if j == len(line) {
		next = ' '
	}
	opens := !unicode.IsSpace(next) && !isAlnum(prev)
	closes := !unicode.IsSpace(prev) && !isAlnum(next)
	return opens || closes
}

func isAlnum(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }

func isASCIIPunct(c byte) bool {
	return c < utf8.RuneSelf && unicode.IsPunct(rune(c)) || strings.IndexByte("`^|~<>=+$", c) >= 0
}

// headingLevel returns n for an ATX heading "### Title" (n = 3), else 0.
func headingLevel(line string) int {
	n := 0
	for n < len(line) && line[n] == '#' {
		n++
	}
	if n == 0 || n > 6 || (n < len(line) && line[n] != ' ' && line[n] != '\t') {
		return 0
	}
	return n
}

// stripHeading returns the text of an ATX heading without its markers,
// including an optional closing run of '#'.
func stripHeading(line string) string {
	s := strings.TrimSpace(line[headingLevel(line):])
	if t := strings.TrimRight(s, "#"); t != s && (t == "" || strings.HasSuffix(t, " ")) {
		s = strings.TrimSpace(t)
	}
	return s
}

// stripQuoteMarker removes blockquote markers ("> ", ">> ").
func stripQuoteMarker(line string) string {
	for strings.HasPrefix(line, ">") {
		line = strings.TrimSpace(line[1:])
	}
	return line
}

// isLinkDefinition reports whether line is "[ref]: http://…".
func isLinkDefinition(line string) bool {
	if !strings.HasPrefix(line, "[") {
		return false
	}
	_, after, ok := strings.Cut(line, "]:")
	return ok && !strings.ContainsAny(strings.TrimSpace(after), " \t")
}

// decodeNumericRefs decodes "&#233;" and "&#xE9;", which survive in text
// copied from web pages (the BBC set has "communiqu&#233;"). Named
// entities are left alone: "AT&T;" is more likely text than markup.
func decodeNumericRefs(s string) string {
	var b strings.Builder
	for {
		i := strings.Index(s, "&#")
		if i < 0 {
			b.WriteString(s)
			return b.String()
		}
		b.WriteString(s[:i])
		r, n := numericRef(s[i:])
		if n == 0 {
			b.WriteString("&#")
			s = s[i+2:]
			continue
		}
		b.WriteRune(r)
		s = s[i+n:]
	}
}

// numericRef parses a reference at the start of s, returning the rune
// and its length, or n == 0 when s does not start with a valid one.
func numericRef(s string) (r rune, n int) {
	semi := indexWithin(s, ';', 11)
	if semi < 3 {
		return 0, 0
	}
	digits, base := s[2:semi], 10
	if digits[0] == 'x' || digits[0] == 'X' {
		digits, base = digits[1:], 16
	}
	v, err := strconv.ParseUint(digits, base, 32)
	if err != nil || v == 0 || !utf8.ValidRune(rune(v)) {
		return 0, 0
	}
	return rune(v), semi + 1
}
