package retrieval

import (
	"strings"
	"testing"
	"time"
	"unicode/utf8"
)

// FuzzParseTimeRange reads time words in arbitrary questions at arbitrary
// moments (the clock is an argument: nothing here reads the wall clock).
// A range it finds must be non-empty, start no later than now unless it
// names a year or month ("in 2030"), and name the words it came from;
// removing those words must leave valid text.
func FuzzParseTimeRange(f *testing.F) {
	base := time.Date(2026, 11, 9, 8, 30, 0, 0, time.UTC).Unix()
	for _, q := range []string{
		"what happened today", "what did Liang say yesterday?", "news from this week",
		"last month's floods", "in the past 3 days", "over the last 12 weeks", "in March",
		"during december 2024", "since May", "in 2004", "on Monday", "on sunday in 1999",
		"past 999 years", "since December 2099", "last 0 days", "in MARCH 0000", "tonight", "this year",
	} {
		f.Add(q, int64(0), 0)
	}
	f.Fuzz(func(t *testing.T, q string, offset int64, offsetMin int) {
		// Keep the clock within a century of 2026, and zones real.
		unix := base + offset%(100*365*24*3600)
		loc := time.FixedZone("z", (offsetMin%(14*60))*60)
		now := time.Unix(unix, 0).In(loc)
		r, ok := ParseTimeRange(q, now)
		if !ok {
			return
		}
		if !r.Since.Before(r.Until) {
			t.Fatalf("%q at %v: empty range %v – %v", q, now, r.Since, r.Until)
		}
		if !r.Named && r.Since.After(now) {
			t.Fatalf("%q at %v: range starts in the future: %v", q, now, r.Since)
		}
		if r.Phrase == "" || !strings.Contains(q, r.Phrase) {
			t.Fatalf("%q: phrase %q is not in the question", q, r.Phrase)
		}
		if rest := r.WithoutPhrase(q); utf8.ValidString(q) && !utf8.ValidString(rest) {
			t.Fatalf("%q without its time words is invalid UTF-8: %q", q, rest)
		}
	})
}
