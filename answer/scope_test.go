package answer_test

import (
	"context"
	"testing"

	"github.com/byline-news/byline/answer"
	"github.com/byline-news/byline/retrieval"
)

// TestAskScope: a scoped request answers, and digests, from its sources
// only.
func TestAskScope(t *testing.T) {
	ix := index(t)
	ctx := context.Background()
	_, err := ix.Put(ctx, []retrieval.Article{
		{ID: "gazette-ferry", Title: "Ferry fares", Outlet: "Island Gazette", Published: day(11), Paragraphs: []string{
			"The island ferry will cost two pounds more from Monday, the Island Gazette learned."}},
	})
	if err != nil {
		t.Fatal(err)
	}
	gazette := retrieval.Scope{Outlets: []string{"island gazette"}}
	tests := []struct {
		name    string
		req     answer.Request
		sources string
	}{
		{"question, unscoped", answer.Request{Question: "how often will the island ferry run?", Now: now, K: 1}, "ferry"},
		{"question, scoped", answer.Request{Question: "how often will the island ferry run?", Now: now, K: 1, Scope: gazette}, "gazette-ferry"},
		{"digest, scoped", answer.Request{Question: "what's new?", Now: now, Scope: gazette}, "gazette-ferry"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a, err := answer.Ask(ctx, ix, tt.req)
			if err != nil {
				t.Fatal(err)
			}
			if got := ids(a); got != tt.sources {
				t.Errorf("sources = %q, want %q (%+v)", got, tt.sources, a)
			}
		})
	}
}
