package main

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"testing"
)

// TestSyndicatedStoryCitedOnce: the same wire story indexed from three
// outlets is cited once, the earliest copy, naming the other outlets.
func TestSyndicatedStoryCitedOnce(t *testing.T) {
	e := newEnv(t)
	db := e.path("wire.db")
	body := "Engineers at the Northfield reservoir began lowering the water level on Tuesday after inspectors found a crack in the spillway wall that had widened by several millimetres since the spring survey.\n\n" +
		"The regional water board said there was no immediate danger to homes downstream but that the work would take at least three weeks and would close the lakeside footpath.\n\n" +
		"Board chair Rosa Lindqvist said the crack had been found early because of new sensors fitted last year, and that repairs would cost about two million crowns."
	var lines []string
	for i, outlet := range []string{"Coast Post", "Wire Service", "Valley Times"} {
		b := body
		switch i { // small edits: identical texts would replace each other
		case 0:
			b = "NORTHFIELD — " + b
		case 2:
			b = strings.Replace(b, "would close the lakeside footpath", "would shut the lakeside footpath", 1)
		}
		rec, _ := json.Marshal(map[string]string{"id": fmt.Sprint("copy-", i), "title": "Reservoir lowered after spillway crack",
			"body": b, "source": outlet, "published": fmt.Sprintf("2026-11-%02d", 18-i)})
		lines = append(lines, string(rec))
	}
	if r := e.runIn(strings.Join(lines, "\n")+"\n", "index", "--db", db, "-"); r.code != 0 {
		t.Fatalf("index: exit %d: %s", r.code, r.err)
	}
	r := e.mustRun(0, "ask", "--db", db, "--json", "who chairs the water board?")
	var doc struct {
		Sources []struct {
			ArticleID     string   `json:"article_id"`
			Outlet        string   `json:"outlet"`
			AlsoCarriedBy []string `json:"also_carried_by"`
		} `json:"sources"`
	}
	if err := json.Unmarshal([]byte(r.out), &doc); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, r.out)
	}
	if len(doc.Sources) != 1 || doc.Sources[0].Outlet != "Valley Times" {
		t.Fatalf("sources = %+v, want only the earliest copy (Valley Times, 16 Nov)", doc.Sources)
	}
	got := slices.Sorted(slices.Values(doc.Sources[0].AlsoCarriedBy))
	if !slices.Equal(got, []string{"Coast Post", "Wire Service"}) {
		t.Errorf("also_carried_by = %q", got)
	}
	if r := e.mustRun(0, "ask", "--db", db, "who chairs the water board?"); !strings.Contains(r.out, "also carried by 2 outlets") {
		t.Errorf("text output lacks the syndication line:\n%s", r.out)
	}
}
