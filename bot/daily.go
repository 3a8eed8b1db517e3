package bot

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// nextDaily returns the first instant after t at which a daily event
// at minute (minutes after local midnight) in loc is due. Local time
// decides, so the event keeps its wall-clock time across daylight
// saving changes: see dailyAt for the days when that time is skipped or
// repeated.
func nextDaily(t time.Time, minute int, loc *time.Location) time.Time {
	y, m, d := t.In(loc).Date()
	// Day i=0 may be past already; a zone that skipped a whole day
	// (Pacific/Apia, 30 Dec 2011) needs one more.
	for i := 0; ; i++ {
		if at, ok := dailyAt(y, m, d+i, minute, loc); ok && at.After(t) {
			return at
		}
	}
}

// zoneWindow bounds how far a zone's offset moves a wall-clock time
// from the same reading in UTC (offsets run from -12 h to +14 h).
const zoneWindow = 15 * time.Hour

// dailyAt returns the instant at which the local clock in loc first
// reads minute on the day y-m-d. When the clocks go back and the time
// happens twice, that is the first; when they go forward over it, it is
// the moment they jump (a briefing due at 01:30 on the night that goes
// from 01:00 to 02:00 comes at 02:00, once). It reports false for a day
// the zone skipped whole.
func dailyAt(y int, m time.Month, d, minute int, loc *time.Location) (time.Time, bool) {
	wall := time.Date(y, m, d, minute/60, minute%60, 0, 0, time.UTC) // the wall-clock time, read as UTC
	// Walk the zone's periods (each with one offset) around that time,
	// earliest first.
	for p := wall.Add(-zoneWindow); p.Before(wall.Add(zoneWindow)); {
		local := p.In(loc)
		start, end := local.ZoneBounds()
		_, off := local.Zone()
		at := wall.Add(-time.Duration(off) * time.Second)
		if !at.Before(start) && (end.IsZero() || at.Before(end)) {
			return at, true
		}
		if end.IsZero() {
			break
		}
		if jumped := wallClock(end, loc); jumped.After(wall) {
			// The clocks jumped over wall at end: then, unless they
			// jumped to another day.
			return end, jumped.YearDay() == wall.YearDay() && jumped.Year() == wall.Year()
		}
		p = end
	}
	// Unreachable for real zones: fall back on Go's own reading.
	return time.Date(y, m, d, minute/60, minute%60, 0, 0, loc), true
}

// wallClock is t's local time in loc, read as UTC.
func wallClock(t time.Time, loc *time.Location) time.Time {
	l := t.In(loc)
	return time.Date(l.Year(), l.Month(), l.Day(), l.Hour(), l.Minute(), l.Second(), 0, time.UTC)
}

// parseClock reads a 24-hour time of day, "08:00" or "8:00", into
// minutes after midnight.
func parseClock(s string) (int, error) {
	hs, ms, ok := strings.Cut(s, ":")
	h, herr := strconv.Atoi(hs)
	m, merr := strconv.Atoi(ms)
	if !ok || herr != nil || merr != nil || len(hs) > 2 || len(ms) != 2 || h < 0 || h > 23 || m < 0 || m > 59 {
		return 0, fmt.Errorf("%q is not a time of day: write it as 08:00 (24-hour clock)", s)
	}
	return h*60 + m, nil
}

// formatClock writes minutes after midnight as 08:00.
func formatClock(minute int) string {
	return fmt.Sprintf("%02d:%02d", minute/60, minute%60)
}

// errZone is wrapped by loadZone's error for a name that is no time zone.
var errZone = errors.New("unknown time zone")

// loadZone loads an IANA time zone ("Europe/London", "UTC"). The name
// is matched exactly, as the database spells it; "utc" is UTC too.
func loadZone(name string) (*time.Location, error) {
	if strings.EqualFold(name, "UTC") {
		return time.UTC, nil
	}
	// LoadLocation also reads "Local" and "" (this machine's zone),
	// which a chat user does not mean; names are Area/Place or a few
	// such as "GMT".
	if name == "" || name == "Local" || strings.HasPrefix(name, "/") || strings.Contains(name, "..") {
		return nil, fmt.Errorf("%w %q", errZone, name)
	}
	loc, err := time.LoadLocation(name)
	if err != nil {
		return nil, fmt.Errorf("%w %q", errZone, name)
	}
	return loc, nil
}
