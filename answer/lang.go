package answer

import (
	"strings"
	"unicode"
)

// A generated answer must be in the question's language: a small model
// fed English passages sometimes answers a Spanish question in English, or
// the reverse. Telling languages apart needs no model for this: the
// commonest function words identify the major Latin-script languages, and
// the script identifies most others. When either text is too short to
// tell, the answer passes.

// functionWords lists frequent words of each language, leaving out
// those that are also common English words ("a", "die", "war", "per",
// "come", "van", "met", "as", "do", "no"): English text would otherwise
// count for other languages.
var functionWords = map[string][]string{
	"en": {"the", "a", "an", "and", "of", "is", "was", "what", "who", "did", "does", "which", "that", "with", "for", "has", "have", "had",
		"said", "how", "why", "when", "where", "were", "are", "his", "her", "their", "they", "it", "to", "in", "on", "at", "by", "from",
		"if", "can", "not", "be", "been", "but", "or", "this", "would", "will", "could", "after", "about", "into", "than", "also"},
	"es": {"el", "los", "las", "del", "que", "qué", "y", "es", "fue", "por", "para", "con", "una", "dijo", "quién", "cómo", "cuándo", "dónde", "según", "su", "sus", "se", "ha", "han"},
	"fr": {"le", "les", "des", "du", "et", "est", "était", "que", "qui", "quoi", "pour", "avec", "une", "dans", "sur", "il", "elle", "ont", "au", "aux", "selon", "comment", "pourquoi"},
	"de": {"der", "das", "und", "ist", "wer", "was", "wie", "warum", "mit", "für", "ein", "eine", "den", "dem", "nicht", "sagte", "auf", "zu", "im", "sich", "von"},
	"it": {"il", "gli", "della", "che", "e", "è", "chi", "cosa", "perché", "con", "una", "ha", "hanno", "detto", "nel", "alla", "sono", "del", "di"},
	"pt": {"o", "os", "da", "dos", "que", "e", "é", "foi", "quem", "como", "porque", "com", "para", "uma", "disse", "não", "em", "na", "ao"},
	"nl": {"de", "het", "een", "en", "is", "was", "wie", "wat", "hoe", "waarom", "voor", "niet", "heeft", "zei", "op", "zijn", "dat"},
}

// wordLang maps each function word to the languages that use it.
var wordLang = func() map[string][]string {
	m := map[string][]string{}
	for lang, words := range functionWords {
		for _, w := range words {
			m[w] = append(m[w], lang)
		}
	}
	return m
}()

// sameLanguage reports whether b could be in a's language: false only
// when both are recognisable and differ.
func sameLanguage(a, b string) bool {
	la, lb := detectLanguage(a), detectLanguage(b)
	return la == "" || lb == "" || la == lb
}

// detectLanguage names text's language ("en", "es", …, or a script name
// such as "Han" for other scripts), or "" when it cannot tell.
func detectLanguage(text string) string {
	if s := script(text); s != "Latin" {
		return s
	}
	counts := map[string]int{}
	for _, w := range strings.FieldsFunc(strings.ToLower(text), func(r rune) bool {
		return !unicode.IsLetter(r) && r != '\''
	}) {
		for _, lang := range wordLang[w] {
			counts[lang]++
		}
	}
	best, second := "", 0
	for lang, n := range counts {
		if n > counts[best] || n == counts[best] && lang < best {
			best = lang
		}
	}
	for lang, n := range counts {
		if lang != best {
			second = max(second, n)
		}
	}
	// A winner needs two hits and a clear lead: "a" or "die" alone says
	// little.
	if counts[best] < 2 || counts[best] < 2*second {
		return ""
	}
	return best
}

// scripts are checked in this order; Latin last, as the default.
var scripts = []struct {
	name  string
	table *unicode.RangeTable
}{
	{"Cyrillic", unicode.Cyrillic}, {"Greek", unicode.Greek}, {"Arabic", unicode.Arabic},
	{"Hebrew", unicode.Hebrew}, {"Han", unicode.Han}, {"Hiragana", unicode.Hiragana},
	{"Katakana", unicode.Katakana}, {"Hangul", unicode.Hangul}, {"Devanagari", unicode.Devanagari},
	{"Thai", unicode.Thai}, {"Latin", unicode.Latin},
}

// script returns the script of most of text's letters, "" for no letters.
// Japanese mixes Han and kana, so kana-bearing text counts as Japanese.
func script(text string) string {
	counts := map[string]int{}
	letters := 0
	for _, r := range text {
		if !unicode.IsLetter(r) {
			continue
		}
		letters++
		for _, s := range scripts {
			if unicode.Is(s.table, r) {
				counts[s.name]++
				break
			}
		}
	}
	if letters == 0 {
		return ""
	}
	if counts["Hiragana"]+counts["Katakana"] > 0 {
		return "Japanese"
	}
	best := "Latin"
	for _, s := range scripts {
		if counts[s.name] > counts[best] {
			best = s.name
		}
	}
	return best
}
