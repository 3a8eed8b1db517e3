package discord

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/byline-news/byline/answer"
	"github.com/byline-news/byline/bot"
	"github.com/byline-news/byline/retrieval"
)

// TestRenderNeutralisesBidi: a right-to-left override in an article's
// title, outlet or text, or in the answer, never reaches Discord.
func TestRenderNeutralisesBidi(t *testing.T) {
	const rlo = "\u202e"
	src := answer.Source{N: 1, Hit: retrieval.Hit{
		Article: retrieval.Article{ID: "a", URL: "https://x.test/a", Title: "Minister " + rlo + "deined", Outlet: "Wire\u2066"},
		Text:    "The minister " + rlo + "denied it.",
	}}
	for _, generated := range []bool{false, true} {
		r := bot.Reply{Kind: bot.KindAnswer, Text: "The minister " + rlo + "denied it [1].", Sources: []answer.Source{src}, Generated: generated}
		m := (&Adapter{}).render(r, "id1")
		out, err := json.Marshal(m.responseData(false))
		if err != nil {
			t.Fatal(err)
		}
		if all := string(out); strings.ContainsAny(all, "\u202e\u2066") || !strings.Contains(all, "deined") {
			t.Errorf("generated=%v: %s", generated, all)
		}
	}
}
