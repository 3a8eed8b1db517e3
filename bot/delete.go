package bot

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/byline-news/byline/retrieval"
)

// Deleter removes articles from the index; both storage backends
// implement it.
type Deleter interface {
	// Remove deletes the articles whose ID is ref, or whose URL is ref,
	// and returns them; retrieval.ErrNotFound when there are none.
	Remove(ctx context.Context, ref string) ([]retrieval.Article, error)
}

// Texts of the delete command.
const (
	deleteOffText     = "Deleting articles from chat is not enabled here."
	notAdminDelete    = "Only byline admins can delete articles."
	deleteUsageText   = "Usage: delete <article ID or URL>"
	deleteHelpText    = "Admins can delete an article with delete <article ID or URL>."
	deleteNotFoundFmt = "No article has the ID or URL %s."
)

// command answers the commands of briefings and housekeeping; ok is
// false when text is none of them.
func (b *Bot) command(ctx context.Context, m Message, text string) (Reply, bool) {
	if op, ok := parseBrief(text); ok {
		return b.brief(ctx, m, op), true
	}
	if ref, ok := parseDelete(text); ok {
		return b.deleteArticle(ctx, m, ref), true
	}
	return Reply{}, false
}

// parseDelete recognises "delete <article ID or URL>" (and "delete"
// alone, answered with usage: ref is then ""). "delete" followed by
// several words is a question.
func parseDelete(text string) (string, bool) {
	f := strings.Fields(text)
	if len(f) == 0 || len(f) > 2 || !strings.EqualFold(f[0], "delete") {
		return "", false
	}
	if len(f) == 1 {
		return "", true
	}
	return unwrapURL(f[1]), true
}

// deleteArticle removes an article for an admin.
func (b *Bot) deleteArticle(ctx context.Context, m Message, ref string) Reply {
	q := clean(m.Text)
	switch {
	case b.opt.Deleter == nil:
		return Reply{Kind: KindRejected, Question: q, Text: deleteOffText}
	case !m.Admin:
		b.lg.Info("delete refused: not an admin", logPlatform, m.Platform, logWorkspace, m.Workspace, logUser, m.User)
		return Reply{Kind: KindRejected, Question: q, Text: notAdminDelete}
	case ref == "":
		return Reply{Kind: KindRejected, Question: q, Text: deleteUsageText}
	}
	if r, limited := b.rateLimit(m); limited {
		return r
	}
	ctx, cancel := context.WithTimeout(ctx, b.opt.AnswerTimeout)
	defer cancel()
	gone, err := b.opt.Deleter.Remove(ctx, ref)
	if errors.Is(err, retrieval.ErrNotFound) {
		return Reply{Kind: KindAdmin, Question: q, Text: fmt.Sprintf(deleteNotFoundFmt, ref)}
	}
	if err != nil {
		return b.fail(m, "delete", err)
	}
	for _, a := range gone {
		b.lg.Info("article deleted from chat", logPlatform, m.Platform, logWorkspace, m.Workspace, logUser, m.User,
			"id", a.ID, "url", a.URL)
	}
	return Reply{Kind: KindAdmin, Question: q, Text: deletedText(gone)}
}

// deletedText says what was deleted: "Deleted “Title” · Outlet (ID x)."
func deletedText(gone []retrieval.Article) string {
	parts := make([]string, len(gone))
	for i, a := range gone {
		s := "“" + a.Title + "”"
		if a.Title == "" {
			s = a.ID
		}
		if a.Outlet != "" {
			s += " · " + a.Outlet
		}
		parts[i] = s + " (ID " + a.ID + ")"
	}
	return "Deleted " + strings.Join(parts, "; ") + "."
}
