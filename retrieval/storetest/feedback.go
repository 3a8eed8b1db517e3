package storetest

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/byline-news/byline/retrieval"
)

func testFeedbackRoundTrip(t *testing.T, b Backend) {
	ctx := context.Background()
	ix := b.open(t)
	base := time.Date(2026, 11, 20, 9, 0, 0, 0, time.UTC)
	in := []retrieval.Feedback{
		{At: base, Platform: "slack", Workspace: "T1", Channel: "C1", User: "U1", Question: "q1", Answer: "a1", Sources: []string{"x", "y"}, Helpful: true},
		{At: base.Add(time.Hour), Platform: "discord", Workspace: "G1", Channel: "C2", User: "U2", Question: "q2", Answer: "a2", Helpful: false},
	}
	for _, f := range in {
		if err := ix.SaveFeedback(ctx, f); err != nil {
			t.Fatal(err)
		}
	}
	var got []retrieval.Feedback
	if err := ix.ListFeedback(ctx, func(f retrieval.Feedback) error { got = append(got, f); return nil }); err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 {
		t.Fatalf("got %d feedback rows, want 2", len(got))
	}
	if got[0].Question != "q2" || got[0].Helpful || !got[0].At.Equal(in[1].At) || len(got[0].Sources) != 0 {
		t.Errorf("newest = %+v, want q2 unhelpful with no sources", got[0])
	}
	if got[1].User != "U1" || !got[1].Helpful || !slices.Equal(got[1].Sources, []string{"x", "y"}) || got[1].Platform != "slack" {
		t.Errorf("oldest = %+v, want U1's helpful vote citing x, y", got[1])
	}
}
