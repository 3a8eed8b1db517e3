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
