package storetest

import (
	"testing"

	"github.com/byline-news/byline/retrieval"
)

// testSearchSynonyms checks that search finds a paragraph by a WordNet
// synonym of a question's word ("quit" for "resigned") or two-word verb
// ("set aside" for "earmarked"), or by a compound the article hyphenates
// ("buyback" for "buy-back"), and that the question's own word still
// counts for more than its synonym.
func testSearchSynonyms(t *testing.T, b Backend) {
	article := func(id, text string) retrieval.Article {
		return retrieval.Article{ID: id, Title: "News", Paragraphs: []string{text}}
	}
	for _, tc := range []struct {
		name, question, want string
		articles             []retrieval.Article
	}{
		{
			name:     "synonym only in the article",
			question: "Did the minister quit?",
			want:     "resigned",
			articles: []retrieval.Article{
				article("stayed", "The minister stayed."),
				article("resigned", "The minister resigned on Friday."),
			},
		},
		{
			name:     "synonym of a noun",
			question: "Who was the family's attorney?",
			want:     "lawyer",
			articles: []retrieval.Article{
				article("wept", "The family wept."),
				article("lawyer", "The family's lawyer spoke to reporters."),
			},
		},
		{
			name:     "two-word verb",
			question: "How much has the council set aside?",
			want:     "earmarked",
			articles: []retrieval.Article{
				article("spent", "The council has spent money on roads."),
				article("earmarked", "The council has earmarked £4m for roads."),
			},
		},
		{
			// A compound written as one word finds an article that
			// hyphenates it, before one that holds its parts apart.
			name:     "compound written as one word",
			question: "what did the board say about the buyback?",
			want:     "hyphenated",
			articles: []retrieval.Article{
				article("apart", "The board said it would buy back shares."),
				article("hyphenated", "The board said on Tuesday that the buy-back it had planned for the spring was, in its view, no longer needed."),
			},
		},
		{
			name:     "compound hyphenated by the article",
			question: "does the hotel have wifi?",
			want:     "wifi",
			articles: []retrieval.Article{
				article("hotel", "The hotel has a gym and a pool."),
				article("wifi", "Wi-Fi is free in every room of the hotel."),
			},
		},
		{
			name:     "own word outranks a synonym",
			question: "Did the minister resign?",
			want:     "resigned",
			articles: []retrieval.Article{
				article("quit", "The minister quit."),
				article("resigned", "The minister resigned over the budget."),
			},
		},
	} {
		t.Run(tc.name, func(t *testing.T) { searchFindsFirst(t, b, tc.question, tc.want, tc.articles) })
	}
}

// searchFindsFirst indexes articles in a new index and checks that
// searching question ranks the article want first.
func searchFindsFirst(t *testing.T, b Backend, question, want string, articles []retrieval.Article) {
	t.Helper()
	ix := b.open(t)
	MustPut(t, ix, articles...)
	hits := MustSearch(t, ix, retrieval.Query{Text: question, K: 5})
	if len(hits) == 0 || hits[0].Article.ID != want {
		t.Errorf("Search(%q) = %v, want %s first", question, hitIDs(hits), want)
	}
}
