package ingest

import (
	"strings"
	"unicode/utf8"

	"github.com/byline-news/byline/retrieval"
	"github.com/byline-news/byline/retrieval/sentence"
)

const (
	maxTitleLine = 120 // a first line longer than this is prose, not a title
	maxDerived   = 80  // a title derived from the lead is cut to this
)

// parseText reads a plain-text or Markdown article. Its title is, in
// order: front matter "title:"; a Markdown heading on the first line; a
// short first line followed by more text (see titleLine); or else the
// first sentence of the lead (see deriveTitle). A heading or title line
// used as the title is not repeated as a paragraph.
func parseText(text string) (retrieval.Article, error) {
	text = normalizeNewlines(strings.TrimPrefix(text, "\ufeff"))
	var a retrieval.Article
	fields, body, err := frontMatter(text)
	if err != nil {
		return a, err
	}
	if err := applyFields(&a, fields); err != nil {
		return a, err
	}
	title, rest := leadingTitle(body)
	switch {
	case a.Title == "":
		a.Title = title
	case title == "" || normalize(title) != normalize(a.Title):
		rest = body // front matter won; the first line stays text
	}
	a.Paragraphs = Paragraphs(rest)
	if a.Title == "" {
		a.Title = deriveTitle(a.Paragraphs)
	}
	return a, nil
}

// leadingTitle returns the title given by the first non-blank line of
// text, if any, and the text after it.
func leadingTitle(text string) (title, rest string) {
	first, after := nextLine(strings.TrimLeft(text, " \t\n"))
	first = strings.TrimSpace(first)
	for first != "" && isRule(first) { // a rule above the story is no title
		first, after = nextLine(strings.TrimLeft(after, " \t\n"))
		first = strings.TrimSpace(first)
	}
	if first == "" {
		return "", text
	}
	if headingLevel(first) > 0 {
		return cleanLine(stripHeading(first), true), after
	}
	under, afterUnder := nextLine(after)
	if u := strings.TrimSpace(under); u != "" && isRule(u) && (u[0] == '=' || u[0] == '-') {
		return cleanLine(first, true), afterUnder // setext heading
	}
	if isTitleLine(first) && strings.TrimSpace(after) != "" {
		return cleanLine(first, true), after
	}
	return "", text
}

func nextLine(s string) (line, rest string) {
	line, rest, _ = strings.Cut(s, "\n")
	return line, rest
}

// isTitleLine reports whether a first line reads like a headline: short,
// not a list item, and not ending like a sentence or a lead-in.
func isTitleLine(line string) bool {
	if utf8.RuneCountInString(line) > maxTitleLine || isListItem(line) {
		return false
	}
	last, _ := utf8.DecodeLastRuneInString(line)
	return !strings.ContainsRune(`.?!"”:;,`, last)
}

// deriveTitle makes a title from the lead: its first sentence, cut at a
// word boundary to maxDerived characters with "…" when cut.
func deriveTitle(paras []string) string {
	if len(paras) == 0 {
		return ""
	}
	lead := paras[0]
	first, _ := nextLine(lead)
	if spans := sentence.Spans(first); len(spans) > 0 {
		first = first[spans[0][0]:spans[0][1]]
	}
	return shorten(strings.Join(strings.Fields(first), " "), maxDerived)
}

// shorten cuts s at a word boundary to at most limit characters, "…"
// included.
func shorten(s string, limit int) string {
	if utf8.RuneCountInString(s) <= limit {
		return s
	}
	cut := runeOffset(s, limit-1)
	if sp := strings.LastIndexByte(s[:cut+1], ' '); sp > 0 {
		cut = sp
	}
	return strings.TrimRight(s[:cut], " ,;:-–—") + "…"
}
