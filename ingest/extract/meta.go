package extract

import (
	"strings"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// pageMeta is what a page says about itself, read in one walk before
// the content extraction changes the tree.
type pageMeta struct {
	// props maps <meta> keys to their contents in page order. A key is
	// the name, property or itemprop, lower-cased, with "." read as ":"
	// (DC.creator is dc:creator); a property attribute may list several
	// (property="og:title twitter:title"). Values from property come
	// first: it is the attribute Open Graph and RDFa define.
	props     map[string][]string
	title     string // <title>
	h1        string // first <h1>
	canonical string // first <link rel=canonical> href
	timeAttr  string // <time datetime>: the first in an <article>, else outside page furniture
	ld        ldArticle
}

// metaWalker collects pageMeta. Dates of <time> elements are kept apart
// by where they sit, because pages also date comments, related links
// and the clock in the header that way.
type metaWalker struct {
	m           pageMeta
	named       map[string][]string // from name and itemprop, appended to props at the end
	scripts     []string
	articleTime string
	pageTime    string
	inArticle   int
	inFurniture int
}

func collectMeta(doc *html.Node) pageMeta {
	w := metaWalker{m: pageMeta{props: map[string][]string{}}, named: map[string][]string{}}
	w.visit(doc)
	for k, v := range w.named {
		w.m.props[k] = append(w.m.props[k], v...)
	}
	w.m.ld = parseLD(w.scripts, w.m.title)
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
		content := attr(n, "content")
		for _, k := range strings.Fields(attr(n, "property")) {
			w.prop(w.m.props, k, content)
		}
		w.prop(w.named, attr(n, "name"), content)
		w.prop(w.named, attr(n, "itemprop"), content)
	case atom.Title:
		setOnce(&m.title, textOf(n))
	case atom.H1:
		setOnce(&m.h1, textOf(n))
	case atom.Link:
		if hasToken(attr(n, "rel"), "canonical") {
			setOnce(&m.canonical, attr(n, "href"))
		}
	case atom.Script:
		if strings.EqualFold(strings.TrimSpace(attr(n, "type")), "application/ld+json") {
			w.scripts = append(w.scripts, textOf(n))
		}
	case atom.Time:
		w.time(n)
	}
}

// time records a <time datetime>; one marked itemprop=datePublished
// counts as that property.
func (w *metaWalker) time(n *html.Node) {
	v := strings.TrimSpace(attr(n, "datetime"))
	if v == "" {
		return
	}
	w.prop(w.named, attr(n, "itemprop"), v)
	switch {
	case w.inArticle > 0:
		setOnce(&w.articleTime, v)
	case w.inFurniture == 0:
		setOnce(&w.pageTime, v)
	}
}

func (w *metaWalker) prop(dst map[string][]string, key, val string) {
	key = strings.ReplaceAll(strings.ToLower(strings.TrimSpace(key)), ".", ":")
	val = clean(html.UnescapeString(val)) // some sites escape their meta values twice
	if key != "" && val != "" {
		dst[key] = append(dst[key], val)
	}
}

// first returns the first value of the first key among keys that has one.
func (m *pageMeta) first(keys ...string) string {
	for _, k := range keys {
		if v := m.props[k]; len(v) > 0 {
			return v[0]
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
