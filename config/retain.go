package config

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// envRetain is how long "byline serve" keeps articles.
const envRetain = "BYLINE_RETAIN"

// Bounds of BYLINE_RETAIN: less than a day would delete today's news
// as it arrives; more than a century is a typo.
const (
	minRetain = 24 * time.Hour
	maxRetain = 100 * 365 * 24 * time.Hour
)

// loadRetain reads BYLINE_RETAIN: days ("365d"), weeks ("52w") or a Go
// duration of hours ("720h"); 0 when unset (articles are kept).
func loadRetain(getenv func(string) string) (time.Duration, error) {
	v := strings.TrimSpace(getenv(envRetain))
	if v == "" {
		return 0, nil
	}
	d, err := parseRetain(v)
	if err != nil || d < minRetain || d > maxRetain {
		return 0, fmt.Errorf("invalid %s %q: want how long to keep articles, at least a day, such as 365d, 26w or 720h", envRetain, v)
	}
	return d, nil
}

func parseRetain(v string) (time.Duration, error) {
	unit := map[byte]time.Duration{'d': 24 * time.Hour, 'w': 7 * 24 * time.Hour}[v[len(v)-1]]
	if unit == 0 {
		return time.ParseDuration(v)
	}
	n, err := strconv.Atoi(v[:len(v)-1])
	if err != nil || n <= 0 || n > int(maxRetain/unit) {
		return 0, fmt.Errorf("not a count: %q", v)
	}
	return time.Duration(n) * unit, nil
}

// retainString shows a retention as it would be written: whole days as
// "365d", else the Go duration.
func retainString(d time.Duration) string {
	switch {
	case d == 0:
		return "(off: articles are kept)"
	case d%(24*time.Hour) == 0:
		return strconv.Itoa(int(d/(24*time.Hour))) + "d"
	}
	return d.String()
}
