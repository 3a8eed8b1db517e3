package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/byline-news/byline/ingest/samples"
)

// TestAskFirstRun follows the README's first command on a fresh install:
// no --db, no BYLINE_DB, nothing indexed yet.
func TestAskFirstRun(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	liang := sampleArticle(t, "liang")

	r := e.mustRun(0, "ask", "what did Liang deny?")
	if !fileExists(e.defaultDB()) {
		t.Errorf("default database %s was not created", e.defaultDB())
	}
	if !strings.Contains(r.err, "answering from the built-in sample articles, which go as soon as you index your own") {
		t.Errorf("stderr does not say the samples are being indexed:\n%s", r.err)
	}
	answer, sources, ok := strings.Cut(r.out, "\nSources:\n")
	if !ok {
		t.Fatalf("stdout has no Sources section:\n%s", r.out)
	}
	for _, want := range []string{"denied", "Liang"} {
		if !strings.Contains(answer, want) {
			t.Errorf("answer lacks %q:\n%s", want, answer)
		}
	}
	for _, want := range []string{"[1] " + liang.Title, liang.URL} {
		if !strings.Contains(sources, want) {
			t.Errorf("sources lack %q:\n%s", want, sources)
		}
	}

	// The database now holds the samples: the second question does not
	// index them again.
	r = e.mustRun(0, "ask", "what did Liang deny?")
	if r.err != "" {
		t.Errorf("second ask wrote to stderr:\n%s", r.err)
	}
	if n, _ := e.stats(e.defaultDB()); n != len(samples.Names()) {
		t.Errorf("stats: %d articles, want the %d samples", n, len(samples.Names()))
	}
}

// TestAskJSONShape checks every documented key of "ask --json" and its
// JSON type, decoding into a map so a renamed or missing key fails.
func TestAskJSONShape(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	liang := sampleArticle(t, "liang")
	r := e.mustRun(0, "ask", "--json", "what did Liang deny?")

	var doc map[string]any
	if err := json.Unmarshal([]byte(r.out), &doc); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, r.out)
	}
	wantTypes(t, "answer", doc, map[string]string{
		"question": "string", "answer": "string", "abstained": "bool", "reason": "string",
		"sources": "array", "took_ms": "number",
	})
	if doc["reason"] != "" {
		t.Errorf("reason = %q, want empty for an answer", doc["reason"])
	}
	if got, want := doc["question"], "what did Liang deny?"; got != want {
		t.Errorf("question = %v, want %q", got, want)
	}
	if doc["abstained"] != false {
		t.Errorf("abstained = %v, want false", doc["abstained"])
	}
	if ms, _ := doc["took_ms"].(float64); ms < 0 {
		t.Errorf("took_ms = %v, want ≥ 0", ms)
	}
	srcs, _ := doc["sources"].([]any)
	if len(srcs) == 0 {
		t.Fatalf("no sources:\n%s", r.out)
	}
	var ids []string
	for i, s := range srcs {
		src, ok := s.(map[string]any)
		if !ok {
			t.Fatalf("sources[%d] is %T, want an object", i, s)
		}
		wantTypes(t, fmt.Sprintf("sources[%d]", i), src, map[string]string{
			"n": "number", "article_id": "string", "title": "string", "url": "string",
			"outlet": "string", "published": "string or null", "paragraph": "number",
			"text": "string", "score": "number",
		})
		if n, _ := src["n"].(float64); n != float64(i+1) {
			t.Errorf("sources[%d].n = %v, want %d", i, src["n"], i+1)
		}
		if p, _ := src["paragraph"].(float64); p < 1 || p != float64(int(p)) {
			t.Errorf("sources[%d].paragraph = %v, want a 1-based integer", i, src["paragraph"])
		}
		if p, ok := src["published"].(string); ok {
			if _, err := time.Parse(time.RFC3339, p); err != nil {
				t.Errorf("sources[%d].published = %q, not RFC 3339: %v", i, p, err)
			}
		}
		id, _ := src["article_id"].(string)
		ids = append(ids, id)
	}
	if !slices.Contains(ids, liang.ID) {
		t.Errorf("sources %v do not cite %s", ids, liang.ID)
	}
	// The cited paragraph is the one the answer quotes: its number is
	// 1-based, so it indexes the article's paragraphs from 1.
	first := srcs[0].(map[string]any)
	if first["article_id"] == liang.ID {
		p := int(first["paragraph"].(float64))
		if p > len(liang.Paragraphs) || liang.Paragraphs[p-1] != first["text"] {
			t.Errorf("sources[0] paragraph %d text does not match the article's paragraph %d", p, p)
		}
	}
}

// TestAskCorrectsSpelling checks that a misspelt question is answered
// as spelt right, and that both outputs say what was searched: the
// JSON's "corrected" (absent when nothing was) and a line of the text.
func TestAskCorrectsSpelling(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	var doc map[string]any
	r := e.mustRun(0, "ask", "--json", "what did Liang dneied?")
	if err := json.Unmarshal([]byte(r.out), &doc); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, r.out)
	}
	if doc["corrected"] != "what did Liang denied?" || doc["question"] != "what did Liang dneied?" || doc["abstained"] != false ||
		!strings.Contains(doc["answer"].(string), "denied") {
		t.Errorf("ask --json = %s; want the question as asked, corrected \"what did Liang denied?\", and the answer", r.out)
	}
	r = e.mustRun(0, "ask", "what did Liang dneied?")
	if !strings.HasPrefix(r.out, "(Searched for: what did Liang denied?)\n") {
		t.Errorf("ask = %q; want it to start by saying what was searched", r.out)
	}
	r = e.mustRun(0, "ask", "--json", "what did Liang deny?")
	if strings.Contains(r.out, `"corrected"`) {
		t.Errorf("ask --json of a question spelt right = %s; want no \"corrected\"", r.out)
	}
}

// wantTypes fails for each key of want that obj lacks or that has
// another JSON type.
func wantTypes(t *testing.T, what string, obj map[string]any, want map[string]string) {
	t.Helper()
	for key, typ := range want {
		v, ok := obj[key]
		if !ok {
			t.Errorf("%s: key %q missing", what, key)
			continue
		}
		if got := jsonType(v); !strings.Contains(typ, got) {
			t.Errorf("%s.%s is %s (%v), want %s", what, key, got, v, typ)
		}
	}
}

func jsonType(v any) string {
	switch v.(type) {
	case nil:
		return "null"
	case bool:
		return "bool"
	case float64:
		return "number"
	case string:
		return "string"
	case []any:
		return "array"
	case map[string]any:
		return "object"
	}
	return fmt.Sprintf("%T", v)
}

// TestAskJSONUndatedAndAbstained covers the two JSON cases the samples do
// not: a source without a date (published is null) and an abstention
// (sources is an empty array, not null, and the reason is given).
func TestAskJSONUndatedAndAbstained(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	db := e.path("undated.db")
	in := writeFiles(t, e.path("in"), map[string]string{
		"lighthouse.txt": "Lighthouse keeper retires after forty years\n\n" +
			"Morwenna Trask, the last keeper of the Gullstone lighthouse, retired on Friday after forty years of tending its lamp.\n\n" +
			"The lighthouse has been automated and will be run from the harbour office.\n",
	})
	e.mustRun(0, "index", "--db", db, in)

	r := e.mustRun(0, "ask", "--json", "--db", db, "who retired from the Gullstone lighthouse?")
	var doc map[string]any
	if err := json.Unmarshal([]byte(r.out), &doc); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, r.out)
	}
	srcs, _ := doc["sources"].([]any)
	if len(srcs) == 0 {
		t.Fatalf("no sources:\n%s", r.out)
	}
	src := srcs[0].(map[string]any)
	if v, ok := src["published"]; !ok || v != nil {
		t.Errorf("published = %v (present %v), want null for an undated article", v, ok)
	}

	r = e.mustRun(0, "ask", "--json", "--db", db, "what did the orchestra play at the opera gala?")
	doc = nil
	if err := json.Unmarshal([]byte(r.out), &doc); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, r.out)
	}
	if doc["abstained"] != true {
		t.Fatalf("abstained = %v, want true:\n%s", doc["abstained"], r.out)
	}
	if s, ok := doc["sources"].([]any); !ok || len(s) != 0 {
		t.Errorf("sources = %#v, want []", doc["sources"])
	}
	if doc["answer"] != "" {
		t.Errorf("answer = %q, want empty when abstaining", doc["answer"])
	}
	if reason, _ := doc["reason"].(string); !strings.Contains(reason, "couldn't find") {
		t.Errorf("reason = %q, want it to say the answer was not found", reason)
	}
}

// TestAskErrors covers questions and flags that ask refuses or answers
// with a refusal.
func TestAskErrors(t *testing.T) {
	t.Parallel()
	nSamples := len(samples.Names())
	tests := []struct {
		name       string
		args       []string
		code       int
		stdout     string // substring of stdout
		stderr     string // substring of stderr
		noStdout   bool
		defaultsDB bool // the default database is created with the samples
	}{
		{name: "no question", args: []string{"ask"}, code: 2, stderr: `byline ask "what did Liang deny?"`, noStdout: true},
		{name: "help as the question", args: []string{"ask", "Help"}, code: 0, stderr: "Usage: byline ask [flags] QUESTION", noStdout: true},
		{name: "blank question", args: []string{"ask", "   "}, code: 2, stderr: "ask needs a question", noStdout: true},
		{name: "question too long", args: []string{"ask", strings.Repeat("tunnel ", 10240/7)}, code: 2, stderr: "at most 500", noStdout: true},
		{name: "k zero", args: []string{"ask", "--k", "0", "tunnel cost"}, code: 2, stderr: "--k must be between 1 and 100", noStdout: true},
		{name: "k too big", args: []string{"ask", "--k=101", "tunnel cost"}, code: 2, stderr: "--k must be between 1 and 100", noStdout: true},
		{name: "k not a number", args: []string{"ask", "--k", "many", "tunnel cost"}, code: 2, stderr: `invalid value "many"`, noStdout: true},
		{name: "unknown flag", args: []string{"ask", "--verbose", "tunnel cost"}, code: 2, stderr: "flag provided but not defined: -verbose", noStdout: true},
		{name: "flag missing its value", args: []string{"ask", "tunnel cost", "--since"}, code: 2, stderr: "flag needs an argument", noStdout: true},
		{name: "since garbage", args: []string{"ask", "--since", "last tuesday-ish", "tunnel cost"}, code: 2, stderr: "--since", noStdout: true},
		{name: "until garbage", args: []string{"ask", "--until=2026-13-45", "tunnel cost"}, code: 2, stderr: "is not a date", noStdout: true},
		{
			name: "only stop words", args: []string{"ask", "what is the?"}, code: 0,
			stdout: "no searchable words", defaultsDB: true,
		},
		{
			name: "nothing indexed answers it", args: []string{"ask", "what did the orchestra play at the opera gala?"}, code: 0,
			stdout: fmt.Sprintf("I couldn't find a clear answer in the %d articles I have indexed.", nSamples), defaultsDB: true,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			e := newEnv(t)
			r := e.run(tt.args...)
			if r.code != tt.code {
				t.Fatalf("exit %d, want %d\nstdout:\n%s\nstderr:\n%s", r.code, tt.code, r.out, r.err)
			}
			if !strings.Contains(r.out, tt.stdout) {
				t.Errorf("stdout lacks %q:\n%s", tt.stdout, r.out)
			}
			if !strings.Contains(r.err, tt.stderr) {
				t.Errorf("stderr lacks %q:\n%s", tt.stderr, r.err)
			}
			if tt.noStdout && r.out != "" {
				t.Errorf("stdout not empty:\n%s", r.out)
			}
			if strings.Contains(r.err, "panic") || strings.Contains(r.err, "goroutine") {
				t.Errorf("stderr shows a crash:\n%s", r.err)
			}
			if got := fileExists(e.defaultDB()); got != tt.defaultsDB {
				t.Errorf("default database exists = %v, want %v", got, tt.defaultsDB)
			}
		})
	}
}

// TestAskAbstainsInPlainText checks the text form of an abstention: the
// reason, then the closest stories under a heading that says they are
// no answer, never as "Sources".
func TestAskAbstainsInPlainText(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	r := e.mustRun(0, "ask", "what did the orchestra play at the opera gala?")
	want := fmt.Sprintf("I couldn't find a clear answer in the %d articles I have indexed. No article I have mentions “orchestra”, “opera” or “gala”.\n\nClosest stories (not an answer):\n[1] ", len(samples.Names()))
	if !strings.HasPrefix(r.out, want) || strings.Contains(r.out, "Sources:") {
		t.Errorf("stdout = %q, want it to start %q", r.out, want)
	}
	j := e.mustRun(0, "ask", "--json", "what did the orchestra play at the opera gala?")
	var doc struct {
		Abstained bool
		Answer    string
		Sources   []struct{ N int }
	}
	if err := json.Unmarshal([]byte(j.out), &doc); err != nil || !doc.Abstained || doc.Answer != "" || len(doc.Sources) == 0 {
		t.Errorf("ask --json = %s (%v), want an abstention with the closest stories as sources", j.out, err)
	}
}

// TestAskMissingDatabase: a database the user names is never created by
// ask, and the error says how to make one.
func TestAskMissingDatabase(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		args func(db string) []string
		env  func(db string) map[string]string
	}{
		{name: "--db", args: func(db string) []string { return []string{"ask", "--db", db, "tunnel cost"} }},
		{name: "--db after the question", args: func(db string) []string { return []string{"ask", "tunnel cost", "--db=" + db} }},
		{
			name: "BYLINE_DB",
			args: func(string) []string { return []string{"ask", "tunnel cost"} },
			env:  func(db string) map[string]string { return map[string]string{"BYLINE_DB": db} },
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			e := newEnv(t)
			db := e.path(filepath.Join("nowhere", "team.db"))
			if tt.env != nil {
				for k, v := range tt.env(db) {
					e.vars[k] = v
				}
			}
			r := e.run(tt.args(db)...)
			if r.code != 1 {
				t.Fatalf("exit %d, want 1\nstdout:\n%s\nstderr:\n%s", r.code, r.out, r.err)
			}
			want := `run "byline index --db ` + db + ` PATH..."`
			if tt.env != nil {
				want = `(BYLINE_DB): run "byline index PATH..."`
			}
			for _, want := range []string{db, want} {
				if !strings.Contains(r.err, want) {
					t.Errorf("stderr lacks %q:\n%s", want, r.err)
				}
			}
			if _, err := os.Stat(filepath.Dir(db)); !os.IsNotExist(err) {
				t.Errorf("ask created %s (stat: %v)", filepath.Dir(db), err)
			}
			if fileExists(e.defaultDB()) {
				t.Errorf("ask created the default database although one was named")
			}
		})
	}
}

// TestAskDateFlags indexes two dated reports on the same story and checks
// that --since and --until choose between them.
func TestAskDateFlags(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	db := e.path("dated.db")
	in := writeFiles(t, e.path("in"), map[string]string{
		"fares.jsonl": jsonLines(t,
			map[string]any{
				"id": "fares-2024", "title": "Marrowby ferry fares rise", "published": "2024-02-05T09:00:00Z",
				"source": "Estuary Post",
				"body":   "The Marrowby ferry company raised its fares by 4 percent on Monday, blaming the price of diesel.",
			},
			map[string]any{
				"id": "fares-2025", "title": "Marrowby ferry fares rise again", "published": "2025-02-03T09:00:00Z",
				"source": "Estuary Post",
				"body":   "The Marrowby ferry company raised its fares by 9 percent on Monday, blaming the price of diesel and new crew rules.",
			},
		),
	})
	e.mustRun(0, "index", "--db", db, in)
	const q = "how much did the Marrowby ferry company raise its fares?"

	all := cited(e.askJSON("--db", db, q))
	if !slices.Contains(all, "fares-2024") && !slices.Contains(all, "fares-2025") {
		t.Fatalf("without dates, neither report is cited: %v", all)
	}
	tests := []struct {
		name      string
		flags     []string
		want, not string
	}{
		{"until before the newer", []string{"--until", "2025-01-01"}, "fares-2024", "fares-2025"},
		{"until as RFC 3339", []string{"--until=2025-02-03T08:00:00Z"}, "fares-2024", "fares-2025"},
		{"since after the older", []string{"--since", "2024-06-01"}, "fares-2025", "fares-2024"},
		{"flags after the question", []string{"--until", "2025-01-01"}, "fares-2024", "fares-2025"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			args := append([]string{"--db", db}, tt.flags...)
			args = append(args, q)
			if tt.name == "flags after the question" {
				args = append([]string{q, "--db", db}, tt.flags...)
			}
			doc := e.askJSON(args...)
			ids := cited(doc)
			if doc.Abstained || !slices.Contains(ids, tt.want) {
				t.Errorf("cited %v (abstained %v, %q), want %s", ids, doc.Abstained, doc.Reason, tt.want)
			}
			if slices.Contains(ids, tt.not) {
				t.Errorf("cited %v, which includes %s, outside the dates", ids, tt.not)
			}
		})
	}

	// A range that holds neither report finds nothing.
	doc := e.askJSON("--db", db, "--since", "2030-01-01", q)
	if !doc.Abstained || len(doc.Sources) != 0 {
		t.Errorf("since 2030: abstained %v with sources %v, want an abstention", doc.Abstained, cited(doc))
	}
}

// TestAskFlagsAfterQuestion: "byline ask 'q' --json" is the same as
// "byline ask --json 'q'".
func TestAskFlagsAfterQuestion(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.mustRun(0, "ask", "what did Liang deny?") // index the samples first
	before := e.mustRun(0, "ask", "--json", "--k", "3", "what did Liang deny?")
	after := e.mustRun(0, "ask", "what did Liang deny?", "--json", "--k", "3")
	var b, a jsonAnswerDoc
	for _, x := range []struct {
		out string
		doc *jsonAnswerDoc
	}{{before.out, &b}, {after.out, &a}} {
		if err := json.Unmarshal([]byte(x.out), x.doc); err != nil {
			t.Fatalf("not JSON: %v\n%s", err, x.out)
		}
	}
	if a.Question != "what did Liang deny?" {
		t.Errorf("question = %q: the flags were taken as words", a.Question)
	}
	if a.Answer != b.Answer || !slices.Equal(cited(a), cited(b)) {
		t.Errorf("flags after the question changed the answer:\nbefore: %q %v\nafter:  %q %v", b.Answer, cited(b), a.Answer, cited(a))
	}
	// "--" ends the flags: what follows is question text even if it looks
	// like a flag.
	r := e.mustRun(0, "ask", "--json", "--", "--k", "Liang")
	var d jsonAnswerDoc
	if err := json.Unmarshal([]byte(r.out), &d); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, r.out)
	}
	if d.Question != "--k Liang" {
		t.Errorf("question = %q, want %q", d.Question, "--k Liang")
	}
}

// TestReadmeExamples runs the README's ask examples against the built-in
// samples.
func TestReadmeExamples(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.mustRun(0, "ask", "what did Liang deny?") // index the samples first
	since := time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)
	tests := []struct {
		args []string
		cite string // substring of the first source's article ID
	}{
		{[]string{"how much will the South Harbour Tunnel cost?"}, "harbour-tunnel"},
		{[]string{"--since", "2026-11-01", "tunnel"}, "harbour-tunnel"},
		{[]string{"who won the Coastal Cup?"}, "sample-herons-cup"},
		{[]string{"--source", "Byline Sample Wire", "who won the Coastal Cup?"}, "sample-herons-cup"},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.args, " "), func(t *testing.T) {
			doc := e.askJSON(tt.args...)
			if doc.Abstained || len(doc.Sources) == 0 {
				t.Fatalf("abstained (%q), want an answer citing %s", doc.Reason, tt.cite)
			}
			if id := doc.Sources[0].ArticleID; !strings.Contains(id, tt.cite) {
				t.Errorf("first source %s, want %s", id, tt.cite)
			}
			if tt.args[0] != "--since" {
				return
			}
			for _, s := range doc.Sources {
				p, err := time.Parse(time.RFC3339, deref(s.Published))
				if err != nil || p.Before(since) {
					t.Errorf("--since 2026-11-01 cited %s published %v", s.ArticleID, deref(s.Published))
				}
			}
		})
	}
	e.mustRun(0, "delete", "sample-herons-cup")
	if doc := e.askJSON("who won the Coastal Cup?"); slices.Contains(cited(doc), "sample-herons-cup") {
		t.Errorf("after delete, ask still cites sample-herons-cup")
	}
}

func deref(s *string) string {
	if s == nil {
		return "<nil>"
	}
	return *s
}
