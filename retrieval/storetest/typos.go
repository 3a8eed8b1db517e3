package storetest

import (
	"context"
	"maps"
	"slices"
	"testing"

	"github.com/byline-news/byline/retrieval"
)

// typoArticles are indexed by the typo tests: "tunnel" and "funnel" are
// one edit apart, and both are indexed.
func typoArticles() []retrieval.Article {
	article := func(id, text string) retrieval.Article {
		return retrieval.Article{ID: id, Title: "News", Paragraphs: []string{text}}
	}
	return []retrieval.Article{
		article("government", "The government delayed the budget again."),
		article("governor", "The governor opened a school."),
		article("council", "The council delayed and delayed the vote."),
		article("tunnel", "The tunnel under the river opens in May."),
		article("funnel", "A funnel cloud was seen over the river."),
	}
}

// testSearchTypos checks that a misspelt question word finds what the
// word spelt right finds, and that a word the index has is never
// "corrected" to a more frequent neighbour.
func testSearchTypos(t *testing.T, b Backend) {
	ix := b.open(t)
	MustPut(t, ix, typoArticles()...)
	for _, tc := range []struct{ question, want string }{
		{"What did the goverment delay?", "government"},
		{"What did the govenrment delay?", "government"}, // two letters swapped
		{"When does the tunnel open?", "tunnel"},
		{"What was the funnel over?", "funnel"},
	} {
		hits := MustSearch(t, ix, retrieval.Query{Text: tc.question, K: 5})
		if len(hits) == 0 || hits[0].Article.ID != tc.want {
			t.Errorf("Search(%q) = %v, want %s first", tc.question, hitIDs(hits), tc.want)
		}
	}
	// A caller that corrected the text already (Spelt) gets its words
	// searched as they are: the misspelt word then finds nothing.
	q := retrieval.Query{Text: "What did the goverment delay?", K: 5, Spelt: true}
	if hits := MustSearch(t, ix, q); len(hits) == 0 || hits[0].Article.ID != "council" {
		t.Errorf("Search(%q, spelt) = %v, want council first (by \"delay\" alone)", q.Text, hitIDs(hits))
	}
}

// testCorrect checks Correct: misspelt words to the indexed word one
// edit away (an English word only to one beside the question's other
// words), and nothing for words the index has, short words and words
// with nothing near.
func testCorrect(t *testing.T, b Backend) {
	ix := b.open(t)
	MustPut(t, ix, typoArticles()...)
	for _, tc := range []struct {
		words []string
		want  map[string]string
	}{
		{[]string{"goverment", "tunnel", "funnel", "delyaed", "vote", "vot", "xqzwvkj", "the"}, map[string]string{"goverment": "government", "delyaed": "delayed"}},
		// An English word may be meant as typed: it is corrected only to
		// a word that stands beside the question's other words, as the
		// word a slip was meant for does ("river" is in the tunnel's
		// story, not the budget's).
		{[]string{"rivet", "tunnel"}, map[string]string{"rivet": "river"}},
		{[]string{"rivet", "budget"}, map[string]string{"rivet": "rivet"}}, // meant as typed
		{[]string{"rivet"}, map[string]string{"rivet": "river"}},           // nothing beside to judge by
	} {
		got, err := ix.Correct(context.Background(), tc.words)
		if err != nil {
			t.Fatal(err)
		}
		if !maps.Equal(got, tc.want) {
			t.Errorf("Correct(%q) = %v, want %v", tc.words, got, tc.want)
		}
	}
	// A question of misspellings only is corrected a few words at most:
	// each costs hundreds of lookups.
	many := []string{"goverment", "delyaed", "budgte", "agian", "govenror", "opneed", "scohol", "coucnil", "tunenl", "rvier"}
	got, err := ix.Correct(context.Background(), many)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) == 0 || len(got) > 6 {
		t.Errorf("Correct(%d misspellings) corrected %d: %v; want some, at most 6", len(many), len(got), got)
	}
	// The words tried are the question's first six, so that a question
	// is corrected the same way every time it is asked.
	for w := range got {
		if slices.Index(many, w) >= 6 {
			t.Errorf("Correct corrected %q, the question's word %d; want only the first six tried", w, slices.Index(many, w)+1)
		}
	}
	for range 20 {
		again, err := ix.Correct(context.Background(), many)
		if err != nil || !maps.Equal(again, got) {
			t.Fatalf("Correct again = %v, %v; want %v as the first time", again, err, got)
		}
	}
}
