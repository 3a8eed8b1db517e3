package main

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/byline-news/byline/answer"
	"github.com/byline-news/byline/retrieval"
)

// maxQuestion is the longest question accepted, in characters: a chat
// question is a sentence, and a pasted article is not a question.
const maxQuestion = 500

type askFlags struct {
	db           string
	k            int
	json         bool
	since, until string
	mode         string
}

// Answer modes of ask --mode.
const (
	modeAuto       = "auto"
	modeExtractive = "extractive"
	modeLLM        = "llm"
)

func runAsk(ctx context.Context, a *app, args []string) error {
	var f askFlags
	fs := a.flags("ask", "QUESTION", `
Answers QUESTION from the indexed articles with a short answer (at most
320 characters) quoted from the paragraphs that support it, followed by
numbered sources: title, outlet, date, link and the quoted paragraph with
the matched words marked. When nothing indexed answers it, byline says so
instead of guessing.

With a chat model configured (BYLINE_CHAT_MODEL, plus OPENAI_BASE_URL and
OPENAI_API_KEY or OPENAI_API_KEY_FILE for the endpoint), the answer is a
short generated summary of up to three sentences citing its sources as
[n]; when the model fails or its answer does not cite its sources
properly, the quoted answer is given instead. On a terminal the summary
appears, dimmed, while the model writes it, and is then replaced by the
checked answer. --mode extractive never calls the model. With an
embedding model (BYLINE_EMBED_MODEL), the search also finds paragraphs
that answer in other words (see byline reembed).

Time words in the question ("yesterday", "last week", "in March") limit
the search to articles published then (articles without a date still
count). --since and --until limit it strictly.

With no --db and no BYLINE_DB, the first run on a database that has
never held an article indexes byline's built-in sample articles, so this
works on a fresh install (the first "byline index", "add" or "feeds" run
that adds your own articles removes them):
  byline ask "what did Liang deny?"`)
	fs.StringVar(&f.db, "db", "", "database `file` or postgres:// URL (default: BYLINE_DATABASE_URL, BYLINE_DB or "+a.cfg.DBPath+")")
	fs.IntVar(&f.k, "k", 5, "number of paragraphs to retrieve and consider")
	fs.BoolVar(&f.json, "json", false, "print the answer as JSON (shape documented in the README)")
	fs.StringVar(&f.since, "since", "", "only articles published on or after this `date` (2006-01-02 or RFC 3339)")
	fs.StringVar(&f.mode, "mode", modeAuto, "answer `mode`: auto (llm when a chat model is configured), extractive or llm")
	fs.StringVar(&f.until, "until", "", "only articles published before this `date` (2006-01-02 or RFC 3339)")
	rest, err := parse(fs, args)
	if err != nil {
		return err
	}
	question := strings.TrimSpace(strings.Join(rest, " "))
	q, err := f.query(question)
	if err != nil {
		return err
	}
	gen, err := a.generator(f.mode)
	if err != nil {
		return err
	}
	start := time.Now()
	ix, corpus, err := a.askIndex(ctx, f.db)
	if err != nil {
		return err
	}
	defer ix.Close()
	s, err := a.searcherFor(ix, false)
	if err != nil {
		return err
	}
	model := askModel{gen: gen, contextTokens: a.cfg.LLM.ChatContext}
	tty := isTerminal(a.out)
	var draft *draft
	if gen != nil && !f.json && tty {
		draft = newDraft(a.out, terminalWidth(a.out))
		model.partial = draft.show
	}
	ans, mode, fallback, err := ask(ctx, s, q, answer.Options{Corpus: corpus}, model)
	draft.clear()
	if err != nil {
		return err
	}
	if fallback != "" {
		a.log.Warn("generated answer replaced by the extractive one", "reason", fallback)
	}
	took := time.Since(start)
	if f.json {
		doc := jsonAnswer(ans, took)
		doc.Mode, doc.FallbackReason = mode, fallback
		return writeJSON(a.out, doc)
	}
	printAnswer(a.out, ans, tty)
	return nil
}

// query validates the question and flags and builds the search.
func (f askFlags) query(question string) (retrieval.Query, error) {
	q := retrieval.Query{Text: question, K: f.k}
	if question == "" {
		return q, fmt.Errorf("%w: ask needs a question, e.g. byline ask \"what did Liang deny?\"", errUsage)
	}
	if n := utf8.RuneCountInString(question); n > maxQuestion {
		return q, fmt.Errorf("%w: the question is %s characters long; ask in at most %d", errUsage, answer.Thousands(n), maxQuestion)
	}
	if f.k < 1 || f.k > 100 {
		return q, fmt.Errorf("%w: --k must be between 1 and 100", errUsage)
	}
	var err error
	if q.Since, err = parseDate(f.since); err != nil {
		return q, fmt.Errorf("%w: --since: %v", errUsage, err)
	}
	if q.Until, err = parseDate(f.until); err != nil {
		return q, fmt.Errorf("%w: --until: %v", errUsage, err)
	}
	return q, nil
}

// generator returns the chat model client for --mode, or nil when the
// answer is to be extractive.
func (a *app) generator(mode string) (answer.Generator, error) {
	switch mode {
	case modeExtractive:
		return nil, nil
	case modeAuto:
		return a.generatorFor()
	case modeLLM:
		if !a.cfg.LLM.ChatEnabled() {
			return nil, fmt.Errorf("%w: --mode llm needs a chat model: set BYLINE_CHAT_MODEL (and OPENAI_BASE_URL and OPENAI_API_KEY for the endpoint)", errUsage)
		}
		return a.generatorFor()
	default:
		return nil, fmt.Errorf("%w: --mode must be auto, extractive or llm, not %q", errUsage, mode)
	}
}

// askModel is how ask uses a chat model: gen nil means extractive
// answers; partial, when set, is shown the answer while it is written.
type askModel struct {
	gen           answer.Generator
	contextTokens int
	partial       func(text string)
}

// ask retrieves and answers, with gen when it is not nil. Relative time
// words ("yesterday") become a filter and leave the question; a named
// year or month ("in 2004") is also searched for, since undated articles
// can match it only by words (see TimeRange.ExtractText). mode is the
// kind of answer given, modeExtractive or modeLLM (also when the model
// said the passages do not answer); fallback is why a generated answer
// was replaced by the extractive one ("" when it was not, or when the
// extractive answerer abstained first and the model was not asked). A
// time expression in the question becomes a filter that undated articles
// pass, unless --since/--until already set one.
func ask(ctx context.Context, ix interface {
	Search(context.Context, retrieval.Query) ([]retrieval.Hit, error)
}, q retrieval.Query, opt answer.Options, model askModel) (ans answer.Answer, mode, fallback string, err error) {
	search, tr := q, retrieval.TimeRange{}
	if q.Since.IsZero() && q.Until.IsZero() {
		if r, ok := retrieval.ParseTimeRange(q.Text, time.Now()); ok {
			search.Since, search.Until, search.KeepUndated, tr = r.Since, r.Until, true, r
			if !r.Named {
				search.Text = r.WithoutPhrase(q.Text)
			}
		}
	}
	hits, err := ix.Search(ctx, search)
	if err != nil && !errors.Is(err, retrieval.ErrEmptyQuery) {
		return answer.Answer{}, "", "", err
	}
	text := tr.ExtractText(q.Text, hits)
	mode = modeExtractive
	if model.gen == nil {
		ans = answer.Extract(text, hits, opt)
	} else {
		ans, fallback = answer.Generate(ctx, model.gen, text, hits, opt,
			answer.GenOptions{ContextTokens: model.contextTokens, Partial: model.partial})
		if ans.Generated {
			mode = modeLLM
		}
	}
	ans.Question = q.Text
	return ans, mode, fallback, nil
}

// askIndex opens the database for ask. The default database is created
// and, when it has never held an article, filled with the sample
// articles, so a newcomer's first question gets an answer (see
// samples.go).
func (a *app) askIndex(ctx context.Context, flagDB string) (store, int, error) {
	path, explicit := a.dbPath(flagDB)
	ix, err := a.openIndex(ctx, path, !explicit)
	if err != nil {
		return nil, 0, err
	}
	n, err := ix.Count(ctx)
	if err == nil && n == 0 && !explicit {
		n, err = a.maybeSamples(ctx, ix, path, n)
	}
	if err != nil {
		ix.Close()
		return nil, 0, err
	}
	if n == 0 {
		fmt.Fprintf(a.err, "byline: the index at %s holds no articles yet: run \"byline index PATH...\".\n", displayDB(path))
	}
	return ix, n, nil
}

func parseDate(s string) (time.Time, error) {
	if s == "" {
		return time.Time{}, nil
	}
	for _, layout := range []string{time.RFC3339, "2006-01-02T15:04", "2006-01-02"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t.UTC(), nil
		}
	}
	return time.Time{}, fmt.Errorf("%q is not a date: use 2006-01-02 or 2006-01-02T15:04:05Z", s)
}
