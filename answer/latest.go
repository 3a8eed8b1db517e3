package answer

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strings"

	"github.com/byline-news/byline/retrieval"
	"github.com/byline-news/byline/retrieval/analysis"
)

// latestOn matches a question that asks for the latest on a topic, as
// people ask it in chat: "what's the latest on the tunnel?", "any news
// about Yukos?", "whats new with EMI", "updates on the kelp?", "and the
// latest on…" in a thread, "what's going on with the tunnel?" (goingOn).
// The phrase must open the question (after a greeting): "who is the new
// chief?" and "what did the Pentagon news conference say?" ask about
// something else, as does "developments in which field…?".
var latestOn = regexp.MustCompile(opening + `(?:` +
	`(?:(?:what'?s|whats|what\s+is|what\s+are)\s+(?:the\s+)?|(?:any|anything|got\s+any|are\s+there\s+any|is\s+there\s+any)\s+|(?:give|get|tell|show)\s+me\s+(?:the\s+)?)?` +
	`(?:latest|newest|most\s+recent|recent\s+news|updates?|news|developments|new)\s+` +
	`(?:on|about|with|from|regarding|re|for|in|at)\s+|` + goingOn + `)` +
	`(?:(?:which|what|who|whom|whose|when|where|why|how)\b|(.+))`)

// goingOn matches the idioms that ask how a story stands: "what's going
// on with the tunnel?", "what's up with EMI", "what's the deal with the
// phishing emails", "anything on Google's IPO?". ("What happened with
// X" is left out: as often it asks for one event, "what happened with
// the ground water level with the Rhine straightening program?")
const goingOn = `(?:(?:what'?s|whats|what\s+is)\s+(?:going\s+on|happening|up|the\s+(?:deal|story|situation))|anything)\s+` +
	`(?:with|on|about|regarding|re|at|in)\s+`

// topicOf returns the topic of a question that asks for the latest on
// one ("the harbour tunnel") or when its stories ran (storyWhen), or of a
// message that is nothing but a topic (bareTopic); "" for any other
// question. Time words are read before: "any news on the tunnel today?"
// asks about the tunnel today.
func topicOf(question string) string {
	m := latestOn.FindStringSubmatch(question)
	if m == nil {
		m = storyWhen.FindStringSubmatch(question)
	}
	if m == nil {
		return bareTopic(question)
	}
	return tidyTopic(m[1])
}

// bareTopic returns the topic of a message that names one and asks
// nothing ("tunnel???", "the tunnel", "Liang Guanglie", "EMI"): in chat
// it asks what there is on it, as "/news brexit" does, and the newest
// stories about it say more than any one sentence that holds the word.
// It is one word, or a name of up to four capitalised words, "the"
// before either; "" for anything else. Two lower-case words ("tunnel
// cost", "liang deny") are left to the answer: they read as a question
// put in keywords, and a thread's follow-up ("Panetta?") comes here with
// the earlier question's words added ("Panetta? deny").
func bareTopic(message string) string {
	if strings.ContainsAny(strings.TrimRight(message, "?!. "), "?!") {
		return "" // "Panetta? Liang Guanglie": a follow-up with borrowed words
	}
	toks := analysis.Tokens(message)
	if len(toks) > 0 && toks[0].Word == "the" {
		toks = toks[1:]
	}
	if len(toks) == 0 || len(toks) > maxNameWords {
		return ""
	}
	for _, t := range toks {
		if t.Stop || len(toks) > 1 && !t.Cap {
			return ""
		}
	}
	return tidyTopic(message)
}

// maxNameWords is the most words a name given as a bare topic may have
// ("Liang Guanglie", "Bank of England" has a stop word and is no bare
// topic, "Leon E Panetta").
const maxNameWords = 4

// storyWhen matches a question that asks when stories about a topic ran
// ("when was the cyber attacks story?", "when were the kelp articles
// published?"): the newest stories about it, each with its date, answer
// it. "When did X publish its article" asks about an event the text
// tells, and is left alone.
var storyWhen = regexp.MustCompile(opening + `when\s+(?:was|were)\s+(.+?)\s+(?:story|stories|article|articles|piece)` +
	`(?:\s+(?:published|written|out|run|printed))?[\s?!.]*$`)

// tidyTopic returns a topic as it is to be shown, without the stop
// words that end it ("the liang story pls"), or "" when it names
// nothing but news ("the latest on the news?").
func tidyTopic(s string) string {
	words := strings.Fields(strings.TrimRight(s, " ?!."))
	for len(words) > 0 && analysis.IsStop(strings.ToLower(strings.Trim(words[len(words)-1], "?!.,"))) {
		words = words[:len(words)-1]
	}
	topic := strings.TrimRight(strings.Join(words, " "), " ?!.,")
	if len(topicTerms(topic)) == 0 {
		return ""
	}
	return topic
}

// topicTerms are the terms of topic that name it: not words that ask
// for news ("the kelp story", "the EMI news").
func topicTerms(topic string) []string {
	var out []string
	for _, t := range parseQuestion(topic).terms {
		if !digestWords[t] {
			out = append(out, t)
		}
	}
	return out
}

// topicK is how many paragraphs a topic's digest searches: enough to
// find the topic's stories of several days, which it then orders by
// date.
const topicK = 30

// topicDigest answers a question that asks for the latest on a topic
// with the newest stories about it, newest first, each cited with its
// best paragraph. A story is about the topic when its best paragraph and
// title hold as many of the topic's words as the best-matched story's
// do (see onTopic): a story that only shares "harbour" is not about "the
// harbour tunnel". ok is false when no story is about it; the question
// is then answered as any other.
// A summary request ("tl;dr the tunnel") cites each story's opening
// paragraph instead, where news sums itself up, when s can read it.
func topicDigest(ctx context.Context, s Searcher, q retrieval.Query, tr retrieval.TimeRange, topic string, summary bool) (Answer, bool, error) {
	q.Text, q.K = topic, max(q.K, topicK)
	hits, err := s.Search(ctx, q)
	if err != nil {
		return Answer{}, false, fmt.Errorf("search %q: %w", topic, err)
	}
	stories := onTopic(hits, topicTerms(topic))
	if len(stories) == 0 {
		return Answer{}, false, nil
	}
	slices.SortStableFunc(stories, func(a, b retrieval.Hit) int {
		return b.Article.Published.Compare(a.Article.Published) // undated last
	})
	if len(stories) > digestSize {
		stories = stories[:digestSize]
	}
	if summary {
		if stories, err = leads(ctx, s, stories); err != nil {
			return Answer{}, false, err
		}
	}
	ans := Answer{Digest: true, Filtered: !q.Since.IsZero() || !q.Until.IsZero(),
		Text: "The latest on " + topic + rangeText(q, tr) + ":"}
	for i, h := range stories {
		ans.Sources = append(ans.Sources, Source{N: i + 1, Hit: h})
	}
	return ans, true, nil
}

// articleReader is the optional part of a Searcher that reads an
// article with its paragraphs (sqlite.Index.Article).
type articleReader interface {
	Article(ctx context.Context, id string) (retrieval.Article, error)
}

// leads replaces each of stories with its story's opening paragraph,
// when s can read it and the story has one.
func leads(ctx context.Context, s Searcher, stories []retrieval.Hit) ([]retrieval.Hit, error) {
	r, ok := s.(articleReader)
	if !ok {
		return stories, nil
	}
	out := slices.Clone(stories)
	for i, h := range out {
		if h.Paragraph == 0 || h.Article.ID == "" {
			continue
		}
		a, err := r.Article(ctx, h.Article.ID)
		if errors.Is(err, retrieval.ErrNotFound) || err == nil && len(a.Paragraphs) == 0 {
			continue // deleted since it was found
		}
		if err != nil {
			return nil, fmt.Errorf("opening paragraph of %s: %w", h.Article.ID, err)
		}
		lead := leadHit(a)
		lead.Article, lead.Score, lead.AlsoCarriedBy = h.Article, h.Score, h.AlsoCarriedBy
		out[i] = lead
	}
	return out, nil
}

// leadHit is a's opening paragraph as a hit (its title when it has
// none), with the paragraph after it.
func leadHit(a retrieval.Article) retrieval.Hit {
	h := retrieval.Hit{Text: a.Title}
	if len(a.Paragraphs) > 0 && a.Paragraphs[0] != "" {
		h.Text = a.Paragraphs[0]
	}
	if len(a.Paragraphs) > 1 {
		h.After = a.Paragraphs[1]
	}
	a.Paragraphs = nil // a Hit's article leaves them out
	h.Article = a
	return h
}

// onTopic returns the best hit of each story whose best hit, with its
// title, holds the most of terms that any does; none unless that is at
// least two-thirds of them (of two words, both): a story that only
// shares "strike" is not news of "the ferry strike". Hits come best
// first, so each story's first is its best.
func onTopic(hits []retrieval.Hit, terms []string) []retrieval.Hit {
	seen := map[string]bool{}
	var best []retrieval.Hit
	var held []int
	most := 0
	for _, h := range hits {
		k := articleKey(&h)
		if seen[k] {
			continue
		}
		seen[k] = true
		has := map[string]bool{}
		for _, t := range analysis.Tokens(h.Article.Title + "\n" + h.Text) {
			has[t.Term] = true
			if t.Joined != "" { // "wifi" of "Wi-Fi", as search found it
				has[t.Joined] = true
			}
		}
		n := 0
		for _, t := range terms {
			if has[t] {
				n++
			}
		}
		best, held, most = append(best, h), append(held, n), max(most, n)
	}
	if most == 0 || 3*most < 2*len(terms) {
		return nil
	}
	var out []retrieval.Hit
	for i, h := range best {
		if held[i] == most {
			out = append(out, h)
		}
	}
	return out
}

// hits are the paragraphs a's sources cite.
func (a Answer) hits() []retrieval.Hit {
	out := make([]retrieval.Hit, len(a.Sources))
	for i, s := range a.Sources {
		out[i] = s.Hit
	}
	return out
}
