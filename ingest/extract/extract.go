// Package extract finds the story on an HTML page: its text without the
// page around it (navigation, adverts, cookie notices, comments, related
// links, credits) and what the page says about it (title, author,
// outlet, dates, canonical URL). A fetched page (byline add, feeds) and
// a saved one (byline index page.html) go through the same steps.
//
// It works on HTML only and depends on no other package of byline's:
// package ingest turns a Document into a retrieval.Article (paragraph
// rules, IDs, date parsing), as it does for text, Markdown and JSON
// Lines, so ingest imports extract and not the reverse. Nothing on the
// page is fetched, rendered or run.
package extract

import (
	"bytes"
	"errors"
	"fmt"
	"net/url"
	"strings"

	"golang.org/x/net/html"
)

// ErrNoArticle is returned for a page without readable article text: a
// section front, a search or error page, a video with a caption.
var ErrNoArticle = errors.New("no article text on the page")

// Document is the story on a page.
type Document struct {
	Title  string // without the site name around it
	Author string // names joined by ", "
	Outlet string // the publisher, else the host without "www."

	// Published and Modified are the dates the page gives, as written,
	// most trusted first (JSON-LD, then meta tags, then <time>): the
	// caller takes the first it can parse.
	Published, Modified []string

	// Canonical is <link rel=canonical>, then og:url, as written: the
	// caller decides which identifies the story.
	Canonical []string

	// Text is the story as line-structured text: a blank line between
	// blocks, list items on their own lines starting "- ", "\n" for <br>,
	// and <pre> between ``` fences.
	Text string
}

// Thresholds for ErrNoArticle. A section front or an error page has only
// headlines and one-line teasers; a story, even a brief, has a paragraph
// of two full sentences, or, written in one-sentence paragraphs, several
// sentences of some length. Lengths are in columns (see width), so that
// Chinese and Japanese count as much as they say.
const (
	minText      = 150 // columns in all blocks together, and
	minParagraph = 100 // columns in the longest block, or
	minSentences = 3   // blocks of minSentence columns of prose
	minSentence  = 60
)

// Extract finds the story on an HTML page fetched from pageURL ("" for
// a saved page whose address is unknown). src must be UTF-8; invalid
// bytes are read as U+FFFD. It fails only on HTML the parser refuses
// (elements nested more than 512 deep), and returns ErrNoArticle for a
// page without a story. In order:
//
//  1. Metadata is read from the whole page (see pageMeta): title,
//     author, dates and outlet prefer JSON-LD, then meta tags, then the
//     page body (<time>, the byline readability finds, <title>, <h1>).
//  2. Everything before the headline <h1> is dropped, and readability
//     picks the content node (see findStory).
//  3. A section front, with many teaser cards and no story, is
//     ErrNoArticle (see isSectionFront).
//  4. What readability keeps but is not the story is trimmed (see
//     trimContent), and the text written without page furniture named
//     by tag, role or class (see isFurniture).
//  5. Too little prose for a story is ErrNoArticle.
//
// Pages too large for readability (over 30,000 elements) skip steps 2–4
// and are read by Text.
func Extract(src []byte, pageURL string) (Document, error) {
	doc, err := html.Parse(bytes.NewReader(bytes.ToValidUTF8(src, []byte("\uFFFD"))))
	if err != nil { // elements nested over 512 deep: x/net/html refuses them
		return Document{}, fmt.Errorf("parse HTML: %w", err)
	}
	m := collectMeta(doc)
	host := hostOf(pageURL)
	if host == "" {
		host = hostOf(firstNonEmpty(m.canonical, m.first("og:url")))
	}
	d := Document{Outlet: m.outlet(host), Published: m.published(), Modified: m.modified(),
		Canonical: nonEmpty([]string{m.canonical, m.first("og:url")})}
	d.Title = m.pageTitle(d.Outlet, host)
	base := baseURL(pageURL, d.Canonical)
	s, err := findStory(doc, base, d.Title)
	if err != nil {
		return d, err
	}
	d.Author = m.author(s.byline)
	site := newSite(base)
	if s.node == nil {
		d.Text = Text(doc)
	} else if isSectionFront(s.node, site) {
		return d, ErrNoArticle
	} else {
		d.Text = storyText(s.node, d.Author, site)
	}
	if !enoughText(d.Text) {
		return d, ErrNoArticle
	}
	return d, nil
}

// baseURL is the page URL, else the first absolute canonical URL: links
// are resolved against it and judged on or off the site by it.
func baseURL(pageURL string, canonical []string) *url.URL {
	for _, s := range append([]string{pageURL}, canonical...) {
		if u, err := url.Parse(strings.TrimSpace(s)); err == nil && u.Host != "" &&
			(u.Scheme == "http" || u.Scheme == "https") {
			return u
		}
	}
	return nil
}

// enoughText reports whether text holds a story (see minText).
func enoughText(text string) bool {
	total, longest, sentences := 0, 0, 0
	for _, b := range strings.Split(text, "\n\n") {
		b = strings.TrimSpace(b)
		n := width(b)
		total += n
		longest = max(longest, n)
		if n >= minSentence && isProse(b) {
			sentences++
		}
	}
	return total >= minText && (longest >= minParagraph || sentences >= minSentences)
}

func firstNonEmpty(vals ...string) string {
	for _, v := range vals {
		if v = strings.TrimSpace(v); v != "" {
			return v
		}
	}
	return ""
}
