package slack

import (
	"context"
	"net/url"
	"strings"
	"testing"
	"time"

	slackgo "github.com/slack-go/slack"

	"github.com/byline-news/byline/answer"
	"github.com/byline-news/byline/bot"
	"github.com/byline-news/byline/bot/bottest"
	"github.com/byline-news/byline/llm"
	"github.com/byline-news/byline/llm/fakeai"
	"github.com/byline-news/byline/retrieval"
)

// These tests stream generated answers from a fake OpenAI-compatible
// server (llm/fakeai) through the real model client (llm.Client) and
// the real core (*bot.Bot over a SQLite index of realArticles) into the
// adapter, against the fake Slack. Nothing asserts on time: the model's
// chunks come chunkDelay apart, longer than the core's editInterval, so
// that several partial answers are shown, and the tests only look at
// what reached the fake.
const (
	editInterval = 20 * time.Millisecond
	chunkDelay   = 4 * editInterval
)

// Generated answers the fake model streams. Each is supported by the
// Pentagon article, so the core accepts it, unless the test spoils it.
const (
	lianGenerated = "Liang Guanglie rejected blame for the cyber attacks on the United States [1]."
	lianQuestion  = "what did Liang deny?"
)

// streamingBot is the core over realArticles with answers written by a
// fake model that replies with reply.
func streamingBot(t *testing.T, reply func(int, fakeai.Request) fakeai.Reply) (*bot.Bot, *fakeai.Server) {
	t.Helper()
	srv := fakeai.NewServer(t, reply)
	client, err := llm.New(llm.Options{BaseURL: srv.URL, Model: "m", Logger: bottest.Logger(t)})
	if err != nil {
		t.Fatal(err)
	}
	ix := bottest.Index(t, realArticles)
	b, err := bot.New(bot.Options{Searcher: ix, Feedback: bottest.FeedbackStore{Index: ix}, Logger: bottest.Logger(t),
		Generator: client, EditInterval: editInterval})
	if err != nil {
		t.Fatal(err)
	}
	return b, srv
}

// streamed is a model reply that streams text a few words at a time.
func streamed(text string) fakeai.Reply {
	var chunks []string
	words := strings.SplitAfter(text, " ")
	for i := 0; i < len(words); i += 2 {
		chunks = append(chunks, strings.Join(words[i:min(i+2, len(words))], ""))
	}
	return fakeai.Reply{Chunks: chunks, Delay: chunkDelay}
}

func always(r fakeai.Reply) func(int, fakeai.Request) fakeai.Reply {
	return func(int, fakeai.Request) fakeai.Reply { return r }
}

// streamedTo is what the fake received for one streamed thread answer,
// once the answer is delivered (👀 removed from the question at ts).
type streamedTo struct {
	add, placeholder apiCall   // reactions.add, the placeholder's chat.postMessage
	updates          []apiCall // chat.update calls, in order
	remove           apiCall   // reactions.remove
}

// collect waits for the answer to the question at ts and gathers the
// calls it made.
func (hs *harness) collect(ts string) streamedTo {
	hs.t.Helper()
	var s streamedTo
	s.add = hs.fake.next(hs.t, "reactions.add")
	s.placeholder = hs.fake.next(hs.t, "chat.postMessage")
	s.remove = hs.fake.next(hs.t, "reactions.remove")
	if s.remove.Form.Get("timestamp") != ts {
		hs.t.Fatalf("👀 removed from %s, want %s", s.remove.Form.Get("timestamp"), ts)
	}
	for range hs.fake.count("chat.update") - len(hs.seenUpdates) {
		hs.seenUpdates = append(hs.seenUpdates, hs.fake.next(hs.t, "chat.update"))
	}
	for _, u := range hs.seenUpdates {
		if u.Seq > s.placeholder.Seq && u.Seq < s.remove.Seq {
			s.updates = append(s.updates, u)
		}
	}
	return s
}

// checkStream checks the shape of a streamed answer in thread (or at the
// top level when thread is ""): 👀, one placeholder with a partial text
// and the writing note, edits of that message (and of no other) whose
// texts grow, then the final reply as the last edit, then 👀 removed.
// It returns the final edit.
func checkStream(t *testing.T, hs *harness, s streamedTo, thread string) apiCall {
	t.Helper()
	p := s.placeholder
	if p.Form.Get("channel") != testChannel || p.Form.Get("thread_ts") != thread {
		t.Errorf("placeholder posted to %s thread %q, want %s thread %q", p.Form.Get("channel"), p.Form.Get("thread_ts"), testChannel, thread)
	}
	if note := blockTexts(blocksOf(t, p), "context"); len(note) != 1 || note[0] != writingNote {
		t.Errorf("placeholder context = %q, want the writing note", note)
	}
	if b := buttons(blocksOf(t, p)); len(b) != 0 {
		t.Errorf("placeholder carries buttons %v", b)
	}
	if len(s.updates) < 2 {
		t.Fatalf("%d chat.update calls, want partial answers then the final one", len(s.updates))
	}
	msgs := hs.fake.botMessages(testChannel, thread)
	if len(msgs) != 1 {
		t.Fatalf("the bot has %d messages in the thread, want 1 (the placeholder, edited)", len(msgs))
	}
	prev := sectionText(t, p)
	for i, u := range s.updates {
		if u.Form.Get("channel") != testChannel || u.Form.Get("ts") != msgs[0].TS {
			t.Errorf("update %d edits %s/%s, want the placeholder %s/%s", i, u.Form.Get("channel"), u.Form.Get("ts"), testChannel, msgs[0].TS)
		}
		if i == len(s.updates)-1 {
			break
		}
		text := sectionText(t, u)
		if !strings.HasPrefix(text, prev) || len(text) < len(prev) {
			t.Errorf("partial answer %d = %q, want it to continue %q", i+1, text, prev)
		}
		prev = text
		if note := blockTexts(blocksOf(t, u), "context"); len(note) != 1 || note[0] != writingNote {
			t.Errorf("partial answer %d context = %q, want the writing note", i+1, note)
		}
	}
	if !(s.add.Seq < p.Seq && s.updates[len(s.updates)-1].Seq < s.remove.Seq) {
		t.Errorf("👀 not kept on the question while the answer was written")
	}
	final := s.updates[len(s.updates)-1]
	if msgs[0].Text != textOf(final) {
		t.Errorf("the thread shows %q, want the final reply %q", msgs[0].Text, textOf(final))
	}
	return final
}

// checkFinalAnswer checks a final answer's blocks: buttons and the
// Pentagon source; generated says whether it should carry the model's
// answer (linked citation, note) or the extractive one.
func checkFinalAnswer(t *testing.T, final apiCall, generated bool) {
	t.Helper()
	blocks := blocksOf(t, final)
	if b := buttons(blocks); b[actionHelpful] == "" || b[actionUnhelpful] == "" {
		t.Errorf("final answer buttons = %v, want 👍 and 👎", b)
	}
	pentagon := realArticles[0]
	ctx := blockTexts(blocks, "context")
	var srcs []string
	note := -1 // the model note's index in ctx
	for i, c := range ctx {
		if strings.HasPrefix(c, "[") {
			srcs = append(srcs, c)
		}
		if c == generatedNote {
			note = i
		}
	}
	if len(srcs) == 0 || !strings.HasPrefix(srcs[0], "[1] <"+pentagon.URL+"|") {
		t.Errorf("final source lines = %q, want the Pentagon article first", srcs)
	}
	body := sectionText(t, final)
	if generated {
		if want := "Liang Guanglie rejected blame for the cyber attacks on the United States <" + pentagon.URL + "|[1]>."; body != want {
			t.Errorf("final answer = %q, want %q", body, want)
		}
		if note < 0 || note+1 >= len(ctx) || ctx[note+1] != srcs[0] {
			t.Errorf("final context lines = %q, want the model note just above the sources", ctx)
		}
		return
	}
	if !strings.Contains(body, "denied") || strings.Contains(body, "rejected blame") || strings.Contains(body, "|[1]>") {
		t.Errorf("final answer = %q, want the extractive answer (Liang denied …), not the model's", body)
	}
	for _, c := range ctx {
		if c == generatedNote || c == writingNote {
			t.Errorf("extractive final answer carries the note %q", c)
		}
	}
	if note >= 0 {
		t.Errorf("extractive final answer says a model wrote it")
	}
}

func TestStreamedAnswerToMention(t *testing.T) {
	b, srv := streamingBot(t, always(streamed(lianGenerated)))
	hs := startWith(t, b, Options{SigningSecret: testSecret}, nil)
	const parent = "1700000100.000100"
	hs.fake.addMessage(threadMsg{Channel: testChannel, User: testHuman, Text: "<@" + testBotUser + "> " + lianQuestion, TS: parent})
	hs.event("Ev1", mention(lianQuestion, parent, ""), nil)
	s := hs.collect(parent)
	final := checkStream(t, hs, s, parent)
	checkFinalAnswer(t, final, true)
	if !strings.Contains(sectionText(t, s.placeholder), "Liang") {
		t.Errorf("placeholder = %q, want the start of the model's answer", sectionText(t, s.placeholder))
	}
	if n := hs.fake.count("chat.postMessage"); n != 1 {
		t.Errorf("%d chat.postMessage calls, want 1: the final answer edits the placeholder", n)
	}
	if n := hs.fake.count("chat.delete"); n != 0 {
		t.Errorf("%d chat.delete calls, want none", n)
	}
	if r := srv.Requests(); len(r) != 1 || !r[0].Stream {
		t.Errorf("model requests = %+v, want one streamed", r)
	}

	// A follow-up in the thread, without a mention, is streamed into the
	// same thread, and the thread's history holds the final answer.
	const follow = "1700000100.000300"
	hs.fake.addMessage(threadMsg{Channel: testChannel, User: testHuman, Text: "and what did Panetta say?", TS: follow, ThreadTS: parent})
	hs.event("Ev2", userMessage("and what did Panetta say?", follow, parent), nil)
	s = hs.collect(follow)
	if s.placeholder.Form.Get("thread_ts") != parent || len(s.updates) < 2 {
		t.Fatalf("follow-up: placeholder in thread %q with %d edits, want thread %s, edited", s.placeholder.Form.Get("thread_ts"), len(s.updates), parent)
	}
	last := s.updates[len(s.updates)-1]
	if last.Form.Get("ts") != s.updates[0].Form.Get("ts") || buttons(blocksOf(t, last))[actionHelpful] == "" {
		t.Errorf("follow-up: final edit %v, want the placeholder edited into an answer with buttons", last.Form)
	}
	reqs := srv.Requests()
	if len(reqs) != 2 {
		t.Fatalf("%d model requests, want 2", len(reqs))
	}
}

func TestStreamedAnswerToDirectMessage(t *testing.T) {
	b, _ := streamingBot(t, always(streamed(lianGenerated)))
	hs := startWith(t, b, Options{SigningSecret: testSecret}, nil)
	const ts = "1700000100.000100"
	dm := userMessage(lianQuestion, ts, "")
	dm["channel_type"] = "im"
	hs.event("Ev1", dm, nil)
	final := checkStream(t, hs, hs.collect(ts), "")
	checkFinalAnswer(t, final, true)
}

func TestStreamCutOffFallsBackToExtractive(t *testing.T) {
	r := streamed(lianGenerated)
	r.NoFinish = true
	b, _ := streamingBot(t, always(r))
	hs := startWith(t, b, Options{SigningSecret: testSecret}, nil)
	hs.event("Ev1", mention(lianQuestion, parentTS, ""), nil)
	s := hs.collect(parentTS)
	final := checkStream(t, hs, s, parentTS)
	if partial := sectionText(t, s.updates[len(s.updates)-2]); !strings.Contains(partial, "rejected blame") {
		t.Errorf("last partial answer = %q, want the model's words", partial)
	}
	checkFinalAnswer(t, final, false)
}

func TestStreamWithInvalidCitationFallsBackToExtractive(t *testing.T) {
	b, _ := streamingBot(t, always(streamed(strings.Replace(lianGenerated, "[1]", "[9]", 1))))
	hs := startWith(t, b, Options{SigningSecret: testSecret}, nil)
	hs.event("Ev1", mention(lianQuestion, parentTS, ""), nil)
	s := hs.collect(parentTS)
	final := checkStream(t, hs, s, parentTS)
	for _, u := range append([]apiCall{s.placeholder}, s.updates...) {
		if strings.Contains(sectionText(t, u), "[9]") {
			t.Errorf("a partial answer shows the invalid citation: %q", sectionText(t, u))
		}
	}
	checkFinalAnswer(t, final, false)
}

func TestStreamedFinalEditFailsPostsAnew(t *testing.T) {
	b, _ := streamingBot(t, always(streamed(lianGenerated)))
	hs := startWith(t, b, Options{SigningSecret: testSecret}, nil)
	hs.fake.failUpdates(func(form url.Values) string {
		if strings.Contains(form.Get("blocks"), actionsBlockID) { // the final answer, not a partial one
			return "cant_update_message"
		}
		return ""
	})
	hs.event("Ev1", mention(lianQuestion, parentTS, ""), nil)
	placeholder := hs.fake.next(t, "chat.postMessage")
	final := hs.fake.next(t, "chat.postMessage")
	del := hs.fake.next(t, "chat.delete")
	hs.fake.next(t, "reactions.remove")
	if final.Form.Get("thread_ts") != parentTS || !strings.Contains(final.Form.Get("blocks"), actionsBlockID) {
		t.Errorf("second post = %v, want the final answer in the thread", final.Form)
	}
	checkFinalAnswer(t, final, true)
	if sectionText(t, placeholder) == sectionText(t, final) {
		t.Errorf("the placeholder already held the final answer")
	}
	msgs := hs.fake.botMessages(testChannel, parentTS)
	if len(msgs) != 1 || msgs[0].Text != textOf(final) {
		t.Errorf("the thread holds %+v, want only the final answer", msgs)
	}
	if n := hs.fake.count("chat.update"); n < 2 {
		t.Errorf("%d chat.update calls, want partial answers and the failed final edit", n)
	}
	if del.Seq < final.Seq || del.Form.Get("ts") == "" {
		t.Errorf("placeholder deleted (#%d %v) before the final answer was posted (#%d)", del.Seq, del.Form, final.Seq)
	}
}

func TestStreamedSlashCommand(t *testing.T) {
	const chunks = 10 // more partial answers than a response_url takes
	words := strings.Fields(lianGenerated)
	r := fakeai.Reply{Delay: chunkDelay}
	for i := range chunks {
		lo, hi := i*len(words)/chunks, (i+1)*len(words)/chunks
		if lo < hi {
			r.Chunks = append(r.Chunks, strings.Join(words[lo:hi], " ")+" ")
		}
	}
	b, _ := streamingBot(t, always(r))
	hs := startWith(t, b, Options{SigningSecret: testSecret}, nil)
	hs.signed("/slack/commands", formType, command(lianQuestion, hs.fake.responseURL("cmd-1")), time.Now(), nil)
	var posts []apiCall
	for {
		p := hs.fake.next(t, "respond")
		posts = append(posts, p)
		if len(buttons(blocksOf(t, p))) > 0 {
			break // the final answer
		}
	}
	hs.settle()
	if n := hs.fake.count("respond"); n > 5 || n != len(posts) || len(posts) < 2 {
		t.Fatalf("%d response_url posts (%d before the final answer), want 2 to 5, the final one last", n, len(posts))
	}
	for i, p := range posts {
		if p.JSON["path"] != "/respond/cmd-1" || p.JSON["response_type"] != "ephemeral" {
			t.Errorf("post %d = %v, want ephemeral at /respond/cmd-1", i, p.JSON)
		}
		if want := i > 0; p.JSON["replace_original"] != want {
			t.Errorf("post %d replace_original = %v, want %v", i, p.JSON["replace_original"], want)
		}
	}
	for _, p := range posts[:len(posts)-1] {
		if note := blockTexts(blocksOf(t, p), "context"); len(note) != 1 || note[0] != writingNote {
			t.Errorf("partial answer context = %q, want the writing note", note)
		}
	}
	final := posts[len(posts)-1]
	checkFinalAnswer(t, final, true)
	share := buttons(blocksOf(t, final))[actionShare]
	if share == "" {
		t.Fatalf("final answer has no Share button: %v", buttons(blocksOf(t, final)))
	}

	// Sharing posts the final answer in the channel.
	hs.interact(click(actionShare, share, hs.fake.responseURL("act-1")))
	shared := hs.fake.next(t, "chat.postMessage")
	if shared.Form.Get("channel") != testChannel || shared.Form.Has("thread_ts") {
		t.Errorf("shared post = %v, want the channel's top level", shared.Form)
	}
	checkFinalAnswer(t, shared, true)
}

func TestStreamedMassMentionsNeverPing(t *testing.T) {
	const question = "which notifications did remote office workers dislike most?"
	model := "Remote office workers disliked <!channel> and @everyone alerts and @here pings most [1]."
	b, _ := streamingBot(t, always(streamed(model)))
	hs := startWith(t, b, Options{SigningSecret: testSecret}, nil)
	hs.event("Ev1", mention(question, parentTS, ""), nil)
	s := hs.collect(parentTS)
	final := checkStream(t, hs, s, parentTS)
	if body := sectionText(t, s.updates[len(s.updates)-2]); !strings.Contains(body, "@\u200beveryone") {
		t.Errorf("last partial answer = %q, want the model's mentions shown neutralised", body)
	}
	for _, c := range append([]apiCall{s.placeholder}, s.updates...) {
		for _, str := range append(strs(blocksOf(t, c)), textOf(c)) {
			if pinging.MatchString(str) {
				t.Errorf("%s would ping: %q", c.Method, str)
			}
		}
	}
	// The model's answer is refused for its mass mentions; the extractive
	// one quotes the article, which mentions them too, neutralised.
	checkNoPings(t, final)
	if strings.Contains(sectionText(t, final), "|[1]>") {
		t.Errorf("final answer = %q, want the extractive one", sectionText(t, final))
	}
}

func TestExtractiveAnswerIsNotStreamed(t *testing.T) {
	ix := bottest.Index(t, realArticles)
	hs := startWith(t, bottest.Bot(t, ix), Options{SigningSecret: testSecret}, nil)
	post := hs.ask("Ev1", lianQuestion, parentTS, "")
	if !strings.Contains(sectionText(t, post), "denied") || len(buttons(blocksOf(t, post))) == 0 {
		t.Errorf("answer = %q, want the extractive answer with buttons", sectionText(t, post))
	}
	for _, c := range blockTexts(blocksOf(t, post), "context") {
		if c == generatedNote || c == writingNote {
			t.Errorf("extractive answer carries %q", c)
		}
	}
	hs.settle()
	for _, m := range []string{"chat.update", "chat.delete"} {
		if n := hs.fake.count(m); n != 0 {
			t.Errorf("%d %s calls for an extractive answer, want none", n, m)
		}
	}
}

func TestRenderGeneratedAnswer(t *testing.T) {
	src := func(n int, url string) answer.Source {
		return answer.Source{N: n, Hit: retrieval.Hit{Article: retrieval.Article{URL: url, Title: "T", Outlet: "O"}}}
	}
	r := bot.Reply{Kind: bot.KindAnswer, Generated: true,
		Text:    "Rates held at 5% & <b>cuts</b> later [1]. See [the report](https://x.test/r?a=1&b=2) [2]. Staff said [1](https://x.test/a) [3].",
		Sources: []answer.Source{src(1, "https://x.test/a?x=1&y=2"), src(2, ""), src(3, "javascript:alert(1)")}}
	m := render(r, renderOpts{id: "abc"})
	checkLimits(t, m)
	var sections, contexts []string
	for _, b := range m.blocks {
		switch b := b.(type) {
		case *slackgo.SectionBlock:
			sections = append(sections, b.Text.Text)
		case *slackgo.ContextBlock:
			contexts = append(contexts, b.ContextElements.Elements[0].(*slackgo.TextBlockObject).Text)
		}
	}
	want := "Rates held at 5% &amp; &lt;b&gt;cuts&lt;/b&gt; later <https://x.test/a?x=1&amp;y=2|[1]>. " +
		"See the report (https://x.test/r?a=1&amp;b=2) [2]. Staff said <https://x.test/a?x=1&amp;y=2|[1]> [3]."
	if len(sections) != 1 || sections[0] != want {
		t.Errorf("sections = %q, want\n%q", sections, want)
	}
	if len(contexts) != 4 || contexts[0] != generatedNote || !strings.HasPrefix(contexts[1], "[1] <https://x.test/a") {
		t.Errorf("context lines = %q, want the model note, then the sources", contexts)
	}
	if strings.Contains(m.text, "](") || !strings.Contains(m.text, "See the report (") {
		t.Errorf("fallback text %q keeps Markdown", m.text)
	}

	// The same text, extractive, is shown as before: escaped, unlinked.
	r.Generated = false
	m = render(r, renderOpts{id: "abc"})
	if got := m.blocks[0].(*slackgo.SectionBlock).Text.Text; got != escape(r.Text) {
		t.Errorf("extractive section = %q, want %q", got, escape(r.Text))
	}
	for _, b := range m.blocks {
		if c, ok := b.(*slackgo.ContextBlock); ok && c.ContextElements.Elements[0].(*slackgo.TextBlockObject).Text == generatedNote {
			t.Errorf("extractive answer carries the model note")
		}
	}

	// A very long generated answer still fits Slack's limits.
	r.Generated, r.Text = true, strings.Repeat("Fish & chips cost more [1]. ", 5000)
	checkLimits(t, render(r, renderOpts{id: "abc", share: true}))
	checkLimits(t, renderPartial(r.Text))
}

// partialThenFail is a core that shows two partial answers and then
// fails, as the real one does when it panics mid-answer: the reply is
// for the asker alone.
type partialThenFail struct{ Handler }

func (partialThenFail) Handle(ctx context.Context, m bot.Message) bot.Reply {
	m.Partial("The Bank of England")
	m.Partial("The Bank of England held rates @here")
	return bot.Reply{Kind: bot.KindError, Text: "Sorry, something went wrong."}
}

func TestStreamedThenPrivateReply(t *testing.T) {
	// In a thread, the placeholder is deleted and the asker alone is told.
	hs := startWith(t, partialThenFail{newNewsHandler()}, Options{SigningSecret: testSecret}, nil)
	hs.event("Ev1", mention(boeText, parentTS, ""), nil)
	placeholder := hs.fake.next(t, "chat.postMessage")
	update := hs.fake.next(t, "chat.update")
	eph := hs.fake.next(t, "chat.postEphemeral")
	del := hs.fake.next(t, "chat.delete")
	hs.fake.next(t, "reactions.remove")
	if !strings.Contains(sectionText(t, update), "held rates @\u200bhere") {
		t.Errorf("partial answer = %q, want it neutralised", sectionText(t, update))
	}
	if eph.Form.Get("user") != testHuman || !strings.Contains(textOf(eph), "went wrong") {
		t.Errorf("ephemeral = %v, want the error to the asker", eph.Form)
	}
	if del.Seq < eph.Seq || len(hs.fake.botMessages(testChannel, parentTS)) != 0 || placeholder.Form.Get("thread_ts") != parentTS {
		t.Errorf("placeholder not deleted after the private reply: %v", hs.fake.botMessages(testChannel, parentTS))
	}

	// A slash command answered in the channel: the in-channel partial
	// answer is deleted, then the asker alone is told.
	hs = startWith(t, partialThenFail{newNewsHandler()}, Options{SigningSecret: testSecret},
		[]func(*Options){func(o *Options) { o.Ephemeral, o.EphemeralSet = false, true }})
	hs.signed("/slack/commands", formType, command(boeText, hs.fake.responseURL("cmd-1")), time.Now(), nil)
	var posts []apiCall
	for range 4 {
		posts = append(posts, hs.fake.next(t, "respond"))
	}
	hs.settle()
	want := []struct {
		kind             string
		replace, deleted bool
	}{{"in_channel", false, false}, {"in_channel", true, false}, {"", false, true}, {"ephemeral", false, false}}
	for i, w := range want {
		p := posts[i].JSON
		if kind, _ := p["response_type"].(string); kind != w.kind || p["replace_original"] != w.replace || p["delete_original"] != w.deleted {
			t.Errorf("response_url post %d = %v, want type %q replace %v delete %v", i, p, w.kind, w.replace, w.deleted)
		}
	}
	if n := hs.fake.count("respond"); n != 4 {
		t.Errorf("%d response_url posts, want 4", n)
	}
}
