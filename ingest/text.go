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
func parseText(text string) retrieval.Article {
	text = normalizeNewlines(strings.TrimPrefix(text, "\ufeff"))
	var a retrieval.Article
	fields, body := frontMatter(text)
	applyFields(&a, fields)
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
	return a
}

// leadingTitle returns the title given by the first non-blank line of
// text, if any, and the text after it.
func leadingTitle(text string) (title, rest string) {
	first, after := nextLine(strings.TrimLeft(text, " \t\n"))
	first = strings.TrimSpace(first)
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

// frontMatter splits a leading "---" block of "key: value" lines from
// text. Keys are lower-cased; values lose surrounding quotes. Lines that
// are not simple key/value pairs (YAML lists, nesting) are ignored: we
// need a handful of scalar fields, not a YAML parser.
func frontMatter(text string) (map[string]string, string) {
	if !strings.HasPrefix(text, "---\n") {
		return nil, text
	}
	fields := map[string]string{}
	rest := text[len("---\n"):]
	for n := 0; rest != "" && n < 100; n++ {
		line, after := nextLine(rest)
		rest = after
		line = strings.TrimSpace(line)
		if line == "---" || line == "..." {
			return fields, rest
		}
		k, v, ok := strings.Cut(line, ":")
		if ok && k != "" && !strings.ContainsAny(k, " \t") {
			fields[strings.ToLower(k)] = unquote(strings.TrimSpace(v))
		}
	}
	return nil, text // never closed: not front matter
}

func unquote(v string) string {
	if len(v) >= 2 && (v[0] == '"' || v[0] == '\'') && v[len(v)-1] == v[0] {
		return v[1 : len(v)-1]
	}
	return v
}

// applyFields copies front-matter fields into a; several spellings are
// accepted for each.
func applyFields(a *retrieval.Article, f map[string]string) {
	pick := func(keys ...string) string {
		for _, k := range keys {
			if v := f[k]; v != "" {
				return v
			}
		}
		return ""
	}
	a.ID = pick("id")
	a.Title = pick("title", "headline")
	a.URL = pick("url", "canonical", "link")
	a.Outlet = pick("outlet", "source", "publisher", "site")
	a.Author = pick("author", "authors", "byline", "by")
	a.Category = pick("category", "section")
	a.Published = ParseDate(pick("published", "date", "pubdate", "published_at"))
}
