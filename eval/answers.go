package eval

import (
	"context"
	"slices"
	"strings"
	"time"

	"github.com/byline-news/byline/answer"
)

// Asker answers a question without abstaining on low confidence
// (answer.Options.MinConfidence < 0), so that thresholds can be swept.
type Asker func(ctx context.Context, question string) (answer.Answer, error)

// AnswerResult scores short answers and abstentions.
type AnswerResult struct {
	Threshold      float64    `json:"threshold"`
	Answerable     int        `json:"answerable"`
	Unanswerable   int        `json:"unanswerable"`
	GoldCited      float64    `json:"gold_cited"`      // answerable: gold article among the cited sources
	Contained      float64    `json:"contained"`       // answerable: a gold answer inside the short answer
	AbstainCorrect float64    `json:"abstain_correct"` // unanswerable: abstained
	FalseAbstain   float64    `json:"false_abstain"`   // answerable: abstained
	P50ms          float64    `json:"p50_ms"`
	P99ms          float64    `json:"p99_ms"`
	Sweep          []SweepRow `json:"sweep,omitempty"`
}

// SweepRow is the result at one abstention threshold.
type SweepRow struct {
	Threshold      float64 `json:"threshold"`
	Contained      float64 `json:"contained"`
	AbstainCorrect float64 `json:"abstain_correct"`
	FalseAbstain   float64 `json:"false_abstain"`
}

type outcome struct {
	q   Question
	ans answer.Answer
}

// Answers asks every question and scores the answers at threshold, and
// at a range of thresholds for choosing one.
func Answers(ctx context.Context, ask Asker, qs []Question, threshold float64) (AnswerResult, error) {
	var outs []outcome
	var lat []time.Duration
	for _, q := range qs {
		start := time.Now()
		a, err := ask(ctx, q.Question)
		lat = append(lat, time.Since(start))
		if err != nil {
			return AnswerResult{}, err
		}
		outs = append(outs, outcome{q, a})
	}
	r := score(outs, threshold)
	r.P50ms, r.P99ms = percentile(lat, 0.50), percentile(lat, 0.99)
	for i := 0; i <= 160; i++ {
		t := float64(i) * 0.005
		s := score(outs, t)
		r.Sweep = append(r.Sweep, SweepRow{Threshold: round3(t), Contained: s.Contained, AbstainCorrect: s.AbstainCorrect, FalseAbstain: s.FalseAbstain})
	}
	return r, nil
}

func round3(f float64) float64 { return float64(int(f*1000+0.5)) / 1000 }

func score(outs []outcome, threshold float64) AnswerResult {
	r := AnswerResult{Threshold: threshold}
	for _, o := range outs {
		abstained := o.ans.Abstained || o.ans.Confidence < threshold
		if o.q.Gold == "" {
			r.Unanswerable++
			if abstained {
				r.AbstainCorrect++
			}
			continue
		}
		r.Answerable++
		switch {
		case abstained:
			r.FalseAbstain++
		case contains(o.ans.Text, o.q.Answers):
			r.Contained++
		}
		if !abstained && cites(o.ans, o.q.Gold) {
			r.GoldCited++
		}
	}
	if r.Answerable > 0 {
		n := float64(r.Answerable)
		r.GoldCited, r.Contained, r.FalseAbstain = r.GoldCited/n, r.Contained/n, r.FalseAbstain/n
	}
	if r.Unanswerable > 0 {
		r.AbstainCorrect /= float64(r.Unanswerable)
	}
	return r
}

func cites(a answer.Answer, gold string) bool {
	return slices.ContainsFunc(a.Sources, func(s answer.Source) bool { return s.Hit.Article.ID == gold })
}

// contains reports whether any gold answer appears in text, compared as
// the data README says: case-insensitive, whitespace collapsed, curly
// quotes straightened.
func contains(text string, golds []string) bool {
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
