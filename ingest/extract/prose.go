package extract

import (
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"
)

// width is the length of s as read: a Chinese, Japanese or Korean
// character, which carries about a word, counts two; others one.
func width(s string) int {
	n := 0
	for _, r := range s {
		n += 1 + b2i(isWide(r))
	}
	return n
}

func isWide(r rune) bool {
	return r >= 0x1100 && unicode.In(r, unicode.Han, unicode.Hiragana, unicode.Katakana, unicode.Hangul) ||
		r >= 0xFF01 && r <= 0xFF60 // fullwidth forms
}

// wordCount counts words: runs of letters and digits, and in scripts
// written without spaces, one word per two characters.
func wordCount(s string) int {
	words, wide, in := 0, 0, false
	for _, r := range s {
		switch {
		case isWide(r):
			wide++
			in = false
		case unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.IsMark(r):
			if !in {
				words++
			}
			in = true
		default:
			in = false
		}
	}
	return words + (wide+1)/2
}

// sentenceEnds end a sentence in the scripts news is written in: Latin
// and Cyrillic, Chinese and Japanese (。！？), Arabic and Urdu (؟ ۔),
// Devanagari (।), Armenian (։), Greek (U+037E, which looks like ";").
const sentenceEnds = ".?!…。！？｡؟۔।։\u037e"

// closers may follow the end of a sentence.
const closers = `"')]}”’»」』）】〉》`

// endsSentence reports whether text ends with sentence punctuation.
func endsSentence(text string) bool {
	last, _ := utf8.DecodeLastRuneInString(strings.TrimRight(text, closers+" "))
	return strings.ContainsRune(sentenceEnds, last)
}

// isProse reports whether text reads as article prose rather than a
// label, byline or kicker: 80 columns or more (see width), or a
// sentence of at least three words.
func isProse(text string) bool {
	return width(text) >= 80 || wordCount(text) >= 3 && endsSentence(text)
}

// isCredit reports whether text is a credit or copyright line on its
// own: "© Provided by …", "Copyright 2024 …", "Photo: …", "Image credit
// …", "Credit: …", "JIM WATSON/AFP/Getty Images". It must be short and
// not a sentence; a caption that ends with its credit is a caption.
func isCredit(text string) bool {
	if width(text) > 200 || wordCount(text) > 25 {
		return false
	}
	k := strings.ToLower(text)
	if strings.HasPrefix(k, "©") {
		return true
	}
	if strings.HasPrefix(k, "(c) ") || strings.HasPrefix(k, "copyright ") {
		// "Copyright 2024 Ledger Media", not "Copyright reform passed on Tuesday."
		return yearPattern.MatchString(k) || strings.Contains(k, "rights reserved") || !endsSentence(text)
	}
	if creditLabel.MatchString(text) || agencyCredit.MatchString(text) && wordCount(text) <= 8 {
		return !endsSentence(strings.TrimSuffix(text, ".")) // "Photo: Reuters." is fine, a caption sentence is not
	}
	return false
}

var (
	yearPattern = regexp.MustCompile(`\b(19|20)\d\d\b`)
	// creditLabel starts a credit: "Photo: ", "Photos by ", "Image
	// credit", "Credit: ", or "Credit" glued to a name ("CreditKevin
	// Frayer", how some sites print it).
	creditLabel = regexp.MustCompile(`^(?i:(photo|photos|photograph|photography|image|images|picture|pictures|illustration|video)\s*(:|by\b|credits?\b)|credits?\s*:)|^(Credit|CREDIT)\p{Lu}`)
	// agencyCredit ends with a picture agency, after a slash or "via".
	agencyCredit = regexp.MustCompile(`(?i)(/|\bvia\s)\s*(getty images|afp|reuters|ap|epa|pa|pa images|shutterstock|alamy|ap photo|bloomberg|anadolu|xinhua)\.?\)?$`)
)

// isByline reports whether text, a block before the story's lead, is a
// byline or dateline: short, and naming the author, starting like a
// byline ("By …", "Posted by …", "Updated …") or holding a date.
func isByline(text, author string) bool {
	if width(text) > 120 {
		return false
	}
	k := normalize(text)
	if a := normalize(author); a != "" && strings.Contains(k, a) {
		return true
	}
	for _, p := range bylineStarts {
		if strings.HasPrefix(k, p) {
			return true
		}
	}
	return datePattern.MatchString(text)
}

var bylineStarts = []string{"by ", "posted by ", "written by ", "published ", "updated ", "last updated ",
	"posted on ", "por ", "von ", "par ", "di ", "door "}

// datePattern finds a date written out: "March 5, 2024", "5 Mar 2024",
// "Sept. 25, 2018", "15 November", "2024-03-05", "05/03/2024",
// "2016年10月14日".
var datePattern = regexp.MustCompile(`(?i)\b(jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?\s+\d{1,2}(st|nd|rd|th)?\b|` +
	`\b\d{1,2}(st|nd|rd|th)?\s+(jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\b|` +
	`\b\d{4}-\d{2}-\d{2}\b|\b\d{1,2}[./]\d{1,2}[./]\d{2,4}\b|\d{4}\s*年\s*\d{1,2}\s*月(\s*\d{1,2}\s*日)?`)
