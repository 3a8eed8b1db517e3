package sentence

import (
	"unicode"
	"unicode/utf8"
)

// class says what a word directly before a full stop implies.
type class uint8

const (
	ordinary     class = iota // a normal word: the stop ends the sentence
	never                     // "Mr.", "e.g.": never ends a sentence
	beforeNumber              // "Jan. 5", "No. 10": not before a digit, else ambiguous
	ambiguous                 // "U.S.", "Inc.", "J.": ends only before a sentence starter
)

// abbrevs lists the abbreviations that need more than the ordinary rule.
// Matching is case-sensitive because news copy writes them one way, and
// "ill." or "miss." are ordinary words. Dotted forms ("U.S", "a.m") and
// single capital letters (initials) are ambiguous without being listed.
var abbrevs = map[string]class{
	// Titles come before a name, so they never end a sentence.
	"Mr": never, "Mrs": never, "Ms": never, "Mx": never, "Dr": never,
	"Prof": never, "Gen": never, "Sen": never, "Sens": never, "Rep": never,
	"Reps": never, "Gov": never, "Lt": never, "Col": never, "Capt": never,
	"Sgt": never, "Cpl": never, "Pvt": never, "Adm": never, "Maj": never,
	"Brig": never, "Cmdr": never, "Cdr": never, "Rev": never, "Hon": never,
	"Pres": never, "Supt": never, "Insp": never, "Det": never, "Fr": never,
	"Atty": never, "Amb": never, "Messrs": never, "Mme": never, "Mlle": never,
	// Lower-case Latin and reference abbreviations run on.
	"vs": never, "Vs": never, "v": never, "cf": never, "eg": never, "ie": never,
	"e.g": never, "i.e": never, "approx": never, "incl": never, "viz": never,
	"ca": never, "esp": never,

	// Abbreviations that usually precede a number.
	"Jan": beforeNumber, "Feb": beforeNumber, "Mar": beforeNumber,
	"Apr": beforeNumber, "Jun": beforeNumber, "Jul": beforeNumber,
	"Aug": beforeNumber, "Sep": beforeNumber, "Sept": beforeNumber,
	"Oct": beforeNumber, "Nov": beforeNumber, "Dec": beforeNumber,
	"No": beforeNumber, "no": beforeNumber, "Nos": beforeNumber,
	"Fig": beforeNumber, "fig": beforeNumber, "Vol": beforeNumber,
	"vol": beforeNumber, "p": beforeNumber, "pp": beforeNumber,
	"Art": beforeNumber, "Sec": beforeNumber, "Ch": beforeNumber,
	"Tel": beforeNumber, "tel": beforeNumber, "Nr": beforeNumber,

	// Company suffixes, name suffixes, places: these end sentences too.
	"Inc": ambiguous, "Corp": ambiguous, "Ltd": ambiguous, "Co": ambiguous,
	"Bros": ambiguous, "Plc": ambiguous, "Jr": ambiguous, "Sr": ambiguous,
	"St": ambiguous, "Mt": ambiguous, "Ft": ambiguous, "Ave": ambiguous,
	"Rd": ambiguous, "Blvd": ambiguous, "Dept": ambiguous, "Univ": ambiguous,
	"al": ambiguous, "Ala": ambiguous, "Ariz": ambiguous, "Ark": ambiguous,
	"Calif": ambiguous, "Colo": ambiguous, "Conn": ambiguous, "Del": ambiguous,
	"Fla": ambiguous, "Ga": ambiguous, "Ill": ambiguous, "Ind": ambiguous,
	"Kan": ambiguous, "Kans": ambiguous, "Ky": ambiguous, "La": ambiguous,
	"Md": ambiguous, "Mass": ambiguous, "Mich": ambiguous, "Minn": ambiguous,
	"Miss": ambiguous, "Mo": ambiguous, "Mont": ambiguous, "Neb": ambiguous,
	"Nev": ambiguous, "Okla": ambiguous, "Ore": ambiguous, "Pa": ambiguous,
	"Penn": ambiguous, "Tenn": ambiguous, "Tex": ambiguous, "Va": ambiguous,
	"Vt": ambiguous, "Wash": ambiguous, "Wis": ambiguous, "Wyo": ambiguous,
}

// starters are capitalised words that open ordinary sentences and rarely
// follow an abbreviation inside a name. After an ambiguous abbreviation
// only these start a new sentence: "in the U.S. The next day" splits,
// "the U.S. Secretary of State" does not.
var starters = map[string]bool{
	"The": true, "A": true, "An": true, "He": true, "She": true, "It": true,
	"They": true, "We": true, "I": true, "You": true, "This": true,
	"That": true, "These": true, "Those": true, "There": true, "Here": true,
	"His": true, "Her": true, "Its": true, "Their": true, "Our": true,
	"My": true, "Your": true, "In": true, "On": true, "At": true, "By": true,
	"For": true, "From": true, "To": true, "With": true, "Without": true,
	"As": true, "After": true, "Before": true, "Since": true, "During": true,
	"But": true, "And": true, "Or": true, "So": true, "Yet": true,
	"However": true, "Meanwhile": true, "Although": true, "Though": true,
	"While": true, "When": true, "Where": true, "What": true, "Who": true,
	"Why": true, "How": true, "Which": true, "If": true, "Now": true,
	"Then": true, "Today": true, "Yesterday": true, "Last": true,
	"Some": true, "Many": true, "Most": true, "All": true, "Both": true,
	"Each": true, "Several": true, "Other": true, "Others": true,
	"Also": true, "Still": true, "Even": true, "Only": true, "Mr": true,
	"Mrs": true, "Ms": true, "Dr": true, "Such": true, "Not": true,
}

// fullStopEnds decides a single '.' at dot followed by white space and
// the word at k, for a sentence that began at start.
func fullStopEnds(text string, start, dot, k int) bool {
	w := nextWord(text, k)
	switch classifyBefore(text, start, dot) {
	case never:
		return false
	case beforeNumber:
		if isDigit(w.first) {
			return false
		}
		return ambiguousEnds(w)
	case ambiguous:
		return ambiguousEnds(w)
	}
	return w.startsSentence()
}

// ambiguousEnds reports whether w starts a sentence after an ambiguous
// abbreviation. Another initial ("J. R. R.") never does.
func ambiguousEnds(w word) bool {
	if w.dotted && len(w.text) == 1 {
		return false
	}
	return starters[w.text] || (w.quoted && isUpper(w.first))
}

// classifyBefore classifies the word that ends at dot. A number that
// opens a line or sentence ("1. Buy milk") is a list marker, class never.
func classifyBefore(text string, start, dot int) class {
	b := dot
	for b > start && (isASCIILetter(text[b-1]) || text[b-1] == '.') {
		b--
	}
	tok := text[b:dot]
	if tok == "" {
		return listMarker(text, start, dot)
	}
	if b > start {
		r, _ := utf8.DecodeLastRuneInString(text[start:b])
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			return ordinary // "café.", "10am."
		}
	}
	if c, ok := abbrevs[tok]; ok {
		return c
	}
	if len(tok) == 1 && isUpper(rune(tok[0])) {
		return ambiguous // an initial, as in "George W. Bush"
	}
	for i := 0; i < len(tok); i++ {
		if tok[i] == '.' {
			return ambiguous // "U.S", "a.m"
		}
	}
	return ordinary
}

// listMarker returns never when digits before dot open the sentence or
// the line, as in "1. Buy milk"; otherwise ordinary.
func listMarker(text string, start, dot int) class {
	q := dot
	for q > start && isDigit(rune(text[q-1])) {
		q--
	}
	if q == dot {
		return ordinary
	}
	for q > start && (text[q-1] == ' ' || text[q-1] == '\t') {
		q--
	}
	if q == start || text[q-1] == '\n' {
		return never
	}
	return ordinary
}
