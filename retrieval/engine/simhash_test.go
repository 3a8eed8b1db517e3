package engine

import (
	"slices"
	"strings"
	"testing"
)

// A wire story and edited copies of it, written for this test.
var wire = []string{
	"Engineers at the Northfield reservoir began lowering the water level on Tuesday after inspectors found a crack in the spillway wall that had widened by several millimetres since the spring survey.",
	"The regional water board said there was no immediate danger to homes downstream but that the work would take at least three weeks and would close the lakeside footpath.",
	"Residents of Millbrook village were told at a public meeting that sirens would be tested on Friday as a precaution and that sandbags would be stored at the school.",
	"Board chair Rosa Lindqvist said the crack had been found early because of new sensors fitted last year, and that repairs would cost about two million crowns.",
}

func copyOf(paras []string, edit func([]string) []string) []string { return edit(slices.Clone(paras)) }

func TestSimhashDistances(t *testing.T) {
	base := simhash(wire)
	small := simhash(copyOf(wire, func(p []string) []string { p[0] = "NORTHFIELD — " + p[0]; return p }))
	unrelated := simhash([]string{strings.Repeat("The orchestra's winter season opens with a programme of Nordic symphonies, and tickets for students cost half the usual price this year. ", 3)})
	if !nearCopies(base, base) || !nearCopies(base, small) {
		t.Errorf("copies not near: identical %v, dateline edit %v", nearCopies(base, base), nearCopies(base, small))
	}
	if nearCopies(base, unrelated) {
		t.Errorf("unrelated text counted as a copy")
	}
	if simhash([]string{"Too short to fingerprint."}) != 0 || nearCopies(0, 0) {
		t.Errorf("short texts must not be fingerprinted or grouped")
	}
}
