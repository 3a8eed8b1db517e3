package bot

import "strings"

// NeutraliseBidi removes the Unicode bidirectional embedding, override
// and isolate controls (U+202A–U+202E, U+2066–U+2069) from text that
// came from articles, readers or a model. Shown as they are, they let a
// text reorder what follows it, so a quote or a source line could read
// as something else ("Trojan Source"). The marks U+200E, U+200F and
// U+061C, which right-to-left text needs and which cannot reorder a
// span, are kept.
func NeutraliseBidi(s string) string {
	if strings.IndexFunc(s, isBidiControl) < 0 {
		return s
	}
	return strings.Map(func(r rune) rune {
		if isBidiControl(r) {
			return -1
		}
		return r
	}, s)
}

func isBidiControl(r rune) bool {
	return r >= '\u202a' && r <= '\u202e' || r >= '\u2066' && r <= '\u2069'
}
