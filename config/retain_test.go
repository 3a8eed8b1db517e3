package config

import (
	"strings"
	"testing"
	"time"
)

func TestRetain(t *testing.T) {
	t.Parallel()
	day := 24 * time.Hour
	for _, tc := range []struct {
		in    string
		want  time.Duration
		shown string
		bad   bool
	}{
		{"", 0, "(off: articles are kept)", false},
		{"365d", 365 * day, "365d", false},
		{" 26w ", 182 * day, "182d", false},
		{"720h", 30 * day, "30d", false},
		{"36h", 36 * time.Hour, "36h0m0s", false},
		{"1d", day, "1d", false},
		{"12h", 0, "", true},
		{"0d", 0, "", true},
		{"-5d", 0, "", true},
		{"d", 0, "", true},
		{"365", 0, "", true},
		{"1y", 0, "", true},
		{"99999999999d", 0, "", true},
		{"forever", 0, "", true},
	} {
		c, err := Load(env(map[string]string{"HOME": "/home/ann", envRetain: tc.in}))
		if tc.bad {
			if err == nil || !strings.Contains(err.Error(), envRetain) {
				t.Errorf("%s=%q: %v, want an error naming %s", envRetain, tc.in, err, envRetain)
			}
			continue
		}
		if err != nil || c.Retain != tc.want {
			t.Errorf("%s=%q: %v, %v; want %v", envRetain, tc.in, c.Retain, err, tc.want)
			continue
		}
		for _, s := range c.Redacted() {
			if s.Name == envRetain && s.Value != tc.shown {
				t.Errorf("%s=%q shown as %q, want %q", envRetain, tc.in, s.Value, tc.shown)
			}
		}
	}
}
