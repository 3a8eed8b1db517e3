package bot

import (
	"errors"
	"testing"
	"time"
	_ "time/tzdata" // the zones below, whatever the machine has installed
)

func utc(y int, m time.Month, d, h, min int) time.Time {
	return time.Date(y, m, d, h, min, 0, 0, time.UTC)
}

func mustZone(t testing.TB, name string) *time.Location {
	t.Helper()
	loc, err := loadZone(name)
	if err != nil {
		t.Fatal(err)
	}
	return loc
}

func TestNextDaily(t *testing.T) {
	for _, tc := range []struct {
		name  string
		zone  string
		clock string
		after time.Time
		want  time.Time
	}{
		{"London in winter", "Europe/London", "08:00", utc(2026, 3, 27, 9, 0), utc(2026, 3, 28, 8, 0)},
		{"London: the next day is summer time", "Europe/London", "08:00", utc(2026, 3, 28, 8, 0), utc(2026, 3, 29, 7, 0)},
		{"London in summer", "Europe/London", "08:00", utc(2026, 3, 29, 7, 0), utc(2026, 3, 30, 7, 0)},
		{"London: back to winter time", "Europe/London", "08:00", utc(2026, 10, 24, 7, 0), utc(2026, 10, 25, 8, 0)},
		{"London: later the same day", "Europe/London", "08:00", utc(2026, 3, 27, 5, 0), utc(2026, 3, 27, 8, 0)},
		{"London: 01:30 skipped, at 02:00 BST", "Europe/London", "01:30", utc(2026, 3, 28, 12, 0), utc(2026, 3, 29, 1, 0)},
		{"London: 01:30 twice, the first", "Europe/London", "01:30", utc(2026, 10, 24, 12, 0), utc(2026, 10, 25, 0, 30)},
		{"London: not the second 01:30", "Europe/London", "01:30", utc(2026, 10, 25, 0, 30), utc(2026, 10, 26, 1, 30)},
		{"New York: summer time begins", "America/New_York", "08:00", utc(2026, 3, 7, 14, 0), utc(2026, 3, 8, 12, 0)},
		{"Sydney: summer time ends", "Australia/Sydney", "08:00", utc(2026, 4, 3, 22, 0), utc(2026, 4, 4, 22, 0)},
		{"Sydney before", "Australia/Sydney", "08:00", utc(2026, 4, 2, 22, 0), utc(2026, 4, 3, 21, 0)},
		{"Kolkata: half-hour offset", "Asia/Kolkata", "08:00", utc(2026, 1, 1, 0, 0), utc(2026, 1, 1, 2, 30)},
		{"Chatham: +13:45", "Pacific/Chatham", "08:00", utc(2026, 1, 14, 0, 0), utc(2026, 1, 14, 18, 15)},
		{"UTC midnight", "UTC", "00:00", utc(2026, 1, 1, 0, 0), utc(2026, 1, 2, 0, 0)},
		{"Apia skipped 30 Dec 2011", "Pacific/Apia", "08:00", utc(2011, 12, 29, 18, 0), utc(2011, 12, 30, 18, 0)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			minute, err := parseClock(tc.clock)
			if err != nil {
				t.Fatal(err)
			}
			if got := nextDaily(tc.after, minute, mustZone(t, tc.zone)); !got.Equal(tc.want) {
				t.Errorf("nextDaily(%v, %s %s) = %v, want %v", tc.after, tc.clock, tc.zone, got.UTC(), tc.want)
			}
		})
	}
}

// TestNextDailyOncePerDay: over two years, in zones with daylight saving
// on either hemisphere, a daily time fires once every local day, at
// that local time (or, on the night it is skipped, when the clocks
// jump past it).
func TestNextDailyOncePerDay(t *testing.T) {
	for _, zone := range []string{"Europe/London", "America/New_York", "Australia/Sydney", "Pacific/Chatham"} {
		loc := mustZone(t, zone)
		for _, clock := range []string{"08:00", "02:30", "00:00", "23:59"} {
			minute, _ := parseClock(clock)
			at := utc(2025, 12, 31, 23, 0)
			var prevDay time.Time
			for range 730 {
				at = nextDaily(at, minute, loc)
				l := at.In(loc)
				day := time.Date(l.Year(), l.Month(), l.Day(), 0, 0, 0, 0, time.UTC)
				if !prevDay.IsZero() && !day.Equal(prevDay.AddDate(0, 0, 1)) {
					t.Fatalf("%s %s: fired on %v after %v, want every day once", zone, clock, day, prevDay)
				}
				prevDay = day
				if got := l.Hour()*60 + l.Minute(); got != minute {
					// Only where the time was skipped: then the clocks
					// jumped at this instant.
					before := at.Add(-time.Second).In(loc)
					if before.Hour()*60+before.Minute() >= minute || got < minute {
						t.Fatalf("%s %s: fired at %v local", zone, clock, l)
					}
				}
			}
		}
	}
}

func TestParseClock(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want int
		ok   bool
	}{
		{"08:00", 480, true}, {"8:00", 480, true}, {"23:59", 1439, true}, {"00:00", 0, true},
		{"24:00", 0, false}, {"8", 0, false}, {"8:0", 0, false}, {"08:60", 0, false}, {"-1:00", 0, false},
		{"8am", 0, false}, {"008:00", 0, false}, {"", 0, false},
	} {
		got, err := parseClock(tc.in)
		if (err == nil) != tc.ok || got != tc.want {
			t.Errorf("parseClock(%q) = %d, %v; want %d, ok %v", tc.in, got, err, tc.want, tc.ok)
		}
	}
}

func TestLoadZone(t *testing.T) {
	for _, name := range []string{"Europe/London", "America/Argentina/Buenos_Aires", "UTC", "utc", "GMT"} {
		if _, err := loadZone(name); err != nil {
			t.Errorf("loadZone(%q): %v", name, err)
		}
	}
	for _, name := range []string{"", "Local", "Europe/Londres", "../etc/passwd", "/etc/localtime", "europe/london"} {
		if _, err := loadZone(name); !errors.Is(err, errZone) {
			t.Errorf("loadZone(%q) = %v, want errZone", name, err)
		}
	}
}
