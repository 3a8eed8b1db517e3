package main

import (
	"context"
	"fmt"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/byline-news/byline/retrieval"
)

func runFeedback(ctx context.Context, a *app, args []string) error {
	var db string
	var asJSON bool
	fs := a.flags("feedback", "", `
Lists the 👍/👎 that readers gave answers in Slack and Discord, newest
first: when, where, who, the verdict, the question and the answer, and the
cited article IDs.`)
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
		fmt.Fprintln(w, "WHEN\tPLATFORM\tCHANNEL\tUSER\tVOTE\tQUESTION\tANSWER\tSOURCES")
	}
	n := 0
	err = ix.ListFeedback(ctx, func(f retrieval.Feedback) error {
		n++
		if asJSON {
			return writeJSONCompact(a.out, map[string]any{
				"at": f.At.Format(time.RFC3339), "platform": f.Platform, "workspace": f.Workspace, "channel": f.Channel,
				"user": f.User, "helpful": f.Helpful, "question": f.Question, "answer": f.Answer, "sources": f.Sources,
			})
		}
		vote := "👎"
		if f.Helpful {
			vote = "👍"
		}
		_, err := fmt.Fprintf(w, "%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n", f.At.Format("2006-01-02 15:04"), termSafe(f.Platform), termSafe(f.Channel), termSafe(f.User),
			vote, termSafe(clip(f.Question, 60)), termSafe(clip(f.Answer, 60)), termSafe(strings.Join(f.Sources, ",")))
		return err
	})
	if err != nil {
		return err
	}
	if n == 0 && !asJSON {
		fmt.Fprintln(a.err, "byline: no feedback yet")
		return nil
	}
	return w.Flush()
}

// clip shortens s to n runes for a table cell.
func clip(s string, n int) string {
	s = strings.Join(strings.Fields(s), " ")
	if r := []rune(s); len(r) > n {
		return string(r[:n-1]) + "…"
	}
	return s
}
