package answer_test

import (
	"context"
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/byline-news/byline/answer"
	"github.com/byline-news/byline/retrieval/sqlite"
)

func TestZZSearch(t *testing.T) {
	q := os.Getenv("ZZQ")
	if q == "" {
		t.Skip()
	}
	ctx := context.Background()
	ix, err := sqlite.Open(ctx, "/tmp/bbc.db", sqlite.Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	for _, qq := range strings.Split(q, "|") {
		rq := answer.Request{Question: qq, K: 15}
		query := rq.Query()
		fmt.Printf("\n=== %s  terms=%q\n", qq, query.Text)
		hits, err := ix.Search(ctx, query)
		if err != nil {
			t.Fatal(err)
		}
		for i, h := range hits {
			fmt.Printf("  %2d %.3f %s#%d %.60s | %.100s\n", i, h.Score, h.Article.ID, h.Paragraph, h.Article.Title, h.Text)
		}
	}
}
