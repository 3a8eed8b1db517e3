package extract

import (
	"net/url"
	"unicode/utf8"

	readability "codeberg.org/readeck/go-readability/v2"
	"golang.org/x/net/html"

	"github.com/byline-news/byline/ingest"
)

// maxElements bounds the pages given to readability, whose scoring makes
// several passes with repeated link-density walks. Larger pages (news
// pages have 1,000–5,000 elements) go straight to ingest's one-pass
// extractor, which is linear.
const maxElements = 30000

// articleText finds the story in doc and returns its paragraphs and the
// byline readability found in the body. It mutates doc.
//
// The choice, made on the pages in testdata (see compare_test.go):
// readability alone picks the right container on pages with semantic
// markup but leaves in-article adverts and sign-up boxes, and on pages
// whose class names say nothing (CSS-in-JS) it climbs to the whole page;
// ingest's extractor alone keeps navigation, bylines and link lists
// wherever class names do not name them. Together, in four steps:
//
//  1. Everything before the headline <h1> is dropped (see
//     dropBeforeHeadline), so cookie notices and sponsor bars can
//     neither leak nor pull readability's choice up the tree.
//  2. readability picks the content node, keeping class names.
//  3. Link lists, trailers and the byline line left in it are trimmed
//     (see trimContent).
//  4. ingest's HTML extractor (ingest.HTMLParagraphs, on the node in
//     the tree) writes the paragraphs, skipping elements whose class or
//     id names page furniture (ads, newsletter, share), and shapes them
//     exactly like local HTML files (ingest.Paragraphs rules: split,
//     dedupe, merge fragments). Its filter matches words inside names
//     ("nav" in "para-nav-anchor"), so when it drops more than half the
//     text the names are removed and the text read again: an advert
//     left in is better than a story lost.
func articleText(doc *html.Node, base *url.URL, title string) (paras []string, byline string) {
	dropBeforeHeadline(doc, title)
	if countElements(doc, maxElements+1) > maxElements {
		return ingest.HTMLParagraphs(doc), ""
	}
	p := readability.NewParser()
	p.KeepClasses = true
	a, err := p.ParseAndMutate(doc, base)
	if err != nil || a.Node == nil {
		return nil, ""
	}
	unname(a.Node, 1)
	trimContent(a.Node)
	paras = ingest.HTMLParagraphs(a.Node)
	if 2*charCount(paras) < utf8.RuneCountInString(ingest.TextOf(a.Node)) {
		unname(a.Node, -1)
		paras = ingest.HTMLParagraphs(a.Node)
	}
	return paras, a.Byline()
}

// unname removes class and id from n and its descendants down to depth
// levels below it (all of them for a negative depth). At depth 1 that is
// readability's wrapper and the containers it chose, so that ingest's
// furniture filter cannot drop the whole story because its container is
// called "main-content sidebar-layout"; elements inside keep their names.
func unname(n *html.Node, depth int) {
	attrs := n.Attr[:0]
	for _, a := range n.Attr {
		if a.Key != "class" && a.Key != "id" {
			attrs = append(attrs, a)
		}
	}
	n.Attr = attrs
	if depth == 0 {
		return
	}
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		unname(c, depth-1)
	}
}

func charCount(paras []string) int {
	n := 0
	for _, p := range paras {
		n += utf8.RuneCountInString(p)
	}
	return n
}

// countElements counts element nodes under n, stopping at limit.
func countElements(n *html.Node, limit int) int {
	count := 0
	var visit func(*html.Node)
	visit = func(n *html.Node) {
		for c := n.FirstChild; c != nil && count < limit; c = c.NextSibling {
			if c.Type == html.ElementNode {
				count++
			}
			visit(c)
		}
	}
	visit(n)
	return count
}
