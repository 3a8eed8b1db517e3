package main

import (
	"context"
	"errors"
	"fmt"
	"text/tabwriter"
	"time"

	"github.com/byline-news/byline/answer"
	"github.com/byline-news/byline/retrieval"
)

func runStats(ctx context.Context, a *app, args []string) error {
	var db string
	var asJSON bool
	fs := a.flags("stats", "", "Shows how many articles and paragraphs the index holds, its size on disk and the dates it covers.")
	dbFlags(fs, &db, &asJSON, "print as JSON")
	if _, err := parse(fs, args); err != nil {
		return err
	}
	ix, path, err := a.existingIndex(ctx, db)
	if err != nil {
		return err
	}
	defer ix.Close()
	s, err := ix.Stats(ctx)
	if err != nil {
		return err
	}
	model := a.cfg.LLM.EmbedModel
	var vectors, missing int
	if model != "" {
		if vectors, missing, err = ix.EmbeddingStats(ctx, model); err != nil {
			return err
		}
	}
	if asJSON {
		doc := map[string]any{
			"database": path, "articles": s.Articles, "paragraphs": s.Paragraphs, "terms": s.Terms,
			"segments": s.Segments, "bytes": s.Bytes, "oldest": dateOrNil(s.Oldest), "newest": dateOrNil(s.Newest),
		}
		if model != "" {
			doc["embed_model"], doc["vectors"], doc["vectors_missing"] = model, vectors, missing
		}
		return writeJSON(a.out, doc)
	}
	w := tabwriter.NewWriter(a.out, 0, 0, 2, ' ', 0)
	fmt.Fprintf(w, "database\t%s\n", path)
	fmt.Fprintf(w, "articles\t%s\n", answer.Thousands(s.Articles))
	fmt.Fprintf(w, "paragraphs\t%s\n", answer.Thousands(s.Paragraphs))
	fmt.Fprintf(w, "terms\t%s\n", answer.Thousands(s.Terms))
	fmt.Fprintf(w, "segments\t%d\n", s.Segments)
	fmt.Fprintf(w, "size\t%.1f MB\n", float64(s.Bytes)/1e6)
	if !s.Oldest.IsZero() {
		fmt.Fprintf(w, "published\t%s to %s\n", s.Oldest.Format("2 Jan 2006"), s.Newest.Format("2 Jan 2006"))
	}
	if model != "" {
		fmt.Fprintf(w, "vectors\t%s by %s, %s paragraphs without (byline reembed)\n", answer.Thousands(vectors), model, answer.Thousands(missing))
	}
	return w.Flush()
}

func dateOrNil(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return t.Format(time.RFC3339)
}

// defaultListLimit is how many articles list shows unless told: a
// screenful or two, not the 20,000 lines of a big archive.
const defaultListLimit = 50

// errListed stops List once the limit is reached.
var errListed = errors.New("listed enough")

func runList(ctx context.Context, a *app, args []string) error {
	var db string
	var asJSON bool
	var limit int
	fs := a.flags("list", "", `
Lists the indexed articles, newest first (undated last): ID, date,
paragraphs, outlet and title. Shows the newest 50 unless --limit says
otherwise, and says on stderr how many more there are.

Examples:
  byline list --limit 10
  byline list --limit 0 --json > articles.jsonl   every article, one JSON object per line`)
	dbFlags(fs, &db, &asJSON, "print one JSON object per line")
	fs.IntVar(&limit, "limit", defaultListLimit, "show at most `n` articles; 0 shows all")
	if _, err := parse(fs, args); err != nil {
		return err
	}
	if limit < 0 {
		return fmt.Errorf("%w: --limit must be 0 (all) or more", errUsage)
	}
	ix, _, err := a.existingIndex(ctx, db)
	if err != nil {
		return err
	}
	defer ix.Close()
	w := tabwriter.NewWriter(a.out, 0, 0, 2, ' ', 0)
	if !asJSON {
		fmt.Fprintln(w, "ID\tPUBLISHED\tPARAS\tOUTLET\tTITLE")
	}
	shown := 0
	err = ix.List(ctx, func(art retrieval.Article, paras int) error {
		if limit > 0 && shown == limit {
			return errListed
		}
		shown++
		if asJSON {
			return writeJSONLine(a.out, art, paras)
		}
		date := "-"
		if !art.Published.IsZero() {
			date = art.Published.Format("2006-01-02")
		}
		_, err := fmt.Fprintf(w, "%s\t%s\t%d\t%s\t%s\n", termSafe(art.ID), date, paras, termSafe(art.Outlet), termSafe(art.Title))
		return err
	})
	if err != nil && !errors.Is(err, errListed) {
		return err
	}
	if err := w.Flush(); err != nil {
		return err
	}
	if errors.Is(err, errListed) {
		total, err := ix.Count(ctx)
		if err != nil {
			return err
		}
		fmt.Fprintf(a.err, "byline: showing the newest %d of %s; %s more (--limit 0 lists all).\n",
			shown, count(total, "article"), answer.Thousands(total-shown))
	}
	return nil
}

func writeJSONLine(w interface{ Write([]byte) (int, error) }, art retrieval.Article, paras int) error {
	return writeJSONCompact(w, map[string]any{
		"id": art.ID, "title": art.Title, "url": art.URL, "outlet": art.Outlet, "author": art.Author,
		"category": art.Category, "published": dateOrNil(art.Published), "updated": dateOrNil(art.Updated), "indexed": dateOrNil(art.Indexed),
		"paragraphs": paras,
	})
}

func runDelete(ctx context.Context, a *app, args []string) error {
	var db string
	fs := a.flags("delete", "ID...", "Removes the articles with these IDs (as shown by \"byline list\"), or these URLs, from the index.")
	fs.StringVar(&db, "db", "", "database `file`, or postgres:// URL")
	ids, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(ids) == 0 {
		return fmt.Errorf("%w: delete needs at least one article ID (see \"byline list\")", errUsage)
	}
	ix, _, err := a.existingIndex(ctx, db)
	if err != nil {
		return err
	}
	defer ix.Close()
	for _, ref := range ids {
		gone, err := ix.Remove(ctx, ref)
		if err != nil {
			return err
		}
		for _, art := range gone {
			fmt.Fprintf(a.out, "deleted %s\n", art.ID)
		}
	}
	return nil
}
