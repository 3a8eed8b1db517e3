package ingest

import (
	"fmt"
	"net/url"
	"strings"
	"unicode"
	"unicode/utf8"
)

// invisible reports whether r is a character that carries nothing a
// reader sees or a search needs: C0 and C1 controls other than tab and
// newline (a NUL from a JSON "\u0000" among them), and the zero-width
// and soft-hyphen format characters that copy-paste and CMSs leave
// inside words ("Gr\u200bimbald"). Joiners (U+200C, U+200D), which
// shape Persian, Indic and emoji text, and bidirectional marks, which
// readers of right-to-left text need, are kept: the output renderers
// neutralise the bidirectional controls, and search ignores every
// format character (retrieval/analysis).
func invisible(r rune) bool {
	switch r {
	case '\t', '\n', '\r':
		return false
	case '\u00ad', '\u180e', '\u200b', '\u2060', '\u2061', '\u2062', '\u2063', '\u2064', '\ufeff':
		return true
	}
	return r < 0x20 || (r >= 0x7f && r <= 0x9f)
}

// cleanText removes invisible characters from s (see invisible).
func cleanText(s string) string {
	if strings.IndexFunc(s, invisible) < 0 {
		return s
	}
	return strings.Map(func(r rune) rune {
		if invisible(r) {
			return -1
		}
		return r
	}, s)
}

// checkID refuses an article ID that could not be typed or shown: one
// with control or format characters (a NUL from "\u0000", a zero-width
// space) or invalid UTF-8. IDs are how users delete and cite articles,
// so they are refused, not silently changed.
func checkID(id string) error {
	if !utf8.ValidString(id) {
		return fmt.Errorf("id %q is not valid UTF-8", id)
	}
	if i := strings.IndexFunc(id, func(r rune) bool { return unicode.IsControl(r) || unicode.Is(unicode.Cf, r) }); i >= 0 {
		r, _ := utf8.DecodeRuneInString(id[i:])
		return fmt.Errorf("id %q holds the invisible character U+%04X; remove it", id, r)
	}
	return nil
}

// webURL returns s when it is an absolute http(s) URL, else "". Exports
// put placeholders such as "n/a", "none" or "-" where a URL is missing;
// taken for addresses, they would make unrelated articles one.
func webURL(s string) string {
	s = strings.TrimSpace(s)
	u, err := url.Parse(s)
	if err != nil || u.Host == "" {
		return ""
	}
	if sc := strings.ToLower(u.Scheme); sc != "http" && sc != "https" {
		return ""
	}
	return s
}
