package discord

import (
	"encoding/json"
	"errors"
	"regexp"
	"strings"
	"testing"

	"github.com/byline-news/byline/bot"
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
	for name, v := range map[string]any{"response": m.responseData(false), "edit": m.edit(), "message": m.send(nil)} {
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
