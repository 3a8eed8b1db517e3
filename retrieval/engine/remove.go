package engine

import (
	"cmp"
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/byline-news/byline/retrieval"
)

// Remove deletes the articles whose ID is ref or, when ref is an
// http(s) address, whose URL is ref, in one transaction, and returns
// them (without paragraphs). It is what an admin's "delete <ID or URL>"
// does; retrieval.ErrNotFound when nothing matched.
func (ix *Index) Remove(ctx context.Context, ref string) ([]retrieval.Article, error) {
	key := ArticleKey{ID: ref}
	if strings.HasPrefix(ref, "http://") || strings.HasPrefix(ref, "https://") {
		key.URL = ref
	}
	return ix.removeKey(ctx, key)
}

// removeKey deletes the articles with key's ID, or its URL when not "".
func (ix *Index) removeKey(ctx context.Context, key ArticleKey) ([]retrieval.Article, error) {
	ref := cmp.Or(key.URL, key.ID)
	var out []retrieval.Article
	err := ix.removeWhere(ctx, func(tx Tx) ([]StoredArticle, error) {
		found, err := tx.Lookup(ctx, []ArticleKey{key})
		if err != nil {
			return nil, err
		}
		var rows []StoredArticle
		for _, s := range found[0] {
			if s.ID == key.ID || (key.URL != "" && s.URL == key.URL) {
				rows = append(rows, s)
				out = append(out, storedArticle(s))
			}
		}
		return rows, nil
	})
	if err != nil {
		return nil, fmt.Errorf("delete %s: %w", ref, err)
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("delete %s: %w", ref, retrieval.ErrNotFound)
	}
	return out, nil
}

// DeleteOlder deletes, in one transaction, up to limit of the articles
// published before cutoff (undated ones: indexed before it), oldest
// first, and returns how many it deleted. A retention job calls it until
// it returns fewer than limit; the limit keeps each transaction, and the
// time it holds the write lock, short.
func (ix *Index) DeleteOlder(ctx context.Context, cutoff time.Time, limit int) (int, error) {
	if limit <= 0 {
		return 0, nil
	}
	n := 0
	err := ix.removeWhere(ctx, func(tx Tx) ([]StoredArticle, error) {
		rows, err := tx.Older(ctx, ceilUnix(cutoff), limit)
		n = len(rows)
		return rows, err
	})
	if err != nil {
		return 0, fmt.Errorf("delete articles older than %s: %w", cutoff.UTC().Format(time.RFC3339), err)
	}
	return n, nil
}

// removeWhere removes the articles find returns, in one transaction
// with it, and merges segments that the removal left mostly empty. It
// commits nothing when find returns none.
func (ix *Index) removeWhere(ctx context.Context, find func(Tx) ([]StoredArticle, error)) error {
	tx, err := ix.b.Begin(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback(ctx)
	found, err := find(tx)
	if err != nil || len(found) == 0 {
		return err
	}
	rows, ids := make([]int64, len(found)), make([]string, len(found))
	for i, s := range found {
		rows[i], ids[i] = s.Row, s.ID
	}
	if err := tx.RemoveArticles(ctx, rows); err != nil {
		return err
	}
	if err := tx.UnmarkProvisional(ctx, ids); err != nil {
		return err
	}
	if err := maybeMerge(ctx, tx); err != nil {
		return err
	}
	if err := tx.BumpGeneration(ctx); err != nil {
		return err
	}
	return tx.Commit(ctx)
}

func storedArticle(s StoredArticle) retrieval.Article {
	return retrieval.Article{ID: s.ID, URL: s.URL, Title: s.Title, Outlet: s.Outlet, Author: s.Author,
		Category: s.Category, Published: s.Published}
}
