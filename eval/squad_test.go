package eval

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/byline-news/byline/retrieval"
	"github.com/byline-news/byline/retrieval/sqlite"
)

const sharedQA = "../../shared/data/qa"

func needShared(t testing.TB, path string) {
	t.Helper()
	if _, err := os.Stat(path); err != nil {
		t.Skipf("%s not present (the ../shared data folder is absent): %v", path, err)
	}
}

// TestSQuADRetrievalFloor asserts the lexical quality floor on the
// full SQuAD v1.1 dev set: recall@1 >= 0.80 and MRR@10 >= 0.86.
func TestSQuADRetrievalFloor(t *testing.T) {
	needShared(t, sharedQA)
	ctx := context.Background()
	arts, err := SQuADContexts(filepath.Join(sharedQA, "squad-v1.1-dev-contexts.jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	qs, err := SQuADQuestions(filepath.Join(sharedQA, "squad-v1.1-dev.jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	ix, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "squad.db"), sqlite.Options{Create: true})
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	if _, err := ix.Put(ctx, arts); err != nil {
		t.Fatal(err)
	}
	r, err := Retrieval(ctx, ix, qs, func(h retrieval.Hit) string { return h.Article.ID })
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("SQuAD: %d questions, R@1 %.4f R@5 %.4f MRR@10 %.4f p50 %.2fms p99 %.2fms", r.Questions, r.Recall1, r.Recall5, r.MRR10, r.P50ms, r.P99ms)
	if r.Recall1 < 0.80 || r.MRR10 < 0.86 {
		t.Errorf("SQuAD R@1 %.4f (floor 0.80), MRR@10 %.4f (floor 0.86)", r.Recall1, r.MRR10)
	}
}
