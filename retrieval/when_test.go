package retrieval

import (
	"strings"
	"testing"
	"time"
)

func TestParseTimeRange(t *testing.T) {
	utc := time.UTC
	// Wednesday 18 June 2025, 15:04:05 UTC.
	june := time.Date(2025, 6, 18, 15, 4, 5, 0, utc)
	// Thursday 13 February 2025, 09:00 in New York.
	ny, err := time.LoadLocation("America/New_York")
	if err != nil {
		ny = time.FixedZone("EST", -5*3600)
	}
	feb := time.Date(2025, 2, 13, 9, 0, 0, 0, ny)
	d := func(loc *time.Location, y int, m time.Month, day int) time.Time {
		return time.Date(y, m, day, 0, 0, 0, 0, loc)
	}
	tests := []struct {
		name         string
		question     string
		now          time.Time
		since, until time.Time
		phrase       string
		ok           bool
	}{
		{"today", "What happened today in Paris?", june, d(utc, 2025, 6, 18), june.Add(time.Second), "today", true},
		{"tonight", "Who plays tonight?", june, d(utc, 2025, 6, 18), june.Add(time.Second), "tonight", true},
		{"yesterday", "Who resigned yesterday?", june, d(utc, 2025, 6, 17), d(utc, 2025, 6, 18), "yesterday", true},
		{"Yesterday capitalised", "Yesterday's storm: how bad?", june, d(utc, 2025, 6, 17), d(utc, 2025, 6, 18), "Yesterday", true},
		{"yesterday on the 1st", "what happened yesterday", time.Date(2025, 3, 1, 8, 0, 0, 0, utc), d(utc, 2025, 2, 28), d(utc, 2025, 3, 1), "yesterday", true},
		{"this week", "news this week about rail", june, d(utc, 2025, 6, 16), june.Add(time.Second), "this week", true},
		{"this week on a Monday", "news this week", time.Date(2025, 6, 16, 7, 0, 0, 0, utc), d(utc, 2025, 6, 16), time.Date(2025, 6, 16, 7, 0, 1, 0, utc), "this week", true},
		{"this week on a Sunday", "news this week", time.Date(2025, 6, 22, 7, 0, 0, 0, utc), d(utc, 2025, 6, 16), time.Date(2025, 6, 22, 7, 0, 1, 0, utc), "this week", true},
		{"last week", "What did the council decide last week?", june, d(utc, 2025, 6, 9), june.Add(time.Second), "last week", true},
		{"this month", "strikes this month", june, d(utc, 2025, 6, 1), june.Add(time.Second), "this month", true},
		{"last month", "Who won the election last month?", june, d(utc, 2025, 5, 1), d(utc, 2025, 6, 1), "last month", true},
		{"last month in January", "sales last month", time.Date(2025, 1, 10, 0, 0, 0, 0, utc), d(utc, 2024, 12, 1), d(utc, 2025, 1, 1), "last month", true},
		{"this year", "floods this year", june, d(utc, 2025, 1, 1), june.Add(time.Second), "this year", true},
		{"last year", "floods last year", june, d(utc, 2024, 1, 1), d(utc, 2025, 1, 1), "last year", true},
		{"past 3 days", "fires in the past 3 days", june, june.AddDate(0, 0, -3), june.Add(time.Second), "in the past 3 days", true},
		{"last 2 weeks", "What happened over the last 2 weeks?", june, june.AddDate(0, 0, -14), june.Add(time.Second), "over the last 2 weeks", true},
		{"past 1 month", "past 1 month", june, june.AddDate(0, -1, 0), june.Add(time.Second), "past 1 month", true},
		{"past 2 years", "past 2 years of drought", june, june.AddDate(-2, 0, 0), june.Add(time.Second), "past 2 years", true},
		{"past 0 days", "the past 0 days", june, june, june.Add(time.Second), "past 0 days", false},
		{"in March, said in June", "What happened in March?", june, d(utc, 2025, 3, 1), d(utc, 2025, 4, 1), "in March", true},
		{"in March, said in February", "What happened in March?", feb, d(ny, 2024, 3, 1), d(ny, 2024, 4, 1), "in March", true},
		{"in June, said in June", "in June", june, d(utc, 2025, 6, 1), d(utc, 2025, 7, 1), "in June", true},
		{"in December, said in June", "during december", june, d(utc, 2024, 12, 1), d(utc, 2025, 1, 1), "during december", true},
		{"in March 2024", "Who won the vote in March 2024?", june, d(utc, 2024, 3, 1), d(utc, 2024, 4, 1), "in March 2024", true},
		{"in December 2030", "in December 2030", june, d(utc, 2030, 12, 1), d(utc, 2031, 1, 1), "in December 2030", true},
		{"since March", "What changed since March?", june, d(utc, 2025, 3, 1), june.Add(time.Second), "since March", true},
		{"from October", "news from october?", june, d(utc, 2024, 10, 1), d(utc, 2024, 11, 1), "from october", true},
		{"from a month to another is no month", "Which channel ran from November 2006 to July 2009?", june, time.Time{}, time.Time{}, "", false},
		{"in a month, then to", "What did the mayor promise in March to the voters?", june, d(utc, 2025, 3, 1), d(utc, 2025, 4, 1), "in March", true},
		// found by FuzzParseTimeRange: a month after now made a range that ended before it began
		{"since a future month", "since December 2099", june, d(utc, 2099, 12, 1), d(utc, 2100, 1, 1), "since December 2099", true},
		{"in 2005", "Which team won the cup in 2005?", june, d(utc, 2005, 1, 1), d(utc, 2006, 1, 1), "in 2005", true},
		{"in 1999", "in 1999", june, d(utc, 1999, 1, 1), d(utc, 2000, 1, 1), "in 1999", true},
		{"on Monday", "What did the minister say on Monday?", june, d(utc, 2025, 6, 16), d(utc, 2025, 6, 17), "on Monday", true},
		{"on Sunday", "on sunday", june, d(utc, 2025, 6, 15), d(utc, 2025, 6, 16), "on sunday", true},
		{"on Thursday, said on Wednesday", "on Thursday", june, d(utc, 2025, 6, 12), d(utc, 2025, 6, 13), "on Thursday", true},
		{"on Monday, New York", "on Monday", feb, d(ny, 2025, 2, 10), d(ny, 2025, 2, 11), "on Monday", true},
		{"since Monday", "any news since monday?", june, d(utc, 2025, 6, 16), june.Add(time.Second), "since monday", true},
		{"first expression wins", "yesterday and in March", june, d(utc, 2025, 6, 17), d(utc, 2025, 6, 18), "yesterday", true},
		{"none", "Who is the prime minister of Norway?", june, time.Time{}, time.Time{}, "", false},
		{"year without in", "the 2005 treaty", june, time.Time{}, time.Time{}, "", false},
		{"month without preposition", "March madness results", june, time.Time{}, time.Time{}, "", false},
		{"word inside another", "the weekday todayish", june, time.Time{}, time.Time{}, "", false},
		{"three-digit year", "in 205", june, time.Time{}, time.Time{}, "", false},
		{"empty", "", june, time.Time{}, time.Time{}, "", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, ok := ParseTimeRange(tt.question, tt.now)
			if ok != tt.ok {
				t.Errorf("ok = %v, want %v (range %+v)", ok, tt.ok, r)
			}
			if !r.Since.Equal(tt.since) || !r.Until.Equal(tt.until) {
				t.Errorf("range = [%v, %v), want [%v, %v)", r.Since, r.Until, tt.since, tt.until)
			}
			if r.Phrase != tt.phrase {
				t.Errorf("Phrase = %q, want %q", r.Phrase, tt.phrase)
			}
			if ok && !r.Since.Before(r.Until) {
				t.Errorf("empty range [%v, %v)", r.Since, r.Until)
			}
			if ok && (r.Since.Location() != tt.now.Location()) {
				t.Errorf("Since in %v, want %v", r.Since.Location(), tt.now.Location())
			}
		})
	}
}

func TestWithoutPhrase(t *testing.T) {
	june := time.Date(2025, 6, 18, 15, 4, 5, 0, time.UTC)
	tests := []struct {
		question string
		want     string // compared after collapsing spaces
	}{
		{"Who resigned yesterday?", "Who resigned ?"},
		{"Yesterday, who resigned?", ", who resigned?"},
		{"What happened in March 2024 in Kyiv", "What happened in Kyiv"},
		{"What did the council decide LAST WEEK", "What did the council decide"},
		{"fires in the past 3 days near Lyon", "fires near Lyon"},
		{"on Monday the minister said", "the minister said"},
		{"yesterday", ""},
		{"Who is the prime minister?", "Who is the prime minister?"},
		// Upper-case letters whose lower case is longer or shorter in UTF-8
		// must not shift the cut.
		{"İstanbul ferries yesterday", "İstanbul ferries"},
		{"İİİİ yesterday", "İİİİ"},
		{"Ⱥ yesterday news", "Ⱥ news"},
		{"\u212A yesterday news", "\u212A news"}, // Kelvin sign
		{"Ⱥ yesterday", "Ⱥ"},
		{"ȺȺȺ news from yesterday", "ȺȺȺ news from"},
	}
	for _, tt := range tests {
		t.Run(tt.question, func(t *testing.T) {
			r, _ := ParseTimeRange(tt.question, june)
			var got string
			func() {
				defer func() {
					if p := recover(); p != nil {
						t.Fatalf("WithoutPhrase(%q) panicked: %v", tt.question, p)
					}
				}()
				got = r.WithoutPhrase(tt.question)
			}()
			if got := strings.Join(strings.Fields(got), " "); got != tt.want {
				t.Errorf("WithoutPhrase(%q) = %q, want %q (phrase %q)", tt.question, got, tt.want, r.Phrase)
			}
		})
	}
	// A phrase that is not in the question leaves it alone.
	r := TimeRange{Phrase: "last week"}
	if got := r.WithoutPhrase("news from today"); got != "news from today" {
		t.Errorf("WithoutPhrase with a foreign phrase = %q", got)
	}
	if got := (TimeRange{}).WithoutPhrase("  as is  "); got != "  as is  " {
		t.Errorf("WithoutPhrase with no phrase = %q", got)
	}
}

func TestTimeRangeNamed(t *testing.T) {
	now := time.Date(2026, 11, 26, 12, 0, 0, 0, time.UTC)
	for q, want := range map[string]bool{
		"who won in 2004?":                 true,
		"what happened in March?":          true,
		"what happened yesterday?":         false,
		"news from the past 3 days":        false,
		"what did the mayor say last week": false,
	} {
		r, ok := ParseTimeRange(q, now)
		if !ok || r.Named != want {
			t.Errorf("ParseTimeRange(%q) = %+v, %v; want Named %v", q, r, ok, want)
		}
	}
}

func TestExtractText(t *testing.T) {
	now := time.Date(2026, 11, 26, 12, 0, 0, 0, time.UTC)
	dated := []Hit{{Article: Article{Published: now}}}
	undated := []Hit{{}}
	year, _ := ParseTimeRange("who won the league in 2004?", now)
	rel, _ := ParseTimeRange("who won the league yesterday?", now)
	tests := []struct {
		r    TimeRange
		q    string
		hits []Hit
		want string
	}{
		{year, "who won the league in 2004?", undated, "who won the league in 2004?"},
		{year, "who won the league in 2004?", dated, "who won the league ?"},
		{rel, "who won the league yesterday?", undated, "who won the league ?"},
		{TimeRange{}, "who won the league?", dated, "who won the league?"},
	}
	for _, tt := range tests {
		if got := tt.r.ExtractText(tt.q, tt.hits); strings.Join(strings.Fields(got), " ") != tt.want {
			t.Errorf("ExtractText(%q) = %q, want %q", tt.q, got, tt.want)
		}
	}
}
