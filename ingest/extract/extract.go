// Package extract turns a fetched web page into a retrieval.Article: the
// story's paragraphs without the page around it (navigation, adverts,
// cookie notices, comments, related links), its metadata, and an ID
// derived from its canonical URL so that the same story fetched twice,
// or linked with tracking parameters, is one article.
//
// It only parses: nothing on the page is fetched, rendered or run. The
// caller fetches the page and converts it to UTF-8 first.
package extract

import (
	"bytes"
	"errors"
	"fmt"
	"net/url"
	"time"
	"unicode/utf8"

	"golang.org/x/net/html"

	"github.com/byline-news/byline/ingest"
	"github.com/byline-news/byline/retrieval"
)

// ErrNoArticle is returned for a page without readable article text: a
// section front, a search or error page, a video with a caption.
var ErrNoArticle = errors.New("no article text on the page")

// Page is a fetched web page.
type Page struct {
	URL       string    // where it was fetched from, after redirects
	HTML      []byte    // the body, already converted to UTF-8
	FetchedAt time.Time // dates more than a day later are template bugs; zero: no check
}

// Info is an extracted article with what retrieval.Article has no field
// for.
type Info struct {
	Article retrieval.Article
	// Updated is when the publisher last changed the story
	// (article:modified_time, JSON-LD dateModified); zero when unknown or
	// not after Published. Re-fetching uses it to tell an update.
	Updated time.Time
}

// Thresholds for ErrNoArticle. A section front or an error page has only
// headlines and one-line teasers; a story, even a brief, has a paragraph
// of two full sentences, or, written in one-sentence paragraphs, several
// sentences of some length.
const (
	minText      = 200 // characters in all paragraphs together, and
	minParagraph = 100 // characters in the longest paragraph, or
	minSentences = 3   // paragraphs of minSentence characters ending a sentence
	minSentence  = 60
)

// Article extracts the story on p; see Parse.
func Article(p Page) (retrieval.Article, error) {
	info, err := Parse(p)
	return info.Article, err
}

// Parse extracts the story on p and its metadata:
//
//   - URL: <link rel=canonical>, else og:url, resolved against p.URL and
//     cleaned by ingest.CanonicalURL; p.URL when neither is usable (see
//     pickCanonical). ID: ingest.URLID of that URL.
//   - Title: og:title, JSON-LD headline, twitter:title, <title> without
//     its " | Site" suffix, <h1>.
//   - Outlet: og:site_name, JSON-LD publisher, else the host.
//   - Author: meta author, article:author (unless a URL), JSON-LD author,
//     the byline in the body.
//   - Published: article:published_time, JSON-LD datePublished,
//     microdata, <time datetime>, older meta names; in UTC.
//
// It returns ErrNoArticle when the page has too little prose to be a
// story, and an error when neither p.URL nor the page gives an absolute
// URL, without which the article has no stable ID.
func Parse(p Page) (Info, error) {
	src := p.HTML
	if !utf8.Valid(src) {
		src = bytes.ToValidUTF8(src, []byte("\uFFFD"))
	}
	doc, err := html.Parse(bytes.NewReader(src))
	if err != nil { // only reader errors, impossible for a bytes.Reader
		return Info{}, fmt.Errorf("extract %s: %w", p.URL, err)
	}
	m := collectMeta(doc)
	canon := pickCanonical(p.URL, m.canonical, m.props["og:url"])
	if canon == "" {
		return Info{}, fmt.Errorf("extract %q: no absolute page URL", p.URL)
	}
	a := retrieval.Article{ID: ingest.URLID(canon), URL: canon}
	a.Outlet = m.outlet(canon)
	a.Title = m.pageTitle(a.Outlet)
	var info Info
	a.Published, info.Updated = dates(&m, p.FetchedAt)
	base, _ := url.Parse(canon)
	paras, byline := articleText(doc, base, a.Title)
	a.Author = m.author(byline)
	a.Paragraphs = dropTitle(paras, a.Title)
	if !enoughText(a.Paragraphs) {
		return Info{}, fmt.Errorf("extract %s: %w", canon, ErrNoArticle)
	}
	info.Article = a
	return info, nil
}

// dropTitle removes paragraphs that repeat the title: it is stored as
// Title and would otherwise be indexed twice.
func dropTitle(paras []string, title string) []string {
	t := normalize(title)
	out := paras[:0]
	for _, p := range paras {
		if normalize(p) != t {
			out = append(out, p)
		}
	}
	return out
}

func enoughText(paras []string) bool {
	total, longest, sentences := 0, 0, 0
	for _, p := range paras {
		n := utf8.RuneCountInString(p)
		total += n
		longest = max(longest, n)
		if n >= minSentence && isProse(p) {
			sentences++
		}
	}
	return total >= minText && (longest >= minParagraph || sentences >= minSentences)
}
