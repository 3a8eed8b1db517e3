package bench

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestCachedIndex(t *testing.T) {
	ctx := context.Background()
	articles := filepath.Join(t.TempDir(), "articles.jsonl")
	data := `{"id": "a", "title": "Ferry fares rise", "body": "Ferry fares rose by a tenth on Monday.\n\nThe operator blamed the price of fuel."}
{"id": "b", "title": "Bridge reopens", "body": "The harbour bridge reopened after six weeks of repairs."}
`
	if err := os.WriteFile(articles, []byte(data), 0o644); err != nil {
		t.Fatal(err)
	}
	base, err := LoadArticles(ctx, articles)
	if err != nil || len(base) != 2 || len(base[0].Paragraphs) != 2 {
		t.Fatalf("LoadArticles = %d articles (%v), want 2, the first with 2 paragraphs", len(base), err)
	}
	dir := filepath.Join(t.TempDir(), "cache")
	for i, wantBuild := range []bool{true, false} {
		var logs []string
		logf := func(format string, args ...any) { logs = append(logs, fmt.Sprintf(format, args...)) }
		ix, err := CachedIndex(ctx, dir, articles, 5, logf)
		if err != nil {
			t.Fatal(err)
		}
		st, err := ix.Stats(ctx)
		ix.Close()
		if err != nil || st.Paragraphs != 5 {
			t.Errorf("call %d: %d paragraphs (%v), want 5", i, st.Paragraphs, err)
		}
		if built := strings.Contains(strings.Join(logs, "\n"), "built "); built != wantBuild {
			t.Errorf("call %d: built = %v, want %v (logs %q)", i, built, wantBuild, logs)
		}
	}
}
