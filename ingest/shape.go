package ingest

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/byline-news/byline/retrieval/sentence"
)

// Paragraph size rules. A paragraph is the unit the index ranks and the
// answer quotes, so it should hold a few sentences: long enough to carry
// its own context, short enough to quote.
const (
	maxParagraph = 1200 // characters; longer paragraphs are split
	tinyChars    = 40   // a paragraph shorter than this…
	tinyWords    = 5    // …or with fewer words is a fragment, unless a sentence
	minSentWords = 3    // words a short paragraph needs to count as a sentence
)

// shape turns raw paragraphs into indexable ones:
//
//  0. Invisible characters are removed (see cleanText) and paragraphs
//     left empty dropped.
//  1. A paragraph over maxParagraph characters is split at sentence
//     boundaries into chunks of about equal size, each at most
//     maxParagraph; a single longer sentence is cut at a word boundary.
//  2. Repeats are dropped (see dedupe), so that a page or file that holds
//     its text twice is stored once, before any merging can hide them.
//  3. Fragments are merged (see mergeTiny).
//  4. Repeats are dropped once more, in case a merge created one.
func shape(paras []string) []string {
	var split []string
	for _, p := range paras {
		if p = strings.TrimSpace(cleanText(p)); p != "" {
			split = append(split, splitLong(p, maxParagraph)...)
		}
	}
	return dedupe(mergeTiny(dedupe(split)))
}

// splitLong splits p into chunks of at most limit characters at sentence
// boundaries, aiming at equal sizes so no chunk is a stub.
func splitLong(p string, limit int) []string {
	total := utf8.RuneCountInString(p)
	if total <= limit {
		return []string{p}
	}
	target := total / ((total + limit - 1) / limit)
	var out []string
	start, size := -1, 0 // current chunk: byte offset and characters
	for _, s := range sentence.Spans(p) {
		n := utf8.RuneCountInString(p[s[0]:s[1]])
		if start >= 0 && (size+1+n > limit || size >= target) {
			out = append(out, strings.TrimSpace(p[start:s[0]]))
			start = -1
		}
		if n > limit {
			out = append(out, cutWords(p[s[0]:s[1]], limit)...)
			continue
		}
		if start < 0 {
			start, size = s[0], n
		} else {
			size += 1 + n
		}
	}
	if start >= 0 {
		out = append(out, strings.TrimSpace(p[start:]))
	}
	return out
}

// cutWords cuts s into pieces of at most limit characters, at spaces when
// there are any. It never recounts the rest of s, so a huge run-on
// "sentence" costs linear time.
func cutWords(s string, limit int) []string {
	var out []string
	for {
		cut := runeOffset(s, limit)
		if cut == len(s) {
			break
		}
		if sp := strings.LastIndexFunc(s[:cut+1], unicode.IsSpace); sp > 0 {
			cut = sp
		}
		out = append(out, strings.TrimSpace(s[:cut]))
		s = strings.TrimSpace(s[cut:])
	}
	if s != "" {
		out = append(out, s)
	}
	return out
}

// runeOffset returns the byte offset of the n-th rune of s (len(s) if s
// is shorter).
func runeOffset(s string, n int) int {
	for i := range s {
		if n == 0 {
			return i
		}
		n--
	}
	return len(s)
}

// mergeTiny merges fragments such as "Advertisement", "(AP)", a stray
// subhead or a photo credit into the next paragraph, or into the previous
// one at the end of the article, so every stored paragraph can stand on
// its own in search results. Short paragraphs that are real sentences
// ("He denied the charges.") are kept: they are how news is written.
// An article that is a single fragment keeps it.
func mergeTiny(paras []string) []string {
	var out []string
	pending := ""
	for i, p := range paras {
		if pending != "" {
			p, pending = joinParagraphs(pending, p), ""
		}
		switch {
		case !isFragment(p):
			out = append(out, p)
		case i < len(paras)-1:
			pending = p
		case len(out) > 0:
			out[len(out)-1] = joinParagraphs(out[len(out)-1], p)
		default:
			out = append(out, p)
		}
	}
	return out
}

// isFragment reports whether p is under tinyChars characters or tinyWords
// words and is not a sentence: at least minSentWords words, starting with
// a capital, digit or quote and ending in '.', '?' or '!' (closing quotes
// and brackets allowed after it).
func isFragment(p string) bool {
	words := len(strings.Fields(p))
	if utf8.RuneCountInString(p) >= tinyChars && words >= tinyWords {
		return false
	}
	if words < minSentWords {
		return true
	}
	first, _ := utf8.DecodeRuneInString(p)
	end := strings.TrimRight(p, `"')]”’»`)
	last, _ := utf8.DecodeLastRuneInString(end)
	startsOK := unicode.IsUpper(first) || unicode.IsDigit(first) || strings.ContainsRune(`"'“‘(`, first)
	return !startsOK || !strings.ContainsRune(".?!…", last)
}

// joinParagraphs joins a fragment to its neighbour: with "\n" when either
// side is a list, so items stay on their own lines, else with a space.
func joinParagraphs(a, b string) string {
	lastLine := a[strings.LastIndexByte(a, '\n')+1:]
	firstLine, _, _ := strings.Cut(b, "\n")
	if isListItem(lastLine) || isListItem(firstLine) {
		return a + "\n" + b
	}
	return a + " " + b
}

// dedupe drops paragraphs that repeat an earlier one of the same article,
// compared case-insensitively with white space collapsed, keeping the
// first position.
func dedupe(paras []string) []string {
	seen := make(map[string]bool, len(paras))
	out := paras[:0:0]
	for _, p := range paras {
		k := normalize(p)
		if k == "" || seen[k] {
			continue
		}
		seen[k] = true
		out = append(out, p)
	}
	return out
}
