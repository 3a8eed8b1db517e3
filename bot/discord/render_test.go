package discord

import (
	"encoding/json"
	"errors"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/bwmarrin/discordgo"

	"github.com/byline-news/byline/bot"
	"github.com/byline-news/byline/retrieval"
)

// pinging matches text Discord would turn into a mention: @everyone or
// @here, or a live <@…>, <@&…> or <#…> sequence (not backslash-escaped).
var pinging = regexp.MustCompile(`@(everyone|here)|(^|[^\\])<[@#][!&]?\d+>`)

func TestAnswerQuotingMentionsPingsNobody(t *testing.T) {
	hs := start(t, newFakeCore(), setup{opt: httpOptions()})
	data := dataOf(t, hs.respond(command("7601", "which alerts do workers dislike?")))
	checkNoMentions(t, data)
	raw, _ := json.Marshal(data)
	var decoded struct {
		Content string
		Embeds  []struct{ Description string }
	}
	json.Unmarshal(raw, &decoded)
	all := decoded.Content
	for _, e := range decoded.Embeds {
		all += "\n" + e.Description
	}
	if !strings.Contains(all, "everyone") || !strings.Contains(all, "123") {
		t.Fatalf("the answer does not quote the alerts: %q", all)
	}
	if pinging.MatchString(all) {
		t.Errorf("answer text would mention someone: %q", all)
	}
}

func TestEveryMessageKindDisablesMentions(t *testing.T) {
	a := &Adapter{}
	m := a.render(bot.Reply{Kind: bot.KindAnswer, Text: "@everyone <@123>"}, "id1")
	g := a.render(bot.Reply{Kind: bot.KindAnswer, Text: "@everyone <@123> [1]", Generated: true}, "id2")
	p := renderPartial("@everyone <@123>")
	for name, v := range map[string]any{"response": m.responseData(false), "edit": m.edit(), "message": m.send(nil),
		"message edit": m.messageEdit("1", "2"), "follow-up": m.followup(false), "generated": g.send(nil),
		"generated edit": g.messageEdit("1", "2"), "partial": p.send(nil), "partial edit": p.edit()} {
		var got map[string]any
		b, _ := json.Marshal(v)
		json.Unmarshal(b, &got)
		if !strings.Contains(string(b), `"allowed_mentions":{"parse":[]`) {
			t.Errorf("%s JSON %s, want allowed_mentions with an empty parse list", name, b)
		}
		checkNoMentions(t, got)
	}
}

func TestLongAnswerStaysWithinDiscordLimits(t *testing.T) {
	hs := start(t, newFakeCore(), setup{opt: httpOptions()})
	data := dataOf(t, hs.respond(command("7701", "what did the budget speech say?")))
	raw, _ := json.Marshal(data)
	var m struct {
		Content string
		Embeds  []struct {
			Title, Description string
			Fields             []struct{ Name, Value string }
			Footer             *struct{ Text string }
		}
	}
	if err := json.Unmarshal(raw, &m); err != nil || len(m.Embeds) != 1 {
		t.Fatalf("response %s: %v, want one embed", raw, err)
	}
	e := m.Embeds[0]
	total := textLen(e.Title) + textLen(e.Description)
	for _, f := range e.Fields {
		total += textLen(f.Name) + textLen(f.Value)
	}
	if n := textLen(m.Content); n > maxContent || n < maxContent/2 || !strings.HasSuffix(m.Content, "…") {
		t.Errorf("content is %d characters, want a shortened answer of at most %d ending in …", n, maxContent)
	}
	if n := textLen(e.Description); n > maxDescription || len(e.Fields) > 25 || total > 6000 {
		t.Errorf("embed: description %d, %d fields, %d in total; want ≤ 4096, ≤ 25, ≤ 6000", n, len(e.Fields), total)
	}
	if !strings.Contains(e.Description, "**\\[1\\]** [Full text") || !strings.Contains(e.Description, "%28part%29") {
		t.Errorf("description %q, want linked sources with escaped URLs", e.Description[:200])
	}
	if strings.Contains(m.Content, "**towns**") || !strings.Contains(m.Content, `\*\*towns\*\*`) {
		t.Errorf("content %q, want article Markdown escaped", m.Content[:120])
	}
}

func TestEscape(t *testing.T) {
	for in, want := range map[string]string{
		"plain text.":                  "plain text.",
		"**bold** _it_ `code` ||sp||":  `\*\*bold\*\* \_it\_ \` + "`code\\`" + ` \|\|sp\|\|`,
		"[click](http://evil.example)": `\[click\](http://evil.example)`,
		"<@123> and <#456> <t:1:R>":    `\<@123> and \<#456> \<t:1:R>`,
		"# Heading\n> quote\n- item":   "\\# Heading\n\\> quote\n\\- item",
		"ping @everyone and @Here":     "ping @\u200beveryone and @\u200bHere",
		`back\slash`:                   `back\\slash`,
		"well-known > 3":               "well-known > 3",
	} {
		if got := escape(in); got != want {
			t.Errorf("escape(%q) = %q, want %q", in, got, want)
		}
		if in != "ping @everyone and @Here" {
			if back := unescape(escape(in)); back != in {
				t.Errorf("unescape(escape(%q)) = %q", in, back)
			}
		}
	}
}

func TestFit(t *testing.T) {
	for _, c := range []struct {
		in    string
		limit int
		want  string
	}{
		{"short", 10, "short"},
		{"one two three four", 12, "one two…"},
		{"abcdefghij", 5, "abcd…"},
		{`abc\\\*def`, 6, `abc\\…`}, // never half an escape
		{"😀😀😀😀", 5, "😀😀…"},          // two UTF-16 units each
	} {
		if got := fit(c.in, c.limit); got != c.want || textLen(got) > c.limit {
			t.Errorf("fit(%q, %d) = %q, want %q", c.in, c.limit, got, c.want)
		}
	}
}

func TestLinkURL(t *testing.T) {
	for in, want := range map[string]string{
		"https://example.com/a_(b)?q=1": "https://example.com/a_%28b%29?q=1",
		"javascript:alert(1)":           "",
		"/relative":                     "",
		"":                              "",
	} {
		if got, _ := linkURL(in); got != want {
			t.Errorf("linkURL(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestNewValidatesOptions(t *testing.T) {
	key := httpOptions().PublicKey
	for _, c := range []struct {
		opt  Options
		want string // "" = valid
	}{
		{Options{BotToken: "s3cr3t"}, ""},
		{Options{BotToken: "Bot s3cr3t", ShardID: 1, ShardCount: 2}, ""},
		{Options{PublicKey: key, AppID: "2000"}, ""},
		{Options{}, "set a bot token"},
		{Options{PublicKey: key}, "application ID is required"},
		{Options{PublicKey: "abc", AppID: "2000"}, "64 hex characters"},
		{Options{BotToken: "s3cr3t", AppID: "app"}, "must be numeric"},
		{Options{BotToken: "s3cr3t", GuildID: "my-server"}, "must be numeric"},
		{Options{BotToken: "s3cr3t", ShardID: 2, ShardCount: 2}, "shard ID 2 must be below"},
		{Options{BotToken: "s3cr3t", ShardID: 1}, "shard ID 1 must be below"},
		{Options{BotToken: "s3cr3t", APIBase: "127.0.0.1:80/api"}, "absolute http(s) URL"},
		{Options{BotToken: "s3cr3t words"}, "must not contain spaces"},
	} {
		a, err := New(newFakeCore(), c.opt)
		switch {
		case c.want == "" && err != nil:
			t.Errorf("New(%+v) = %v, want it valid", c.opt, err)
		case c.want != "" && (err == nil || !errors.Is(err, ErrInvalidOptions) || !strings.Contains(err.Error(), c.want)):
			t.Errorf("New(%+v) = %v, want ErrInvalidOptions saying %q", c.opt, err, c.want)
		case err != nil && strings.Contains(err.Error(), "s3cr3t"):
			t.Errorf("error leaks the token: %v", err)
		}
		if a != nil {
			a.work.Close(ShutdownGrace)
		}
	}
	if _, err := New(nil, Options{BotToken: "s3cr3t"}); !errors.Is(err, ErrInvalidOptions) {
		t.Errorf("New(nil handler) = %v, want ErrInvalidOptions", err)
	}
}

func TestRenderGenerated(t *testing.T) {
	src := func(n int, url string) bot.Source {
		return bot.Source{N: n, Hit: retrieval.Hit{Article: retrieval.Article{ID: "a" + strconv.Itoa(n), Title: "Story " + strconv.Itoa(n), URL: url}, Text: "A passage."}}
	}
	r := bot.Reply{Kind: bot.KindAnswer, Generated: true,
		Text:    "The _minister_ said *no* [1]. Others disagreed [2][1]. A [3] is unknown.",
		Sources: []bot.Source{src(1, "https://example.com/a_(b)"), src(2, "ftp://example.com/x")}}
	m := (&Adapter{}).render(r, "id1")
	if len(m.embeds) != 2 || m.content != "" || len(m.components) != 1 {
		t.Fatalf("rendered %+v, want no content, an answer embed, a sources embed and buttons", m)
	}
	want := `The \_minister\_ said \*no\* [[1]](<https://example.com/a_%28b%29>). Others disagreed \[2\][[1]](<https://example.com/a_%28b%29>). A \[3\] is unknown.`
	if got := m.embeds[0].Description; got != want {
		t.Errorf("answer %q\nwant   %q (citations with an http(s) source linked, the rest escaped)", got, want)
	}
	if m.embeds[0].Footer == nil || m.embeds[0].Footer.Text != generatedFooter || m.embeds[1].Title != sourcesTitle {
		t.Errorf("embeds %+v, want the footer %q and the sources", m.embeds, generatedFooter)
	}
	if want := `The \_minister\_ said \*no\* \[1\]. Others disagreed \[2\]\[1\]. A \[3\] is unknown.`; m.textOnly().content != want {
		t.Errorf("text only %q, want %q", m.textOnly().content, want)
	}

	// Read back from history, the answer is the text as the model wrote it.
	msg := &discordgo.Message{Author: &discordgo.User{ID: testBotID}, Embeds: m.embeds}
	a := &Adapter{}
	a.setMe(testBotID, "", "")
	if got := a.turns([]*discordgo.Message{msg}); len(got) != 1 || got[0].Text != r.Text || !got[0].FromBot {
		t.Errorf("turns %+v, want the answer %q", got, r.Text)
	}
}

func TestRenderGeneratedStaysWithinDiscordLimits(t *testing.T) {
	long := "https://example.com/" + strings.Repeat("x", 3000)
	r := longReply("what did the budget speech say?")
	r.Generated = true
	r.Text = strings.Repeat("The budget speech turns to research [1], towns [2] and cities [3]. ", 12)
	for i := range r.Sources {
		r.Sources[i].Hit.Article.URL = long
	}
	m := (&Adapter{}).render(r, "id1")
	total := 0
	for _, e := range m.embeds {
		if textLen(e.Description) > maxDescription {
			t.Errorf("embed description of %d characters, want at most %d", textLen(e.Description), maxDescription)
		}
		total += textLen(e.Title) + textLen(e.Description)
		if e.Footer != nil {
			total += textLen(e.Footer.Text)
		}
	}
	if total > maxEmbedsTotal || len(m.embeds) != 2 {
		t.Errorf("%d embeds of %d characters in all, want 2 of at most %d", len(m.embeds), total, maxEmbedsTotal)
	}
	if d := m.embeds[0].Description; strings.Contains(d, "](<") || !strings.Contains(d, `towns \[2\]`) {
		t.Errorf("answer %q…, want plain citations when the links do not fit", d[:100])
	}
	if n := textLen(m.textOnly().content); n > maxContent {
		t.Errorf("text only is %d characters, want at most %d", n, maxContent)
	}
	if p := renderPartial(strings.Repeat("word ", 2000)); textLen(p.embeds[0].Description) > maxDescription {
		t.Errorf("partial answer of %d characters, want at most %d", textLen(p.embeds[0].Description), maxDescription)
	}
}

// TestRenderGeneratedSearched checks that a generated answer to a
// corrected question says what was searched in its footer, and is still
// read back from history as the model's answer.
func TestRenderGeneratedSearched(t *testing.T) {
	r := bot.Reply{Kind: bot.KindAnswer, Generated: true, Searched: "what did the government say?", Text: "It said no [1].",
		Sources: []bot.Source{{N: 1, Hit: retrieval.Hit{Article: retrieval.Article{ID: "a1", Title: "Story", URL: "https://example.com/a"}, Text: "A passage."}}}}
	m := (&Adapter{}).render(r, "")
	if want := "Searched for: what did the government say? · " + generatedFooter; len(m.embeds) == 0 || m.embeds[0].Footer.Text != want {
		t.Fatalf("embeds %+v, want the footer %q", m.embeds, want)
	}
	a := &Adapter{}
	a.setMe(testBotID, "", "")
	msg := &discordgo.Message{Author: &discordgo.User{ID: testBotID}, Embeds: m.embeds}
	if got := a.turns([]*discordgo.Message{msg}); len(got) != 1 || got[0].Text != r.Text {
		t.Errorf("turns %+v, want the answer %q", got, r.Text)
	}
}
