package bot

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Quote returns the cited paragraph of s shortened to at most maxLen
// characters around its first matched words, cut at word boundaries with
// "…" where text was left out. Chat sources must stay short (Discord
// embeds, Slack sections) yet show the words that support the answer.
// maxLen <= 0 returns the whole paragraph.
func Quote(s Source, maxLen int) string {
	text := strings.TrimSpace(s.Hit.Text)
	runes := []rune(text)
	if maxLen <= 0 || len(runes) <= maxLen {
		return text
	}
	if maxLen < 3 {
		return string(runes[:maxLen])
	}
	ms, me := firstMark(s, text)
	start, end := window(len(runes), ms, me, maxLen-2) // room for two "…"
	start, end = snapWords(runes, start, end, ms)
	out := strings.TrimSpace(string(runes[start:end]))
	if start > 0 {
		out = "…" + out
	}
	if end < len(runes) {
		out += "…"
	}
	return out
}

// firstMark returns the rune range of the earliest mark in the trimmed
// text, or 0, 0 when there is none; Marks are byte ranges of Hit.Text.
func firstMark(s Source, text string) (start, end int) {
	lead := len(s.Hit.Text) - len(strings.TrimLeftFunc(s.Hit.Text, unicode.IsSpace))
	best := -1
	for i, m := range s.Marks {
		if m[0] >= lead && m[1] > m[0] && (best < 0 || m[0] < s.Marks[best][0]) {
			best = i
		}
	}
	if best < 0 {
		return 0, 0
	}
	b0 := min(s.Marks[best][0]-lead, len(text))
	b1 := min(s.Marks[best][1]-lead, len(text))
	return utf8.RuneCountInString(text[:b0]), utf8.RuneCountInString(text[:b1])
}

// window picks size runes out of n that contain [ms, me) when it fits,
// with a third of the spare room before the mark and the rest after:
// readers read on, so what follows matters more.
func window(n, ms, me, size int) (start, end int) {
	if me-ms >= size {
		return ms, ms + size
	}
	start = max(0, ms-(size-(me-ms))/3)
	end = min(n, start+size)
	return max(0, end-size), end
}

// snapWords moves start forward and end backward to whitespace so no
// word is cut, unless that would lose the mark or everything.
func snapWords(runes []rune, start, end, ms int) (int, int) {
	if start > 0 && !unicode.IsSpace(runes[start-1]) {
		for i := start; i < end && i <= ms; i++ {
			if unicode.IsSpace(runes[i]) {
				start = i + 1
				break
			}
		}
	}
	if end < len(runes) && !unicode.IsSpace(runes[end]) {
		for i := end - 1; i > start; i-- {
			if unicode.IsSpace(runes[i]) {
				end = i
				break
			}
		}
	}
	return start, end
}

// AlsoCarried is "also carried by 2 outlets (Coast Post, Valley Times)"
// for a story syndicated by other outlets, "" when there are none.
func AlsoCarried(outlets []string) string {
	switch len(outlets) {
	case 0:
		return ""
	case 1:
		return "also carried by 1 outlet (" + outlets[0] + ")"
	}
	return fmt.Sprintf("also carried by %d outlets (%s)", len(outlets), strings.Join(outlets, ", "))
}
