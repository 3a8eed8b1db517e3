package main

import (
	"context"
	"fmt"
	"io"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/byline-news/byline/answer"
	"github.com/byline-news/byline/config"
	"github.com/byline-news/byline/eval"
	"github.com/byline-news/byline/llm"
	"github.com/byline-news/byline/llm/fakeai"
	"github.com/byline-news/byline/retrieval"
	"github.com/byline-news/byline/retrieval/sqlite"
)

type evalReport struct {
	SQuAD        *eval.RetrievalResult `json:"squad,omitempty"`
	SQuADAnswers *eval.AnswerResult    `json:"squad_answers,omitempty"`
	BBC          *eval.RetrievalResult `json:"bbc,omitempty"`
	BBCAnswers   *eval.AnswerResult    `json:"bbc_answers,omitempty"`
	IndexSeconds map[string]float64    `json:"index_seconds"`

	// Hybrid retrieval, when an embedder was used: keyed "squad" and
	// "bbc", with the vectors held as int8 (the default) and float32.
	EmbedModel   string                           `json:"embed_model,omitempty"`
	Hybrid       map[string]*eval.RetrievalResult `json:"hybrid,omitempty"`
	HybridF32    map[string]*eval.RetrievalResult `json:"hybrid_float32,omitempty"`
	EmbedSeconds map[string]float64               `json:"embed_seconds,omitempty"`

	// Generated answers, when a chat model was used (--chat): keyed
	// "squad" and "bbc", scored as served (the default abstention rules),
	// with the share the model wrote and why the others fell back.
	ChatModel    string                        `json:"chat_model,omitempty"`
	LLM          map[string]*eval.AnswerResult `json:"llm_answers,omitempty"`
	LLMGenerated map[string]float64            `json:"llm_generated,omitempty"`
	LLMFallbacks map[string]map[string]int     `json:"llm_fallbacks,omitempty"`
}

func runEval(ctx context.Context, a *app, args []string) error {
	var data, only, embed, chat, db, pages string
	var asJSON, extractPages bool
	var threshold float64
	var most int
	fs := a.flags("eval", "", `
Measures byline on the question sets in DATA/qa (see DATA/README.md),
each over a fresh temporary index:
  squad  SQuAD v1.1 dev: all 2,067 contexts indexed, 10,570 questions;
         recall@1, recall@5 and MRR@10 of the gold paragraph, and how often
         a gold answer appears in the short answer.
  bbc    bbc-dev over DATA/news/articles.jsonl: the gold article among the
         top results and among the cited sources, gold answer inside the
         short answer, abstentions on the 15 unanswerable questions and
         false abstentions on the 135 answerable ones, and a sweep of the
         abstention threshold (how the default was chosen).
Latency is per question, p50 and p99.

With an embedder (--embed), retrieval is measured again with hybrid
search (the index fused with vector search) with vectors held as int8
and as float32: --embed endpoint uses BYLINE_EMBED_MODEL at
OPENAI_BASE_URL (the default when it is set); --embed fake starts a
deterministic hashing embedder on 127.0.0.1, which needs no model and
proves the plumbing (its vectors know words, not meanings).

With a chat model (--chat), answers are also generated and scored as
served: --chat endpoint uses BYLINE_CHAT_MODEL; --chat fake starts a
deterministic model on 127.0.0.1 that answers with the first sentence of
the top passage, citing it, which measures byline's checks and fallbacks
rather than a model.

With --db postgres://… (or BYLINE_DATABASE_URL), the indexes are built in
temporary schemas of that PostgreSQL database, dropped after: the same
measures on the other storage backend.

With --extract, measures web extraction instead, on no question set: the
test pages of Mozilla Readability that ship with go-readability (found in
the Go module cache, or given with --pages), each page's text compared
with what Readability.js extracts as a bag of words, repeated blocks
counted once, and its title, author and date with Readability's. byline
add and byline index page.html are measured apart (they run the same
extractor), and go-readability alone for reference; then the table of
byline add, worst page first.`)
	fs.BoolVar(&extractPages, "extract", false, "measure web extraction on Readability's test pages instead")
	fs.StringVar(&pages, "pages", "", "with --extract: the test-pages `dir`ectory (default: found in the module cache)")
	fs.StringVar(&data, "data", "../shared/data", "the shared data `dir`ectory")
	fs.StringVar(&only, "only", "", "run one set: squad or bbc")
	fs.BoolVar(&asJSON, "json", false, "print the report as JSON")
	fs.StringVar(&chat, "chat", "none", "chat model for generated answers: none, fake or endpoint")
	fs.StringVar(&embed, "embed", "", "embedder for hybrid retrieval: none, fake or endpoint (default: endpoint when BYLINE_EMBED_MODEL is set, else none)")
	fs.Float64Var(&threshold, "min-confidence", answer.DefaultMinConfidence, "abstain below this answer confidence")
	fs.StringVar(&db, "db", "", "postgres:// `URL` to evaluate on PostgreSQL (default: BYLINE_DATABASE_URL, else SQLite files)")
	fs.IntVar(&most, "max", 0, "ask at most `N` questions per set, evenly spaced (0: all), for quick comparisons")
	if _, err := parse(fs, args); err != nil {
		return err
	}
	if extractPages {
		return a.evalExtract(pages, asJSON)
	}
	if db == "" {
		db = a.cfg.DatabaseURL
	}
	if db != "" && !config.IsPostgresURL(db) {
		return fmt.Errorf("%w: eval --db takes a postgres:// URL (eval always builds fresh indexes)", errUsage)
	}
	a.evalDB, a.evalMax = db, most
	if _, err := os.Stat(filepath.Join(data, "qa")); err != nil {
		return fmt.Errorf("%w: no QA data at %s (pass --data DIR): %v", errUsage, data, err)
	}
	tmp, err := os.MkdirTemp("", "byline-eval-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)
	rep := evalReport{IndexSeconds: map[string]float64{}}
	emb, closeEmb, err := a.evalEmbedder(embed)
	if err != nil {
		return err
	}
	defer closeEmb()
	gen, closeGen, err := a.evalChat(chat)
	if err != nil {
		return err
	}
	defer closeGen()
	if gen != nil {
		rep.ChatModel = gen.Model()
		rep.LLM, rep.LLMGenerated, rep.LLMFallbacks = map[string]*eval.AnswerResult{}, map[string]float64{}, map[string]map[string]int{}
	}
	if emb != nil {
		rep.EmbedModel = emb.EmbedModel()
		rep.Hybrid, rep.HybridF32, rep.EmbedSeconds = map[string]*eval.RetrievalResult{}, map[string]*eval.RetrievalResult{}, map[string]float64{}
	}
	if only == "" || only == "squad" {
		if err := a.evalSQuAD(ctx, data, tmp, threshold, emb, gen, &rep); err != nil {
			return err
		}
	}
	if only == "" || only == "bbc" {
		if err := a.evalBBC(ctx, data, tmp, threshold, emb, gen, &rep); err != nil {
			return err
		}
	}
	if asJSON {
		return writeJSON(a.out, rep)
	}
	rep.print(a)
	return nil
}

func (a *app) evalSQuAD(ctx context.Context, data, tmp string, threshold float64, emb evalEmbedder, gen evalGenerator, rep *evalReport) error {
	qa := filepath.Join(data, "qa")
	arts, err := eval.SQuADContexts(filepath.Join(qa, "squad-v1.1-dev-contexts.jsonl"))
	if err != nil {
		return err
	}
	qs, err := eval.SQuADQuestions(filepath.Join(qa, "squad-v1.1-dev.jsonl"))
	if err != nil {
		return err
	}
	qs = spaced(qs, a.evalMax)
	ix, drop, err := scratchStore(ctx, tmp, "squad", a.evalDB)
	if err != nil {
		return err
	}
	defer drop()
	start := time.Now()
	if _, err := ix.Put(ctx, arts); err != nil {
		return err
	}
	rep.IndexSeconds["squad"] = time.Since(start).Seconds()
	r, err := eval.Retrieval(ctx, ix, qs, eval.ByArticle)
	if err != nil {
		return err
	}
	rep.SQuAD = &r
	ar, err := eval.Answers(ctx, asker(ix, len(arts)), qs, threshold)
	if err != nil {
		return err
	}
	ar.Sweep = nil // SQuAD has no unanswerable questions to sweep against
	rep.SQuADAnswers = &ar
	if err := a.evalGenerated(ctx, ix, qs, len(arts), gen, "squad", rep); err != nil {
		return err
	}
	return a.evalHybrid(ctx, ix, qs, emb, "squad", rep)
}

func (a *app) evalBBC(ctx context.Context, data, tmp string, threshold float64, emb evalEmbedder, gen evalGenerator, rep *evalReport) error {
	qs, err := eval.BBCQuestions(filepath.Join(data, "qa", "bbc-dev.jsonl"))
	if err != nil {
		return err
	}
	qs = spaced(qs, a.evalMax)
	ix, drop, err := scratchStore(ctx, tmp, "bbc", a.evalDB)
	if err != nil {
		return err
	}
	defer drop()
	start := time.Now()
	sum, err := a.indexPaths(ctx, ix, []string{filepath.Join(data, "news", "articles.jsonl")}, true)
	if err != nil {
		return err
	}
	rep.IndexSeconds["bbc"] = time.Since(start).Seconds()
	r, err := eval.Retrieval(ctx, ix, qs, eval.ByArticle)
	if err != nil {
		return err
	}
	rep.BBC = &r
	ar, err := eval.Answers(ctx, asker(ix, sum.res.Added+sum.res.Replaced+sum.res.Unchanged), qs, threshold)
	if err != nil {
		return err
	}
	rep.BBCAnswers = &ar
	if err := a.evalGenerated(ctx, ix, qs, sum.res.Added+sum.res.Replaced+sum.res.Unchanged, gen, "bbc", rep); err != nil {
		return err
	}
	return a.evalHybrid(ctx, ix, qs, emb, "bbc", rep)
}

// spaced returns at most n of qs, evenly spaced; all of them when n is 0.
func spaced(qs []eval.Question, n int) []eval.Question {
	if n <= 0 || n >= len(qs) {
		return qs
	}
	out := make([]eval.Question, n)
	for i := range out {
		out[i] = qs[i*len(qs)/n]
	}
	return out
}

// asker answers exactly as `byline ask` does (time words included),
// without the confidence gate, so the sweep can choose it.
func asker(ix store, corpus int) eval.Asker {
	return func(ctx context.Context, question string) (answer.Answer, error) {
		a, _, _, err := ask(ctx, ix, retrieval.Query{Text: question, K: 5}, answer.Options{Corpus: corpus, MinConfidence: -1}, askModel{})
		return a, err
	}
}

func (r evalReport) print(a *app) {
	w := tabwriter.NewWriter(a.out, 0, 0, 2, ' ', tabwriter.AlignRight)
	if r.SQuAD != nil {
		s, ans := r.SQuAD, r.SQuADAnswers
		fmt.Fprintf(w, "SQuAD v1.1 dev\tquestions\tR@1\tR@5\tMRR@10\tanswer contains gold\tp50 ms\tp99 ms\t\n")
		fmt.Fprintf(w, "retrieval\t%d\t%.4f\t%.4f\t%.4f\t%.4f\t%.2f\t%.2f\t\n", s.Questions, s.Recall1, s.Recall5, s.MRR10, ans.Contained, s.P50ms, s.P99ms)
		fmt.Fprintln(w)
	}
	if r.BBC != nil {
		s, ans := r.BBC, r.BBCAnswers
		fmt.Fprintf(w, "bbc-dev\tanswerable\tR@1\tR@5\tMRR@10\tgold cited\tanswer contains gold\tfalse abstain\tunanswerable abstained\tp50 ms\tp99 ms\t\n")
		fmt.Fprintf(w, "threshold %.3f\t%d\t%.4f\t%.4f\t%.4f\t%.4f\t%.4f\t%.4f\t%.4f\t%.2f\t%.2f\t\n", ans.Threshold, ans.Answerable, s.Recall1, s.Recall5, s.MRR10,
			ans.GoldCited, ans.Contained, ans.FalseAbstain, ans.AbstainCorrect, ans.P50ms, ans.P99ms)
		fmt.Fprintln(w)
		fmt.Fprintf(w, "abstention sweep\tthreshold\tanswer contains gold\tfalse abstain\tunanswerable abstained\t\n")
		for i, row := range ans.Sweep {
			// Print a threshold only where something changes.
			if i > 0 && sameScores(row, ans.Sweep[i-1]) {
				continue
			}
			fmt.Fprintf(w, "\t%.3f\t%.4f\t%.4f\t%.4f\t\n", row.Threshold, row.Contained, row.FalseAbstain, row.AbstainCorrect)
		}
	}
	r.printHybrid(w)
	r.printGenerated(w)
	w.Flush()
}

// printGenerated prints the generated answers' scores and fallbacks.
func (r evalReport) printGenerated(w io.Writer) {
	if r.ChatModel == "" {
		return
	}
	fmt.Fprintln(w)
	fmt.Fprintf(w, "answers (%s)\twritten by the model\tanswer contains gold\tgold cited\tfalse abstain\tunanswerable abstained\tp50 ms\tp99 ms\tfallbacks\t\n", r.ChatModel)
	for _, name := range []string{"squad", "bbc"} {
		res := r.LLM[name]
		if res == nil {
			continue
		}
		var fb []string
		for _, k := range slices.Sorted(maps.Keys(r.LLMFallbacks[name])) {
			fb = append(fb, fmt.Sprintf("%s %d", k, r.LLMFallbacks[name][k]))
		}
		fmt.Fprintf(w, "%s\t%.4f\t%.4f\t%.4f\t%.4f\t%.4f\t%.2f\t%.2f\t%s\t\n", name, r.LLMGenerated[name], res.Contained, res.GoldCited,
			res.FalseAbstain, res.AbstainCorrect, res.P50ms, res.P99ms, strings.Join(fb, ", "))
	}
}

// printHybrid prints lexical against hybrid retrieval.
func (r evalReport) printHybrid(w io.Writer) {
	if r.EmbedModel == "" {
		return
	}
	fmt.Fprintln(w)
	fmt.Fprintf(w, "retrieval (%s)\tR@1\tR@5\tMRR@10\tp50 ms\tp99 ms\tembed s\t\n", r.EmbedModel)
	for _, set := range []struct {
		name    string
		lexical *eval.RetrievalResult
	}{{"squad", r.SQuAD}, {"bbc", r.BBC}} {
		if set.lexical == nil {
			continue
		}
		rows := []struct {
			label string
			res   *eval.RetrievalResult
		}{{set.name + " lexical", set.lexical}, {set.name + " hybrid int8", r.Hybrid[set.name]}, {set.name + " hybrid float32", r.HybridF32[set.name]}}
		for i, row := range rows {
			if row.res == nil {
				continue
			}
			secs := ""
			if i > 0 {
				secs = fmt.Sprintf("%.1f", r.EmbedSeconds[set.name])
			}
			fmt.Fprintf(w, "%s\t%.4f\t%.4f\t%.4f\t%.2f\t%.2f\t%s\t\n", row.label, row.res.Recall1, row.res.Recall5, row.res.MRR10, row.res.P50ms, row.res.P99ms, secs)
		}
	}
}

// evalGenerator writes the answers of the generated rows.
type evalGenerator interface {
	answer.Generator
	Model() string
}

// evalChat returns the chat model --chat asks for (nil for none) and a
// function releasing it.
func (a *app) evalChat(kind string) (evalGenerator, func(), error) {
	c, release, err := a.evalModel("--chat", kind, a.cfg.LLM.ChatEnabled(), "BYLINE_CHAT_MODEL", llm.Options{Model: "fakeai-first-sentence"})
	if c == nil {
		return nil, release, err // not a nil *llm.Client in an interface
	}
	return c, release, err
}

// evalModel returns the client that the --chat or --embed flag's kind
// asks for: nil for "none"; the configured endpoint's for "endpoint"
// (enabled says whether envVar set its model); for "fake", one of a
// deterministic server started on 127.0.0.1, with fake's models. The
// function returned releases it.
func (a *app) evalModel(flag, kind string, enabled bool, envVar string, fake llm.Options) (*llm.Client, func(), error) {
	noop := func() {}
	switch kind {
	case "none", "":
		return nil, noop, nil
	case "endpoint":
		if !enabled {
			return nil, noop, fmt.Errorf("%w: %s endpoint needs %s", errUsage, flag, envVar)
		}
		c, err := a.model()
		return c, noop, err
	case "fake":
		srv, err := fakeai.Listen("", &fakeai.Handler{})
		if err != nil {
			return nil, noop, err
		}
		fake.BaseURL, fake.Logger = srv.URL, a.log
		c, err := llm.New(fake)
		if err != nil {
			srv.Close()
			return nil, noop, err
		}
		return c, func() { srv.Close() }, nil
	default:
		return nil, noop, fmt.Errorf("%w: %s must be none, fake or endpoint, not %q", errUsage, flag, kind)
	}
}

// evalGenerated answers every question through the chat model as ask
// and the bot do, with the default abstention rules.
func (a *app) evalGenerated(ctx context.Context, ix store, qs []eval.Question, corpus int, gen evalGenerator, name string, rep *evalReport) error {
	if gen == nil {
		return nil
	}
	fallbacks := map[string]int{}
	generated := 0
	asker := func(ctx context.Context, question string) (answer.Answer, error) {
		ans, _, fallback, err := ask(ctx, ix, retrieval.Query{Text: question, K: 5}, answer.Options{Corpus: corpus}, askModel{gen: gen, contextTokens: a.cfg.LLM.ChatContext})
		if fallback != "" {
			fallbacks[reasonKind(fallback)]++
		}
		if ans.Generated {
			generated++
		}
		return ans, err
	}
	r, err := eval.Answers(ctx, asker, qs, 0) // abstention is the answer's own, as served
	if err != nil {
		return err
	}
	r.Sweep = nil
	rep.LLM[name], rep.LLMFallbacks[name] = &r, fallbacks
	rep.LLMGenerated[name] = float64(generated) / float64(max(len(qs), 1))
	return nil
}

// reasonKind shortens a fallback reason to its kind: "invalid citation
// [9]" and "unsupported number 12" count with their like.
func reasonKind(reason string) string {
	var kept []string
	for _, w := range strings.Fields(reason) {
		if strings.ContainsAny(w, "[0123456789@<") {
			break
		}
		kept = append(kept, w)
		if strings.HasSuffix(w, ":") {
			break
		}
	}
	return strings.TrimSuffix(strings.Join(kept, " "), ":")
}

// evalEmbedder embeds paragraphs and questions for the hybrid rows.
type evalEmbedder interface {
	queryEmbedder
	sqlite.Embedder
}

// evalEmbedder returns the embedder --embed asks for (nil for none;
// by default the configured one, if any) and a function releasing it.
func (a *app) evalEmbedder(kind string) (evalEmbedder, func(), error) {
	if kind == "" && a.cfg.LLM.EmbedEnabled() {
		kind = "endpoint"
	}
	c, release, err := a.evalModel("--embed", kind, a.cfg.LLM.EmbedEnabled(), "BYLINE_EMBED_MODEL", llm.Options{EmbedModel: "fakeai-hash"})
	if c == nil {
		return nil, release, err // not a nil *llm.Client in an interface
	}
	return c, release, err
}

// evalHybrid embeds ix's paragraphs and measures hybrid retrieval with
// vectors held as int8 and as float32.
func (a *app) evalHybrid(ctx context.Context, ix store, qs []eval.Question, emb evalEmbedder, name string, rep *evalReport) error {
	if emb == nil {
		return nil
	}
	start := time.Now()
	if _, err := ix.Embed(ctx, emb, sqlite.EmbedOptions{Model: emb.EmbedModel(), Batch: a.cfg.LLM.EmbedBatch}); err != nil {
		return fmt.Errorf("embed the %s paragraphs: %w", name, err)
	}
	rep.EmbedSeconds[name] = time.Since(start).Seconds()
	h := hybrid{store: ix, emb: emb, log: a.log}
	for _, f := range []struct {
		format sqlite.VectorFormat
		into   map[string]*eval.RetrievalResult
	}{{sqlite.VectorInt8, rep.Hybrid}, {sqlite.VectorFloat32, rep.HybridF32}} {
		ix.SetVectorFormat(f.format)
		r, err := eval.Retrieval(ctx, h, qs, eval.ByArticle)
		if err != nil {
			return err
		}
		f.into[name] = &r
	}
	ix.SetVectorFormat(sqlite.VectorInt8)
	return nil
}

func sameScores(a, b eval.SweepRow) bool {
	return a.Contained == b.Contained && a.FalseAbstain == b.FalseAbstain && a.AbstainCorrect == b.AbstainCorrect
}
