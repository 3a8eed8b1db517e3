package feed

import (
	"golang.org/x/net/html"

	"regexp"
	"strings"
	"unicode/utf8"

	"github.com/byline-news/byline/ingest"
	"github.com/byline-news/byline/retrieval"
)

// Full-text thresholds. A teaser is a sentence or two; an article, even a
// brief, is a few paragraphs. Content (content:encoded and friends) is
// meant to be the article, so three paragraphs or 800 characters will do.
// A summary is meant to be short, so a long one counts only when it has
// both: some feeds put the whole story in <description>, others a
// 900-character first paragraph that fetching the page would complete.
const (
	minParagraphs = 3
	fullTextChars = 800
)

// teaserEnd matches how truncated feed text ends: a "continue reading"
// link, WordPress's "[…]" or a trailing ellipsis.
var teaserEnd = regexp.MustCompile(`(?i)(continue reading|read more|read the full (story|article)|keep reading)\W*$|\[(…|\.\.\.|&hellip;)\]\s*$|(…|\.\.\.)\s*$`)

// wpFooter is the line WordPress appends to every item's content.
var wpFooter = regexp.MustCompile(`^The post .+ appeared first on .+\.$`)

// HasFullText reports whether the item carries its whole story, so that
// ItemArticle can index it without fetching the page: Content with at
// least three paragraphs or 800 characters of text,
// else a Summary with both, and in either case not ending like a teaser.
func (it Item) HasFullText() bool {
	_, ok := it.fullText()
	return ok
}

// ItemArticle builds the article for an item that HasFullText, without
// fetching: Outlet is the feed title, URL the item link cleaned by
// retrieval.CanonicalURL, ID ingest.URLID of it, Published the item's
// date (its update time when it has none). It returns false for a teaser
// or an item without a link, which has nothing to identify it by.
func ItemArticle(f *Feed, it Item) (retrieval.Article, bool) {
	paras, ok := it.fullText()
	if !ok || it.URL == "" {
		return retrieval.Article{}, false
	}
	u := retrieval.CanonicalURL(it.URL)
	a := retrieval.Article{
		ID:         retrieval.URLID(u),
		URL:        u,
		Title:      it.Title,
		Author:     it.Author,
		Published:  it.Published,
		Paragraphs: paras,
	}
	if a.Published.IsZero() {
		a.Published = it.Updated
	} else if it.Updated.After(a.Published) {
		a.Updated = it.Updated
	}
	if f != nil {
		a.Outlet = f.Title
	}
	return a, true
}

// fullText returns the item's article paragraphs, or false for a teaser.
func (it Item) fullText() ([]string, bool) {
	if paras := paragraphs(it.Content); isFull(paras, false) {
		return paras, true
	}
	if paras := paragraphs(it.Summary); isFull(paras, true) {
		return paras, true
	}
	return nil, false
}

func isFull(paras []string, strict bool) bool {
	if len(paras) == 0 || teaserEnd.MatchString(paras[len(paras)-1]) {
		return false
	}
	chars := 0
	for _, p := range paras {
		chars += utf8.RuneCountInString(p)
	}
	if strict {
		return len(paras) >= minParagraphs && chars >= fullTextChars
	}
	return len(paras) >= minParagraphs || chars >= fullTextChars
}

// paragraphs splits feed text the way local files are split: HTML with
// ingest's HTML extractor (which also drops share buttons and similar
// furniture by class name), plain text with ingest.Paragraphs. The
// WordPress footer is dropped.
func paragraphs(s string) []string {
	if strings.TrimSpace(s) == "" {
		return nil
	}
	var paras []string
	if looksHTML(s) {
		// Parse the fragment directly: going through ingest.Read would
		// allocate a file reader and hash an ID for every item.
		if doc, err := html.Parse(strings.NewReader(s)); err == nil {
			paras = ingest.HTMLParagraphs(doc)
		}
	} else {
		paras = ingest.Paragraphs(s)
	}
	if n := len(paras); n > 0 && wpFooter.MatchString(paras[n-1]) {
		paras = paras[:n-1]
	}
	return paras
}

// looksHTML reports whether feed text is HTML rather than plain text.
func looksHTML(s string) bool {
	for _, tag := range []string{"</", "/>", "<br", "<p", "<div", "<img", "&lt;", "&amp;", "&#"} {
		if strings.Contains(s, tag) {
			return true
		}
	}
	return false
}
