package storetest

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/byline-news/byline/retrieval"
)

// A wire story and edited copies of it, written for this test.
var wire = []string{
	"Engineers at the Northfield reservoir began lowering the water level on Tuesday after inspectors found a crack in the spillway wall that had widened by several millimetres since the spring survey.",
	"The regional water board said there was no immediate danger to homes downstream but that the work would take at least three weeks and would close the lakeside footpath.",
	"Residents of Millbrook village were told at a public meeting that sirens would be tested on Friday as a precaution and that sandbags would be stored at the school.",
	"Board chair Rosa Lindqvist said the crack had been found early because of new sensors fitted last year, and that repairs would cost about two million crowns.",
}

func copyOf(paras []string, edit func([]string) []string) []string { return edit(slices.Clone(paras)) }

func testSyndicatedCopiesShownOnce(t *testing.T, b Backend) {
	ctx := context.Background()
	ix := b.open(t)
	day := func(d int) time.Time { return time.Date(2026, 11, d, 9, 0, 0, 0, time.UTC) }
	dateline := copyOf(wire, func(p []string) []string {
		p[0] = "NORTHFIELD — " + p[0]
		return p
	})
	reworded := copyOf(wire, func(p []string) []string {
		p[2] = "People in Millbrook village heard at a public meeting that sirens would be tested on Friday as a precaution and that sandbags would be stored at the school."
		return p
	})
	other := []string{ // the same event, written independently
		"A crack in the Northfield reservoir spillway has forced the water board to drain part of the lake, officials confirmed, closing a popular footpath for most of the month.",
		"Rosa Lindqvist, who chairs the board, credited recently installed sensors with spotting the fault and put the repair bill near two million crowns.",
		"Millbrook residents will hear the flood sirens on Friday during a scheduled test, and the village school is storing sandbags, according to notices posted on Wednesday.",
	}
	arts := []retrieval.Article{
		{ID: "coast", Title: "Reservoir lowered after spillway crack", Outlet: "Coast Post", Published: day(18), Paragraphs: dateline},
		{ID: "wire", Title: "Reservoir lowered after spillway crack", Outlet: "Wire Service", Published: day(17), Paragraphs: wire},
		{ID: "valley", Title: "Reservoir lowered after spillway crack", Outlet: "Valley Times", Published: day(19), Paragraphs: reworded},
		{ID: "gazette", Title: "Crack forces Northfield reservoir draining", Outlet: "Northfield Gazette", Published: day(18), Paragraphs: other},
		// Word for word the wire's text: kept beside it, not replacing it.
		{ID: "daily", Title: "Reservoir lowered after spillway crack", Outlet: "Daily Ledger", Published: day(20), Paragraphs: slices.Clone(wire)},
	}
	if res, err := ix.Put(ctx, arts); err != nil || res.Added != len(arts) {
		t.Fatalf("Put = %+v, %v; want all %d articles added", res, err, len(arts))
	}
	hits, err := ix.Search(ctx, retrieval.Query{Text: "why was the Northfield reservoir lowered? spillway crack", K: 10})
	if err != nil {
		t.Fatal(err)
	}
	byID := map[string]retrieval.Hit{}
	for _, h := range hits {
		if _, dup := byID[h.Article.ID]; !dup {
			byID[h.Article.ID] = h
		}
	}
	for _, gone := range []string{"coast", "valley", "daily"} {
		if _, ok := byID[gone]; ok {
			t.Errorf("copy %q shown on its own; want it folded into the earliest copy", gone)
		}
	}
	rep, ok := byID["wire"]
	if !ok {
		t.Fatalf("the earliest copy is not among the hits: %v", ids(hits))
	}
	slices.Sort(rep.AlsoCarriedBy)
	if want := []string{"Coast Post", "Daily Ledger", "Valley Times"}; !slices.Equal(rep.AlsoCarriedBy, want) {
		t.Errorf("AlsoCarriedBy = %q, want %q", rep.AlsoCarriedBy, want)
	}
	if _, ok := byID["gazette"]; !ok {
		t.Errorf("an independent report of the same event was folded: %v", ids(hits))
	}
}

func testOwnRepostsNotFolded(t *testing.T, b Backend) {
	ctx := context.Background()
	ix := b.open(t)
	dateline := copyOf(wire, func(p []string) []string { p[0] = "NORTHFIELD — " + p[0]; return p })
	_, err := ix.Put(ctx, []retrieval.Article{
		{ID: "wire", Title: "Reservoir lowered", Outlet: "Wire Service", Paragraphs: wire},
		{ID: "wire-repost", Title: "Reservoir lowered", Outlet: "Wire Service", Paragraphs: dateline},
	})
	if err != nil {
		t.Fatal(err)
	}
	hits, err := ix.Search(ctx, retrieval.Query{Text: "Northfield reservoir spillway crack", K: 10})
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]bool{}
	for _, h := range hits {
		got[h.Article.ID] = true
		if len(h.AlsoCarriedBy) != 0 {
			t.Errorf("%s: AlsoCarriedBy = %q, want none for one outlet's reposts", h.Article.ID, h.AlsoCarriedBy)
		}
	}
	if !got["wire"] || !got["wire-repost"] {
		t.Errorf("hits = %v, want both of the outlet's own copies", ids(hits))
	}
}

func ids(hits []retrieval.Hit) []string {
	var out []string
	for _, h := range hits {
		out = append(out, h.Article.ID)
	}
	return out
}
