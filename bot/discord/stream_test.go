package discord

import (
	"encoding/json"
	"fmt"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/bwmarrin/discordgo"

	"github.com/byline-news/byline/bot"
	"github.com/byline-news/byline/bot/bottest"
	"github.com/byline-news/byline/llm"
	"github.com/byline-news/byline/llm/fakeai"
)

// These tests stream generated answers through the real core (*bot.Bot
// over a real SQLite index) and the real model client (llm.Client)
// against the fake OpenAI server, into the fake Discord. The model's
// chunks come slower than the core's edit interval, so several partial
// answers are shown; nothing asserts on the time between them.
const (
	editInterval = 20 * time.Millisecond
	chunkDelay   = 30 * time.Millisecond

	// bothQuestion is answered from two passages: Liang's and Panetta's.
	bothQuestion = "what did Liang and Panetta say about the cyber attacks?"
	pentagonURL  = "https://example.com/world/pentagon-cyber-talks"
)

// streamingCore is the real core over realArticles, writing its answers
// with a model that the fake server answers with reply.
func streamingCore(t testing.TB, reply func(n int, req fakeai.Request) fakeai.Reply) *bot.Bot {
	t.Helper()
	srv := fakeai.NewServer(t, func(n int, req fakeai.Request) fakeai.Reply {
		if !req.Stream {
			t.Errorf("model request %d not streamed", n)
		}
		return reply(n, req)
	})
	client, err := llm.New(llm.Options{BaseURL: srv.URL, Model: "m"})
	if err != nil {
		t.Fatal(err)
	}
	ix := bottest.Index(t, realArticles)
	b, err := bot.New(bot.Options{Searcher: ix, Feedback: bottest.FeedbackStore{Index: ix}, Logger: bottest.Logger(t),
		Generator: client, EditInterval: editInterval})
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// streamed answers by streaming text(req) a few words at a time.
func streamed(text func(req fakeai.Request) string) func(int, fakeai.Request) fakeai.Reply {
	return func(_ int, req fakeai.Request) fakeai.Reply {
		return fakeai.Reply{Chunks: chunks(text(req)), Delay: chunkDelay}
	}
}

// cutOff streams text(req) and stops before the model finishes.
func cutOff(text func(req fakeai.Request) string) func(int, fakeai.Request) fakeai.Reply {
	return func(_ int, req fakeai.Request) fakeai.Reply {
		return fakeai.Reply{Chunks: chunks(text(req)), Delay: chunkDelay, NoFinish: true}
	}
}

// chunks cuts s into pieces of three words, each with its leading space.
func chunks(s string) []string {
	words := strings.Fields(s)
	var out []string
	for i := 0; i < len(words); i += 3 {
		piece := strings.Join(words[i:min(i+3, len(words))], " ")
		if i > 0 {
			piece = " " + piece
		}
		out = append(out, piece)
	}
	return out
}

// passageRE finds the passages in the model's prompt: number and text.
var passageRE = regexp.MustCompile(`(?s)\[(\d+)\] Title:.*?Text:\n"""\n(.*?)\n"""`)

// passage is the number of the passage quoting phrase, 0 if none does.
func passage(req fakeai.Request, phrase string) int {
	for _, m := range passageRE.FindAllStringSubmatch(req.Messages[len(req.Messages)-1].Content, -1) {
		if strings.Contains(m[2], phrase) {
			n, _ := strconv.Atoi(m[1])
			return n
		}
	}
	return 0
}

// bothAnswer is a faithful answer to bothQuestion, citing both passages.
func bothAnswer(req fakeai.Request) string {
	return fmt.Sprintf("Liang Guanglie denied that China was behind the cyber attacks on the United States [%d]. "+
		"Leon Panetta said that not all of the cyber attacks could be attributed to China [%d].",
		passage(req, "Liang Guanglie denied"), passage(req, "Leon Panetta"))
}

// checkPartial checks a partial answer's payload and returns its text:
// one embed saying the answer is being written, no buttons, mentions off.
func checkPartial(t testing.TB, m map[string]any) string {
	t.Helper()
	checkNoMentions(t, m)
	if c, _ := m["content"].(string); c != "" || len(buttons(t, m)) != 0 {
		t.Errorf("partial answer %v, want no content and no buttons", m)
	}
	embeds, _ := m["embeds"].([]any)
	if len(embeds) != 1 {
		t.Fatalf("partial answer embeds %v, want one", m["embeds"])
	}
	e := embeds[0].(map[string]any)
	footer, _ := e["footer"].(map[string]any)
	desc, _ := e["description"].(string)
	text, ok := strings.CutSuffix(desc, " …")
	if footer["text"] != writingFooter || !ok || text == "" {
		t.Errorf("partial answer embed %v, want the text so far, then … and the footer %q", e, writingFooter)
	}
	return text
}

// isFinal reports whether a payload is a final answer: it has buttons.
func isFinal(m map[string]any) bool { return hasButtons(m) }

// checkGenerated checks the final message of bothAnswer: the answer in
// an embed with both citations linked to their source and a footer
// saying a model wrote it, the sources embed, buttons, mentions off.
func checkGenerated(t testing.TB, m map[string]any) {
	t.Helper()
	checkNoMentions(t, m)
	if c, _ := m["content"].(string); c != "" {
		t.Errorf("content %q, want the generated answer in its embed only", c)
	}
	embeds, _ := m["embeds"].([]any)
	if len(embeds) != 2 {
		t.Fatalf("embeds %v, want the answer and the sources", m["embeds"])
	}
	ans, srcs := embeds[0].(map[string]any), embeds[1].(map[string]any)
	desc, _ := ans["description"].(string)
	footer, _ := ans["footer"].(map[string]any)
	want := "Liang Guanglie denied that China was behind the cyber attacks on the United States [[1]](<" + pentagonURL + ">). " +
		"Leon Panetta said that not all of the cyber attacks could be attributed to China [[2]](<" + pentagonURL + ">)."
	if desc != want || footer["text"] != generatedFooter {
		t.Errorf("answer embed %v\nwant description %q and footer %q", ans, want, generatedFooter)
	}
	sd, _ := srcs["description"].(string)
	if srcs["title"] != sourcesTitle || !strings.HasPrefix(sd, "**\\[1\\]** [China's defence minister rejects blame for cyber attacks]("+pentagonURL+")") ||
		!strings.Contains(sd, "**\\[2\\]**") || !strings.Contains(sd, "Panetta") {
		t.Errorf("sources embed %v, want both cited passages", srcs)
	}
	if b := buttons(t, m); len(b) != 2 {
		t.Errorf("buttons %v, want 👍 and 👎", b)
	}
}

// checkGrowing checks that partial texts grow, each continuing the last.
func checkGrowing(t testing.TB, texts []string) {
	t.Helper()
	for i := 1; i < len(texts); i++ {
		if len(texts[i]) <= len(texts[i-1]) || !strings.HasPrefix(texts[i], texts[i-1]) {
			t.Errorf("partial %d %q does not continue partial %d %q", i+1, texts[i], i, texts[i-1])
		}
	}
}

// collectEdits returns the edits of a route up to the final one, which
// is returned apart, then checks that no edit follows it.
func collectEdits(t testing.TB, hs *harness, route string) (partials []call, final call) {
	t.Helper()
	for {
		c := hs.fake.next(t, route)
		if isFinal(c.JSON) {
			final = c
			break
		}
		partials = append(partials, c)
	}
	hs.settle()
	if n := hs.fake.count(route); n != len(partials)+1 {
		t.Errorf("%d %s calls, want nothing after the final answer", n, route)
	}
	return partials, final
}

func TestStreamedNewsOverGateway(t *testing.T) {
	t.Parallel()
	hs := start(t, streamingCore(t, streamed(bothAnswer)), setup{opt: gatewayOptions()})
	hs.dispatch("INTERACTION_CREATE", command("7801", bothQuestion))

	cb := hs.fake.next(t, "callback")
	if cb.JSON["type"] != 4.0 {
		t.Fatalf("initial response %v, want the first partial answer (type 4)", cb.JSON)
	}
	texts := []string{checkPartial(t, dataOf(t, cb.JSON))}
	partials, final := collectEdits(t, hs, "edit")
	if len(partials) == 0 {
		t.Fatalf("no partial answer edited in after the first, want several (chunks every %v, edits every %v)", chunkDelay, editInterval)
	}
	for _, p := range partials {
		if want := "/api/v9/webhooks/" + testAppID + "/tok-7801/messages/@original"; p.Path != want {
			t.Errorf("partial answer edited at %s, want %s", p.Path, want)
		}
		texts = append(texts, checkPartial(t, p.JSON))
	}
	checkGrowing(t, texts)
	checkGenerated(t, final.JSON)
	if n := hs.fake.count("callback"); n != 1 {
		t.Errorf("%d initial responses, want 1", n)
	}
}

func TestStreamedNewsOverHTTPInteractions(t *testing.T) {
	hs := start(t, streamingCore(t, streamed(bothAnswer)), setup{opt: httpOptions()})
	resp := hs.respond(command("7811", bothQuestion))
	if resp["type"] != 4.0 {
		t.Fatalf("HTTP response %v, want the first partial answer (type 4)", resp)
	}
	texts := []string{checkPartial(t, dataOf(t, resp))}
	partials, final := collectEdits(t, hs, "edit")
	for _, p := range partials {
		texts = append(texts, checkPartial(t, p.JSON))
	}
	if len(texts) < 2 {
		t.Errorf("partial answers %q, want several", texts)
	}
	checkGrowing(t, texts)
	checkGenerated(t, final.JSON)
	if want := "/api/v9/webhooks/" + testAppID + "/tok-7811/messages/@original"; final.Path != want {
		t.Errorf("final answer at %s, want %s", final.Path, want)
	}
	if n := hs.fake.count("callback"); n != 0 {
		t.Errorf("%d REST callbacks, want the initial response in the HTTP response only", n)
	}
}

func TestStreamedMentionEditsOneReply(t *testing.T) {
	t.Parallel()
	hs := start(t, streamingCore(t, streamed(bothAnswer)), setup{opt: gatewayOptions()})
	q := hs.fake.userMessage(testChannel, testHuman, mentionOf(testBotID)+" "+bothQuestion, testBotID)
	hs.dispatch("MESSAGE_CREATE", q)

	post := hs.fake.next(t, "message")
	ref, _ := post.JSON["message_reference"].(map[string]any)
	if ref["message_id"] != q["id"] {
		t.Errorf("first partial answer posted with message_reference %v, want a reply to %v", ref, q["id"])
	}
	texts := []string{checkPartial(t, post.JSON)}
	replyID := hs.fake.latest(testChannel)["id"].(string)
	partials, final := collectEdits(t, hs, "message-edit")
	if len(partials) == 0 {
		t.Fatal("no partial answer edited in after the first, want several")
	}
	for _, c := range append(partials, final) {
		if want := "/api/v9/channels/" + testChannel + "/messages/" + replyID; c.Path != want {
			t.Errorf("edit at %s, want %s (the reply)", c.Path, want)
		}
	}
	for _, p := range partials {
		texts = append(texts, checkPartial(t, p.JSON))
	}
	checkGrowing(t, texts)
	checkGenerated(t, final.JSON)
	if n := hs.fake.count("message"); n != 1 {
		t.Errorf("%d messages posted, want 1: the answer is edited into the reply", n)
	}
	bottest.Eventually(t, "the answer remembered", func() bool { _, ok := hs.a.convos.Get(replyID); return ok })
}

func TestStreamCutOffEndsWithExtractiveAnswer(t *testing.T) {
	hs := start(t, streamingCore(t, cutOff(func(req fakeai.Request) string {
		return fmt.Sprintf("Liang Guanglie denied that China was behind the cyber attacks on the United States [%d].", passage(req, "Liang"))
	})), setup{opt: httpOptions()})
	checkPartial(t, dataOf(t, hs.respond(command("7821", "what did Liang deny?"))))
	_, final := collectEdits(t, hs, "edit")
	checkAnswer(t, final.JSON) // the extractive answer: text as content, one sources embed
	if strings.Contains(string(final.Raw), "language model") {
		t.Errorf("final answer %s says a model wrote it, want the extractive answer", final.Raw)
	}
}

func TestStreamCitingUnknownPassageEndsWithExtractiveAnswer(t *testing.T) {
	hs := start(t, streamingCore(t, streamed(func(fakeai.Request) string {
		return "Liang Guanglie denied that China was behind the cyber attacks on the United States [9]."
	})), setup{opt: httpOptions()})
	if text := checkPartial(t, dataOf(t, hs.respond(command("7841", "what did Liang deny?")))); strings.Contains(text, "9") {
		t.Errorf("partial answer %q shows the invalid citation", text)
	}
	_, final := collectEdits(t, hs, "edit")
	checkAnswer(t, final.JSON)
	if strings.Contains(string(final.Raw), "language model") {
		t.Errorf("final answer %s says a model wrote it, want the extractive answer", final.Raw)
	}
}

func TestStreamedMassMentionPingsNobody(t *testing.T) {
	t.Parallel()
	hs := start(t, streamingCore(t, streamed(func(req fakeai.Request) string {
		return fmt.Sprintf("@everyone and @here, listen: Liang Guanglie denied that China was behind the cyber attacks [%d]. "+
			"Tell <@%s> and <@&456> about it [%[1]d].", passage(req, "Liang"), testOther)
	})), setup{opt: gatewayOptions()})
	hs.dispatch("MESSAGE_CREATE", hs.fake.userMessage(testChannel, testHuman, mentionOf(testBotID)+" what did Liang deny?", testBotID))
	post := hs.fake.next(t, "message")
	partials, final := collectEdits(t, hs, "message-edit")
	var shown string
	for _, c := range append([]call{post, final}, partials...) {
		checkNoMentions(t, c.JSON)
		if text := visibleText(t, c.Raw); pinging.MatchString(text) {
			t.Errorf("%s %s would ping: %q", c.Route, c.Path, text)
		}
	}
	for _, c := range append([]call{post}, partials...) {
		shown = checkPartial(t, c.JSON)
	}
	if !strings.Contains(shown, "@\u200beveryone") || !strings.Contains(shown, `\<@`+testOther+">") {
		t.Errorf("partial answer %q, want @everyone and the user mention shown neutralised", shown)
	}
	checkAnswer(t, final.JSON) // a mass mention makes the core fall back to the extractive answer
}

// visibleText is a payload's content and embed descriptions and footers.
func visibleText(t testing.TB, raw []byte) string {
	t.Helper()
	var m struct {
		Content string
		Embeds  []struct {
			Description string
			Footer      struct{ Text string }
		}
	}
	if err := json.Unmarshal(raw, &m); err != nil {
		t.Fatal(err)
	}
	out := m.Content
	for _, e := range m.Embeds {
		out += "\n" + e.Description + "\n" + e.Footer.Text
	}
	return out
}

func TestStreamedMentionFinalEditFailsSendsAnew(t *testing.T) {
	t.Parallel()
	hs := start(t, streamingCore(t, streamed(bothAnswer)), setup{opt: gatewayOptions(),
		fake: func(f *fakeDiscord) { f.failFinal.Store(http.StatusNotFound) }})
	q := hs.fake.userMessage(testChannel, testHuman, mentionOf(testBotID)+" "+bothQuestion, testBotID)
	hs.dispatch("MESSAGE_CREATE", q)
	checkPartial(t, hs.fake.next(t, "message").JSON)
	for {
		if c := hs.fake.next(t, "message-edit"); isFinal(c.JSON) {
			if c.Status != http.StatusNotFound {
				t.Fatalf("final edit answered %d, want the fake's 404", c.Status)
			}
			break
		}
	}
	again := hs.fake.next(t, "message")
	checkGenerated(t, again.JSON)
	if ref, _ := again.JSON["message_reference"].(map[string]any); ref["message_id"] != q["id"] {
		t.Errorf("final answer sent with message_reference %v, want a reply to %v", ref, q["id"])
	}
	hs.settle()
	if n := hs.fake.count("message"); n != 2 {
		t.Errorf("%d messages posted, want 2: the partial answer, then the final one", n)
	}
}

func TestStreamedNewsFinalEditFailsSendsFollowUp(t *testing.T) {
	hs := start(t, streamingCore(t, streamed(bothAnswer)), setup{opt: httpOptions(),
		fake: func(f *fakeDiscord) { f.failFinal.Store(http.StatusNotFound) }})
	checkPartial(t, dataOf(t, hs.respond(command("7831", bothQuestion))))
	fu := hs.fake.next(t, "followup")
	if want := "/api/v9/webhooks/" + testAppID + "/tok-7831"; fu.Path != want {
		t.Errorf("follow-up at %s, want %s", fu.Path, want)
	}
	checkGenerated(t, fu.JSON)
}

func TestStreamedAfterDeferral(t *testing.T) {
	opt := httpOptions()
	opt.Ephemeral = true
	hs := start(t, streamingCore(t, streamed(bothAnswer)), setup{opt: opt, tune: func(a *Adapter) { a.direct = 0 },
		fake: func(f *fakeDiscord) { f.limitEdits.Store(1) }})
	resp := hs.respond(command("7851", bothQuestion))
	if resp["type"] != 5.0 || dataOf(t, resp)["flags"] != float64(discordgo.MessageFlagsEphemeral) {
		t.Fatalf("HTTP response %v, want an ephemeral deferral (type 5): the model had not written anything yet", resp)
	}
	partials, final := collectEdits(t, hs, "edit")
	if len(partials) < 2 || partials[0].Status != http.StatusTooManyRequests {
		t.Fatalf("%d partial answers, want several, the first refused with 429", len(partials))
	}
	var texts []string
	for _, p := range partials[1:] {
		texts = append(texts, checkPartial(t, p.JSON))
	}
	checkGrowing(t, texts)
	checkGenerated(t, final.JSON)
}
