// Package analysis turns text into index terms: Unicode-aware word
// splitting, case folding, English (Snowball/Porter2) stemming and stop
// words. Indexing and querying must share it, so it is the only place
// that decides what a "term" is.
package analysis

import (
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"github.com/kljensen/snowball/english"
	"golang.org/x/text/unicode/norm"
)

// Version numbers the analysis: an index whose terms an earlier version
// wrote is analysed again (engine.Index.Reanalyze). 2: dotted initials
// are one word ("U.S." is "us"). 3: every Latin letter loses its accent
// ("Gospić" is "gospic"), and a decade written "1950's" is "1950s". 4: a
// hyphenated compound is also its words joined ("buy-back", "buyback"),
// and "against" is a word, not a stop word.
const Version = 4

// Token is one word of a text.
type Token struct {
	Term  string // folded and stemmed (stop words: folded only); never ""
	Word  string // folded surface form (lower case, no accents of apostrophes)
	Start int    // byte offset of the word in the original text
	End   int
	Stop  bool // a stop word: not indexed, not searched
	Cap   bool // the surface form starts with an upper-case letter
	// Joined is set on the last word of a hyphenated compound of letters
	// ("back" of "buy-back"): the term of its words written as one
	// ("buyback"). People write compounds both ways ("e-mail", "email";
	// "wi-fi", "wifi"), so the index holds both, and a question's
	// "buyback" finds an article's "buy-back".
	Joined string
}

// Tokens splits text into words. Digits and letters form words; an
// apostrophe or a dot/comma between digits stays inside ("don't", "3.5",
// "1,200"); possessive 's is dropped.
func Tokens(text string) []Token {
	var out []Token
	Each(text, func(t Token) { out = append(out, t) })
	return out
}

// Terms returns the searchable terms of text (stop words removed), in
// order. A compound's joined term (Token.Joined) is not among them: the
// index holds it, and a question's hyphenated words are searched as
// written, so that they count once.
func Terms(text string) []string {
	var out []string
	Each(text, func(t Token) {
		if !t.Stop {
			out = append(out, t.Term)
		}
	})
	return out
}

// Each calls fn for every token of text, without allocating a slice.
func Each(text string, fn func(Token)) {
	acronyms := !Shouted(text)
	i := 0
	var run compound
	for i < len(text) {
		r, n := utf8.DecodeRuneInString(text[i:])
		if !isWordRune(r) {
			i += n
			continue
		}
		start := i
		i = wordEnd(text, i)
		dotted := false
		if end := initialism(text, start, i); end > i {
			i, dotted = end, true
		}
		word := text[start:i]
		folded := fold(word)
		if folded == "" {
			continue
		}
		first, _ := utf8.DecodeRuneInString(word)
		t := Token{Term: folded, Word: folded, Start: start, End: i, Cap: unicode.IsUpper(first)}
		t.Stop = IsStop(folded) && !dotted && !(acronyms && isAcronym(word))
		if !t.Stop { // stop words are never searched, so never stemmed
			t.Term = Stem(folded)
		}
		t.Joined = run.add(text, start, i, folded)
		fn(t)
	}
}

// compound follows a run of letter words joined by hyphens ("buy-back",
// "up-to-date") through Each.
type compound struct {
	end    int    // byte offset after the run's last word
	joined string // the run's folded words, concatenated
	parts  int
}

// add extends the run with the word text[start:end], folded, or starts a
// new one, and returns the run's joined term when the word ends a run of
// two or more words: "" otherwise.
func (c *compound) add(text string, start, end int, folded string) string {
	letters := !hasDigit(folded)
	if letters && c.parts > 0 && start == c.end+1 && text[c.end] == '-' {
		c.joined += folded
		c.parts++
	} else if letters {
		c.joined, c.parts = folded, 1
	} else {
		c.parts = 0
	}
	c.end = end
	if c.parts < 2 || hyphenNext(text, end) {
		return ""
	}
	if IsStop(c.joined) {
		return c.joined
	}
	return Stem(c.joined)
}

// hyphenNext reports whether text[i:] is a hyphen and a letter: the run
// goes on.
func hyphenNext(text string, i int) bool {
	if i+1 >= len(text) || text[i] != '-' {
		return false
	}
	r, _ := utf8.DecodeRuneInString(text[i+1:])
	return unicode.IsLetter(r)
}

func isWordRune(r rune) bool {
	return unicode.IsLetter(r) || unicode.IsDigit(r)
}

// isFormat reports an invisible format character (Unicode Cf: zero-width
// space and joiners, soft hyphen, bidirectional controls, BOM). Inside a
// word it is part of the word and folded away, so text pasted with one
// is found by the word typed without it, and the reverse.
func isFormat(r rune) bool {
	return r >= 0xad && unicode.Is(unicode.Cf, r)
}

// wordEnd returns the end of the word starting at i.
func wordEnd(text string, i int) int {
	for i < len(text) {
		r, n := utf8.DecodeRuneInString(text[i:])
		if isWordRune(r) || r == '\u0301' || isFormat(r) {
			i += n
			continue
		}
		if (r == '\'' || r == '’') && i+n < len(text) {
			next, _ := utf8.DecodeRuneInString(text[i+n:])
			prev, _ := utf8.DecodeLastRuneInString(text[:i])
			if unicode.IsLetter(next) && (unicode.IsLetter(prev) || prev == '0' && (next == 's' || next == 'S')) { // "1950's"
				i += n
				continue
			}
		}
		if (r == '.' || r == ',') && i+n < len(text) {
			next, _ := utf8.DecodeRuneInString(text[i+n:])
			prev, _ := utf8.DecodeLastRuneInString(text[:i])
			if unicode.IsDigit(next) && unicode.IsDigit(prev) {
				i += n
				continue
			}
		}
		break
	}
	return i
}

// initialism returns the end of the dotted initialism that starts with
// the one-letter word text[start:end] ("U.S.", "e.g."): single letters
// joined by dots are one word, "US", as the same initials written
// without dots are. The last dot is left out, as it may end the
// sentence. It returns end when there is none.
func initialism(text string, start, end int) int {
	isLetter := func(i int) bool {
		return i < len(text) && ('a' <= text[i] && text[i] <= 'z' || 'A' <= text[i] && text[i] <= 'Z')
	}
	single := func(i int) bool { // a letter alone: not followed by another word character
		if !isLetter(i) || i+1 >= len(text) {
			return isLetter(i)
		}
		r, _ := utf8.DecodeRuneInString(text[i+1:])
		return !isWordRune(r)
	}
	if end != start+1 || !single(start) {
		return end
	}
	i := end
	for i+1 < len(text) && text[i] == '.' && single(i+1) {
		i += 2
	}
	return i
}

// fold lower-cases a word, strips accents from common Latin letters and
// format characters, drops a possessive "'s" and the dots of initials,
// and removes the thousands separators of numbers.
func fold(word string) string {
	switch asciiCase(word) {
	case 0:
		return word
	case 1:
		return strings.ToLower(word)
	}
	var b strings.Builder
	b.Grow(len(word))
	for _, r := range word {
		switch {
		case r == '’':
			b.WriteByte('\'')
		case r == ',':
			// only inside numbers (see wordEnd): "1,200" -> "1200"
		case isFormat(r):
			// invisible: "Gr\u200bimbald" and "Grim\u00adbald" are "grimbald"
		case r < utf8.RuneSelf:
			if 'A' <= r && r <= 'Z' {
				r += 'a' - 'A'
			}
			b.WriteRune(r)
		default:
			b.WriteString(unaccent(unicode.ToLower(r)))
		}
	}
	s := b.String()
	if !hasDigit(s) { // dots inside letters are an initialism's ("U.S"), inside digits a number's
		s = strings.ReplaceAll(s, ".", "")
	}
	if d, ok := strings.CutSuffix(s, "'s"); ok && isDecade(d) {
		s = d + "s" // "the 1950's" are the 1950s, not the year 1950
	} else {
		s = strings.TrimSuffix(s, "'s")
	}
	s = strings.ReplaceAll(s, "'", "")
	return s
}

// isDecade reports whether w names a decade by its first year: "1950"
// of "1950's", "90" of "the 90's".
func isDecade(w string) bool {
	return (len(w) == 4 || len(w) == 2) && strings.Trim(w, "0123456789") == "" && w[len(w)-1] == '0'
}

var accents = map[rune]rune{
	'à': 'a', 'á': 'a', 'â': 'a', 'ã': 'a', 'ä': 'a', 'å': 'a', 'ç': 'c',
	'è': 'e', 'é': 'e', 'ê': 'e', 'ë': 'e', 'ì': 'i', 'í': 'i', 'î': 'i',
	'ï': 'i', 'ñ': 'n', 'ò': 'o', 'ó': 'o', 'ô': 'o', 'õ': 'o', 'ö': 'o',
	'ø': 'o', 'ù': 'u', 'ú': 'u', 'û': 'u', 'ü': 'u', 'ý': 'y', 'ÿ': 'y',
	// Letters that are not a base letter and a mark, so NFD keeps them.
	'ł': 'l', 'đ': 'd', 'ı': 'i', 'ħ': 'h', 'ŀ': 'l',
}

// unaccent returns r without its accent: from the table for the common
// letters, else, for a Latin letter, its canonical decomposition without
// its marks ("ć" is "c", "ş" is "s", "ő" is "o"), so a name typed without
// accents finds the stories that write them. An accent written apart
// ("e\u0301") is dropped. Other scripts keep their marks, which may tell
// words apart (Japanese "が" is not "か").
func unaccent(r rune) string {
	if a, ok := accents[r]; ok {
		return string(a)
	}
	if 0x300 <= r && r <= 0x36f { // combining diacritical marks
		return ""
	}
	if !unicode.Is(unicode.Latin, r) {
		return string(r)
	}
	var b []rune
	for _, d := range norm.NFD.String(string(r)) {
		if !unicode.Is(unicode.Mn, d) {
			b = append(b, d)
		}
	}
	return string(b)
}

// stems caches Stem: news vocabulary is small next to its token count,
// and the Snowball stemmer allocates on every call. Numbers and typos
// would grow it forever, so it stops adding at maxCachedStems.
var stems = struct {
	sync.RWMutex
	m map[string]string
}{m: map[string]string{}}

const maxCachedStems = 1 << 18

// Stem returns the Snowball English stem of a folded word. Numbers and
// words with digits are returned unchanged.
func Stem(word string) string {
	stems.RLock()
	s, ok := stems.m[word]
	stems.RUnlock()
	if ok {
		return s
	}
	s = word
	if !hasDigit(word) && len(word) > 2 {
		s = english.Stem(word, true)
	}
	stems.Lock()
	if len(stems.m) < maxCachedStems {
		stems.m[strings.Clone(word)] = strings.Clone(s)
	}
	stems.Unlock()
	return s
}

func hasDigit(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= '0' && s[i] <= '9' {
			return true
		}
	}
	return false
}

// Shouted reports whether text is written all in capitals, over three
// words or more ("WHAT DID LIANG DENY?"): its capitals then mark no
// acronym, and "WHAT" and "DID" are stop words as in any question. Two
// words ("US GDP") may be acronyms and are not taken for shouting.
func Shouted(text string) bool {
	spaces := 0
	for _, r := range text {
		switch {
		case unicode.IsLower(r):
			return false
		case r == ' ':
			spaces++
		}
	}
	return spaces >= 2
}

// isAcronym reports whether word is written in capitals ("US", "IT",
// "WHO"): such words are names, not stop words.
func isAcronym(word string) bool {
	if len(word) < 2 {
		return false
	}
	for _, r := range word {
		if !unicode.IsUpper(r) && !isFormat(r) {
			return false
		}
	}
	return true
}

// asciiCase reports 0 for a word of ASCII lower-case letters and digits
// (the common case, returned as is), 1 when it also has ASCII capitals,
// and 2 when it needs the full fold.
func asciiCase(word string) int {
	c := 0
	for i := 0; i < len(word); i++ {
		switch b := word[i]; {
		case 'a' <= b && b <= 'z', '0' <= b && b <= '9':
		case 'A' <= b && b <= 'Z':
			c = 1
		default:
			return 2
		}
	}
	return c
}
