package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"net/url"
	"slices"
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
	sources      listFlag // outlets, or feed URLs
	categories   listFlag

	sinceT, untilT time.Time // since and until, parsed by check
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

A misspelt word that no indexed article has ("goverment") is searched
as the indexed word one typing slip away ("government"), and the answer
starts by saying what was searched. What chat wraps a question in is
not searched: greetings, an opening apology or aside ("sorry to bother,
but", "quick question:"), a lead-in ("does anyone know"), and thanks
after the question ("cheers"). A link in the question says which
story it is about: when the story is indexed and holds the question's
words, the answer comes from it ("what does https://… say about fares?");
when it is not indexed, the answer says so first. A link alone, or with
"tl;dr" or "what's this about?", gets the story's opening paragraph. An
answer that cites a story newer than its own says so first ("Newer
coverage: [2], 19 Nov 2026.").

Time words in the question ("yesterday", "last week", "in March") limit
the search to articles published then (articles without a date still
count). A question only about time ("what happened last week?") lists
the newest stories of the range; one that asks for the latest on a
topic ("what's the latest on the tunnel?", "what's going on with the
tunnel?"), a summary of it ("tl;dr the tunnel") or only names it
("tunnel?", "Liang Guanglie") the newest stories about it. --since and
--until limit the search strictly. --source (an outlet or a feed URL)
and --category, each repeatable, limit it to those sources, as a chat
channel's sources do (a source or category that no indexed article has
is refused, naming those indexed):
  byline ask --source "BBC News" --category business "what did the bank say?"

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
	fs.Var(&f.sources, "source", "only articles from this `outlet or feed URL` (repeatable)")
	fs.Var(&f.categories, "category", "only articles in this `category` (repeatable)")
	rest, err := parse(fs, args)
	if err != nil {
		return err
	}
	question := strings.TrimSpace(strings.Join(rest, " "))
	if strings.EqualFold(question, "help") {
		// "byline ask help" wants this text, not the latest stories on help.
		fs.Usage()
		return flag.ErrHelp
	}
	if err := f.check(question); err != nil {
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
	if err := checkScope(ctx, ix, f.scope()); err != nil {
		return err
	}
	s, err := a.searcherFor(ix, false)
	if err != nil {
		return err
	}
	req := f.request(question, corpus, gen, a.cfg.LLM.ChatContext)
	tty := isTerminal(a.out)
	var draft *draft
	if gen != nil && !f.json && tty {
		draft = newDraft(a.out, terminalWidth(a.out))
		req.Gen.Partial = draft.show
	}
	ans, err := answer.Ask(ctx, s, req)
	draft.clear()
	if err != nil {
		return err
	}
	if ans.Fallback != "" {
		a.log.Warn("generated answer replaced by the extractive one", "reason", ans.Fallback)
	}
	took := time.Since(start)
	if f.json {
		return writeJSON(a.out, jsonAnswer(ans, took))
	}
	printAnswer(a.out, ans, tty)
	return nil
}

// check validates the question and flags.
func (f *askFlags) check(question string) error {
	if question == "" {
		return fmt.Errorf("%w: ask needs a question, e.g. byline ask \"what did Liang deny?\"", errUsage)
	}
	if n := utf8.RuneCountInString(question); n > maxQuestion {
		return fmt.Errorf("%w: the question is %s characters long; ask in at most %d", errUsage, answer.Thousands(n), maxQuestion)
	}
	if f.k < 1 || f.k > 100 {
		return fmt.Errorf("%w: --k must be between 1 and 100", errUsage)
	}
	var err error
	if f.sinceT, err = parseDate(f.since); err != nil {
		return fmt.Errorf("%w: --since: %v", errUsage, err)
	}
	if f.untilT, err = parseDate(f.until); err != nil {
		return fmt.Errorf("%w: --until: %v", errUsage, err)
	}
	return nil
}

// request is the question as answer.Ask takes it: the same path the chat
// bot and byline eval take.
func (f *askFlags) request(question string, corpus int, gen answer.Generator, contextTokens int) answer.Request {
	return answer.Request{
		Question: question, Now: time.Now(), Since: f.sinceT, Until: f.untilT, K: f.k, Scope: f.scope(),
		Options: answer.Options{Corpus: corpus},
		Model:   gen, Gen: answer.GenOptions{ContextTokens: contextTokens},
	}
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

// scope is the search's scope from --source and --category: a source
// that is a URL is a feed, else an outlet.
func (f *askFlags) scope() retrieval.Scope {
	s := retrieval.Scope{Categories: f.categories}
	for _, v := range f.sources {
		if u, err := url.Parse(v); err == nil && (u.Scheme == "http" || u.Scheme == "https") && u.Host != "" {
			s.Feeds = append(s.Feeds, v)
		} else {
			s.Outlets = append(s.Outlets, v)
		}
	}
	return s
}

// checkScope refuses a --source or --category that no indexed article
// has (a typo would otherwise answer "I couldn't find that"), naming
// those that exist.
func checkScope(ctx context.Context, ix interface {
	Sources(ctx context.Context) (retrieval.Scope, error)
}, s retrieval.Scope) error {
	if s.IsZero() {
		return nil
	}
	known, err := ix.Sources(ctx)
	if err != nil {
		return err
	}
	for _, c := range []struct {
		flag, what    string
		given, exists []string
		fold          bool
	}{
		{"--source", "outlet", s.Outlets, known.Outlets, true},
		{"--source", "feed", s.Feeds, known.Feeds, false},
		{"--category", "category", s.Categories, known.Categories, true},
	} {
		for _, v := range c.given {
			if !slices.ContainsFunc(c.exists, func(k string) bool { return k == v || (c.fold && retrieval.FoldSource(k) == retrieval.FoldSource(v)) }) {
				return fmt.Errorf("%w: %s %q: no indexed article has that %s (%s)", errUsage, c.flag, v, c.what, knownList(c.what, c.exists))
			}
		}
	}
	return nil
}

// knownList names up to ten of the indexed sources of a kind.
func knownList(what string, names []string) string {
	if len(names) == 0 {
		return "none is indexed"
	}
	const most = 10
	shown := strings.Join(names[:min(len(names), most)], ", ")
	if len(names) > most {
		shown += fmt.Sprintf(", … %d in all", len(names))
	}
	return "indexed: " + shown
}

// listFlag is a flag that may be given several times.
type listFlag []string

func (l *listFlag) String() string { return strings.Join(*l, ", ") }

func (l *listFlag) Set(v string) error {
	if v = strings.TrimSpace(v); v == "" {
		return errors.New("empty value")
	}
	*l = append(*l, v)
	return nil
}
