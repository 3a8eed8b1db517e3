package extract

import (
	"strings"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"

	"github.com/byline-news/byline/ingest"
)

// pageMeta is what a page says about itself, read in one walk before
// the content extraction mutates the tree.
type pageMeta struct {
	props     map[string]string // <meta> property/name/itemprop, lower-cased → first content
	title     string            // <title>
	h1        string            // first <h1>
	canonical string            // first <link rel=canonical> href
	timeAttr  string            // <time datetime>: the first in an <article>, else outside page furniture
	ld        ldArticle
}

// metaWalker collects pageMeta. Dates of <time> elements are kept apart
// by where they sit, because pages also date comments, related links
// and the clock in the header that way.
type metaWalker struct {
	m           pageMeta
	scripts     []string
	articleTime string
	pageTime    string
	inArticle   int
	inFurniture int
}

func collectMeta(doc *html.Node) pageMeta {
	w := metaWalker{m: pageMeta{props: map[string]string{}}}
	w.visit(doc)
	w.m.ld = parseLD(w.scripts)
	w.m.timeAttr = w.articleTime
	if w.m.timeAttr == "" {
		w.m.timeAttr = w.pageTime
	}
	return w.m
}

func (w *metaWalker) visit(n *html.Node) {
	if n.Type == html.ElementNode && n.Namespace == "" {
		w.element(n)
	}
	article := n.DataAtom == atom.Article
	furniture := n.DataAtom == atom.Nav || n.DataAtom == atom.Footer || n.DataAtom == atom.Aside
	w.inArticle += b2i(article)
	w.inFurniture += b2i(furniture)
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		w.visit(c)
	}
	w.inArticle -= b2i(article)
	w.inFurniture -= b2i(furniture)
}

func (w *metaWalker) element(n *html.Node) {
	m := &w.m
	switch n.DataAtom {
	case atom.Meta:
		for _, k := range []string{"property", "name", "itemprop"} {
			w.prop(ingest.Attr(n, k), ingest.Attr(n, "content"))
		}
	case atom.Title:
		setOnce(&m.title, ingest.TextOf(n))
	case atom.H1:
		setOnce(&m.h1, ingest.TextOf(n))
	case atom.Link:
		if ingest.HasToken(ingest.Attr(n, "rel"), "canonical") {
			setOnce(&m.canonical, ingest.Attr(n, "href"))
		}
	case atom.Script:
		if strings.EqualFold(strings.TrimSpace(ingest.Attr(n, "type")), "application/ld+json") {
			w.scripts = append(w.scripts, ingest.TextOf(n))
		}
	case atom.Time:
		w.time(n)
	}
}

// time records a <time datetime>; one marked itemprop=datePublished
// counts as that property.
func (w *metaWalker) time(n *html.Node) {
	v := strings.TrimSpace(ingest.Attr(n, "datetime"))
	if v == "" {
		return
	}
	w.prop(ingest.Attr(n, "itemprop"), v)
	switch {
	case w.inArticle > 0:
		setOnce(&w.articleTime, v)
	case w.inFurniture == 0:
		setOnce(&w.pageTime, v)
	}
}

func (w *metaWalker) prop(key, val string) {
	key = strings.ToLower(strings.TrimSpace(key))
	val = strings.TrimSpace(val)
	if key != "" && val != "" && w.m.props[key] == "" {
		w.m.props[key] = val
	}
}

// first returns the first non-empty property among keys.
func (m *pageMeta) first(keys ...string) string {
	for _, k := range keys {
		if v := m.props[k]; v != "" {
			return v
		}
	}
	return ""
}

func setOnce(dst *string, v string) {
	if *dst == "" {
		*dst = v
	}
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}
