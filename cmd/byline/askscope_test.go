package main

import (
	"slices"
	"strings"
	"testing"
)

// TestAskSourceFlags: --source (an outlet, any case) and --category
// limit the search, as a chat channel's sources do.
func TestAskSourceFlags(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	db := e.path("scoped.db")
	in := writeFiles(t, e.path("in"), map[string]string{
		"fares.jsonl": jsonLines(t,
			map[string]any{
				"id": "post-fares", "title": "Marrowby ferry fares rise", "published": "2025-02-05T09:00:00Z",
				"source": "Estuary Post", "category": "transport",
				"body": "The Marrowby ferry company raised its fares by 4 percent on Monday, blaming the price of diesel.",
			},
			map[string]any{
				"id": "herald-fares", "title": "Ferry fares up", "published": "2025-02-03T09:00:00Z",
				"source": "Harbour Herald", "category": "business",
				"body": "Ferry fares in Marrowby went up, the company said, without saying by how much.",
			},
		),
	})
	e.mustRun(0, "index", "--db", db, in)
	const q = "how much did the Marrowby ferry company raise its fares?"
	tests := []struct {
		flags     []string
		want, not string
	}{
		{[]string{"--source", "harbour herald"}, "herald-fares", "post-fares"},
		{[]string{"--category", "Transport"}, "post-fares", "herald-fares"},
		{[]string{"--source", "Harbour Herald", "--category", "transport"}, "post-fares", ""}, // a union: the better one
	}
	for _, tt := range tests {
		doc := e.askJSON(append(append([]string{"--db", db}, tt.flags...), q)...)
		ids := cited(doc)
		if !slices.Contains(ids, tt.want) || (tt.not != "" && slices.Contains(ids, tt.not)) {
			t.Errorf("%v: cited %v, want %s and not %q", tt.flags, ids, tt.want, tt.not)
		}
	}
	// A source or category nothing indexed has is a mistake (a typo), not
	// a question without an answer: refused, naming what is indexed.
	for _, flags := range [][]string{{"--source", "Nobody Daily"}, {"--category", "sport"}, {"--source", "https://nobody.example/rss"}} {
		r := e.mustRun(2, append(append([]string{"ask", "--db", db}, flags...), q)...)
		if !strings.Contains(r.err, flags[1]) || !strings.Contains(r.err, "no indexed article has that") {
			t.Errorf("%v: stderr %q, want it to name %q and say nothing indexed has it", flags, r.err, flags[1])
		}
	}
	if r := e.mustRun(2, "ask", "--db", db, "--source", "Nobody Daily", q); !strings.Contains(r.err, "Estuary Post, Harbour Herald") {
		t.Errorf("stderr %q, want the indexed outlets named", r.err)
	}
}
