package discord

import (
	"encoding/json"
	"errors"
	"maps"
	"reflect"
	"strings"
	"testing"

	"github.com/bwmarrin/discordgo"

	"github.com/byline-news/byline/bot"
	"github.com/byline-news/byline/bot/bottest"
)

// Gateway tests run in parallel: each costs a second in discordgo's
// Session.Close, and each has its own fake (no discordgo globals are
// touched).

func TestGatewayRegistersCommandsAndAnswersNews(t *testing.T) {
	t.Parallel()
	core := newFakeCore()
	hs := start(t, core, setup{opt: gatewayOptions()})

	reg := hs.fake.next(t, "guild-commands")
	if want := "/api/v9/applications/" + testAppID + "/guilds/" + testGuild + "/commands"; reg.Path != want {
		t.Errorf("commands registered at %s, want %s (bulk overwrite in the guild)", reg.Path, want)
	}
	var cmds []discordgo.ApplicationCommand
	if err := json.Unmarshal(reg.Raw, &cmds); err != nil || len(cmds) != 1 {
		t.Fatalf("registered %s, want one command (%v)", reg.Raw, err)
	}
	if c := cmds[0]; c.Name != "news" || len(c.Options) != 1 || c.Options[0].Name != "question" ||
		!c.Options[0].Required || c.Options[0].Type != discordgo.ApplicationCommandOptionString {
		t.Errorf("registered %s, want /news with a required string option question", reg.Raw)
	}
	id := hs.fake.next(t, "identify")
	if got, want := id.JSON["intents"], float64(baseIntents); got != want {
		t.Errorf("intents = %v, want %v (guilds, guild messages, DMs; no message content)", got, want)
	}

	hs.dispatch("INTERACTION_CREATE", command("7001", "what did Liang deny?"))
	cb := hs.fake.next(t, "callback")
	if cb.Path != "/api/v9/interactions/7001/tok-7001/callback" || cb.JSON["type"] != 4.0 {
		t.Fatalf("callback %s %v, want type 4 to the interaction's callback", cb.Path, cb.JSON)
	}
	data := dataOf(t, cb.JSON)
	checkAnswer(t, data)
	if data["flags"] != nil {
		t.Errorf("flags = %v, want a public answer by default", data["flags"])
	}
	qs := core.questions()
	if len(qs) != 1 || qs[0].Partial == nil {
		t.Fatalf("core asked %+v, want one question with Partial set for streaming", qs)
	}
	q := qs[0]
	q.Partial = nil
	if want := (bot.Message{Platform: "discord", Workspace: testGuild, Channel: testChannel, User: testHuman,
		Text: "what did Liang deny?"}); !reflect.DeepEqual(q, want) {
		t.Errorf("core asked %+v", q)
	}

	up := buttons(t, data)[0]
	for i, want := range []string{thanksText, againText} {
		hs.dispatch("INTERACTION_CREATE", click("710"+string(rune('0'+i)), up))
		thanks := dataOf(t, hs.fake.next(t, "callback").JSON)
		if thanks["content"] != want || thanks["flags"] != float64(discordgo.MessageFlagsEphemeral) {
			t.Errorf("click %d answered %v, want %q to the clicker only", i+1, thanks, want)
		}
	}
	fb := core.feedbacks()
	if len(fb) != 1 || !fb[0].Helpful || fb[0].Platform != "discord" || fb[0].User != testOther ||
		fb[0].Workspace != testGuild || fb[0].Question != "what did Liang deny?" ||
		len(fb[0].Sources) != 1 || fb[0].Sources[0] != pentagonArticle.ID {
		t.Errorf("feedback saved %+v, want one 👍 by %s on the Liang answer", fb, testOther)
	}
}

func TestGatewayRegistersGlobally(t *testing.T) {
	t.Parallel()
	hs := start(t, newFakeCore(), setup{opt: Options{BotToken: "Bot " + testToken, MessageContent: true}})
	reg := hs.fake.next(t, "commands")
	if want := "/api/v9/applications/" + testAppID + "/commands"; reg.Path != want {
		t.Errorf("commands registered at %s, want %s", reg.Path, want)
	}
	if !strings.Contains(string(reg.Raw), `"contexts":[0,1]`) {
		t.Errorf("global command %s, want it usable in servers and DMs with the bot", reg.Raw)
	}
	if hs.fake.count("application") != 1 {
		t.Errorf("application ID looked up %d times, want once", hs.fake.count("application"))
	}
	id := hs.fake.next(t, "identify")
	if got, want := id.JSON["intents"], float64(baseIntents|discordgo.IntentMessageContent); got != want {
		t.Errorf("intents = %v, want %v with MessageContent", got, want)
	}
}

func TestGatewayDefersSlowAnswer(t *testing.T) {
	t.Parallel()
	core := newFakeCore().gated()
	opt := gatewayOptions()
	opt.Ephemeral = true
	hs := start(t, core, setup{opt: opt, tune: func(a *Adapter) { a.direct = 0 }})
	hs.dispatch("INTERACTION_CREATE", command("7201", "what did Liang deny?"))
	<-core.entered
	cb := hs.fake.next(t, "callback")
	if cb.JSON["type"] != 5.0 || dataOf(t, cb.JSON)["flags"] != float64(discordgo.MessageFlagsEphemeral) {
		t.Fatalf("initial response %v, want an ephemeral deferral (type 5)", cb.JSON)
	}
	core.release()
	ed := hs.fake.next(t, "edit")
	if want := "/api/v9/webhooks/" + testAppID + "/tok-7201/messages/@original"; ed.Path != want {
		t.Errorf("edit at %s, want %s", ed.Path, want)
	}
	checkAnswer(t, ed.JSON)
}

func TestGatewayMentionIsAnsweredAsReply(t *testing.T) {
	t.Parallel()
	core := newFakeCore()
	hs := start(t, core, setup{opt: gatewayOptions()})
	question := mentionOf(testBotID) + " what did Liang deny?"
	for _, m := range []map[string]any{
		withAuthor(hs.fake.userMessage(testChannel, "6500", question, testBotID), "6500", true), // another bot
		withAuthor(hs.fake.userMessage(testChannel, testBotID, question, testBotID), testBotID, true),
		hs.fake.userMessage(testChannel, testHuman, "what did Liang deny?"), // no mention
	} {
		hs.dispatch("MESSAGE_CREATE", m)
	}
	q := hs.fake.userMessage(testChannel, testHuman, question, testBotID)
	hs.dispatch("MESSAGE_CREATE", q)
	post := hs.fake.next(t, "message")
	checkAnswer(t, post.JSON)
	ref, _ := post.JSON["message_reference"].(map[string]any)
	if post.Path != "/api/v9/channels/"+testChannel+"/messages" || ref["message_id"] != q["id"] {
		t.Errorf("posted to %s with message_reference %v, want a reply to %v", post.Path, ref, q["id"])
	}

	// A mention replying to the answer continues its conversation.
	answerID := hs.fake.latest(testChannel)["id"].(string)
	bottest.Eventually(t, "the answer remembered", func() bool { _, ok := hs.a.convos.Get(answerID); return ok })
	q2 := hs.fake.userMessage(testChannel, testHuman, mentionOf(testBotID)+" and what did Panetta say?", testBotID)
	q2["type"], q2["message_reference"] = 19, map[string]any{"message_id": answerID, "channel_id": testChannel}
	hs.dispatch("MESSAGE_CREATE", q2)
	if got := hs.fake.next(t, "message").JSON["content"]; !strings.Contains(got.(string), "Following up on “what did Liang deny?”") {
		t.Errorf("reply-chain follow-up answered %q, want it to use the earlier question", got)
	}
	hs.settle()
	qs := core.questions()
	if len(qs) != 2 || qs[0].Text != "what did Liang deny?" || len(qs[0].History) != 0 ||
		len(qs[1].History) != 2 || !qs[1].History[1].FromBot {
		t.Errorf("core asked %+v, want the mention without its mention markup, then the follow-up with 2 turns", qs)
	}
	if n := hs.fake.count("message"); n != 2 {
		t.Errorf("%d messages posted, want 2: bots, the bot itself and messages without a mention are ignored", n)
	}
}

func TestGatewayThreadFollowUpUsesContext(t *testing.T) {
	t.Parallel()
	core := newFakeCore()
	opt := gatewayOptions()
	opt.MessageContent = true
	hs := start(t, core, setup{opt: opt})
	q1 := hs.fake.userMessage(testThread, testHuman, mentionOf(testBotID)+" what did Liang deny?", testBotID)
	hs.dispatch("MESSAGE_CREATE", q1)
	if ch := hs.fake.next(t, "channel"); ch.Path != "/api/v9/channels/"+testThread {
		t.Errorf("channel looked up: %s", ch.Path)
	}
	if h := hs.fake.next(t, "history"); h.Query.Get("before") != q1["id"] {
		t.Errorf("history fetched before %q, want before the question %v", h.Query.Get("before"), q1["id"])
	}
	hs.fake.next(t, "message")
	bottest.Eventually(t, "thread remembered", func() bool { return hs.a.threads.Active(testThread) })

	hs.dispatch("MESSAGE_CREATE", hs.fake.userMessage(testThread, testHuman, "<@"+testOther+"> did you see that?", testOther))
	hs.dispatch("MESSAGE_CREATE", hs.fake.userMessage(testThread, testHuman, "and what did Panetta say?"))
	post := hs.fake.next(t, "message")
	if got := post.JSON["content"].(string); !strings.Contains(got, "Following up on “what did Liang deny?”") {
		t.Errorf("follow-up answered %q, want it to use the thread's earlier question", got)
	}
	hs.dispatch("MESSAGE_CREATE", hs.fake.userMessage(testThread, testHuman, "thanks, nice one!"))
	hs.settle()
	qs := core.questions()
	if len(qs) != 2 {
		t.Fatalf("core asked %d questions, want 2 (a message to someone else, or thanks, is not a question)", len(qs))
	}
	h := qs[1].History
	if qs[1].Thread != testThread || len(h) < 2 || h[0] != (bot.Turn{User: testHuman, Text: "what did Liang deny?"}) ||
		h[1] != (bot.Turn{User: testBotID, Text: "Liang Guanglie denied that China was behind the cyber attacks. [1]", FromBot: true}) {
		t.Errorf("follow-up history %+v, want the question and the bot's answer, unescaped", h)
	}
}

// settingNames are the names the wiring passes for errors; the adapter
// must use these, never spell settings itself.
var settingNames = SettingNames{BotToken: "TOKEN_VAR", AppID: "APP_VAR", ShardID: "SHARD_VAR", ShardCount: "SHARDS_VAR", MessageContent: "CONTENT_VAR"}

func TestInvalidTokenFailsFast(t *testing.T) {
	t.Parallel()
	opt := gatewayOptions()
	opt.Settings = settingNames
	hs := start(t, newFakeCore(), setup{opt: opt, noWait: true,
		fake: func(f *fakeDiscord) { f.rejectToken.Store(true) }})
	err := hs.failure()
	if !errors.Is(err, ErrInvalidToken) || !strings.Contains(err.Error(), "check TOKEN_VAR") {
		t.Errorf("Run = %v, want ErrInvalidToken naming TOKEN_VAR", err)
	}
	if me, gw := hs.fake.count("me"), hs.fake.count("gateway"); me != 1 || gw != 0 {
		t.Errorf("%d token checks and %d gateway lookups, want 1 and 0: no retries", me, gw)
	}
}

func TestGatewayRefusalIsFatal(t *testing.T) {
	t.Parallel()
	tests := []struct {
		code  int32
		names SettingNames
		want  string
	}{
		{4004, settingNames, "check TOKEN_VAR"},
		{4014, settingNames, "or unset CONTENT_VAR"},
		{4004, SettingNames{}, "check the bot token"}, // no names passed: plain words
	}
	for _, tt := range tests {
		code, want := tt.code, tt.want
		t.Run(want, func(t *testing.T) {
			t.Parallel()
			opt := gatewayOptions()
			opt.Settings = tt.names
			hs := start(t, newFakeCore(), setup{opt: opt, noWait: true,
				fake: func(f *fakeDiscord) { f.closeCode.Store(code) }})
			err := hs.failure()
			if !strings.Contains(err.Error(), want) || (code == 4004) != errors.Is(err, ErrInvalidToken) {
				t.Errorf("close %d: Run = %v, want an error naming %s", code, err, want)
			}
			if n := hs.fake.count("identify"); n != 1 {
				t.Errorf("close %d: identified %d times, want once (no reconnect loop)", code, n)
			}
		})
	}
}

func TestUnreachableDiscordIsRetriedWhileServing(t *testing.T) {
	t.Parallel()
	opt := httpOptions()
	opt.BotToken = testToken
	hs := start(t, newFakeCore(), setup{opt: opt, noWait: true,
		fake: func(f *fakeDiscord) { f.failMe.Store(1 << 20) }})
	bottest.Eventually(t, "retries", func() bool { return hs.fake.count("me") >= 3 })
	if pong := hs.respond(map[string]any{"id": "1", "type": 1, "application_id": testAppID, "token": "t", "version": 1}); pong["type"] != 1.0 {
		t.Errorf("PING answered %v while Discord is unreachable, want PONG", pong)
	}
	if hs.a.Ready() {
		t.Error("ready before the gateway connected")
	}
	hs.fake.failMe.Store(0)
	bottest.Eventually(t, "ready once Discord answers", hs.a.Ready)
}

func TestGatewayReconnectsAfterDrop(t *testing.T) {
	t.Parallel()
	core := newFakeCore()
	hs := start(t, core, setup{opt: gatewayOptions()})
	hs.gw.c.Close() // the connection drops without a close frame
	if r := hs.fake.next(t, "resume"); r.JSON["session_id"] != "sess-1" {
		t.Errorf("reconnected with %v, want a resume of sess-1", r.JSON)
	}
	hs.gw = <-hs.fake.conns
	bottest.Eventually(t, "ready again", hs.a.Ready)
	hs.dispatch("MESSAGE_CREATE", hs.fake.userMessage(testChannel, testHuman, mentionOf(testBotID)+" what did Liang deny?", testBotID))
	checkAnswer(t, hs.fake.next(t, "message").JSON)
}

// withAuthor makes a message's author another user, a bot when bot.
func withAuthor(m map[string]any, id string, bot bool) map[string]any {
	m = maps.Clone(m)
	m["author"] = map[string]any{"id": id, "username": "user" + id, "bot": bot}
	return m
}
