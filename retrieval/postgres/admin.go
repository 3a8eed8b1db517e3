package postgres

import (
	"context"
	"errors"
	"fmt"

	"github.com/byline-news/byline/retrieval"
	"github.com/jackc/pgx/v5"
)

// Stats describes the index. Bytes is the size of byline's tables with
// their indexes and TOAST.
func (ix *Index) Stats(ctx context.Context) (retrieval.Stats, error) {
	var s retrieval.Stats
	var oldest, newest *int64
	err := ix.pool.QueryRow(ctx, `
		SELECT (SELECT count(*) FROM articles), (SELECT count(*) FROM paragraphs), (SELECT count(*) FROM segments),
		       (SELECT count(DISTINCT term) FROM postings), min(published), max(published),
		       (SELECT coalesce(sum(pg_total_relation_size(c.oid)), 0) FROM pg_class c
		        WHERE c.relnamespace = current_schema()::regnamespace AND c.relkind = 'r' AND c.relname = ANY($1))
		FROM articles`, tables).Scan(&s.Articles, &s.Paragraphs, &s.Segments, &s.Terms, &oldest, &newest, &s.Bytes)
	if err != nil {
		return s, fmt.Errorf("stats: %w", explain(err))
	}
	s.Oldest, s.Newest = fromNull(oldest), fromNull(newest)
	return s, nil
}

// Size returns the number of articles and paragraphs and the newest
// publication date: the part of Stats cheap enough for every metrics
// scrape (one pass over the articles table, not the postings).
func (ix *Index) Size(ctx context.Context) (retrieval.Stats, error) {
	var s retrieval.Stats
	var newest *int64
	err := ix.pool.QueryRow(ctx, `SELECT count(*), coalesce(sum(paragraphs), 0), max(published) FROM articles`).
		Scan(&s.Articles, &s.Paragraphs, &newest)
	if err != nil {
		return s, fmt.Errorf("size: %w", explain(err))
	}
	s.Newest = fromNull(newest)
	return s, nil
}

// Count returns the number of articles; cheaper than Stats.
func (ix *Index) Count(ctx context.Context) (int, error) {
	var n int
	if err := ix.pool.QueryRow(ctx, `SELECT count(*) FROM articles`).Scan(&n); err != nil {
		return 0, fmt.Errorf("count articles: %w", explain(err))
	}
	return n, nil
}

const articleColumns = `ext_id, url, title, outlet, author, category, published, indexed, paragraphs, updated, feed`

// List calls fn for each article (without paragraphs), newest first,
// undated last; ties by ID, byte-wise as SQLite orders them.
func (ix *Index) List(ctx context.Context, fn func(a retrieval.Article, paragraphs int) error) error {
	rows, err := ix.pool.Query(ctx, `SELECT `+articleColumns+` FROM articles
		ORDER BY published IS NULL, published DESC, ext_id COLLATE "C"`)
	if err != nil {
		return fmt.Errorf("list: %w", explain(err))
	}
	defer rows.Close()
	for rows.Next() {
		a, n, err := scanArticle(rows)
		if err != nil {
			return fmt.Errorf("list: %w", err)
		}
		if err := fn(a, n); err != nil {
			return err
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("list: %w", explain(err))
	}
	return nil
}

// Article returns one article with its paragraphs.
func (ix *Index) Article(ctx context.Context, id string) (retrieval.Article, error) {
	a, _, err := scanArticle(ix.pool.QueryRow(ctx, `SELECT `+articleColumns+` FROM articles WHERE ext_id = $1`, id))
	if errors.Is(err, pgx.ErrNoRows) {
		return a, fmt.Errorf("article %s: %w", id, retrieval.ErrNotFound)
	}
	if err != nil {
		return a, fmt.Errorf("article %s: %w", id, explain(err))
	}
	err = ix.pool.QueryRow(ctx, `SELECT coalesce(array_agg(p.text ORDER BY p.n), '{}') FROM paragraphs p
		JOIN articles a ON a.id = p.article WHERE a.ext_id = $1`, id).Scan(&a.Paragraphs)
	if err != nil {
		return a, fmt.Errorf("article %s: %w", id, explain(err))
	}
	return a, nil
}

// ArticleByURL returns the article, with its paragraphs, whose link is
// link as given or in its canonical form (retrieval.CanonicalURL), or
// whose ID is the link's (retrieval.URLID, which ingest gives a story
// read with a link and no ID, however its link was stored): the story a
// chat question links to.
func (ix *Index) ArticleByURL(ctx context.Context, link string) (retrieval.Article, error) {
	var id string
	err := ix.pool.QueryRow(ctx, `SELECT ext_id FROM articles WHERE url IN ($1, $2) AND url <> ''
		UNION SELECT ext_id FROM articles WHERE ext_id = $3 ORDER BY ext_id LIMIT 1`,
		link, retrieval.CanonicalURL(link), retrieval.URLID(link)).Scan(&id)
	if errors.Is(err, pgx.ErrNoRows) {
		return retrieval.Article{}, fmt.Errorf("article at %s: %w", link, retrieval.ErrNotFound)
	}
	if err != nil {
		return retrieval.Article{}, fmt.Errorf("article at %s: %w", link, explain(err))
	}
	return ix.Article(ctx, id)
}

func scanArticle(row pgx.Row) (retrieval.Article, int, error) {
	var a retrieval.Article
	var pub, updated *int64
	var indexed int64
	var n int
	err := row.Scan(&a.ID, &a.URL, &a.Title, &a.Outlet, &a.Author, &a.Category, &pub, &indexed, &n, &updated, &a.Feed)
	a.Published, a.Updated, a.Indexed = fromNull(pub), fromNull(updated), unix(indexed)
	return a, n, err
}
