package main

import (
	"time"

	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"sort"
	"strings"
	"sync"

	"github.com/byline-news/byline/config"
	"github.com/byline-news/byline/llm"
)

// stdio is the process's standard streams, swapped in tests.
type stdio struct {
	in       io.Reader
	out, err io.Writer
}

// app is one invocation of the byline command.
type app struct {
	stdio
	cfg config.Config
	log *slog.Logger

	dbFlag string      // the command's --db, as dbPath last saw it
	llm    *llm.Client // the model endpoint's client, made on first use by model()
	llmErr error

	evalDB  string      // eval: the PostgreSQL database for its indexes, "" for SQLite
	evalMax int         // eval: questions per set, 0 for all
	limits  *httpLimits // serve's listener limits; nil: defaultLimits (tests shorten them)
	// watchEvery is serve's time between watch rounds; 0: the bot's
	// default (tests shorten it).
	watchEvery time.Duration

	holderOnce sync.Once // see leaseHolder
	holder     string
}

type command struct {
	name, args, summary string
	run                 func(ctx context.Context, a *app, args []string) error
}

var commands = []command{
	{"ask", "QUESTION", "answer a question from the indexed articles, citing sources", runAsk},
	{"index", "PATH...", "index articles from files, directories or - (stdin)", runIndex},
	{"add", "URL...", "fetch article pages from the web and index them", runAdd},
	{"feeds", "add|list|remove|poll", "manage the RSS/Atom/JSON feeds that serve keeps polling", runFeeds},
	{"reembed", "", "embed paragraphs for hybrid search (after changing BYLINE_EMBED_MODEL)", runReembed},
	{"list", "", "list indexed articles, newest first", runList},
	{"stats", "", "show what the index holds", runStats},
	{"delete", "ID...", "remove articles from the index", runDelete},
	{"serve", "", "answer questions in Slack and Discord until stopped", runServe},
	{"feedback", "", "list readers' 👍/👎 on answers given in chat", runFeedback},
	{"eval", "", "measure retrieval and answer quality on the ../shared QA sets", runEval},
	{"bench", "", "measure indexing and query speed at 10k–1M paragraphs", runBench},
	{"migrate", "--from F --to URL", "copy a SQLite database into PostgreSQL, checked table by table", runMigrate},
	{"config", "", "show the settings in effect and where each came from (secrets masked)", runConfig},
	{"healthcheck", "", "check that a running serve answers on /healthz (for HEALTHCHECK)", runHealthcheck},
}

// errUsage marks errors whose message is usage advice; exit code 2.
var errUsage = errors.New("usage")

// exitError carries a specific exit code with an already-printed message.
type exitError struct{ code int }

func (e exitError) Error() string { return fmt.Sprintf("exit status %d", e.code) }

func run(ctx context.Context, args []string, io stdio, getenv func(string) string) int {
	if len(args) == 0 {
		usage(io.err) // a bare "byline" is a mistake in a script: exit 2
		return 2
	}
	switch args[0] {
	case "help", "-h", "-help", "--help":
		usage(io.out)
		return 0
	case "version", "-version", "--version":
		printVersion(io.out)
		return 0
	}
	cmd, ok := lookup(args[0])
	if args[0] == "bench-worker" {
		cmd, ok = command{name: "bench-worker", run: runBenchWorker}, true
	}
	if !ok {
		fmt.Fprintf(io.err, "byline: unknown command %q\n\n", args[0])
		usage(io.err)
		return 2
	}
	a := &app{stdio: io}
	cfg, err := config.Load(getenv)
	if err != nil {
		fmt.Fprintf(io.err, "byline: configuration: %v\n", err)
		return 2
	}
	a.cfg = cfg
	a.log = slog.New(slog.NewTextHandler(io.err, &slog.HandlerOptions{Level: cfg.LogLevel}))
	err = cmd.run(ctx, a, args[1:])
	return a.exitCode(err)
}

func (a *app) exitCode(err error) int {
	var ee exitError
	switch {
	case err == nil, errors.Is(err, flag.ErrHelp):
		return 0
	case errors.As(err, &ee):
		return ee.code
	case errors.Is(err, errUsage):
		fmt.Fprintf(a.err, "byline: %v\n", err)
		return 2
	case errors.Is(err, context.Canceled):
		fmt.Fprintf(a.err, "byline: interrupted: %v\n", err)
		return 130
	}
	fmt.Fprintf(a.err, "byline: %v\n", err)
	return 1
}

func lookup(name string) (command, bool) {
	for _, c := range commands {
		if c.name == name {
			return c, true
		}
	}
	return command{}, false
}

func usage(w io.Writer) {
	fmt.Fprint(w, `byline answers questions about the news with short, sourced answers.

Usage:
  byline COMMAND [flags] [arguments]

Commands:
`)
	for _, c := range commands {
		fmt.Fprintf(w, "  %-11s %-20s %s\n", c.name, c.args, c.summary)
	}
	fmt.Fprint(w, `
Examples:
  byline ask "what did Liang deny?"          answers from built-in sample articles on first run
  byline index ~/news articles.jsonl        index a folder and a JSON Lines file
  byline ask --since 2026-11-01 "tunnel cost"
  byline ask --json "who won the Coastal Cup?"

Environment:
  BYLINE_DB           database file (default $XDG_DATA_HOME/byline/byline.db)
  BYLINE_DATABASE_URL PostgreSQL instead (postgres://user:pw@host/db?search_path=byline), for replicas
  BYLINE_LOG_LEVEL    debug, info, warn or error (default info)
  BYLINE_FETCH_ALLOW  private hosts or CIDRs that add and feeds may fetch
  BYLINE_CHAT_MODEL   chat model for generated answers (with OPENAI_BASE_URL, OPENAI_API_KEY)
  BYLINE_EMBED_MODEL  embedding model for hybrid search (then run byline reembed)
  "byline config" shows every setting in effect, where it came from, secrets masked;
  the README's Configuration section explains each one, Slack's and Discord's too

Run "byline COMMAND --help" for a command's flags, "byline --version" for
the version.
`)
}

// flags makes a FlagSet whose --help text teaches the command.
func (a *app) flags(name, args, about string) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(a.err)
	fs.Usage = func() {
		fmt.Fprintf(a.err, "Usage: byline %s [flags] %s\n\n%s\n\nFlags:\n", name, args, strings.TrimSpace(about))
		fs.PrintDefaults()
	}
	return fs
}

// parse parses flags that may come before or after the arguments
// ("byline ask 'q' --json" works as well as "byline ask --json 'q'").
func parse(fs *flag.FlagSet, args []string) ([]string, error) {
	var flags, rest []string
	for i := 0; i < len(args); i++ {
		arg := args[i]
		if arg == "--" {
			rest = append(rest, args[i+1:]...)
			break
		}
		if len(arg) < 2 || arg[0] != '-' {
			rest = append(rest, arg)
			continue
		}
		flags = append(flags, arg)
		name := strings.TrimLeft(arg, "-")
		if strings.Contains(name, "=") {
			continue
		}
		if f := fs.Lookup(name); f != nil && !isBool(f) && i+1 < len(args) {
			i++
			flags = append(flags, args[i])
		}
	}
	if err := fs.Parse(flags); err != nil {
		return nil, fmt.Errorf("%w: %w", errUsage, err) // a bad flag is a usage error: exit 2
	}
	return rest, nil
}

func isBool(f *flag.Flag) bool {
	b, ok := f.Value.(interface{ IsBoolFlag() bool })
	return ok && b.IsBoolFlag()
}

func sortedKeys(m map[string]int) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool { return m[keys[i]] > m[keys[j]] || (m[keys[i]] == m[keys[j]] && keys[i] < keys[j]) })
	return keys
}
