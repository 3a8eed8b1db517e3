package answer

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/byline-news/byline/retrieval"
	"github.com/byline-news/byline/retrieval/analysis"
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
	// Scope limits the search, and a digest of the latest stories, to
	// some outlets, feeds and categories (a chat channel's sources); the
	// zero Scope is everything.
	Scope retrieval.Scope

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

// rarities asks r how rare each of q's terms is in the whole index. A
// term read from an irregular verb form ("sent" as "send", see tokens)
// is as rare as the commoner of the two, since the index holds the form
// as written: a question with "sent" over stories that say "sent" and
// never "send" is not asking about a word no article has. Nor is one
// that asks what an email would "hide" of stories that only say
// "hidden": a verb no article has is as rare as the commonest of its
// other forms (analysis.VerbForms) that some article has.
func rarities(ctx context.Context, r rarer, q *question) (map[string]float64, error) {
	asked := slices.Clone(q.terms)
	written := map[string]string{} // base term → the term as written
	for _, t := range q.toks {
		if w := analysis.Stem(t.Word); !t.Stop && w != t.Term && !q.has[w] && written[t.Term] == "" {
			written[t.Term] = w
		}
	}
	forms := map[string][]string{} // a question term → its other forms
	for _, t := range q.terms {
		for _, f := range append(analysis.VerbForms(t), written[t]) {
			if f != "" && !q.has[f] && !slices.Contains(forms[t], f) {
				forms[t] = append(forms[t], f)
				asked = append(asked, f)
			}
		}
	}
	rare, err := r.Rarity(ctx, asked)
	if err != nil {
		return nil, err
	}
	for t, fs := range forms {
		unknown := rare[t] >= unknownRarity
		for _, f := range fs {
			if v, ok := rare[f]; ok && v < rare[t] && (unknown || f == written[t]) {
				rare[t] = v
			}
		}
	}
	for _, fs := range forms {
		for _, f := range fs {
			delete(rare, f) // asked only for t's sake
		}
	}
	return rare, nil
}

// DefaultK is how many paragraphs Ask retrieves by default.
const DefaultK = 5

// Ask answers req from s: it reads time words into a date filter,
// searches, and answers extractively or with req.Model (the extractive
// answer stays the fallback). A question that links to an indexed story
// is answered from that story when its words are found there. An error
// means the search failed; an answer that cannot be given is an Answer
// with Abstained set.
func Ask(ctx context.Context, s Searcher, req Request) (Answer, error) {
	asked := req.Question
	question, links := CutLinks(req.Question)
	found, missing, err := linkedStories(ctx, s, links)
	if err != nil {
		return Answer{}, err
	}
	if ans, ok := storyReply(question, found, missing); ok {
		ans.Question = asked
		return ans, nil
	}
	if len(links) == 0 && Reaction(question) {
		return Answer{Question: asked, Abstained: true, Reason: reactionReason}, nil
	}
	summary := asksSummary(unshout(question))
	context, linked := CutLinks(req.Context)
	links = append(links, linked...)
	typed := asTyped(question)
	req.Question, req.Context = typed, unabbreviate(unshout(context))
	sp, spells := s.(speller)
	var fixes map[string]string
	var kept map[string]bool
	if spells {
		var err error
		if fixes, kept, err = misspelt(ctx, sp, joinWords(req.Question, req.Context)); err != nil {
			return Answer{}, err
		}
		req.Question, req.Context = without(rewrite(req.Question, fixes), kept), without(rewrite(req.Context, fixes), kept)
	}
	q, tr := req.plan()
	q.Spelt = spells
	if r, ok := s.(recenter); ok && asksLatest(req.Question, tr) {
		return digest(ctx, r, req, q, tr)
	}
	topic := topicOf(tr.WithoutPhrase(req.Question))
	if summary && topic == "" {
		topic = tidyTopic(tr.WithoutPhrase(req.Question)) // what is left once "tl;dr" is set aside
	}
	if topic != "" {
		ans, ok, err := topicDigest(ctx, s, q, tr, topic, summary)
		if err != nil || ok {
			ans.Question, ans.Corrected = asked, shownCorrected(asked, fixes, ans.hits())
			return ans, err
		}
	}
	k := q.K
	if len(links) > 0 {
		q.K = max(k, linkedK)
	}
	hits, err := s.Search(ctx, q)
	if err != nil && !errors.Is(err, retrieval.ErrEmptyQuery) {
		return Answer{}, fmt.Errorf("search: %w", err)
	}
	hits = fromLinked(hits, links, k)
	missing = notAmong(missing, hits)
	corrected := shownCorrected(asked, fixes, hits)
	if len(fixes)+len(kept) > 0 {
		req.Question = without(rewrite(typed, fixes), kept)
	}
	text := tr.ExtractText(req.Question, hits)
	opt := req.Options
	if r, ok := s.(rarer); ok {
		// Without it the answer estimates rarity from the hits alone.
		// With no hits it still tells which words no article has.
		opt.rarity, _ = rarities(ctx, r, parseQuestion(text))
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
	ans.Question, ans.Corrected = asked, corrected
	ans.Filtered = !q.Since.IsZero() || !q.Until.IsZero()
	if ans.Abstained && ans.Filtered && len(hits) == 0 {
		ans.Reason = emptyRangeReason(ctx, s, q, tr)
	}
	if len(missing) > 0 {
		ans.Note = strings.TrimSpace(unindexedNote(missing) + "; this is from other stories. " + ans.Note)
	}
	return ans, nil
}

// shownCorrected is the question as asked with fixes applied, in words
// the hits write (surfaceForms), for Answer.Corrected; "" when fixes
// change none of its words (a thread's context words may be all they
// corrected).
func shownCorrected(asked string, fixes map[string]string, hits []retrieval.Hit) string {
	if len(fixes) == 0 {
		return ""
	}
	surfaceForms(fixes, hits)
	if shown := rewrite(asked, fixes); shown != asked {
		return shown
	}
	return ""
}

// recenter is the optional part of a Searcher that lists the newest
// stories of a date range within a scope (engine.Index.RecentIn).
type recenter interface {
	RecentIn(ctx context.Context, scope retrieval.Scope, since, until time.Time, n int) ([]retrieval.Hit, error)
}

// digestSize is how many stories a digest lists.
const digestSize = 5

// asksLatest reports whether a question asks only what is new, in a time
// range or at all ("what happened last week?", "what's new?", "any news
// today?"): once its time words are set aside, it names nothing but news
// itself.
func asksLatest(question string, tr retrieval.TimeRange) bool {
	q := parseQuestion(tr.WithoutPhrase(question))
	newsy := tr.Phrase != ""
	for _, t := range q.terms {
		if !digestWords[t] {
			return false
		}
		newsy = newsy || latestWords[t]
	}
	return newsy
}

// digestWords are the stems of words that ask for news without naming
// any; latestWords those that ask for the newest even without a date.
var (
	digestWords = stems("news", "happen", "happened", "happening", "new", "latest", "story", "stories",
		"headline", "headlines", "update", "updates", "going", "top", "recent", "lately", "anything", "today")
	latestWords = stems("new", "latest", "headline", "headlines", "recent", "lately", "update", "updates")
)

// digest answers a question that asks only what is new with the newest
// stories of its date range, each as a source with its date and link.
func digest(ctx context.Context, r recenter, req Request, q retrieval.Query, tr retrieval.TimeRange) (Answer, error) {
	hits, err := r.RecentIn(ctx, q.Scope, q.Since, q.Until, digestSize)
	if err != nil {
		return Answer{}, fmt.Errorf("latest stories: %w", err)
	}
	ans := Answer{Question: req.Question, Digest: true, Filtered: !q.Since.IsZero() || !q.Until.IsZero()}
	when := rangeText(q, tr)
	if len(hits) == 0 {
		ans.Abstained, ans.Reason = true, "I have no dated articles"+when+"."
		return ans, nil
	}
	ans.Text = fmt.Sprintf("The %s%s:", plural(len(hits), "latest story", "latest stories"), when)
	for i, h := range hits {
		ans.Sources = append(ans.Sources, Source{N: i + 1, Hit: h})
	}
	return ans, nil
}

// emptyRangeReason says why a question under a date filter found
// nothing: the range held no articles at all, or none that match.
func emptyRangeReason(ctx context.Context, s Searcher, q retrieval.Query, tr retrieval.TimeRange) string {
	when := rangeText(q, tr)
	if r, ok := s.(recenter); ok {
		if hits, err := r.RecentIn(ctx, q.Scope, q.Since, q.Until, 1); err == nil && len(hits) == 0 {
			return "I have no articles" + when + ", so I can't answer that for then."
		}
	}
	return "I couldn't find that in the articles" + when + "."
}

// rangeText words a query's date range for a reply: " from last week"
// when time words set it, else its bounds (" published since 1 November
// 2026").
func rangeText(q retrieval.Query, tr retrieval.TimeRange) string {
	const day = "2 January 2006"
	switch {
	case tr.Phrase != "":
		p := capitalDates(strings.ToLower(tr.Phrase))
		first, _, _ := strings.Cut(p, " ")
		switch {
		case first == "in" || first == "on" || first == "during" || first == "since" || first == "over" || first == "from":
			return " " + p
		case (first == "past" || first == "last") && strings.ContainsAny(p, "0123456789"):
			return " from the " + p
		}
		return " from " + p
	case !q.Since.IsZero() && !q.Until.IsZero():
		return " published between " + q.Since.Format(day) + " and " + q.Until.Add(-time.Second).Format(day)
	case !q.Since.IsZero():
		return " published since " + q.Since.Format(day)
	case !q.Until.IsZero():
		return " published before " + q.Until.Format(day)
	}
	return ""
}

// capitalDates capitalises the months and days of p, a time phrase in
// lower case, as English writes them ("in october" reads "in October").
func capitalDates(p string) string {
	words := strings.Split(p, " ")
	for i, w := range words {
		if months[w] || days[w] {
			words[i] = strings.ToUpper(w[:1]) + w[1:]
		}
	}
	return strings.Join(words, " ")
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return Thousands(n) + " " + many
}

// Query is the search Ask makes for r.
func (r Request) Query() retrieval.Query {
	q, _ := r.plan()
	return q
}

// plan builds the search for req. Relative time words ("yesterday")
// become a filter that undated articles pass, and leave the searched
// text, since no paragraph contains them; a named year or month ("in
// 2004") stays searched, since undated articles can match it only by
// words. Strict bounds from the caller replace time words.
func (req Request) plan() (retrieval.Query, retrieval.TimeRange) {
	k := req.K
	if k <= 0 {
		k = DefaultK
	}
	q := retrieval.Query{Text: joinWords(req.Question, req.Context), K: k, Since: req.Since, Until: req.Until, Scope: req.Scope}
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
