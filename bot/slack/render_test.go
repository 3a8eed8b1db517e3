package slack

import (
	"regexp"
	"strings"
	"testing"
	"time"

	slackgo "github.com/slack-go/slack"

	"github.com/byline-news/byline/bot"
	"github.com/byline-news/byline/retrieval"
)

// pinging matches anything Slack would turn into a notification.
var pinging = regexp.MustCompile(`(?i)<!(channel|here|everyone|subteam)|<@[UW]|@(here|channel|everyone)\b`)

func TestEscapeNeutralisesMentions(t *testing.T) {
	cases := []struct{ in, want string }{
		{"<!channel> meeting", "@\u200bchannel meeting"},
		{"<!here|here> and <!everyone>", "@\u200bhere and @\u200beveryone"},
		{"ping <@U123> and <@W9|bob>", "ping @\u200bU123 and @\u200bbob"},
		{"<!subteam^S42|@editors> said", "@\u200beditors said"},
		{"@here, @Channel and @everyone!", "@\u200bhere, @\u200bChannel and @\u200beveryone!"},
		{"see <#C1|general> at <!date^1392734382^{date}|Feb 18>", "see #general at Feb 18"},
		{"AT&T <b>bold</b> x > y", "AT&amp;T &lt;b&gt;bold&lt;/b&gt; x &gt; y"},
		{"<https://evil.example|click> me", "&lt;https://evil.example|click&gt; me"},
		{"mail bob@example.com", "mail bob@example.com"},
	}
	for _, c := range cases {
		if got := escape(c.in); got != c.want {
			t.Errorf("escape(%q) = %q, want %q", c.in, got, c.want)
		}
		if pinging.MatchString(escape(c.in)) {
			t.Errorf("escape(%q) still pings", c.in)
		}
	}
}

func TestPlainReadsSlackText(t *testing.T) {
	cases := []struct{ in, want string }{
		{"<@U0BYLINE1> what about   rates?", "what about rates?"},
		{"<@U0BYLINE1|byline> hi <@U2|ann> and <@U3>", "hi @ann and @U3"},
		{"in <#C1|news>: <https://bbc.co.uk/x|this story> &amp; <https://a.b>", "in #news: this story https://bbc.co.uk/x & https://a.b"},
		{"what does <https://bbc.co.uk/news/x?a=1&amp;b=2|bbc.co.uk/news/x> say?", "what does https://bbc.co.uk/news/x?a=1&b=2 say?"},
		{"is 5 &lt; 6 &gt; 4?", "is 5 < 6 > 4?"},
		{"<!here> anything?", "@here anything?"},
	}
	for _, c := range cases {
		if got := plain(c.in, testBotUser); got != c.want {
			t.Errorf("plain(%q) = %q, want %q", c.in, got, c.want)
		}
	}
	if got := stripLeadingMention("<@U999> rates <@U2>"); got != " rates <@U2>" {
		t.Errorf("stripLeadingMention = %q", got)
	}
}

func TestSourceLine(t *testing.T) {
	pub := time.Date(2024, 2, 1, 23, 0, 0, 0, time.UTC)
	cases := []struct {
		a    retrieval.Article
		want string
	}{
		{retrieval.Article{URL: "https://x.test/a?b=1&c=2", Title: "Rates\nheld", Outlet: "BBC", Published: pub},
			"[2] <https://x.test/a?b=1&amp;c=2|Rates held> · BBC · as of Feb 1, 2024"},
		{retrieval.Article{Title: "No link <here>", Outlet: "Wire"}, "[2] No link &lt;here&gt; · Wire"},
		{retrieval.Article{URL: "javascript:alert(1)", Title: "Bad | scheme"}, "[2] Bad | scheme"},
		{retrieval.Article{URL: "https://x.test/a|b>c", Title: "a|b"}, "[2] <https://x.test/a%7Cb%3Ec|a¦b>"},
	}
	for _, c := range cases {
		if got := sourceLine(bot.Source{N: 2, Hit: retrieval.Hit{Article: c.a}}); got != c.want {
			t.Errorf("sourceLine(%+v) =\n %q, want\n %q", c.a, got, c.want)
		}
	}
}

func TestRenderKeepsWithinLimits(t *testing.T) {
	para := strings.Repeat("Fish & chips cost £5 <each> in 2024, said the Chancellor. ", 60) // ~3,500 chars escaped
	var srcs []bot.Source
	for i := range 14 {
		srcs = append(srcs, bot.Source{N: i + 1, Hit: retrieval.Hit{Article: retrieval.Article{
			ID: "a", URL: "https://x.test/" + strings.Repeat("p", 50), Title: strings.Repeat("Long title ", 40), Outlet: "Outlet"}}})
	}
	for _, n := range []int{1, 3, 20, 200} {
		r := bot.Reply{Kind: bot.KindAnswer, Text: strings.Repeat(para+"\n\n", n), Sources: srcs}
		m := render(r, renderOpts{id: "abc", share: true})
		checkLimits(t, m)
		if got := m.blocks[len(m.blocks)-1]; got.BlockType() != slackgo.MBTAction {
			t.Errorf("n=%d: last block is %s, want the buttons", n, got.BlockType())
		}
	}
}

// checkLimits asserts Slack's message limits and that no chunk ends in
// the middle of an &entity;.
func checkLimits(t *testing.T, m message) {
	t.Helper()
	if len(m.blocks) > maxBlocks {
		t.Errorf("%d blocks, want ≤ %d", len(m.blocks), maxBlocks)
	}
	if slackLen(m.text) > maxFallback {
		t.Errorf("fallback text is %d characters, want ≤ %d", slackLen(m.text), maxFallback)
	}
	for _, b := range m.blocks {
		if sec, ok := b.(*slackgo.SectionBlock); ok {
			txt := sec.Text.Text
			if slackLen(txt) > maxSectionText || txt == "" {
				t.Errorf("section of %d characters, want 1..%d", slackLen(txt), maxSectionText)
			}
			if i := strings.LastIndexByte(txt, '&'); i >= 0 && !strings.Contains(txt[i:], ";") {
				t.Errorf("section ends inside an entity: …%q", txt[max(0, len(txt)-20):])
			}
		}
	}
}

func TestSplitPrefersBoundaries(t *testing.T) {
	got := split("First paragraph here.\n\nSecond one is longer than the first.", 40)
	want := []string{"First paragraph here.", "Second one is longer than the first."}
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("split = %q, want %q", got, want)
	}
	if got := split(strings.Repeat("é", 10), 4); strings.Join(got, "") != strings.Repeat("é", 10) || len(got) != 3 {
		t.Errorf("split of unbroken text = %q, want 3 chunks losing nothing", got)
	}
}

func TestArticleTextNeverPings(t *testing.T) {
	hs := startHTTP(t)
	hs.event("Ev1", mention("which notifications did remote workers dislike?", parentTS, ""), nil)
	post := hs.fake.next(t, "chat.postMessage")
	blocks := blocksOf(t, post)
	all := append(strs(blocks), textOf(post))
	for _, s := range all {
		if pinging.MatchString(s) {
			t.Errorf("posted text would ping: %q", s)
		}
	}
	joined := strings.Join(all, "\n")
	for _, want := range []string{"@\u200bchannel, @\u200bhere", "@\u200bU123", "@\u200beditors", "@\u200beveryone blasts",
		"<https://example.com/work/notifications?id=7&amp;src=rss|Why @\u200bchannel &amp; @\u200bhere alerts exhaust remote teams>",
		"Example &lt;Daily&gt;"} {
		if !strings.Contains(joined, want) {
			t.Errorf("posted message lacks %q", want)
		}
	}
}

func TestLongAnswerSplitWithinLimits(t *testing.T) {
	hs := startHTTP(t)
	hs.event("Ev1", mention("what was in the budget speech?", parentTS, ""), nil)
	post := hs.fake.next(t, "chat.postMessage")
	blocks := blocksOf(t, post)
	sections := blockTexts(blocks, "section")
	if len(blocks) > maxBlocks || len(sections) < 2 {
		t.Errorf("%d blocks with %d sections, want ≤ %d blocks and the text split", len(blocks), len(sections), maxBlocks)
	}
	for i, s := range sections {
		if slackLen(s) > maxSectionText {
			t.Errorf("section %d has %d characters, want ≤ %d", i, slackLen(s), maxSectionText)
		}
	}
	if !strings.HasSuffix(sections[len(sections)-1], "…") {
		t.Errorf("the shortened answer does not end in an ellipsis")
	}
	if n := slackLen(textOf(post)); n > maxFallback {
		t.Errorf("fallback text has %d characters, want ≤ %d", n, maxFallback)
	}
	if c := blockTexts(blocks, "context"); len(c) != 1 || !strings.HasPrefix(c[0], "[1] Full text of the budget speech · HM Treasury") {
		t.Errorf("source lines = %q, want the speech, title alone (no URL)", c)
	}
}

func TestRateLimitedPostIsRetried(t *testing.T) {
	hs := startHTTP(t)
	hs.fake.limitPosts.Store(1) // the first chat.postMessage gets 429, Retry-After: 1
	hs.event("Ev1", mention(boeText, parentTS, ""), nil)
	first, second := hs.fake.next(t, "chat.postMessage"), hs.fake.next(t, "chat.postMessage")
	if first.Form.Get("text") != second.Form.Get("text") || second.Form.Get("thread_ts") != parentTS {
		t.Errorf("retry differs from the rate-limited post")
	}
	hs.fake.next(t, "reactions.remove")
	if n := hs.fake.count("chat.postMessage"); n != 2 {
		t.Errorf("%d chat.postMessage requests, want 2 (429, then the retry)", n)
	}
}

func TestAbstainedReplyIsVisible(t *testing.T) {
	hs := startHTTP(t)
	hs.event("Ev1", mention("who won the snooker final?", parentTS, ""), nil)
	post := hs.fake.next(t, "chat.postMessage")
	if post.Form.Get("thread_ts") != parentTS || !strings.Contains(textOf(post), "couldn't find a clear answer") {
		t.Errorf("abstention = %v, want a thread reply saying nothing was found", post.Form)
	}
	// The closest story follows, under a line that says it is no answer.
	if ctx := blockTexts(blocksOf(t, post), "context"); len(ctx) < 2 || ctx[0] != bot.ClosestStories || !strings.Contains(ctx[1], "[1]") {
		t.Errorf("abstention context lines %q, want %q then the closest story", ctx, bot.ClosestStories)
	}
	if b := buttons(blocksOf(t, post)); len(b) != 0 {
		t.Errorf("abstention carries buttons %v", b)
	}
	hs.fake.next(t, "reactions.remove")
}

func TestRateLimitedReplyGoesToAskerOnly(t *testing.T) {
	hs := startHTTP(t)
	hs.h.limited[testHuman] = true
	hs.event("Ev1", mention(boeText, parentTS, ""), nil)
	eph := hs.fake.next(t, "chat.postEphemeral")
	if eph.Form.Get("user") != testHuman || eph.Form.Get("channel") != testChannel || eph.Form.Get("thread_ts") != parentTS ||
		!strings.Contains(eph.Form.Get("text"), "try again in a minute") {
		t.Errorf("ephemeral = %v, want the rate-limit notice to the asker in the thread", eph.Form)
	}
	hs.fake.next(t, "reactions.remove")
	hs.settle()
	if n := hs.fake.count("chat.postMessage"); n != 0 {
		t.Errorf("%d public posts for a rate-limited user, want 0", n)
	}
}
