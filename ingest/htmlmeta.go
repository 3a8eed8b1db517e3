package ingest

import (
	"encoding/json"
	"strings"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// pageMeta is what the <head> and JSON-LD say about a page.
type pageMeta struct {
	props     map[string]string // <meta> name/property (lower-cased) → content
	title     string            // <title>
	h1        string            // first <h1>
	canonical string            // <link rel=canonical>
	ld        ldArticle
}

// collectMeta walks the whole document once for metadata.
func collectMeta(doc *html.Node) pageMeta {
	m := pageMeta{props: map[string]string{}}
	var visit func(n *html.Node)
	visit = func(n *html.Node) {
		if n.Type == html.ElementNode && n.Namespace == "" {
			m.element(n)
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			visit(c)
		}
	}
	visit(doc)
	return m
}

func (m *pageMeta) element(n *html.Node) {
	switch n.DataAtom {
	case atom.Meta:
		key := Attr(n, "property")
		if key == "" {
			key = Attr(n, "name")
		}
		if key = strings.ToLower(strings.TrimSpace(key)); key != "" && m.props[key] == "" {
			m.props[key] = strings.TrimSpace(Attr(n, "content"))
		}
	case atom.Title:
		if m.title == "" {
			m.title = TextOf(n)
		}
	case atom.H1:
		if m.h1 == "" {
			m.h1 = TextOf(n)
		}
	case atom.Link:
		if m.canonical == "" && HasToken(Attr(n, "rel"), "canonical") {
			m.canonical = strings.TrimSpace(Attr(n, "href"))
		}
	case atom.Script:
		if strings.EqualFold(strings.TrimSpace(Attr(n, "type")), "application/ld+json") {
			m.ld.merge(parseLD(TextOf(n)))
		}
	}
}

// pageTitle prefers og:title, then <title> without a " - Site" or
// " | Site" suffix naming og:site_name, then the first <h1>.
func (m *pageMeta) pageTitle() string {
	if t := m.props["og:title"]; t != "" {
		return t
	}
	if t := m.title; t != "" {
		if site := m.props["og:site_name"]; site != "" {
			for _, sep := range []string{" - ", " | ", " – ", " — ", " :: "} {
				t = strings.TrimSpace(strings.TrimSuffix(t, sep+site))
			}
		}
		return t
	}
	if m.ld.headline != "" {
		return m.ld.headline
	}
	return m.h1
}

// published tries the meta tags news sites use, then JSON-LD, then the
// <time datetime> found in the article body (timeAttr), which is last
// because pages also date comments and related links that way.
func (m *pageMeta) published(timeAttr string) string {
	for _, k := range []string{"article:published_time", "og:published_time",
		"date", "pubdate", "publishdate", "dc.date", "dc.date.issued", "dcterms.created"} {
		if v := m.props[k]; v != "" {
			return v
		}
	}
	if m.ld.published != "" {
		return m.ld.published
	}
	return timeAttr
}

// author prefers meta author, then article:author unless it is a profile
// URL (Facebook pages put one there), then JSON-LD.
func (m *pageMeta) author() string {
	if a := m.props["author"]; a != "" {
		return a
	}
	if a := m.props["article:author"]; a != "" && !isAbsURL(a) {
		return a
	}
	return m.ld.author
}

func (m *pageMeta) outlet() string {
	if s := m.props["og:site_name"]; s != "" {
		return s
	}
	return m.ld.publisher
}

// pageURL returns the canonical URL, else og:url; relative ones are
// ignored because they cannot identify the story.
func (m *pageMeta) pageURL() string {
	for _, u := range []string{m.canonical, m.props["og:url"]} {
		if isAbsURL(u) {
			return strings.TrimSpace(u)
		}
	}
	return ""
}

// ldArticle holds the JSON-LD fields we use.
type ldArticle struct {
	published, headline, author, publisher string
	fromArticle                            bool // filled from an Article-like @type
}

// merge keeps the first values seen, but lets an Article-typed object
// replace values taken from a generic one such as WebPage.
func (l *ldArticle) merge(o ldArticle) {
	if o.fromArticle && !l.fromArticle {
		*l = o
		return
	}
	if l.published == "" {
		l.published = o.published
	}
	if l.headline == "" {
		l.headline = o.headline
	}
	if l.author == "" {
		l.author = o.author
	}
	if l.publisher == "" {
		l.publisher = o.publisher
	}
}

// parseLD decodes one JSON-LD script, walking arrays and @graph. Broken
// JSON is ignored: metadata is a bonus, never a reason to fail.
func parseLD(src string) ldArticle {
	src = strings.TrimSpace(src)
	src = strings.TrimSuffix(strings.TrimPrefix(src, "<!--"), "-->")
	var v any
	if err := json.Unmarshal([]byte(strings.TrimRight(src, "; \n")), &v); err != nil {
		return ldArticle{}
	}
	var out ldArticle
	visitLD(v, &out)
	return out
}

func visitLD(v any, out *ldArticle) {
	switch x := v.(type) {
	case []any:
		for _, e := range x {
			visitLD(e, out)
		}
	case map[string]any:
		if g, ok := x["@graph"]; ok {
			visitLD(g, out)
		}
		if _, ok := x["datePublished"]; ok || isArticleType(x["@type"]) {
			out.merge(ldArticle{
				published:   str(x["datePublished"]),
				headline:    str(x["headline"]),
				author:      ldNames(x["author"]),
				publisher:   ldNames(x["publisher"]),
				fromArticle: isArticleType(x["@type"]),
			})
		}
	}
}

// isArticleType matches schema.org Article, NewsArticle, BlogPosting,
// ReportageNewsArticle and friends, as a string or in an array.
func isArticleType(t any) bool {
	switch x := t.(type) {
	case string:
		return strings.HasSuffix(x, "Article") || strings.HasSuffix(x, "Posting")
	case []any:
		for _, e := range x {
			if isArticleType(e) {
				return true
			}
		}
	}
	return false
}

// ldNames returns the name of a Person/Organization, a plain string, or
// the names of an array of them joined with ", ".
func ldNames(v any) string {
	switch x := v.(type) {
	case string:
		return strings.TrimSpace(x)
	case map[string]any:
		return str(x["name"])
	case []any:
		var names []string
		for _, e := range x {
			if n := ldNames(e); n != "" {
				names = append(names, n)
			}
		}
		return strings.Join(names, ", ")
	}
	return ""
}

func str(v any) string {
	s, _ := v.(string)
	return strings.TrimSpace(s)
}
