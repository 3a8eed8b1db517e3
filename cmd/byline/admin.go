package main

import (
	"context"
	"fmt"
	"github.com/byline-news/byline/answer"
	"text/tabwriter"
	"time"

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

func runList(ctx context.Context, a *app, args []string) error {
	var db string
	var asJSON bool
	fs := a.flags("list", "", "Lists the indexed articles, newest first (undated last): ID, date, paragraphs, outlet and title.")
	dbFlags(fs, &db, &asJSON, "print one JSON object per line")
	if _, err := parse(fs, args); err != nil {
		return err
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
	err = ix.List(ctx, func(art retrieval.Article, paras int) error {
		if asJSON {
			return writeJSONLine(a.out, art, paras)
		}
		date := "-"
		if !art.Published.IsZero() {
			date = art.Published.Format("2006-01-02")
		}
		_, err := fmt.Fprintf(w, "%s\t%s\t%d\t%s\t%s\n", art.ID, date, paras, art.Outlet, art.Title)
		return err
	})
	if err != nil {
		return err
	}
	return w.Flush()
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
	fs := a.flags("delete", "ID...", "Removes the articles with these IDs (as shown by \"byline list\") from the index.")
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
	for _, id := range ids {
		if err := ix.Delete(ctx, id); err != nil {
			return err
		}
		fmt.Fprintf(a.out, "deleted %s\n", id)
	}
	return nil
}
