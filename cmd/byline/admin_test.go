package main

import (
	"runtime"
	"slices"
	"strings"
	"testing"
)

func TestDelete(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	db := e.path("del.db")
	in := writeFiles(t, e.path("in"), map[string]string{
		"swifts.jsonl": jsonLines(t,
			map[string]any{"id": "swifts", "title": "Swift colony returns", "source": "Oakhurst Herald",
				"body": "The swift colony returned to the Oakhurst church tower in May, and volunteers counted forty nests."},
			map[string]any{"id": "bats", "title": "Bat survey finds new roost", "source": "Oakhurst Herald", "url": "https://oakhurst.example/bats",
				"body": "A bat survey found a new roost of pipistrelles in the Oakhurst mill."},
		),
	})
	e.mustRun(0, "index", "--db", db, in)
	const q = "how many swift nests did volunteers count in the Oakhurst church tower?"
	if got := cited(e.askJSON("--db", db, q)); !slices.Contains(got, "swifts") {
		t.Fatalf("before delete, ask cited %v, want swifts", got)
	}

	r := e.mustRun(0, "delete", "--db", db, "swifts")
	if r.out != "deleted swifts\n" {
		t.Errorf("stdout = %q", r.out)
	}
	if got := e.listIDs(db); !slices.Equal(got, []string{"bats"}) {
		t.Errorf("after delete, list shows %v, want [bats]", got)
	}
	if got := cited(e.askJSON("--db", db, q)); slices.Contains(got, "swifts") {
		t.Errorf("after delete, ask still cites swifts: %v", got)
	}

	tests := []struct {
		name   string
		args   []string
		code   int
		stderr string
	}{
		{"unknown ID", []string{"delete", "--db", db, "no-such-article"}, 1, "no-such-article: not found"},
		{"deleted twice", []string{"delete", "--db", db, "swifts"}, 1, "swifts: not found"},
		{"no ID", []string{"delete", "--db", db}, 2, "delete needs at least one article ID"},
		{"missing database", []string{"delete", "--db", e.path("absent.db"), "bats"}, 1, `run "byline index --db ` + e.path("absent.db") + ` PATH..." first`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := e.run(tt.args...)
			if r.code != tt.code {
				t.Errorf("exit %d, want %d\nstderr:\n%s", r.code, tt.code, r.err)
			}
			if !strings.Contains(r.err, tt.stderr) {
				t.Errorf("stderr lacks %q:\n%s", tt.stderr, r.err)
			}
		})
	}
	if got := e.listIDs(db); !slices.Equal(got, []string{"bats"}) {
		t.Errorf("failed deletes changed the index: %v", got)
	}
	if fileExists(e.path("absent.db")) {
		t.Errorf("delete created a database")
	}

	// An article is named by its URL as well.
	if r := e.mustRun(0, "delete", "--db", db, "https://oakhurst.example/bats"); r.out != "deleted bats\n" {
		t.Errorf("delete by URL: stdout = %q, want deleted bats", r.out)
	}
	if got := e.listIDs(db); len(got) != 0 {
		t.Errorf("after deleting by URL, list shows %v", got)
	}
}

func TestHelp(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		args   []string
		code   int
		stdout string // substring of stdout
		stderr string // substring of stderr
	}{
		{name: "no arguments", args: nil, code: 2, stderr: "Usage:\n  byline COMMAND"}, // a mistake in a script
		{name: "--version", args: []string{"--version"}, stdout: "byline "},
		{name: "version", args: []string{"version"}, stdout: runtime.Version()},
		{name: "healthcheck --help", args: []string{"healthcheck", "--help"}, stderr: "GETs /healthz"},
		{name: "help", args: []string{"help"}, stdout: "Usage:\n  byline COMMAND"},
		{name: "--help", args: []string{"--help"}, stdout: "Usage:\n  byline COMMAND"},
		{name: "-h", args: []string{"-h"}, stdout: "Usage:\n  byline COMMAND"},
		{name: "ask --help", args: []string{"ask", "--help"}, stderr: "Usage: byline ask [flags] QUESTION"},
		{name: "ask -h after a question", args: []string{"ask", "what happened?", "-h"}, stderr: "Usage: byline ask [flags] QUESTION"},
		{name: "index --help", args: []string{"index", "--help"}, stderr: "Usage: byline index [flags] PATH..."},
		{name: "list --help", args: []string{"list", "--help"}, stderr: "Usage: byline list"},
		{name: "stats --help", args: []string{"stats", "--help"}, stderr: "Usage: byline stats"},
		{name: "delete --help", args: []string{"delete", "--help"}, stderr: "Usage: byline delete [flags] ID..."},
		{name: "eval --help", args: []string{"eval", "--help"}, stderr: "Usage: byline eval"},
		{name: "bench --help", args: []string{"bench", "--help"}, stderr: "Usage: byline bench"},
		{name: "serve --help", args: []string{"serve", "--help"}, stderr: "Usage: byline serve"},
		{name: "feedback --help", args: []string{"feedback", "--help"}, stderr: "Usage: byline feedback"},
		{name: "unknown command", args: []string{"frobnicate"}, code: 2, stderr: `unknown command "frobnicate"`},
		{name: "index without paths", args: []string{"index"}, code: 2, stderr: "index needs at least one PATH"},
		{name: "index unknown flag", args: []string{"index", "--fast", "x"}, code: 2, stderr: "flag provided but not defined: -fast"},
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
			if fileExists(e.defaultDB()) {
				t.Errorf("%v created the default database", tt.args)
			}
		})
	}

	// The overview lists every command, and the unknown-command error
	// shows the same overview.
	e := newEnv(t)
	over := e.mustRun(0, "help").out
	bad := e.run("frobnicate").err
	for _, c := range commands {
		if !strings.Contains(over, "  "+c.name+" ") {
			t.Errorf("usage does not list %s:\n%s", c.name, over)
		}
		if !strings.Contains(bad, "  "+c.name+" ") {
			t.Errorf("unknown-command error does not list %s:\n%s", c.name, bad)
		}
	}
	if strings.Contains(over, "bench-worker") {
		t.Errorf("usage shows the hidden bench-worker command")
	}
}
