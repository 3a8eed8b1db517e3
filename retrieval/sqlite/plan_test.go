package sqlite

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
)

// TestLookupUsesIndexes guards the per-article replacement lookup: a plan
// that scans the articles table makes every index call quadratic.
func TestLookupUsesIndexes(t *testing.T) {
	ctx := context.Background()
	ix, err := Open(ctx, filepath.Join(t.TempDir(), "plan.db"), Options{Create: true})
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	plan := queryPlan(t, ix, lookupSQL, "id", "https://example.com/a", "hash")
	for _, step := range plan {
		if strings.HasPrefix(step, "SCAN articles") {
			t.Errorf("lookup scans the articles table: %q\nplan: %q", step, plan)
		}
	}
}

// TestEmbedQueriesUseIndexes: finding paragraphs still to hash and
// vectors still without q8 must not scan paragraphs or search every
// vector, as Embed runs them each time; listing a model's hashes must
// come from the (model, hash) index alone, reading no vector.
func TestEmbedQueriesUseIndexes(t *testing.T) {
	ctx := context.Background()
	ix, err := Open(ctx, filepath.Join(t.TempDir(), "plan.db"), Options{Create: true})
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	tests := []struct {
		query string
		args  []any
		want  string
	}{
		{unhashedSQL, []any{0, hashChunk}, "SEARCH paragraphs USING INDEX paragraphs_nohash"},
		{noQ8SQL, []any{"m", []byte{}, hashChunk}, "SEARCH embeddings USING INDEX embeddings_noq8"},
		{modelHashesSQL, []any{"m"}, "SEARCH embeddings USING COVERING INDEX embeddings_key"},
	}
	for _, tt := range tests {
		plan := queryPlan(t, ix, tt.query, tt.args...)
		if len(plan) != 1 || !strings.HasPrefix(plan[0], tt.want) {
			t.Errorf("plan for %s: %q, want %q", tt.query, plan, tt.want)
		}
	}
}

func queryPlan(t *testing.T, ix *Index, query string, args ...any) []string {
	t.Helper()
	rows, err := ix.db.QueryContext(context.Background(), "EXPLAIN QUERY PLAN "+query, args...)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var plan []string
	for rows.Next() {
		var id, parent, notused int
		var detail string
		if err := rows.Scan(&id, &parent, &notused, &detail); err != nil {
			t.Fatal(err)
		}
		plan = append(plan, detail)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return plan
}
