package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"

	"github.com/byline-news/byline/retrieval"
)

// Stats describes the index.
func (ix *Index) Stats(ctx context.Context) (retrieval.Stats, error) {
	var s retrieval.Stats
	var oldest, newest sql.NullInt64
	err := ix.db.QueryRowContext(ctx, `
		SELECT (SELECT count(*) FROM articles), (SELECT count(*) FROM paragraphs),
		       (SELECT count(*) FROM segments), min(published), max(published) FROM articles`).
		Scan(&s.Articles, &s.Paragraphs, &s.Segments, &oldest, &newest)
	if err != nil {
		return s, fmt.Errorf("stats: %w", explain(err))
	}
	if err := ix.db.QueryRowContext(ctx, `SELECT count(DISTINCT term) FROM postings`).Scan(&s.Terms); err != nil {
		return s, fmt.Errorf("stats: %w", explain(err))
	}
	s.Oldest, s.Newest = fromNull(oldest), fromNull(newest)
	for _, suffix := range []string{"", "-wal"} {
		if fi, err := os.Stat(ix.path + suffix); err == nil {
			s.Bytes += fi.Size()
		}
	}
	return s, nil
}

// Size returns the number of articles and paragraphs and the newest
// publication date: the part of Stats cheap enough for every metrics
// scrape (one pass over the articles table, not the postings).
func (ix *Index) Size(ctx context.Context) (retrieval.Stats, error) {
	var s retrieval.Stats
	var newest sql.NullInt64
	err := ix.db.QueryRowContext(ctx, `SELECT count(*), coalesce(sum(paragraphs), 0), max(published) FROM articles`).
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
	if err := ix.db.QueryRowContext(ctx, `SELECT count(*) FROM articles`).Scan(&n); err != nil {
		return 0, fmt.Errorf("count articles: %w", explain(err))
	}
	return n, nil
}

// List calls fn for each article (without paragraphs), newest first,
// undated last.
func (ix *Index) List(ctx context.Context, fn func(a retrieval.Article, paragraphs int) error) error {
	rows, err := ix.db.QueryContext(ctx, `
		SELECT ext_id, url, title, outlet, author, category, published, indexed, paragraphs, updated, feed
		FROM articles ORDER BY published IS NULL, published DESC, ext_id`)
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
	return rows.Err()
}

// Article returns one article with its paragraphs.
func (ix *Index) Article(ctx context.Context, id string) (retrieval.Article, error) {
	row := ix.db.QueryRowContext(ctx, `
		SELECT ext_id, url, title, outlet, author, category, published, indexed, paragraphs, updated, feed
		FROM articles WHERE ext_id = ?`, id)
	a, _, err := scanArticle(row)
	if errors.Is(err, sql.ErrNoRows) {
		return a, fmt.Errorf("article %s: %w", id, retrieval.ErrNotFound)
	}
	if err != nil {
		return a, fmt.Errorf("article %s: %w", id, explain(err))
	}
	rows, err := ix.db.QueryContext(ctx, `
		SELECT p.text FROM paragraphs p JOIN articles a ON a.id = p.article WHERE a.ext_id = ? ORDER BY p.n`, id)
	if err != nil {
		return a, fmt.Errorf("article %s: %w", id, explain(err))
	}
	defer rows.Close()
	for rows.Next() {
		var text string
		if err := rows.Scan(&text); err != nil {
			return a, err
		}
		a.Paragraphs = append(a.Paragraphs, text)
	}
	return a, rows.Err()
}

// ArticleByURL returns the article, with its paragraphs, whose link is
// link as given or in its canonical form (retrieval.CanonicalURL), or
// whose ID is the link's (retrieval.URLID, which ingest gives a story
// read with a link and no ID, however its link was stored): the story a
// chat question links to.
func (ix *Index) ArticleByURL(ctx context.Context, link string) (retrieval.Article, error) {
	var id string
	err := ix.db.QueryRowContext(ctx, `SELECT ext_id FROM articles WHERE url IN (?1, ?2) AND url <> ''
		UNION SELECT ext_id FROM articles WHERE ext_id = ?3 ORDER BY ext_id LIMIT 1`,
		link, retrieval.CanonicalURL(link), retrieval.URLID(link)).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return retrieval.Article{}, fmt.Errorf("article at %s: %w", link, retrieval.ErrNotFound)
	}
	if err != nil {
		return retrieval.Article{}, fmt.Errorf("article at %s: %w", link, explain(err))
	}
	return ix.Article(ctx, id)
}

type scanner interface{ Scan(dest ...any) error }

func scanArticle(sc scanner) (retrieval.Article, int, error) {
	var a retrieval.Article
	var pub, updated sql.NullInt64
	var indexed int64
	var n int
	err := sc.Scan(&a.ID, &a.URL, &a.Title, &a.Outlet, &a.Author, &a.Category, &pub, &indexed, &n, &updated, &a.Feed)
	a.Published, a.Updated = fromNull(pub), fromNull(updated)
	a.Indexed = timeUnix(indexed)
	return a, n, err
}
