package ingest

import (
	"fmt"
	"time"

	"golang.org/x/net/html"

	"github.com/byline-news/byline/ingest/extract"
	"github.com/byline-news/byline/retrieval"
)

// Page is an HTML page: fetched from URL (byline add, feeds), or saved to
// a file, whose address the page itself may give.
type Page struct {
	URL       string    // where it was fetched from, after redirects; "" for a saved page
	HTML      []byte    // the body, converted to UTF-8
	FetchedAt time.Time // dates more than a day later are template bugs; zero: no check
}

// ReadPage turns the story on a fetched page into an article. Saved
// pages (.html files) go through the same steps; only their ID differs
// when the page gives no URL of its own.
//
//   - The text and metadata come from extract.Extract: readability, then
//     byline's trims and HTML rules.
//   - The text is split and shaped like plain text (see Paragraphs, rules
//     4–6), and blocks that repeat the title are dropped: it is stored as
//     Title.
//   - URL: <link rel=canonical>, else og:url, resolved against p.URL and
//     cleaned by retrieval.CanonicalURL; p.URL when neither is usable (see
//     pickCanonical). ID: URLID of that URL.
//   - Published and Updated: the first date the page gives that parses
//     (see ParseDate), in UTC. A date more than a day after FetchedAt is a
//     template bug and dropped, as is an update before the publication.
//
// It returns an error wrapping extract.ErrNoArticle for a page with too
// little prose to be a story, and an error when neither p.URL nor the
// page gives an absolute URL, without which the article has no stable ID.
func ReadPage(p Page) (retrieval.Article, error) {
	a, err := readPage(p)
	if err != nil {
		return retrieval.Article{}, fmt.Errorf("extract %s: %w", p.URL, err)
	}
	if a.URL == "" {
		return retrieval.Article{}, fmt.Errorf("extract %q: no absolute page URL", p.URL)
	}
	a.ID = retrieval.URLID(a.URL)
	return a, nil
}

// readPage is ReadPage without the ID, which a saved page may take from
// its file name instead.
func readPage(p Page) (retrieval.Article, error) {
	d, err := extract.Extract(p.HTML, p.URL)
	if err != nil {
		return retrieval.Article{}, err
	}
	a := retrieval.Article{
		URL:    pickCanonical(p.URL, d.Canonical...),
		Title:  d.Title,
		Outlet: d.Outlet,
		Author: d.Author,
	}
	a.Published, a.Updated = pageDates(d, p.FetchedAt)
	a.Paragraphs = shape(dropHeadline(splitBlocks(d.Text, false), a.Title))
	if len(a.Paragraphs) == 0 {
		return retrieval.Article{}, extract.ErrNoArticle
	}
	if a.Title == "" {
		a.Title = deriveTitle(a.Paragraphs)
	}
	return a, nil
}

// HTMLParagraphs returns the paragraphs of a part of a page that is
// already known to be the story, such as the HTML of a feed item: its
// text without page furniture (see extract.Text), shaped like plain
// text. n is read, not changed.
func HTMLParagraphs(n *html.Node) []string {
	return shape(splitBlocks(extract.Text(n), false))
}

// dropHeadline removes blocks that repeat the title: the headline is
// stored as Title and should not also be a paragraph.
func dropHeadline(blocks []string, title string) []string {
	t := normalize(title)
	out := blocks[:0]
	for _, b := range blocks {
		if normalize(b) != t {
			out = append(out, b)
		}
	}
	return out
}

// pageDates parses the published and updated times (see ReadPage).
func pageDates(d extract.Document, fetched time.Time) (published, updated time.Time) {
	published, updated = firstDate(d.Published), firstDate(d.Modified)
	if !fetched.IsZero() {
		limit := fetched.Add(24 * time.Hour)
		if published.After(limit) {
			published = time.Time{}
		}
		if updated.After(limit) {
			updated = time.Time{}
		}
	}
	if !published.IsZero() && updated.Before(published) {
		updated = time.Time{}
	}
	return published, updated
}

// firstDate returns the first of vals that ParseDate reads.
func firstDate(vals []string) time.Time {
	for _, v := range vals {
		if t := ParseDate(v); !t.IsZero() {
			return t
		}
	}
	return time.Time{}
}
