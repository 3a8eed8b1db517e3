package slack

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/byline-news/byline/answer"
	"github.com/byline-news/byline/bot"
	"github.com/byline-news/byline/retrieval"
)

// TestRenderNeutralisesBidi: a right-to-left override in an article's
// title, outlet or text, or in the answer, never reaches Slack.
func TestRenderNeutralisesBidi(t *testing.T) {
	const rlo = "\u202e"
	src := answer.Source{N: 1, Hit: retrieval.Hit{
		Article: retrieval.Article{ID: "a", URL: "https://x.test/a", Title: "Minister " + rlo + "deined", Outlet: "Wire" + "\u2066"},
		Text:    "The minister " + rlo + "denied it.",
	}}
	r := bot.Reply{Kind: bot.KindAnswer, Text: "The minister " + rlo + "denied it.", Question: "what did he " + rlo + "say", Sources: []answer.Source{src}}
	m := render(r, renderOpts{id: "abc", share: true, sharedBy: "U1"})
	out, err := json.Marshal(m.blocks)
	if err != nil {
		t.Fatal(err)
	}
	all := string(out) + m.text
	if strings.ContainsAny(all, "\u202e\u2066") || strings.Contains(all, `\u202e`) || strings.Contains(all, `\u2066`) {
		t.Errorf("a bidi control reached Slack: %s", all)
	}
	if !strings.Contains(all, "Minister deined") {
		t.Errorf("title lost: %s", all)
	}
}
