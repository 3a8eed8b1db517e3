package eval

import (
	"context"
	"slices"
	"strings"
	"time"

	"github.com/byline-news/byline/answer"
)

// Asker answers one question the way users get it answered.
type Asker func(ctx context.Context, question string) (answer.Answer, error)

// AnswerResult scores short answers and abstentions over one set.
type AnswerResult struct {
	Questions    int `json:"questions"`
	Answerable   int `json:"answerable"`
	Unanswerable int `json:"unanswerable"`
	// Over the answerable questions:
	Contained    float64 `json:"contained"`     // a gold answer inside the short answer
	InReply      float64 `json:"in_reply"`      // a gold answer anywhere in the reply: the short answer or a paragraph it shows
	GoldCited    float64 `json:"gold_cited"`    // the gold article among the sources of an answer (not an abstention)
	FalseAbstain float64 `json:"false_abstain"` // abstained
	// Over the unanswerable questions:
	AbstainCorrect float64 `json:"abstain_correct"` // abstained

	P50ms float64 `json:"p50_ms"`
	P99ms float64 `json:"p99_ms"`

	// Outcomes are every question with its answer, in order, for fitting
	// and for reading the misses.
	Outcomes []Outcome `json:"-"`
}

// Outcome is one question and the answer it got.
type Outcome struct {
	Question Question
	Answer   answer.Answer
}

// Answerable reports whether the question has a gold answer.
func (o Outcome) Answerable() bool { return o.Question.Gold != "" }

// Contained reports whether a gold answer is inside the short answer.
func (o Outcome) Contained() bool {
	return !o.Answer.Abstained && Contains(o.Answer.Text, o.Question.Answers)
}

// Answers asks every question and scores the answers as given.
func Answers(ctx context.Context, ask Asker, qs []Question) (AnswerResult, error) {
	var outs []Outcome
	var lat []time.Duration
	for _, q := range qs {
		if err := ctx.Err(); err != nil {
			return AnswerResult{}, err
		}
		start := time.Now()
		a, err := ask(ctx, q.Question)
		lat = append(lat, time.Since(start))
		if err != nil {
			return AnswerResult{}, err
		}
		outs = append(outs, Outcome{q, a})
	}
	r := Score(outs, func(o Outcome) bool { return o.Answer.Abstained })
	r.P50ms, r.P99ms = percentile(lat, 0.50), percentile(lat, 0.99)
	r.Outcomes = outs
	return r, nil
}

// Score scores outcomes, with abstained deciding which were abstentions
// (the answer's own decision, or a rule being tried).
func Score(outs []Outcome, abstained func(Outcome) bool) AnswerResult {
	var r AnswerResult
	for _, o := range outs {
		r.Questions++
		abst := abstained(o)
		if !o.Answerable() {
			r.Unanswerable++
			if abst {
				r.AbstainCorrect++
			}
			continue
		}
		r.Answerable++
		if abst {
			r.FalseAbstain++
		} else {
			if Contains(o.Answer.Text, o.Question.Answers) {
				r.Contained++
			}
			if cites(o.Answer, o.Question.Gold) {
				r.GoldCited++
			}
		}
		if inReply(o.Answer, o.Question.Answers) {
			r.InReply++
		}
	}
	if r.Answerable > 0 {
		n := float64(r.Answerable)
		r.Contained, r.InReply, r.GoldCited, r.FalseAbstain = r.Contained/n, r.InReply/n, r.GoldCited/n, r.FalseAbstain/n
	}
	if r.Unanswerable > 0 {
		r.AbstainCorrect /= float64(r.Unanswerable)
	}
	return r
}

func cites(a answer.Answer, gold string) bool {
	return slices.ContainsFunc(a.Sources, func(s answer.Source) bool { return s.Hit.Article.ID == gold })
}

// inReply reports whether a gold answer is anywhere a user reads it: the
// short answer or the paragraphs shown with it (the closest stories of an
// abstention included).
func inReply(a answer.Answer, golds []string) bool {
	if !a.Abstained && Contains(a.Text, golds) {
		return true
	}
	return slices.ContainsFunc(a.Sources, func(s answer.Source) bool { return Contains(s.Hit.Text, golds) })
}

// Contains reports whether any gold answer appears in text, compared as
// the data README says: case-insensitive, whitespace collapsed, curly
// quotes straightened.
func Contains(text string, golds []string) bool {
	t := normalize(text)
	for _, g := range golds {
		if g = normalize(g); g != "" && strings.Contains(t, g) {
			return true
		}
	}
	return false
}

var quotes = strings.NewReplacer("‘", "'", "’", "'", "“", `"`, "”", `"`)

func normalize(s string) string {
	return strings.Join(strings.Fields(strings.ToLower(quotes.Replace(s))), " ")
}
