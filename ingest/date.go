package ingest

import (
	"strconv"
	"strings"
	"time"
)

// dateLayouts are tried in order by ParseDate. Meta tags, JSON-LD and
// hand-written front matter use ISO 8601 almost always; the rest are
// what feeds and templates emit. Named-zone layouts come last so that
// numeric offsets win.
var dateLayouts = []string{
	time.RFC3339Nano,
	"2006-01-02T15:04:05Z0700",
	"2006-01-02T15:04:05",
	"2006-01-02T15:04Z07:00",
	"2006-01-02T15:04",
	"2006-01-02 15:04:05Z07:00",
	"2006-01-02 15:04:05 -0700",
	"2006-01-02 15:04:05",
	"2006-01-02 15:04",
	"2006-01-02",
	"2006/01/02 15:04",
	"2006/01/02",
	"20060102",
	time.RFC1123Z,
	"Mon, 2 Jan 2006 15:04:05 -0700",
	"Mon, 2 Jan 2006 15:04 -0700",
	"2 Jan 2006 15:04:05 -0700",
	time.RFC822Z,
	"Monday, January 2, 2006 3:04 PM",
	"Monday, January 2, 2006",
	"January 2, 2006 3:04 PM",
	"January 2, 2006",
	"Jan 2, 2006",
	"Jan. 2, 2006",
	"2 January 2006",
	"2 Jan 2006",
	time.RFC1123,
	"Mon, 2 Jan 2006 15:04:05 MST",
	"Mon, 2 Jan 2006 15:04 MST",
	"2 Jan 2006 15:04:05 MST",
	"2006-01-02 15:04:05 MST",
	time.RFC850,
	time.RFC822,
	time.UnixDate,
	time.ANSIC,
}

// zoneOffsets fixes the zone abbreviations news sites use. time.Parse
// gives an abbreviation it does not know a zero offset, and the answer
// for those it knows depends on the host's local zone, so a feed dated
// "EST" would otherwise be five hours off, or differ between machines.
var zoneOffsets = map[string]int{
	"UT": 0, "GMT": 0, "UTC": 0, "Z": 0,
	"EST": -5, "EDT": -4, "CST": -6, "CDT": -5, "MST": -7, "MDT": -6,
	"PST": -8, "PDT": -7, "BST": 1, "CET": 1, "CEST": 2, "EET": 2, "EEST": 3,
}

// ParseDate parses a date from front matter, a JSON record, a meta tag,
// JSON-LD or a feed leniently and returns it in UTC. A time without a
// zone is taken as UTC. Unknown or implausible dates give the zero time,
// which retrieval treats as "date unknown": a wrong date is worse than
// none, because it moves a story in or out of "this week".
func ParseDate(s string) time.Time {
	s = strings.Join(strings.Fields(s), " ")
	if s == "" {
		return time.Time{}
	}
	if t, ok := parseUnix(s); ok {
		return t
	}
	for _, layout := range dateLayouts {
		if t, err := time.Parse(layout, s); err == nil {
			return plausible(fixZone(t).UTC())
		}
	}
	return time.Time{}
}

// fixZone gives t the offset its zone abbreviation stands for.
func fixZone(t time.Time) time.Time {
	name, off := t.Zone()
	hours, ok := zoneOffsets[name]
	if !ok || off == hours*3600 {
		return t
	}
	return time.Date(t.Year(), t.Month(), t.Day(), t.Hour(), t.Minute(), t.Second(),
		t.Nanosecond(), time.FixedZone(name, hours*3600))
}

// parseUnix accepts Unix seconds (9–10 digits) or milliseconds (13).
func parseUnix(s string) (time.Time, bool) {
	if len(s) != 9 && len(s) != 10 && len(s) != 13 {
		return time.Time{}, false
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		return time.Time{}, false
	}
	if len(s) == 13 {
		return plausible(time.UnixMilli(n).UTC()), true
	}
	return plausible(time.Unix(n, 0).UTC()), true
}

// plausible rejects dates no news article can have, such as the year 1
// from a broken template.
func plausible(t time.Time) time.Time {
	if t.Year() < 1800 || t.Year() > 2200 {
		return time.Time{}
	}
	return t
}
