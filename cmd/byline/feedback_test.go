package main

import (
	"context"
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/byline-news/byline/retrieval/sqlite"
)

func TestFeedbackCommand(t *testing.T) {
	ctx := context.Background()
	db := filepath.Join(t.TempDir(), "fb.db")
	ix, err := sqlite.Open(ctx, db, sqlite.Options{Create: true})
	if err != nil {
		t.Fatal(err)
	}
	err = ix.SaveFeedback(ctx, sqlite.Feedback{At: time.Date(2026, 11, 20, 9, 0, 0, 0, time.UTC), Platform: "slack", Channel: "C1",
		User: "U1", Question: "what did Liang deny?", Answer: "Liang denied it.", Sources: []string{"sample-liang-cyber"}, Helpful: true})
	ix.Close()
	if err != nil {
		t.Fatal(err)
	}
	env := map[string]string{"HOME": t.TempDir()}
	getenv := func(k string) string { return env[k] }

	var out, errb strings.Builder
	if code := run(ctx, []string{"feedback", "--db", db}, stdio{in: strings.NewReader(""), out: &out, err: &errb}, getenv); code != 0 {
		t.Fatalf("exit %d: %s", code, errb.String())
	}
	if !strings.Contains(out.String(), "what did Liang deny?") || !strings.Contains(out.String(), "👍") {
		t.Errorf("table lacks the feedback:\n%s", out.String())
	}

	out.Reset()
	if code := run(ctx, []string{"feedback", "--json", "--db", db}, stdio{in: strings.NewReader(""), out: &out, err: &errb}, getenv); code != 0 {
		t.Fatalf("exit %d: %s", code, errb.String())
	}
	var got map[string]any
	if err := json.Unmarshal([]byte(out.String()), &got); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, out.String())
	}
	if got["helpful"] != true || got["user"] != "U1" || got["at"] != "2026-11-20T09:00:00Z" {
		t.Errorf("JSON = %v", got)
	}
}
