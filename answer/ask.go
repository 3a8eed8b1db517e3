package answer

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/byline-news/byline/retrieval"
)

// Searcher finds paragraphs: what Ask needs of an index.
type Searcher interface {
	Search(ctx context.Context, q retrieval.Query) ([]retrieval.Hit, error)
}

// Request is one question for Ask. `byline ask`, the chat bot and `byline
// eval` fill it in and call Ask, so the answer a user gets in chat is the
// answer that is measured.
type Request struct {
	// Question is the question as it is to be answered: a chat follow-up
	// ("what did he deny?") already resolved by the caller.
	Question string
	// Context is words from earlier turns of a conversation that the
	// search adds to the question's own ("Liang cyber attacks"); they
	// are not the question, so the answer is not picked by them. Time
	// words in Context apply when Question has none.
	Context string
	// Now reads relative time words ("yesterday", "last week"). Zero
	// means no time words are read.
	Now time.Time
	// Since and Until bound the publication date strictly (articles
	// without a date are excluded); time words are then not read.
	Since, Until time.Time

	K       int     // paragraphs retrieved; 0 means DefaultK
	Options Options // the extractive answer's options (Corpus, MinConfidence…)

	// Model writes the answer from the passages when set, with the
	// extractive answer as the fallback; nil means extractive answers.
	Model Generator
	Gen   GenOptions
}

// rarer is the optional part of a Searcher that knows how rare each
// term is in the whole index (sqlite.Index.Rarity), which tells the
// answer which of the question's words matter.
type rarer interface {
	Rarity(ctx context.Context, terms []string) (map[string]float64, error)
}

// DefaultK is how many paragraphs Ask retrieves by default.
const DefaultK = 5

// Ask answers req from s: it reads time words into a date filter,
// searches, and answers extractively or with req.Model (the extractive
// answer stays the fallback). An error means the search failed; an
// answer that cannot be given is an Answer with Abstained set.
func Ask(ctx context.Context, s Searcher, req Request) (Answer, error) {
	q, tr := plan(req)
	hits, err := s.Search(ctx, q)
	if err != nil && !errors.Is(err, retrieval.ErrEmptyQuery) {
		return Answer{}, fmt.Errorf("search: %w", err)
	}
	text := tr.ExtractText(req.Question, hits)
	opt := req.Options
	if r, ok := s.(rarer); ok && len(hits) > 0 {
		// Without it the answer estimates rarity from the hits alone.
		opt.rarity, _ = r.Rarity(ctx, parseQuestion(text).terms)
	}
	var ans Answer
	if req.Model == nil {
		ans = Extract(text, hits, opt)
	} else {
		gen := req.Gen
		if gen.Now.IsZero() {
			gen.Now = req.Now
		}
		ans, ans.Fallback = Generate(ctx, req.Model, text, hits, opt, gen)
	}
	ans.Question = req.Question
	return ans, nil
}

// plan builds the search for req. Relative time words ("yesterday")
// become a filter that undated articles pass, and leave the searched
// text, since no paragraph contains them; a named year or month ("in
// 2004") stays searched, since undated articles can match it only by
// words. Strict bounds from the caller replace time words.
func plan(req Request) (retrieval.Query, retrieval.TimeRange) {
	k := req.K
	if k <= 0 {
		k = DefaultK
	}
	q := retrieval.Query{Text: joinWords(req.Question, req.Context), K: k, Since: req.Since, Until: req.Until}
	if !req.Since.IsZero() || !req.Until.IsZero() || req.Now.IsZero() {
		return q, retrieval.TimeRange{}
	}
	tr, ok := retrieval.ParseTimeRange(req.Question, req.Now)
	own := ok
	if !ok {
		tr, ok = retrieval.ParseTimeRange(req.Context, req.Now)
	}
	if !ok {
		return q, retrieval.TimeRange{}
	}
	q.Since, q.Until, q.KeepUndated = tr.Since, tr.Until, true
	question, context := req.Question, req.Context
	if !tr.Named {
		if own {
			question = tr.WithoutPhrase(question)
		} else {
			context = tr.WithoutPhrase(context)
		}
	}
	q.Text = joinWords(question, context)
	return q, tr
}

func joinWords(a, b string) string { return strings.TrimSpace(a + " " + b) }
