package percolate

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/byline-news/byline/retrieval"
)

var grain = retrieval.Article{
	ID: "grain", Title: "Grain corridor reopens as ships leave Odesa",
	Paragraphs: []string{
		"Three ships carrying maize left the port on Monday. Officials in Kyiv said Ukraine expected more departures this week.",
		"The grain exports had stopped in July. Ukrainian farmers said storage was running out, and prices for wheat exports rose.",
		"The ministry said a buy-back of stored grain was planned.",
	},
}

func TestMatch(t *testing.T) {
	tests := []struct {
		topic    string
		want     bool
		sentence string
	}{
		{"ukraine grain", true, "Officials in Kyiv said Ukraine expected more departures this week."}, // the first of equals
		{"Grain EXPORTS", true, "The grain exports had stopped in July."},                             // case, and stemmed: "exports"
		{"exported grains", true, "The grain exports had stopped in July."},                           // stems meet
		{"odesa", true, "Three ships carrying maize left the port on Monday."},                        // in the title only: the lead is quoted
		{"ukraine rice", false, ""},            // every term must be there
		{"the of and", false, ""},              // no searchable words: never indexed
		{"maize kyiv storage july", false, ""}, // all there, but never two together
		{"maize monday storage wheat", true, "Three ships carrying maize left the port on Monday."},     // two of four in one sentence
		{"grain buyback", true, "The ministry said a buy-back of stored grain was planned."},            // a compound written as one word, as search finds it
		{"kyiv departures", true, "Officials in Kyiv said Ukraine expected more departures this week."}, // the sentence with both
	}
	for i, tt := range tests {
		p := New([]retrieval.Watch{{ID: int64(i + 1), Topic: tt.topic}})
		got := p.Match(grain)
		if tt.want != (len(got) == 1) || (tt.want && (got[0].Watch != int64(i+1) || got[0].Sentence != tt.sentence)) {
			t.Errorf("watch %q: Match = %+v; want match %v quoting %q", tt.topic, got, tt.want, tt.sentence)
		}
	}
}

func TestTermsOfTopic(t *testing.T) {
	if got := Terms("Ukraine's grain, grain and GRAIN"); !slices.Equal(got, []string{"grain", "ukrain"}) {
		t.Errorf("Terms = %q, want the distinct stems", got)
	}
	if p := New([]retrieval.Watch{{ID: 1, Topic: "the and"}, {ID: 2, Topic: "grain"}}); p.Len() != 1 {
		t.Errorf("Len = %d, want 1: a topic of stop words is not indexed", p.Len())
	}
}

// TestMatchIsCompleteAndExact checks the index against the obvious
// algorithm, every watch checked against every article: indexing each
// watch under one term must neither lose a match nor invent one.
func TestMatchIsCompleteAndExact(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	words := []string{"grain", "ship", "port", "maize", "kyiv", "ukraine", "wheat", "price", "farmer", "storage", "july", "monday", "officials"}
	var watches []retrieval.Watch
	for i := range 400 {
		n := 1 + r.IntN(3)
		topic := ""
		for range n {
			topic += words[r.IntN(len(words))] + " "
		}
		watches = append(watches, retrieval.Watch{ID: int64(i + 1), Topic: topic})
	}
	p := New(watches)
	for i := range 50 {
		a := retrieval.Article{ID: fmt.Sprint(i), Title: words[r.IntN(len(words))]}
		for range 3 {
			s := ""
			for range 4 + r.IntN(4) {
				s += words[r.IntN(len(words))] + " "
			}
			a.Paragraphs = append(a.Paragraphs, s+".")
		}
		var want []int64
		for _, w := range watches {
			if m := New([]retrieval.Watch{w}).Match(a); len(m) == 1 {
				want = append(want, w.ID)
			}
		}
		var got []int64
		for _, m := range p.Match(a) {
			got = append(got, m.Watch)
		}
		if !slices.Equal(got, want) {
			t.Fatalf("article %v: indexed Match = %v, one by one = %v", a, got, want)
		}
	}
}
