package extract

import (
	"bytes"
	"strings"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// Text returns the text of the story block of a page, or of a part of
// one such as the HTML of a feed item, without reading it as a whole
// page (no readability, no trims): the largest <article> under n, else
// <main> or role=main, else <body>, else n itself, with page furniture
// left out (see isFurniture) and without the first <h1>, which on a page
// or in a feed item is the headline, kept as the title. The text is
// line-structured as Document.Text is. n is read, not changed.
func Text(n *html.Node) string {
	x := writer{skipH1: true, page: true}
	x.walk(contentRoot(n), true)
	return x.b.String()
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
	case n.DataAtom == atom.Main || attr(n, "role") == "main":
		r.main = n // post-order: the outermost one is seen last
	case n.DataAtom == atom.Body:
		r.body = n
	}
	return size
}

// writer writes the text of a subtree as the line-structured text of
// Document.Text: a blank line between blocks, "- " items on their own
// lines, "\n" for <br>, and code fences around <pre>.
type writer struct {
	b      bytes.Buffer
	items  []int // length of b after the "- " of each open list item
	pre    int   // depth of <pre>
	list   int   // depth of <ul>/<ol>
	story  int   // depth of <article>/<main>
	page   bool  // writing a whole page: a <header> outside the story is its banner
	skipH1 bool  // leave out the first <h1>
	seenH1 bool
}

// walk writes n and its children; the root itself is never skipped.
func (x *writer) walk(n *html.Node, root bool) {
	switch n.Type {
	case html.TextNode:
		x.text(n.Data)
		return
	case html.ElementNode:
		if !root && x.skip(n) {
			return
		}
	case html.DocumentNode:
	default:
		return
	}
	story := n.DataAtom == atom.Article || n.DataAtom == atom.Main
	if story {
		x.story++
	}
	x.open(n)
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		x.walk(c, false)
	}
	x.close(n)
	if story {
		x.story--
	}
}

func (x *writer) skip(n *html.Node) bool {
	if n.DataAtom == atom.H1 && x.skipH1 && !x.seenH1 {
		x.seenH1 = true
		return true
	}
	return isFurniture(n) || x.page && x.story == 0 && n.DataAtom == atom.Header
}

// open writes what goes before element n and tracks <pre> and lists.
func (x *writer) open(n *html.Node) {
	switch a := n.DataAtom; {
	case a == atom.Br:
		x.b.WriteByte('\n')
	case a == atom.Li:
		x.endLines(1)
		x.b.WriteString("- ")
		x.items = append(x.items, x.b.Len())
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
func (x *writer) close(n *html.Node) {
	if n.DataAtom == atom.Ul || n.DataAtom == atom.Ol {
		x.list--
	}
	switch a := n.DataAtom; {
	case a == atom.Li:
		x.closeItem()
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
func (x *writer) blockBreak(a atom.Atom) {
	switch {
	case x.list == 0:
		x.endLines(2)
	case a == atom.Ul || a == atom.Ol:
		x.endLines(1)
	default:
		x.b.WriteByte(' ')
	}
}

// closeItem ends a list item, or takes back its marker if the item had
// no text (a list of images).
func (x *writer) closeItem() {
	mark := x.items[len(x.items)-1]
	x.items = x.items[:len(x.items)-1]
	if x.b.Len() == mark || strings.TrimSpace(string(x.b.Bytes()[mark:])) == "" {
		x.b.Truncate(mark - len("- "))
		return
	}
	x.endLines(1)
}

// endLines makes the output end with at least n line breaks.
func (x *writer) endLines(n int) {
	s := x.b.Bytes()
	for i := len(s) - 1; i >= 0 && n > 0 && s[i] == '\n'; i-- {
		n--
	}
	for ; n > 0; n-- {
		x.b.WriteByte('\n')
	}
}

// text writes a text node, collapsing white space unless in <pre>, and
// dropping it at the start of a line, where it would read as indentation.
func (x *writer) text(s string) {
	if x.pre > 0 {
		x.b.WriteString(s)
		return
	}
	out := x.b.Bytes()
	inSpace := len(out) == 0 || out[len(out)-1] == ' ' || out[len(out)-1] == '\n'
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
