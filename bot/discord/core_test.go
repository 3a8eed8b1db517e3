package discord

import (
	"context"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/byline-news/byline/bot"
	"github.com/byline-news/byline/retrieval"
)

// fakeCore is a conversation core with canned replies: help, an
// abstention for the snooker question, an answer quoting pings for
// "alerts", an enormous answer for "budget speech", and otherwise Liang's
// denial from the Pentagon story; a follow-up's reply names the earlier
// question it used. It records what it was asked and the feedback.
type fakeCore struct {
	gate    chan struct{} // when set, Handle waits for it to close
	entered chan struct{} // signalled as Handle starts, when gate is set

	mu       sync.Mutex
	asked    []bot.Message
	feedback []bot.Feedback
}

var _ Handler = (*fakeCore)(nil)

func newFakeCore() *fakeCore { return &fakeCore{} }

// gated makes Handle wait until release is called.
func (c *fakeCore) gated() *fakeCore {
	c.gate, c.entered = make(chan struct{}), make(chan struct{}, 8)
	return c
}

func (c *fakeCore) release() { close(c.gate) }

func (c *fakeCore) Handle(ctx context.Context, m bot.Message) bot.Reply {
	c.mu.Lock()
	c.asked = append(c.asked, m)
	c.mu.Unlock()
	if c.gate != nil {
		c.entered <- struct{}{}
		select {
		case <-c.gate:
		case <-ctx.Done():
			return bot.Reply{Kind: bot.KindError, Question: m.Text, Text: "Sorry, that took me too long to look up."}
		}
	}
	q := strings.ToLower(m.Text)
	switch {
	case q == "" || q == "help":
		return bot.Reply{Kind: bot.KindHelp, Question: m.Text, Text: "Ask me a question about the news."}
	case strings.Contains(q, "snooker"):
		// An abstention shows the closest story, as the core does.
		return bot.Reply{Kind: bot.KindAbstained, Question: m.Text, Text: "I couldn't find a clear answer in the 3 articles I have indexed.",
			Sources: []bot.Source{{N: 1, Hit: retrieval.Hit{Article: pentagonArticle, Text: "Liang Guanglie denied that China was behind the cyber attacks."}}}}
	case strings.Contains(q, "alerts"):
		return answerFrom(m.Text, alertsArticle, "Workers disliked @everyone and @here alerts, and pings such as <@123>, most. [1]")
	case strings.Contains(q, "budget speech"):
		return longReply(m.Text)
	}
	text := "Liang Guanglie denied that China was behind the cyber attacks. [1]"
	if prev := lastQuestion(m.History); prev != "" {
		text = "Following up on “" + prev + "”: Panetta said not all attacks could be attributed to China. [1]"
	}
	return answerFrom(m.Text, pentagonArticle, text)
}

func (c *fakeCore) SaveFeedback(_ context.Context, f bot.Feedback) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.feedback = append(c.feedback, f)
	return nil
}

func (c *fakeCore) questions() []bot.Message {
	c.mu.Lock()
	defer c.mu.Unlock()
	return slices.Clone(c.asked)
}

func (c *fakeCore) feedbacks() []bot.Feedback {
	c.mu.Lock()
	defer c.mu.Unlock()
	return slices.Clone(c.feedback)
}

// lastQuestion is the latest question a person asked in history.
func lastQuestion(history []bot.Turn) string {
	for _, t := range slices.Backward(history) {
		if !t.FromBot {
			return t.Text
		}
	}
	return ""
}

var pentagonArticle = retrieval.Article{
	ID: "a-pentagon", URL: "https://example.com/world/pentagon-cyber-talks", Outlet: "Test Wire",
	Title:     "China's defence minister rejects blame for cyber attacks",
	Published: time.Date(2012, time.May, 7, 18, 0, 0, 0, time.UTC),
}

var alertsArticle = retrieval.Article{
	ID: "a-alerts", URL: "https://example.com/work/alerts?id=7&src=rss", Outlet: "Test Gazette",
	Title:     "Why @everyone and <@123> alerts exhaust remote teams",
	Published: time.Date(2024, time.March, 5, 9, 0, 0, 0, time.UTC),
}

// answerFrom is an answer citing one paragraph of a, the answer's text.
func answerFrom(question string, a retrieval.Article, text string) bot.Reply {
	return bot.Reply{Kind: bot.KindAnswer, Question: question, Text: text, Sources: []bot.Source{{
		N: 1, Hit: retrieval.Hit{Article: a, Text: strings.TrimSuffix(text, " [1]")},
	}}}
}

// longReply is far over every Discord limit: a huge text and twelve
// sources with long titles and paragraphs.
func longReply(question string) bot.Reply {
	r := bot.Reply{Kind: bot.KindAnswer, Question: question,
		Text: strings.Repeat("The budget speech turns to research & development, **towns** and cities. ", 200)}
	for i := range 12 {
		a := retrieval.Article{ID: "a-speech", URL: "https://example.com/speech?(part)=" + strings.Repeat("x", 300),
			Outlet: strings.Repeat("HM Treasury ", 20), Title: strings.Repeat("Full text of the budget speech ", 20),
			Published: time.Date(2024, time.March, 6, 12, 0, 0, 0, time.UTC)}
		r.Sources = append(r.Sources, bot.Source{N: i + 1, Hit: retrieval.Hit{Article: a,
			Text: strings.Repeat("Madam Deputy Speaker, the budget turns to research & development. ", 60)}})
	}
	return r
}
