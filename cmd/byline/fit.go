package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"go/format"
	"io"
	"os"
	"slices"
	"sort"
	"strings"
	"text/tabwriter"

	"github.com/byline-news/byline/answer"
	"github.com/byline-news/byline/eval"
)

// Fitting the answer model (byline eval --fit). The ranker's weights and
// then the answerability model's are fitted on every set but one and
// reported on the one left out, for each set in turn; the model written
// is fitted on all of them.
const (
	// rankL2 is the L2 penalty of the ranker's weights: 0.0001 picks
	// gold more often on both held-out news sets than 0.001 (0.730 and
	// 0.455 against 0.706 and 0.436) and gives more held-out answers on
	// every set (BENCHMARKS.md); 0.01 does worse everywhere.
	rankL2 = 0.0001
	ansL2  = 0.001 // L2 penalty of the answerability weights
	// maxFalseAbstain is the rule that sets the abstention threshold: the
	// highest threshold at which no training set's answerable questions
	// are refused more often than this. Refusing answerable questions is
	// what users of such bots complain of most, so it is bounded first;
	// abstention takes what is left. It holds for every set, not on
	// average: new questions are like one kind of question, not like the
	// mean of them all, and an average let a set's refusals hide behind
	// another's (held out, 7% and 10% of the news sets' answerable
	// questions refused, against 1.5% and 1.4% with every set held to it;
	// BENCHMARKS.md).
	maxFalseAbstain = 0.05
)

// fitData is what one run over the sets yields for fitting.
type fitData struct {
	rank []eval.RankQuestion
	ans  []eval.Example
	outs map[string][]eval.Outcome // by set
}

// fitRow is the leave-one-set-out report on one set.
type fitRow struct {
	set                                string
	rankAcc, auc, threshold            float64
	contained, falseAbst, abstainRight float64
	unanswerable                       int
}

// fit runs the leave-one-set-out fits over sets (their corpora indexed in
// ixs), prints the table to out and returns the model fitted on all.
func (ev *evaluator) fit(ctx context.Context, sets []eval.Set, out io.Writer) (*answer.Model, error) {
	ixs, closeAll, err := ev.indexAll(ctx, sets)
	if err != nil {
		return nil, err
	}
	defer closeAll()
	base, err := ev.collect(ctx, sets, ixs, answer.DefaultModel(), true)
	if err != nil {
		return nil, err
	}
	if ev.dump != "" {
		return nil, dumpFitData(ev.dump, base)
	}
	var rows []fitRow
	for _, held := range sets {
		m, err := ev.fitModel(ctx, sets, ixs, base, held.Name)
		if err != nil {
			return nil, err
		}
		d, err := ev.collect(ctx, []eval.Set{held}, ixs, m, false)
		if err != nil {
			return nil, err
		}
		rows = append(rows, report(held.Name, m, base, d))
		fmt.Fprintf(ev.app.err, "byline: fitted without %s\n", held.Name)
	}
	m, err := ev.fitModel(ctx, sets, ixs, base, "")
	if err != nil {
		return nil, err
	}
	printFit(out, rows, m)
	return m, nil
}

// fitModel fits a model on every set but held ("" for none): the ranker
// on base's candidates, then the answerability model on the signals the
// new ranker's answers give.
func (ev *evaluator) fitModel(ctx context.Context, sets []eval.Set, ixs map[string]*evalIndex, base fitData, held string) (*answer.Model, error) {
	train := func(set string) bool { return set != held }
	start := answer.DefaultModel()
	rank := start.Rank[:]
	if !ev.keepRanker {
		rank = eval.FitRanker(filterRank(base.rank, train), rankL2, rank)
	}
	m, err := answer.NewModel(rank, start.Answerable[:], start.Bias, start.Threshold)
	if err != nil {
		return nil, err
	}
	var trainSets []eval.Set
	for _, s := range sets {
		if train(s.Name) {
			trainSets = append(trainSets, s)
		}
	}
	d, err := ev.collect(ctx, trainSets, ixs, m, false)
	if err != nil {
		return nil, err
	}
	w, b := eval.FitLogistic(balance(d.ans), ansL2)
	m, err = answer.NewModel(rank, w, b, 0)
	if err != nil {
		return nil, err
	}
	m.Threshold = threshold(m, d)
	return m, nil
}

// collect answers every question of sets with m, never abstaining, and
// gathers the candidates and signals.
func (ev *evaluator) collect(ctx context.Context, sets []eval.Set, ixs map[string]*evalIndex, m *answer.Model, trace bool) (fitData, error) {
	d := fitData{outs: map[string][]eval.Outcome{}}
	for _, s := range sets {
		ix := ixs[s.Corpus]
		var rank []eval.RankQuestion
		ask := func(ctx context.Context, question string) (answer.Answer, error) {
			a, err := answer.Ask(ctx, ix.ix, answer.Request{Question: question, Now: ev.now, K: ev.k,
				Options: answer.Options{Corpus: ix.articles, MinConfidence: -1, Model: m, Trace: trace}})
			rq := eval.RankQuestion{Set: s.Name}
			for _, c := range a.Trace {
				rq.X = append(rq.X, c.Features)
				rq.Pos = append(rq.Pos, false)
				if ev.dump != "" {
					rq.Text = append(rq.Text, c.Text)
				}
			}
			rank = append(rank, rq)
			return a, err
		}
		res, err := eval.Answers(ctx, ask, s.Questions)
		if err != nil {
			return d, fmt.Errorf("%s: %w", s.Name, err)
		}
		for i, o := range res.Outcomes {
			for j, c := range o.Answer.Trace {
				rank[i].Pos[j] = o.Answerable() && eval.Contains(c.Text, o.Question.Answers)
			}
			rank[i].Weight = 1 / float64(len(res.Outcomes))
			if o.Answer.Signals != nil {
				d.ans = append(d.ans, eval.Example{Set: s.Name, X: o.Answer.Signals, Y: o.Answerable()})
			}
			res.Outcomes[i].Answer.Trace = nil // the candidates' texts are large and no longer needed
		}
		d.rank = append(d.rank, rank...)
		d.outs[s.Name] = res.Outcomes
	}
	return d, nil
}

func filterRank(qs []eval.RankQuestion, keep func(string) bool) []eval.RankQuestion {
	var out []eval.RankQuestion
	for _, q := range qs {
		if keep(q.Set) {
			out = append(out, q)
		}
	}
	return out
}

// balance weighs examples so that every set counts alike within each
// class, and the two classes alike overall: p = 0.5 then means even odds
// whatever the sets' mix of answerable and unanswerable questions.
func balance(ex []eval.Example) []eval.Example {
	count := map[string]map[bool]int{}
	for _, e := range ex {
		if count[e.Set] == nil {
			count[e.Set] = map[bool]int{}
		}
		count[e.Set][e.Y]++
	}
	sets := map[bool]int{}
	for _, c := range count {
		for y, n := range c {
			if n > 0 {
				sets[y]++
			}
		}
	}
	out := slices.Clone(ex)
	for i, e := range out {
		out[i].Weight = 1 / float64(count[e.Set][e.Y]*sets[e.Y])
	}
	return out
}

// threshold is the highest confidence threshold at which the answerable
// questions of each of d's sets are refused at most maxFalseAbstain of
// the time, moved halfway down to the next lower confidence level.
func threshold(m *answer.Model, d fitData) float64 {
	perSet := map[string][]float64{}
	for _, e := range d.ans {
		if e.Y {
			perSet[e.Set] = append(perSet[e.Set], answer.ModelConfidence(m, e.X))
		}
	}
	var cands []float64
	for _, ps := range perSet {
		cands = append(cands, ps...)
	}
	sort.Float64s(cands)
	best, below := 0.0, 0.0
	for i, t := range cands {
		var worst float64
		for _, ps := range perSet {
			n := 0
			for _, p := range ps {
				if p < t {
					n++
				}
			}
			worst = max(worst, float64(n)/float64(len(ps)))
		}
		if worst > maxFalseAbstain {
			break
		}
		best, below = t, t
		for j := i - 1; j >= 0; j-- {
			if cands[j] < t {
				below = cands[j]
				break
			}
		}
	}
	// The signals are few and mostly 0 or 1, so confidences come in
	// levels; a threshold on a level would refuse an answer whose signal
	// is a hair weaker than any in the training sets. Halfway down to the
	// next level refuses the same training answers and leaves that margin.
	return (best + below) / 2
}

// report scores the held-out set's answers under m: base holds the
// candidates (to score the ranker), d the answers m gives.
func report(set string, m *answer.Model, base, d fitData) fitRow {
	r := fitRow{set: set, threshold: m.Threshold}
	r.rankAcc = eval.RankAccuracy(filterRank(base.rank, func(s string) bool { return s == set }), m.Rank[:])
	outs := d.outs[set]
	var scores []float64
	var ys []bool
	for _, o := range outs {
		scores = append(scores, o.Answer.Confidence)
		ys = append(ys, o.Answerable())
	}
	r.auc = eval.AUC(scores, ys)
	res := eval.Score(outs, func(o eval.Outcome) bool { return o.Answer.Confidence < m.Threshold })
	r.contained, r.falseAbst, r.abstainRight, r.unanswerable = res.Contained, res.FalseAbstain, res.AbstainCorrect, res.Unanswerable
	return r
}

func printFit(out io.Writer, rows []fitRow, m *answer.Model) {
	w := tabwriter.NewWriter(out, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintf(w, "held out\tranker picks gold\tanswer in short answer\tfalse abstain\tunanswerable abstained\tAUC\tthreshold\t\n")
	for _, r := range rows {
		auc := "-"
		if r.unanswerable > 0 {
			auc = fmt.Sprintf("%.3f", r.auc)
		}
		fmt.Fprintf(w, "%s\t%.4f\t%.4f\t%.4f\t%s\t%s\t%.3f\t\n", r.set, r.rankAcc, r.contained, r.falseAbst, ratio(r.abstainRight, r.unanswerable), auc, r.threshold)
	}
	fmt.Fprintln(w)
	fmt.Fprintf(w, "fitted on all\tweight\t\n")
	for i, n := range answer.FeatureNames() {
		fmt.Fprintf(w, "rank %s\t%.4f\t\n", n, m.Rank[i])
	}
	for i, n := range answer.SignalNames() {
		fmt.Fprintf(w, "answerable %s\t%.4f\t\n", n, m.Answerable[i])
	}
	fmt.Fprintf(w, "answerable bias\t%.4f\t\nthreshold\t%.4f\t\n", m.Bias, m.Threshold)
	w.Flush()
}

// writeModel writes m as the Go source of answer/model_fit.go.
func writeModel(path string, m *answer.Model, sets []eval.Set, keepRanker bool) error {
	var names []string
	for _, s := range sets {
		names = append(names, s.Name)
	}
	var b bytes.Buffer
	flags := "--fit"
	if keepRanker {
		flags += " --keep-ranker"
	}
	fmt.Fprintf(&b, "// Code generated by \"byline eval %s --write answer/model_fit.go\"; DO NOT EDIT.\n\n", flags)
	fmt.Fprintf(&b, "package answer\n\n")
	fmt.Fprintf(&b, "// fitted is the model fitted on %s (see Model).\n", strings.Join(names, ", "))
	fmt.Fprintf(&b, "var fitted = Model{\n\tRank: vec{")
	for i, v := range m.Rank {
		fmt.Fprintf(&b, "\n\t\t%g, // %s", round(v, 4), answer.FeatureNames()[i])
	}
	fmt.Fprintf(&b, "\n\t},\n\tAnswerable: [numSignals]float64{")
	for i, v := range m.Answerable {
		fmt.Fprintf(&b, "\n\t\t%g, // %s", round(v, 4), answer.SignalNames()[i])
	}
	fmt.Fprintf(&b, "\n\t},\n\tBias: %g,\n\tThreshold: %g,\n}\n", round(m.Bias, 4), round(m.Threshold, 4))
	src, err := format.Source(b.Bytes())
	if err != nil {
		return fmt.Errorf("format the model: %w", err)
	}
	if err := os.WriteFile(path, src, 0o644); err != nil {
		return fmt.Errorf("write the model: %w", err)
	}
	return nil
}

// dumpFitData writes what the fit reads, one question a line, for
// analysing candidate features and signals outside byline.
func dumpFitData(path string, d fitData) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	enc := json.NewEncoder(f)
	next := map[string]int{}
	for _, rq := range d.rank {
		o := d.outs[rq.Set][next[rq.Set]]
		next[rq.Set]++
		err := enc.Encode(map[string]any{"set": rq.Set, "id": o.Question.ID, "y": o.Answerable(), "contained": o.Contained(),
			"signals": o.Answer.Signals, "x": rq.X, "pos": rq.Pos, "text": rq.Text, "question": o.Question.Question})
		if err != nil {
			f.Close()
			return err
		}
	}
	return f.Close()
}
