// Package feed reads RSS 0.9x, 1.0 and 2.0, Atom and JSON Feed documents
// into one small Item type, and turns an item that carries its story's
// full text into a retrieval.Article without fetching the page.
//
// Parsing is github.com/mmcdole/gofeed's; this package decides what
// byline needs from it: absolute http(s) links, UTC dates with a lenient
// fallback, and whether an item's text is the article or a teaser.
package feed

import (
	"bytes"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"time"

	"github.com/mmcdole/gofeed"

	"github.com/byline-news/byline/ingest"
)

// ErrNotFeed is returned (wrapped) for a document that is no RSS, Atom
// or JSON feed, typically a web page added as if it were a feed.
var ErrNotFeed = errors.New("not an RSS, Atom or JSON feed")

// Feed is a parsed feed.
type Feed struct {
	Title   string // used as the Outlet of its articles
	SiteURL string // the site the feed belongs to; "" when unknown
	Items   []Item // in feed order
}

// Item is one entry of a feed.
type Item struct {
	GUID   string // RSS guid, Atom id, JSON Feed id
	URL    string // absolute http(s) link to the story; "" when it has none
	Title  string
	Author string // names, joined with ", "
	// Published and Updated are in UTC, zero when missing or unreadable.
	// Atom entries without <published> get their <updated> time.
	Published, Updated time.Time
	// Content is the item's full text, HTML or plain, when the feed
	// carries it (content:encoded, Atom content, JSON content_html or
	// content_text); "" otherwise. It may still be a teaser: see
	// HasFullText.
	Content string
	Summary string // RSS description, Atom summary, JSON summary
}

// Parse parses a feed. Relative item links are resolved against the
// feed's site URL.
func Parse(data []byte) (*Feed, error) { return ParseFrom(data, "") }

// ParseFrom is Parse for a feed fetched from feedURL: a relative site
// URL is resolved against feedURL, and item links against the site URL,
// or against feedURL when the feed names no site. The bytes are given as
// fetched: an XML feed's own encoding declaration is honoured (see
// fixEncoding for one already converted to UTF-8).
func ParseFrom(data []byte, feedURL string) (*Feed, error) {
	p := gofeed.NewParser()
	// The scan parses every item's HTML to find an image, which byline
	// never shows; skipping it makes big full-text feeds much cheaper.
	p.RSSTranslator = &gofeed.DefaultRSSTranslator{DisableContentImageScan: true}
	gf, err := p.Parse(bytes.NewReader(fixEncoding(data)))
	if err != nil {
		return nil, parseError(data, err)
	}
	base, _ := url.Parse(strings.TrimSpace(feedURL))
	f := &Feed{Title: clean(gf.Title)}
	if site := absHTTP(base, gf.Link); site != nil {
		f.SiteURL, base = site.String(), site
	}
	f.Items = make([]Item, 0, len(gf.Items))
	for _, gi := range gf.Items {
		if gi != nil {
			f.Items = append(f.Items, item(gi, base))
		}
	}
	return f, nil
}

// parseError makes gofeed's errors say what failed, for `feeds list`.
// XML errors carry their line already ("XML syntax error on line 10");
// JSON errors do not say they are about a JSON Feed.
func parseError(data []byte, err error) error {
	switch {
	case errors.Is(err, gofeed.ErrFeedTypeNotDetected):
		return fmt.Errorf("parse feed: %w", ErrNotFeed)
	case bytes.HasPrefix(bytes.TrimSpace(data), []byte("{")):
		return fmt.Errorf("parse feed: invalid JSON Feed: %w", err)
	}
	return fmt.Errorf("parse feed: %w", err)
}

func item(gi *gofeed.Item, base *url.URL) Item {
	it := Item{
		GUID:      strings.TrimSpace(gi.GUID),
		Title:     clean(gi.Title),
		Author:    authors(gi),
		Published: feedTime(gi.PublishedParsed, gi.Published),
		Updated:   feedTime(gi.UpdatedParsed, gi.Updated),
		Content:   strings.TrimSpace(gi.Content),
		Summary:   strings.TrimSpace(gi.Description),
	}
	link := absHTTP(base, gi.Link)
	if link == nil && gi.Link == "" {
		link = absHTTP(nil, gi.GUID) // an RSS guid is a permalink by default
	}
	if link != nil {
		it.URL = link.String()
	}
	return it
}

// absHTTP resolves ref against base and returns it if the result is an
// absolute http(s) URL: a feed can carry javascript: or file: links.
func absHTTP(base *url.URL, ref string) *url.URL {
	ref = strings.TrimSpace(ref)
	if ref == "" {
		return nil
	}
	u, err := url.Parse(ref)
	if err != nil {
		return nil
	}
	if base != nil {
		u = base.ResolveReference(u)
	}
	if s := strings.ToLower(u.Scheme); (s != "http" && s != "https") || u.Host == "" {
		return nil
	}
	return u
}

func authors(gi *gofeed.Item) string {
	var names []string
	for _, p := range gi.Authors {
		if p != nil && clean(p.Name) != "" {
			names = append(names, clean(p.Name))
		}
	}
	if len(names) == 0 && gi.Author != nil {
		return clean(gi.Author.Name)
	}
	return strings.Join(names, ", ")
}

// feedTime returns gofeed's parsed time in UTC, else tries the raw text
// with ingest.ParseDate, which knows some layouts gofeed does not.
func feedTime(parsed *time.Time, raw string) time.Time {
	if parsed != nil && parsed.Year() >= 1800 && parsed.Year() <= 2200 {
		return parsed.UTC()
	}
	return ingest.ParseDate(raw)
}

// clean collapses white space.
func clean(s string) string { return strings.Join(strings.Fields(s), " ") }
