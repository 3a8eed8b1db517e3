package main

import (
	"context"
	"encoding/json"
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
	Sets         []*evalSet         `json:"sets"`
	IndexSeconds map[string]float64 `json:"index_seconds"` // by corpus

	// Hybrid retrieval, when an embedder was used (--embed).
	EmbedModel   string             `json:"embed_model,omitempty"`
	EmbedSeconds map[string]float64 `json:"embed_seconds,omitempty"` // by corpus

	// Generated answers, when a chat model was used (--chat).
	ChatModel string `json:"chat_model,omitempty"`

	// Typos is set when every question was asked with a typing slip
	// (--typos).
	Typos bool `json:"typos,omitempty"`
	// Chatter is set when every question was wrapped in chat framings
	// (--chatter).
	Chatter bool `json:"chatter,omitempty"`
	// Shorthand is set when every question was written in chat
	// shorthand (--shorthand).
	Shorthand bool `json:"shorthand,omitempty"`
}

// evalSet is the report on one question set.
type evalSet struct {
	Name      string               `json:"name"`
	Corpus    string               `json:"corpus"`
	Articles  int                  `json:"articles"`
	Retrieval eval.RetrievalResult `json:"retrieval"`
	Answers   eval.AnswerResult    `json:"answers"` // extractive, as served

	// With --embed: retrieval fused with vector search, vectors held as
	// int8 (the default) and as float32.
	Hybrid    *eval.RetrievalResult `json:"hybrid,omitempty"`
	HybridF32 *eval.RetrievalResult `json:"hybrid_float32,omitempty"`

	// With --chat: generated answers as served, the share the model
	// wrote, and why the others fell back.
	LLM          *eval.AnswerResult `json:"llm_answers,omitempty"`
	LLMGenerated float64            `json:"llm_generated,omitempty"`
	LLMFallbacks map[string]int     `json:"llm_fallbacks,omitempty"`
}

func runEval(ctx context.Context, a *app, args []string) error {
	var data, only, embed, chat, dump, write, pages, db string
	var asJSON, fit, keepRanker, extractPages, typos, chatter, short bool
	var minConf float64
	var k, most int
	fs := a.flags("eval", "", `
Measures byline on every question set in DATA/qa (see DATA/README.md),
each over a fresh temporary index of its corpus, through the same
question path as byline ask and the chat bot (time words, search,
answer, abstention):
  bbc-dev         150 news questions over DATA/news/articles.jsonl
                  (135 answerable, 15 not)
  bbc-chat-dev    85 more, written casually as in team chat (70 and 15)
  squad-1.1       10,570 SQuAD v1.1 dev questions over its 2,067 contexts
  squad-2.0-half  6,078 SQuAD 2.0 dev questions over 646 contexts, 3,168
                  of them unanswerable by design

One table shows every set: recall@1 and @5 of the gold article (or
paragraph), and of the answerable questions how often a gold answer is
in the short answer and anywhere in the reply (the short answer or a
paragraph shown), how often the gold article is cited, and how often
byline wrongly abstains; of the unanswerable ones, how often it rightly
abstains. Latency is per question, p50 and p99.

With --typos, every question is asked with one typing slip in its
longest word (a swapped, dropped, doubled or neighbouring letter; the
same slips each run), to measure how byline copes with how people type
in chat. With --chatter, every question is wrapped as people wrap one
in chat ("hey, … thx!", "sorry to bother, but … cheers"; the same
framings each run): half of them words byline sets aside, half ordinary
words it does not. With --shorthand, words people shorten in chat are
shortened ("govt", "PM", "CEO", "yrs"); questions without one are
asked as they are.

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
	fs.StringVar(&only, "only", "", "run only these `sets`, comma-separated: "+strings.Join(eval.SetNames(), ", "))
	fs.BoolVar(&asJSON, "json", false, "print the report as JSON")
	fs.StringVar(&chat, "chat", "none", "chat model for generated answers: none, fake or endpoint")
	fs.StringVar(&embed, "embed", "", "embedder for hybrid retrieval: none, fake or endpoint (default: endpoint when BYLINE_EMBED_MODEL is set, else none)")
	fs.BoolVar(&fit, "fit", false, "fit the answer model instead: leave-one-set-out table, then the model fitted on every set")
	fs.StringVar(&write, "write", "", "with --fit, write the fitted model as Go source to this `file` (answer/model_fit.go)")
	fs.BoolVar(&keepRanker, "keep-ranker", false, "with --fit, keep the committed ranker and fit only the answerability model: the same answers, only when to abstain changes")
	fs.IntVar(&k, "k", answer.DefaultK, "paragraphs retrieved per question, as ask --k")
	fs.StringVar(&dump, "dump", "", "write every question's answer, signals and gold rank in retrieval to this JSON Lines `file`, to read the misses")
	fs.Float64Var(&minConf, "min-confidence", 0, "abstain below this answer confidence instead of the default (negative: never abstain)")
	fs.StringVar(&db, "db", "", "postgres:// `URL` to evaluate on PostgreSQL (default: BYLINE_DATABASE_URL, else SQLite files)")
	fs.IntVar(&most, "max", 0, "ask at most `N` questions per set, evenly spaced (0: all), for quick comparisons")
	fs.BoolVar(&typos, "typos", false, "ask every question with one typing slip in its longest word (the same slips each run), as chat users type")
	fs.BoolVar(&chatter, "chatter", false, "wrap every question in a greeting and sign-off (the same ones each run), as chat users write")
	fs.BoolVar(&short, "shorthand", false, "write the words of every question that chat users shorten in their short forms (\"govt\", \"PM\", \"yrs\")")
	if _, err := parse(fs, args); err != nil {
		return err
	}
	if extractPages {
		return a.evalExtract(pages, asJSON)
	}
	if (keepRanker || write != "") && !fit {
		return fmt.Errorf("%w: eval --keep-ranker and --write go with --fit", errUsage)
	}
	if db == "" {
		db = a.cfg.DatabaseURL
	}
	if db != "" && !config.IsPostgresURL(db) {
		return fmt.Errorf("%w: eval --db takes a postgres:// URL (eval always builds fresh indexes)", errUsage)
	}
	if _, err := os.Stat(filepath.Join(data, "qa")); err != nil {
		return fmt.Errorf("%w: no QA data at %s (pass --data DIR): %v", errUsage, data, err)
	}
	var names []string
	if only != "" {
		names = strings.Split(only, ",")
	}
	sets, err := eval.LoadSets(data, names)
	if err != nil {
		return fmt.Errorf("%w: %v", errUsage, err)
	}
	for i := range sets {
		sets[i].Questions = spaced(sets[i].Questions, most)
		if typos {
			sets[i].Questions = eval.Misspell(sets[i].Questions, 1)
		}
		if chatter {
			sets[i].Questions = eval.Chatter(sets[i].Questions, 1)
		}
		if short {
			sets[i].Questions = eval.Shorthand(sets[i].Questions)
		}
	}
	tmp, err := os.MkdirTemp("", "byline-eval-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)
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
	ev := evaluator{app: a, data: data, tmp: tmp, emb: emb, gen: gen, now: time.Now(), minConf: minConf, dump: dump, k: k, db: db, keepRanker: keepRanker,
		rep: &evalReport{IndexSeconds: map[string]float64{}, Typos: typos, Chatter: chatter, Shorthand: short}}
	if emb != nil {
		ev.rep.EmbedModel, ev.rep.EmbedSeconds = emb.EmbedModel(), map[string]float64{}
	}
	if gen != nil {
		ev.rep.ChatModel = gen.Model()
	}
	if fit {
		m, err := ev.fit(ctx, sets, a.out)
		if err != nil || write == "" || dump != "" {
			return err
		}
		return writeModel(write, m, sets, keepRanker)
	}
	if err := ev.run(ctx, sets); err != nil {
		return err
	}
	if dump != "" && !fit {
		if err := dumpOutcomes(dump, ev.rep.Sets); err != nil {
			return err
		}
	}
	if asJSON {
		return writeJSON(a.out, ev.rep)
	}
	ev.rep.print(a.out)
	return nil
}

// evaluator runs the sets of one byline eval.
type evaluator struct {
	app       *app
	data, tmp string
	emb       evalEmbedder
	gen       evalGenerator
	now       time.Time // what time words in questions are read against
	minConf   float64   // answer.Options.MinConfidence
	dump      string    // with --fit: write the fit's data here instead
	k         int       // paragraphs retrieved per question
	db        string    // postgres:// URL to build the indexes in; "": SQLite files
	// keepRanker makes --fit keep the committed ranker's weights and fit
	// only the answerability model.
	keepRanker bool
	rep        *evalReport
}

// evalIndex is a corpus's temporary index and its number of articles.
type evalIndex struct {
	ix       store
	articles int
	drop     func() // closes it, and drops a PostgreSQL scratch schema
}

// run indexes each corpus once and asks every set over it.
func (ev *evaluator) run(ctx context.Context, sets []eval.Set) error {
	ixs, closeAll, err := ev.indexAll(ctx, sets)
	if err != nil {
		return err
	}
	defer closeAll()
	for _, s := range sets {
		if err := ev.set(ctx, ixs[s.Corpus], s); err != nil {
			return fmt.Errorf("%s: %w", s.Name, err)
		}
	}
	return nil
}

// indexAll indexes the corpora of sets, and returns them by corpus with
// a function closing them all.
func (ev *evaluator) indexAll(ctx context.Context, sets []eval.Set) (map[string]*evalIndex, func(), error) {
	ixs := map[string]*evalIndex{}
	closeAll := func() {
		for _, e := range ixs {
			e.drop()
		}
	}
	for _, s := range sets {
		if ixs[s.Corpus] != nil {
			continue
		}
		e, err := ev.index(ctx, s.Corpus)
		if err != nil {
			closeAll()
			return nil, nil, fmt.Errorf("index the %s corpus: %w", s.Corpus, err)
		}
		ixs[s.Corpus] = e
	}
	return ixs, closeAll, nil
}

// index builds a fresh index of corpus, in a SQLite file or a PostgreSQL
// scratch schema, and counts its articles; with an embedder, its
// paragraphs are embedded too.
func (ev *evaluator) index(ctx context.Context, corpus string) (*evalIndex, error) {
	ix, drop, err := scratchStore(ctx, ev.tmp, corpus, ev.db)
	if err != nil {
		return nil, err
	}
	start := time.Now()
	path := eval.CorpusPath(ev.data, corpus)
	if corpus == eval.CorpusBBC {
		_, err = ev.app.indexPaths(ctx, ix, []string{path}, true)
	} else {
		var arts []retrieval.Article
		if arts, err = eval.SQuADContexts(path); err == nil {
			_, err = ix.Put(ctx, arts)
		}
	}
	if err == nil {
		ev.rep.IndexSeconds[corpus] = time.Since(start).Seconds()
		err = ev.embed(ctx, ix, corpus)
	}
	var n int
	if err == nil {
		n, err = ix.Count(ctx)
	}
	if err != nil {
		drop()
		return nil, err
	}
	return &evalIndex{ix: ix, articles: n, drop: drop}, nil
}

// asRead returns qs as answer.Ask reads them before searching (links
// set aside, shouting, lead-ins and shorthand read), so that recall is
// that of the path chat users get: a shortened "govt" is searched as
// "government" there, and must be here.
func asRead(qs []eval.Question) []eval.Question {
	out := slices.Clone(qs)
	for i := range out {
		out[i].Question = answer.Read(out[i].Question)
	}
	return out
}

// set measures one question set over its corpus's index.
func (ev *evaluator) set(ctx context.Context, e *evalIndex, s eval.Set) error {
	ix, n := e.ix, e.articles
	r := &evalSet{Name: s.Name, Corpus: s.Corpus, Articles: n}
	ev.rep.Sets = append(ev.rep.Sets, r)
	var err error
	if r.Retrieval, err = eval.Retrieval(ctx, ix, asRead(s.Questions), eval.ByArticle); err != nil {
		return err
	}
	if r.Answers, err = eval.Answers(ctx, ev.asker(ix, n, nil, nil), s.Questions); err != nil {
		return err
	}
	if err := ev.generated(ctx, ix, n, s, r); err != nil {
		return err
	}
	return ev.hybrid(ctx, ix, s, r)
}

// asker answers as byline ask and the chat bot do: answer.Ask over ix
// holding corpus articles, with gen when it is set; fallback, when set,
// counts why generated answers fell back.
func (ev *evaluator) asker(ix answer.Searcher, corpus int, gen answer.Generator, fallback func(string)) eval.Asker {
	return func(ctx context.Context, question string) (answer.Answer, error) {
		ans, err := answer.Ask(ctx, ix, answer.Request{
			Question: question, Now: ev.now, K: ev.k, Options: answer.Options{Corpus: corpus, MinConfidence: ev.minConf},
			Model: gen, Gen: answer.GenOptions{ContextTokens: ev.app.cfg.LLM.ChatContext},
		})
		if ans.Fallback != "" && fallback != nil {
			fallback(ans.Fallback)
		}
		return ans, err
	}
}

func (r *evalReport) print(out io.Writer) {
	if r.Typos {
		fmt.Fprintln(out, "Every question asked with one typing slip in its longest word (--typos).")
	}
	if r.Chatter {
		fmt.Fprintln(out, "Every question wrapped in a chat greeting and sign-off (--chatter).")
	}
	if r.Shorthand {
		fmt.Fprintln(out, "Every question written in chat shorthand where it has a word people shorten (--shorthand).")
	}
	w := tabwriter.NewWriter(out, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintf(w, "set\tquestions\tR@1\tR@5\tanswer in short answer\tanswer in reply\tgold cited\tfalse abstain\tunanswerable abstained\tp50 ms\tp99 ms\t\n")
	for _, s := range r.Sets {
		a := s.Answers
		fmt.Fprintf(w, "%s\t%d\t%.4f\t%.4f\t%.4f\t%.4f\t%.4f\t%.4f\t%s\t%.2f\t%.2f\t\n", s.Name, a.Questions, s.Retrieval.Recall1, s.Retrieval.Recall5,
			a.Contained, a.InReply, a.GoldCited, a.FalseAbstain, ratio(a.AbstainCorrect, a.Unanswerable), a.P50ms, a.P99ms)
	}
	r.printHybrid(w)
	r.printGenerated(w)
	w.Flush()
}

// ratio prints a share of n items, or "-" when there are none.
func ratio(share float64, n int) string {
	if n == 0 {
		return "-"
	}
	return fmt.Sprintf("%.4f", share)
}

// printGenerated prints the generated answers' scores and fallbacks.
func (r *evalReport) printGenerated(w io.Writer) {
	if r.ChatModel == "" {
		return
	}
	fmt.Fprintln(w)
	fmt.Fprintf(w, "answers (%s)\twritten by the model\tanswer in short answer\tgold cited\tfalse abstain\tunanswerable abstained\tp50 ms\tp99 ms\tfallbacks\t\n", r.ChatModel)
	for _, s := range r.Sets {
		res := s.LLM
		if res == nil {
			continue
		}
		var fb []string
		for _, k := range slices.Sorted(maps.Keys(s.LLMFallbacks)) {
			fb = append(fb, fmt.Sprintf("%s %d", k, s.LLMFallbacks[k]))
		}
		fmt.Fprintf(w, "%s\t%.4f\t%.4f\t%.4f\t%.4f\t%s\t%.2f\t%.2f\t%s\t\n", s.Name, s.LLMGenerated, res.Contained, res.GoldCited,
			res.FalseAbstain, ratio(res.AbstainCorrect, res.Unanswerable), res.P50ms, res.P99ms, strings.Join(fb, ", "))
	}
}

// printHybrid prints lexical against hybrid retrieval.
func (r *evalReport) printHybrid(w io.Writer) {
	if r.EmbedModel == "" {
		return
	}
	fmt.Fprintln(w)
	fmt.Fprintf(w, "retrieval (%s)\tR@1\tR@5\tMRR@10\tp50 ms\tp99 ms\t\n", r.EmbedModel)
	for _, s := range r.Sets {
		rows := []struct {
			label string
			res   *eval.RetrievalResult
		}{{s.Name + " lexical", &s.Retrieval}, {s.Name + " hybrid int8", s.Hybrid}, {s.Name + " hybrid float32", s.HybridF32}}
		for _, row := range rows {
			if row.res == nil || row.res.Questions == 0 {
				continue
			}
			fmt.Fprintf(w, "%s\t%.4f\t%.4f\t%.4f\t%.2f\t%.2f\t\n", row.label, row.res.Recall1, row.res.Recall5, row.res.MRR10, row.res.P50ms, row.res.P99ms)
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

// generated answers every question of s through the chat model, as
// byline ask and the bot do, with the default abstention rules.
func (ev *evaluator) generated(ctx context.Context, ix store, n int, s eval.Set, r *evalSet) error {
	if ev.gen == nil {
		return nil
	}
	r.LLMFallbacks = map[string]int{}
	res, err := eval.Answers(ctx, ev.asker(ix, n, ev.gen, func(reason string) { r.LLMFallbacks[reasonKind(reason)]++ }), s.Questions)
	if err != nil {
		return err
	}
	generated := 0
	for _, o := range res.Outcomes {
		if o.Answer.Generated {
			generated++
		}
	}
	r.LLM, r.LLMGenerated = &res, float64(generated)/float64(max(len(s.Questions), 1))
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

// embed embeds the corpus's paragraphs when an embedder is set.
func (ev *evaluator) embed(ctx context.Context, ix store, corpus string) error {
	if ev.emb == nil {
		return nil
	}
	start := time.Now()
	if _, err := ix.Embed(ctx, ev.emb, sqlite.EmbedOptions{Model: ev.emb.EmbedModel(), Batch: ev.app.cfg.LLM.EmbedBatch}); err != nil {
		return fmt.Errorf("embed the %s paragraphs: %w", corpus, err)
	}
	ev.rep.EmbedSeconds[corpus] = time.Since(start).Seconds()
	return nil
}

// hybrid measures hybrid retrieval of s with vectors held as int8 and as
// float32.
func (ev *evaluator) hybrid(ctx context.Context, ix store, s eval.Set, r *evalSet) error {
	if ev.emb == nil {
		return nil
	}
	h := hybrid{store: ix, emb: ev.emb, log: ev.app.log}
	defer ix.SetVectorFormat(sqlite.VectorInt8)
	for _, f := range []struct {
		format sqlite.VectorFormat
		into   **eval.RetrievalResult
	}{{sqlite.VectorInt8, &r.Hybrid}, {sqlite.VectorFloat32, &r.HybridF32}} {
		ix.SetVectorFormat(f.format)
		res, err := eval.Retrieval(ctx, h, asRead(s.Questions), eval.ByArticle)
		if err != nil {
			return err
		}
		*f.into = &res
	}
	return nil
}

// dumpOutcomes writes every question of sets with its answer as JSON
// Lines to path.
func dumpOutcomes(path string, sets []*evalSet) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	enc := json.NewEncoder(f)
	enc.SetEscapeHTML(false)
	for _, s := range sets {
		for _, o := range s.Answers.Outcomes {
			var srcs []string
			for _, src := range o.Answer.Sources {
				srcs = append(srcs, fmt.Sprintf("%s#%d", src.Hit.Article.ID, src.Hit.Paragraph))
			}
			err = enc.Encode(map[string]any{
				"set": s.Name, "id": o.Question.ID, "question": o.Question.Question, "gold": o.Question.Gold,
				"answers": o.Question.Answers, "answer": o.Answer.Text, "abstained": o.Answer.Abstained,
				"contained": o.Contained(), "confidence": o.Answer.Confidence, "signals": o.Answer.Signals, "sources": srcs,
				"gold_rank": s.Retrieval.Ranks[o.Question.ID],
			})
			if err != nil {
				f.Close()
				return fmt.Errorf("dump to %s: %w", path, err)
			}
		}
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("dump to %s: %w", path, err)
	}
	return nil
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
