package slack

import (
	"cmp"
	"context"
	"slices"
	"strings"
	"sync"
	"time"
	"unicode"

	"github.com/byline-news/byline/bot"
	"github.com/byline-news/byline/retrieval"
)

// newsHandler is a small conversation core with real behaviour: it
// answers from a fixed list of articles by word overlap, cites them as
// bot.Source built from retrieval.Hit, uses a thread's earlier human
// turns for follow-ups, abstains when nothing matches, and keeps feedback.
type newsHandler struct {
	articles []retrieval.Article
	words    [][]map[string]bool // per article, per paragraph
	limited  map[string]bool     // users over their rate limit
	gate     chan struct{}       // when set, Handle waits for it to close
	entered  chan struct{}       // signalled as Handle starts, when gate is set

	mu       sync.Mutex
	asked    []bot.Message
	feedback []bot.Feedback
}

func newNewsHandler() *newsHandler {
	h := &newsHandler{articles: testArticles(), limited: map[string]bool{}}
	for _, a := range h.articles {
		var ws []map[string]bool
		for _, p := range a.Paragraphs {
			ws = append(ws, words(p))
		}
		h.words = append(h.words, ws)
	}
	return h
}

var _ Handler = (*newsHandler)(nil)

func (h *newsHandler) Handle(ctx context.Context, m bot.Message) bot.Reply {
	h.mu.Lock()
	h.asked = append(h.asked, m)
	h.mu.Unlock()
	if h.gate != nil {
		h.entered <- struct{}{}
		select {
		case <-h.gate:
		case <-ctx.Done():
			return bot.Reply{Kind: bot.KindError, Question: m.Text, Text: "Sorry, that took me too long to look up."}
		}
	}
	q := strings.TrimSpace(m.Text)
	switch {
	case q == "" || strings.EqualFold(q, "help"):
		return bot.Reply{Kind: bot.KindHelp, Question: q, Text: "Ask me a question about the news and I'll answer in a sentence or two, quoting the articles I found it in."}
	case h.limited[m.User]:
		return bot.Reply{Kind: bot.KindRateLimited, Question: q, RetryAfter: time.Minute,
			Text: "You're asking faster than I can read. Please try again in a minute."}
	}
	question := withContext(q, m.History)
	hits := h.search(question)
	if strings.Contains(question, "snooker") {
		// An abstention shows the closest stories, as the core does.
		a := h.articles[0]
		return bot.Reply{Kind: bot.KindAbstained, Question: question,
			Text:    "I couldn't find a clear answer in the 4 articles I have indexed.",
			Sources: []bot.Source{{N: 1, Hit: retrieval.Hit{Article: a, Text: a.Paragraphs[0]}}}}
	}
	if len(hits) == 0 {
		return bot.Reply{Kind: bot.KindAbstained, Question: question,
			Text: "I couldn't find that in the 4 articles I have indexed."}
	}
	var srcs []bot.Source
	for i, hit := range hits {
		srcs = append(srcs, bot.Source{N: i + 1, Hit: hit})
	}
	return bot.Reply{Kind: bot.KindAnswer, Question: question, Text: hits[0].Text + " [1]", Sources: srcs}
}

func (h *newsHandler) SaveFeedback(ctx context.Context, f bot.Feedback) error {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.feedback = append(h.feedback, f)
	return nil
}

// questions returns the messages Handle received so far.
func (h *newsHandler) questions() []bot.Message {
	h.mu.Lock()
	defer h.mu.Unlock()
	return slices.Clone(h.asked)
}

func (h *newsHandler) feedbacks() []bot.Feedback {
	h.mu.Lock()
	defer h.mu.Unlock()
	return slices.Clone(h.feedback)
}

// withContext prefixes a follow-up with the thread's last human question.
func withContext(q string, history []bot.Turn) string {
	for i := len(history) - 1; i >= 0; i-- {
		if !history[i].FromBot {
			return history[i].Text + " " + q
		}
	}
	return q
}

// search returns the best paragraph of each matching article, best first,
// at most two.
func (h *newsHandler) search(question string) []retrieval.Hit {
	terms := words(question)
	var hits []retrieval.Hit
	for ai, a := range h.articles {
		best := retrieval.Hit{}
		for i, p := range a.Paragraphs {
			if s := overlap(terms, h.words[ai][i]); s > best.Score {
				best = retrieval.Hit{Paragraph: i, Text: p, Score: s}
				if i > 0 {
					best.Before = a.Paragraphs[i-1]
				}
				if i+1 < len(a.Paragraphs) {
					best.After = a.Paragraphs[i+1]
				}
			}
		}
		if best.Score > 0 {
			best.Article = a
			best.Article.Paragraphs = nil
			hits = append(hits, best)
		}
	}
	slices.SortStableFunc(hits, func(x, y retrieval.Hit) int { return cmp.Compare(y.Score, x.Score) })
	if len(hits) > 1 && hits[1].Score < hits[0].Score/2 {
		hits = hits[:1]
	}
	return hits[:min(len(hits), 2)]
}

var stopWords = map[string]bool{"what": true, "with": true, "that": true, "this": true, "about": true,
	"were": true, "which": true, "from": true, "have": true, "does": true, "there": true, "their": true, "they": true}

// words are a text's distinct lower-case words of four letters or more.
func words(s string) map[string]bool {
	out := map[string]bool{}
	for _, w := range strings.FieldsFunc(strings.ToLower(s), func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) }) {
		if len(w) >= 4 && !stopWords[w] {
			out[w] = true
		}
	}
	return out
}

func overlap(q, p map[string]bool) float64 {
	n := 0
	for w := range q {
		if p[w] {
			n++
		}
	}
	return float64(n)
}

func day(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 12, 0, 0, 0, time.UTC) }

// testArticles is the fixed index: two ordinary stories, one quoting
// Slack's mention syntax, and one very long speech.
func testArticles() []retrieval.Article {
	return []retrieval.Article{{
		ID: "a-boe", URL: "https://www.bbc.co.uk/news/business-68184414", Outlet: "BBC News",
		Title: "Bank of England holds interest rates at 5.25%", Published: day(2024, time.February, 1),
		Paragraphs: []string{
			"The Bank of England has held interest rates at 5.25% for the fourth time in a row, but signalled that cuts could come later this year.",
			"Governor Andrew Bailey said inflation was falling faster than expected, but warned it was too early to cut rates.",
		},
	}, {
		ID: "a-ercot", URL: "https://www.reuters.com/business/energy/texas-power-demand-record-2023-08-10/", Outlet: "Reuters",
		Title: "Texas power demand hits record as heatwave grips state", Published: day(2023, time.August, 10),
		Paragraphs: []string{
			"Power demand in Texas hit an all-time high on Thursday as a heatwave pushed air-conditioning use to record levels, grid operator ERCOT said.",
			"ERCOT asked consumers to conserve electricity during the evening peak.",
		},
	}, {
		ID: "a-pings", URL: "https://example.com/work/notifications?id=7&src=rss", Outlet: "Example <Daily>",
		Title: "Why <!channel> & @here alerts exhaust remote teams", Published: day(2024, time.March, 5),
		Paragraphs: []string{
			"A survey of remote workers found that <!channel>, @here and direct pings such as <@U123> sent outside office hours " +
				"were the most disliked notifications, ahead of <!subteam^S42|@editors> and @everyone blasts.",
		},
	}, {
		ID: "a-speech", Outlet: "HM Treasury", Title: "Full text of the budget speech", Published: day(2024, time.March, 6),
		Paragraphs: []string{longSpeech()},
	}}
}

// longSpeech is one enormous paragraph, with line breaks and ampersands,
// far over every Slack limit.
func longSpeech() string {
	var b strings.Builder
	for i := 0; b.Len() < 180_000; i++ {
		b.WriteString("Madam Deputy Speaker, the budget speech turns to research & development, and to the support we give to towns & cities. ")
		if i%40 == 39 {
			b.WriteString("\n\n")
		}
	}
	return b.String()
}
