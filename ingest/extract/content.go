package extract

import (
	"net/url"
	"strings"
	"unicode/utf8"

	readability "codeberg.org/readeck/go-readability/v2"
	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// maxElements bounds the pages given to readability, whose scoring makes
// several passes with repeated link-density walks. Larger pages (news
// pages have 1,000–5,000 elements) are read by Text, which is linear.
const maxElements = 30000

// story is the content readability chose, before trimming.
type story struct {
	node   *html.Node // nil for a page read without readability
	byline string     // the byline readability found in the body
}

// findStory runs the first two steps of Extract on doc, which it
// changes: everything before the headline is dropped (see
// dropBeforeHeadline), so that cookie notices and sponsor bars can
// neither leak nor pull readability's choice up the tree; then
// readability picks the content node, keeping class names for the
// trims. A page too large for readability gives a nil node.
func findStory(doc *html.Node, base *url.URL, title string) (story, error) {
	dropBeforeHeadline(doc, title)
	if countElements(doc, maxElements+1) > maxElements {
		return story{}, nil
	}
	p := readability.NewParser()
	p.KeepClasses = true
	a, err := p.ParseAndMutate(doc, base)
	if err != nil || a.Node == nil {
		return story{}, ErrNoArticle
	}
	fixAtoms(a.Node)
	return story{node: a.Node, byline: a.Byline()}, nil
}

// fixAtoms sets each element's DataAtom from its tag name. readability
// renames elements (a <div> of text becomes a <p>) and creates new ones
// by name only, which would leave the atom of the old tag, or none.
func fixAtoms(n *html.Node) {
	if n.Type == html.ElementNode && n.Namespace == "" {
		n.DataAtom = atom.Lookup([]byte(n.Data))
	}
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		fixAtoms(c)
	}
}

// storyText writes the text of the story node after the trims. The
// containers readability chose lose their class and id first, so that a
// container called "main-content sidebar-layout" is not taken for page
// furniture. If the furniture filter still drops more than half of the
// text, the text is read again with no names at all: an advert left in
// is better than a story lost.
func storyText(n *html.Node, author string, site siteOf) string {
	unname(n, 1)
	trimContent(n, author, site)
	text := write(n)
	if 2*utf8.RuneCountInString(text) < utf8.RuneCountInString(textOf(n)) {
		unname(n, -1)
		text = write(n)
	}
	return text
}

func write(n *html.Node) string {
	var x writer
	x.walk(n, true)
	return x.b.String()
}

// unname removes class and id from n and its descendants down to depth
// levels below it (all of them for a negative depth).
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

// siteOf tells links to other pages of the site from links elsewhere.
// The site is the page's host, "www." aside: a blog on
// blog.example.org linking to bugs.example.org links elsewhere. Without
// a page URL, relative links are the site's.
type siteOf struct {
	page *url.URL
	host string
}

func newSite(page *url.URL) siteOf {
	s := siteOf{page: page}
	if page != nil {
		s.host = siteHost(page.Hostname())
	}
	return s
}

func siteHost(h string) string {
	return strings.TrimPrefix(strings.TrimSuffix(strings.ToLower(h), "."), "www.")
}

// otherPage reports whether href leads to another page: not to a part
// of this one ("#notes"), not to a script.
func (s siteOf) otherPage(href string) bool {
	href = strings.TrimSpace(href)
	if href == "" || strings.HasPrefix(href, "#") || strings.HasPrefix(strings.ToLower(href), "javascript:") {
		return false
	}
	u, err := url.Parse(href)
	if err != nil {
		return false
	}
	if s.page != nil && u.Fragment != "" {
		r := s.page.ResolveReference(u)
		return r.Host != s.page.Host || r.Path != s.page.Path || r.RawQuery != s.page.RawQuery
	}
	return true
}

// contains reports whether href stays on the site.
func (s siteOf) contains(href string) bool {
	u, err := url.Parse(strings.TrimSpace(href))
	if err != nil {
		return false
	}
	if u.Host == "" {
		return u.Scheme == "" // relative
	}
	return s.host != "" && siteHost(u.Hostname()) == s.host
}
