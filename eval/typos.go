package eval

import (
	"math/rand/v2"
	"strings"
	"unicode"
)

// Misspell returns qs with one typing slip in each question's longest
// word of five letters or more (questions without one are left alone):
// two neighbouring letters swapped, one dropped, one doubled, or one
// replaced by a key next to it on a QWERTY keyboard, never the first
// letter. The slips are drawn from seed, so a run can be repeated. It
// measures what people in chat do to questions, which the question sets,
// typed with care, rarely show.
func Misspell(qs []Question, seed uint64) []Question {
	r := rand.New(rand.NewPCG(seed, 1))
	out := make([]Question, len(qs))
	for i, q := range qs {
		out[i] = q
		start, end := longestWord(q.Question)
		if end-start < 5 {
			continue
		}
		out[i].Question = q.Question[:start] + slip(q.Question[start:end], r) + q.Question[end:]
	}
	return out
}

// longestWord returns the byte range of the longest run of ASCII letters
// in s (the first of equals).
func longestWord(s string) (start, end int) {
	i := 0
	for i < len(s) {
		if !isLetter(s[i]) {
			i++
			continue
		}
		j := i
		for j < len(s) && isLetter(s[j]) {
			j++
		}
		if j-i > end-start {
			start, end = i, j
		}
		i = j
	}
	return start, end
}

func isLetter(b byte) bool { return b < 0x80 && unicode.IsLetter(rune(b)) }

// slip makes one typing slip in w (five letters or more) at a position
// after the first letter.
func slip(w string, r *rand.Rand) string {
	i := 1 + r.IntN(len(w)-2)
	switch r.IntN(4) {
	case 0:
		return w[:i] + string(w[i+1]) + string(w[i]) + w[i+2:]
	case 1:
		return w[:i] + w[i+1:]
	case 2:
		return w[:i] + string(w[i]) + w[i:]
	default:
		ns := keysNextTo(w[i])
		if ns == "" {
			return w[:i] + w[i+1:]
		}
		return w[:i] + string(ns[r.IntN(len(ns))]) + w[i+1:]
	}
}

// qwerty is the keyboard's letter rows; each row sits half a key right
// of the one above.
var qwerty = [3]string{"qwertyuiop", "asdfghjkl", "zxcvbnm"}

// keysNextTo returns the letters on keys touching c's (lower case; ""
// for a character that is no letter key), worked out from the layout.
func keysNextTo(c byte) string {
	c = byte(unicode.ToLower(rune(c)))
	for row, keys := range qwerty {
		col := strings.IndexByte(keys, c)
		if col < 0 {
			continue
		}
		var b strings.Builder
		add := func(row, col int) {
			if row >= 0 && row < len(qwerty) && col >= 0 && col < len(qwerty[row]) {
				b.WriteByte(qwerty[row][col])
			}
		}
		add(row, col-1)
		add(row, col+1)
		add(row-1, col) // the row above starts half a key further left
		add(row-1, col+1)
		add(row+1, col-1)
		add(row+1, col)
		return b.String()
	}
	return ""
}
