package ingest

import (
	"strings"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"

	"github.com/byline-news/byline/retrieval"
)

// parseHTML reads a saved news page: metadata from <head> and JSON-LD
// (see pageMeta), text from the article element (see contentRoot) with
// page furniture skipped (see isNoise). The text is then split and shaped
// exactly like plain text.
func parseHTML(src string) retrieval.Article {
	doc, err := html.Parse(strings.NewReader(src))
	if err != nil { // only reader errors, impossible for a string
		return retrieval.Article{}
	}
	m := collectMeta(doc)
	root := contentRoot(doc)
	a := retrieval.Article{
		URL:    m.pageURL(),
		Title:  m.pageTitle(),
		Outlet: m.outlet(),
		Author: m.author(),
	}
	a.Published = ParseDate(m.published(firstTime(root)))
	a.Paragraphs = rootParagraphs(root, a.Title, m.h1)
	if a.Title == "" {
		a.Title = deriveTitle(a.Paragraphs)
	}
	return a
}

// HTMLParagraphs returns the paragraphs that reading n as a saved page
// gives (see parseHTML): the text of the largest <article> under n, else
// of <main> or role=main, else of <body>, else of n itself, without page
// furniture, shaped like plain text, and without blocks that repeat the
// title or the first <h1> under n. n is a parsed page or a part of one,
// such as the content node a readability pass chose; it is read, not
// changed, and n itself is never skipped as furniture.
func HTMLParagraphs(n *html.Node) []string {
	m := collectMeta(n)
	return rootParagraphs(contentRoot(n), m.pageTitle(), m.h1)
}

// rootParagraphs extracts and shapes the text under root.
func rootParagraphs(root *html.Node, title, h1 string) []string {
	var x extractor
	x.walk(root, true)
	return shape(dropHeadline(splitBlocks(x.b.String(), false), title, h1))
}

// dropHeadline removes blocks that repeat the title or the <h1>: the
// headline is stored as Title and should not also be a paragraph.
func dropHeadline(blocks []string, title, h1 string) []string {
	title, h1 = normalize(title), normalize(h1)
	out := blocks[:0]
	for _, b := range blocks {
		if k := normalize(b); k != title && k != h1 {
			out = append(out, b)
		}
	}
	return out
}

// contentRoot picks the element holding the story: the <article> with
// the most text (pages also use <article> for teasers), else <main> or
// role=main, else <body>.
func contentRoot(doc *html.Node) *html.Node {
	var r rootFinder
	r.visit(doc)
	for _, n := range []*html.Node{r.article, r.main, r.body} {
		if n != nil {
			return n
		}
	}
	return doc
}

// rootFinder measures text in one post-order pass, so that nested
// <article> elements cost nothing extra.
type rootFinder struct {
	article, main, body *html.Node
	articleLen          int
}

// visit returns the number of text bytes under n.
func (r *rootFinder) visit(n *html.Node) int {
	if n.Type == html.TextNode {
		return len(strings.TrimSpace(n.Data))
	}
	size := 0
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		size += r.visit(c)
	}
	if n.Type != html.ElementNode {
		return size
	}
	switch {
	case n.DataAtom == atom.Article:
		if size > r.articleLen {
			r.article, r.articleLen = n, size
		}
	case n.DataAtom == atom.Main || Attr(n, "role") == "main":
		r.main = n // post-order: the outermost one is seen last
	case n.DataAtom == atom.Body:
		r.body = n
	}
	return size
}

// firstTime returns the datetime of the first <time> under root.
func firstTime(root *html.Node) string {
	if root.Type == html.ElementNode && root.DataAtom == atom.Time {
		if v := Attr(root, "datetime"); v != "" {
			return v
		}
	}
	for c := root.FirstChild; c != nil; c = c.NextSibling {
		if v := firstTime(c); v != "" {
			return v
		}
	}
	return ""
}

// extractor writes the text of a subtree as the line-structured text
// splitBlocks reads: a blank line between blocks, "- " items on their
// own lines, "\n" for <br>, and code fences around <pre>.
type extractor struct {
	b    strings.Builder
	pre  int // depth of <pre>
	list int // depth of <ul>/<ol>
}

// walk writes n and its children; the root itself is never skipped.
func (x *extractor) walk(n *html.Node, root bool) {
	switch n.Type {
	case html.TextNode:
		x.text(n.Data)
		return
	case html.ElementNode:
		if !root && isNoise(n) {
			return
		}
	case html.DocumentNode:
	default:
		return
	}
	x.open(n)
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		x.walk(c, false)
	}
	x.close(n)
}

// open writes what goes before element n and tracks <pre> and lists.
func (x *extractor) open(n *html.Node) {
	switch a := n.DataAtom; {
	case a == atom.Br:
		x.b.WriteByte('\n')
	case a == atom.Li:
		x.endLines(1)
		x.b.WriteString("- ")
	case a == atom.Pre:
		x.endLines(2)
		x.b.WriteString("```\n")
		x.pre++
	case a == atom.Td || a == atom.Th:
		x.b.WriteByte(' ')
	case blockTags[a]:
		x.blockBreak(a)
	}
	if n.DataAtom == atom.Ul || n.DataAtom == atom.Ol {
		x.list++
	}
}

// close writes what goes after element n.
func (x *extractor) close(n *html.Node) {
	if n.DataAtom == atom.Ul || n.DataAtom == atom.Ol {
		x.list--
	}
	switch a := n.DataAtom; {
	case a == atom.Li:
		x.endLines(1)
	case a == atom.Pre:
		x.pre--
		x.endLines(1)
		x.b.WriteString("```")
		x.endLines(2)
	case a == atom.Td || a == atom.Th:
		x.b.WriteByte(' ')
	case blockTags[a]:
		x.blockBreak(a)
	}
}

// blockBreak separates blocks with a blank line. Inside a list, nested
// lists start a new line and other blocks only a space, so that
// <li><p>…</p></li> stays one item and the list one paragraph.
func (x *extractor) blockBreak(a atom.Atom) {
	switch {
	case x.list == 0:
		x.endLines(2)
	case a == atom.Ul || a == atom.Ol:
		x.endLines(1)
	default:
		x.b.WriteByte(' ')
	}
}

// endLines makes the output end with at least n line breaks.
func (x *extractor) endLines(n int) {
	s := x.b.String()
	for i := len(s) - 1; i >= 0 && n > 0 && s[i] == '\n'; i-- {
		n--
	}
	for ; n > 0; n-- {
		x.b.WriteByte('\n')
	}
}

// text writes a text node, collapsing white space unless in <pre>, and
// dropping it at the start of a line, where it would read as indentation.
func (x *extractor) text(s string) {
	if x.pre > 0 {
		x.b.WriteString(s)
		return
	}
	out := x.b.String()
	inSpace := out == "" || out[len(out)-1] == ' ' || out[len(out)-1] == '\n'
	for _, r := range s {
		if r == ' ' || r == '\t' || r == '\n' || r == '\r' || r == '\f' {
			if !inSpace {
				x.b.WriteByte(' ')
			}
			inSpace = true
			continue
		}
		inSpace = false
		x.b.WriteRune(r)
	}
}

var blockTags = map[atom.Atom]bool{
	atom.Address: true, atom.Article: true, atom.Blockquote: true, atom.Dd: true,
	atom.Details: true, atom.Div: true, atom.Dl: true, atom.Dt: true,
	atom.Fieldset: true, atom.Figcaption: true, atom.Figure: true,
	atom.H1: true, atom.H2: true, atom.H3: true, atom.H4: true, atom.H5: true,
	atom.H6: true, atom.Hr: true, atom.Main: true, atom.Ol: true, atom.P: true,
	atom.Section: true, atom.Summary: true, atom.Table: true, atom.Tr: true,
	atom.Ul: true, atom.Caption: true,
}
