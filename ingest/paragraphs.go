package ingest

import "strings"

// Paragraphs splits plain text or Markdown into the paragraphs that the
// index stores and cites. The rules, in order:
//
//  1. Paragraphs end at blank lines. Text with no blank line at all is
//     written one paragraph per line, so there every line is a paragraph.
//  2. Inside a paragraph, wrapped lines are joined with a space, but list
//     items ("- ", "* ", "+ ", "• ", "1. ", "1) ") keep their own lines,
//     joined with "\n"; consecutive items stay in one paragraph.
//  3. Markdown is reduced to text: heading markers, emphasis, blockquote
//     markers and link syntax are removed ([text](url) becomes text),
//     images and link definitions are dropped, and a heading is a
//     paragraph of its own. Fenced code is kept verbatim as one paragraph.
//     Rules ("---", "***", "===") are dropped. Numeric character
//     references such as "&#233;" are decoded.
//  4. A paragraph over 1,200 characters is split at sentence boundaries
//     (sentence.Spans) into chunks of about equal size, each at most
//     1,200 characters; a single longer sentence is cut at a word
//     boundary.
//  5. A paragraph repeated within the text (compared case-insensitively
//     with white space collapsed) is kept once, at its first position.
//  6. A fragment — under 40 characters or under 5 words, and not a
//     sentence of at least 3 words that starts with a capital, digit or
//     quote and ends in '.', '?', '!' or '…' — is merged into the next
//     paragraph, or into the previous one at the end. So "Advertisement",
//     "(AP)" and subheads join the text they belong to, while "He denied
//     the charges." stays a paragraph. A text that is one fragment keeps it.
//
// HTML pages go through the same steps 4–6 (see ReadPage).
func Paragraphs(text string) []string {
	return shape(splitBlocks(text, true))
}

// splitBlocks applies rules 1–3 of Paragraphs. With markdown false (text
// extracted from HTML) only line structure, lists and code fences count.
func splitBlocks(text string, markdown bool) []string {
	lines := strings.Split(normalizeNewlines(text), "\n")
	b := blockBuilder{markdown: markdown, lineMode: !hasInnerBlank(lines)}
	for _, line := range lines {
		b.add(line)
	}
	b.flush()
	return b.out
}

// normalizeNewlines turns CRLF and lone CR into LF.
func normalizeNewlines(s string) string {
	if !strings.Contains(s, "\r") {
		return s
	}
	return strings.ReplaceAll(strings.ReplaceAll(s, "\r\n", "\n"), "\r", "\n")
}

// hasInnerBlank reports whether a blank line separates two non-blank
// lines; leading and trailing blank lines do not count.
func hasInnerBlank(lines []string) bool {
	seenText, blank := false, false
	for _, l := range lines {
		if strings.TrimSpace(l) == "" {
			blank = seenText
			continue
		}
		if blank {
			return true
		}
		seenText = true
	}
	return false
}

// blockBuilder accumulates the lines of the current paragraph.
type blockBuilder struct {
	markdown bool
	lineMode bool     // no blank lines in the input: one paragraph per line
	out      []string // finished paragraphs
	cur      []string // lines of the current paragraph
	fence    string   // the opening code fence while inside one
}

func (b *blockBuilder) flush() {
	if b.fence != "" {
		for len(b.cur) > 0 && strings.TrimSpace(b.cur[len(b.cur)-1]) == "" {
			b.cur = b.cur[:len(b.cur)-1]
		}
	}
	if len(b.cur) > 0 {
		b.out = append(b.out, strings.Join(b.cur, "\n"))
	}
	b.cur = b.cur[:0]
}

func (b *blockBuilder) add(raw string) {
	trimmed := strings.TrimSpace(raw)
	if b.fence != "" {
		b.addCode(raw, trimmed)
		return
	}
	if b.markdown {
		trimmed = stripQuoteMarker(trimmed)
	}
	switch {
	case trimmed == "":
		b.flush()
	case isFence(trimmed):
		b.flush()
		b.fence = trimmed[:3]
	case isRule(trimmed) || b.markdown && isLinkDefinition(trimmed):
		b.flush()
	case b.markdown && headingLevel(trimmed) > 0:
		b.flush()
		b.addText(stripHeading(trimmed), false)
		b.flush()
	default:
		b.addText(trimmed, startsWithSpace(raw))
	}
}

// addCode keeps fenced lines as they are until the closing fence.
func (b *blockBuilder) addCode(raw, trimmed string) {
	if strings.HasPrefix(trimmed, b.fence) && strings.Trim(trimmed, b.fence[:1]) == "" {
		b.flush()
		b.fence = ""
		return
	}
	if len(b.cur) == 0 && trimmed == "" {
		return
	}
	b.cur = append(b.cur, strings.TrimRight(raw, " \t"))
}

// addText adds one non-blank line of prose. indented tells a list item's
// continuation line from a new line after a list.
func (b *blockBuilder) addText(line string, indented bool) {
	marker, rest := splitListMarker(line)
	text := cleanLine(rest, b.markdown)
	if text == "" && marker == "" {
		return
	}
	if marker != "" {
		if b.lineMode && len(b.cur) > 0 && !isListItem(b.cur[len(b.cur)-1]) {
			b.flush()
		}
		b.cur = append(b.cur, marker+text)
		return
	}
	if len(b.cur) > 0 && b.lineMode {
		b.flush()
	}
	if n := len(b.cur); n > 0 && (!isListItem(b.cur[n-1]) || indented) {
		b.cur[n-1] += " " + text
		return
	}
	b.cur = append(b.cur, text)
}

func startsWithSpace(s string) bool {
	return s != "" && (s[0] == ' ' || s[0] == '\t')
}

// splitListMarker splits "- item" into "- " and "item". The marker is
// kept, with "*" and "+" written as "-", so lists read the same whatever
// the source used.
func splitListMarker(line string) (marker, rest string) {
	switch {
	case len(line) > 2 && (line[0] == '-' || line[0] == '*' || line[0] == '+') && line[1] == ' ':
		return "- ", strings.TrimSpace(line[2:])
	case strings.HasPrefix(line, "• "):
		return "- ", strings.TrimSpace(line[len("• "):])
	}
	i := 0
	for i < len(line) && i < 4 && line[i] >= '0' && line[i] <= '9' {
		i++
	}
	if i > 0 && i+1 < len(line) && (line[i] == '.' || line[i] == ')') && line[i+1] == ' ' {
		return line[:i+2], strings.TrimSpace(line[i+2:])
	}
	return "", line
}

// isListItem reports whether a stored line starts with a list marker.
func isListItem(line string) bool {
	marker, _ := splitListMarker(line)
	return marker != ""
}

func isFence(line string) bool {
	return strings.HasPrefix(line, "```") || strings.HasPrefix(line, "~~~")
}

// isRule reports whether line is a horizontal rule or a setext heading
// underline: three or more of one of "-", "*", "_", "=", maybe spaced.
func isRule(line string) bool {
	c := line[0]
	if c != '-' && c != '*' && c != '_' && c != '=' {
		return false
	}
	n := 0
	for i := 0; i < len(line); i++ {
		switch line[i] {
		case c:
			n++
		case ' ', '\t':
		default:
			return false
		}
	}
	return n >= 3
}
