package ingest

import (
	"strconv"
	"strings"
	"time"
)

// dateLayouts are tried in order by parseDate. Feeds, meta tags and
// hand-written front matter use all of these.
var dateLayouts = []string{
	time.RFC3339Nano,
	"2006-01-02T15:04:05Z0700",
	"2006-01-02T15:04:05",
	"2006-01-02T15:04Z07:00",
	"2006-01-02T15:04",
	"2006-01-02 15:04:05Z07:00",
	"2006-01-02 15:04:05 -0700",
	"2006-01-02 15:04:05 MST",
	"2006-01-02 15:04:05",
	"2006-01-02 15:04",
	"2006-01-02",
	"2006/01/02",
	time.RFC1123Z,
	time.RFC1123,
	"Mon, 2 Jan 2006 15:04:05 -0700",
	"Mon, 2 Jan 2006 15:04:05 MST",
	"Mon, 2 Jan 2006 15:04 -0700",
	time.RFC850,
	time.RFC822Z,
	time.RFC822,
	time.ANSIC,
	time.UnixDate,
	"2 Jan 2006 15:04:05 -0700",
	"2 Jan 2006",
	"2 January 2006",
	"January 2, 2006",
	"Jan 2, 2006",
	"Jan. 2, 2006",
	"20060102",
}

// parseDate parses s leniently and returns it in UTC. Times without a
// zone are taken as UTC. Unknown or implausible dates give the zero time,
// which retrieval treats as "date unknown".
func parseDate(s string) time.Time {
	s = strings.TrimSpace(s)
	if s == "" {
		return time.Time{}
	}
	if t, ok := parseUnix(s); ok {
		return t
	}
	for _, layout := range dateLayouts {
		if t, err := time.Parse(layout, s); err == nil {
			return plausible(t.UTC())
		}
	}
	return time.Time{}
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
