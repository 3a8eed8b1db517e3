package extract

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"

	"github.com/byline-news/byline/ingest"
)

// dropBeforeHeadline removes everything that comes before the story's
// headline in document order: cookie notices, navigation, sponsor bars,
// breadcrumbs. The headline is an <h1> whose text matches the title;
// without one (a logo in <h1>, no <h1> at all) nothing is dropped.
func dropBeforeHeadline(doc *html.Node, title string) {
	h := findHeadline(doc, normalize(title))
	for n := h; n != nil && n.Parent != nil && n.DataAtom != atom.Body; n = n.Parent {
		for s := n.PrevSibling; s != nil; {
			prev := s.PrevSibling
			n.Parent.RemoveChild(s)
			s = prev
		}
	}
}

// findHeadline returns the first <h1> matching title: equal, or one a
// prefix of the other of at least three words (og:title often adds a
// clause to the printed headline, or the reverse).
func findHeadline(n *html.Node, title string) *html.Node {
	if title == "" {
		return nil
	}
	if n.Type == html.ElementNode && n.DataAtom == atom.H1 {
		h := normalize(ingest.TextOf(n))
		short := min(len(strings.Fields(h)), len(strings.Fields(title)))
		if h == title || short >= 3 && (strings.HasPrefix(h, title) || strings.HasPrefix(title, h)) {
			return n
		}
	}
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		if h := findHeadline(c, title); h != nil {
			return h
		}
	}
	return nil
}

// trimContent removes from readability's content node what it keeps but
// is not the story: blocks that are mostly links ("Read more: …", lists
// of related stories) and the box around them, headings of such lists,
// everything from a comments heading on, copyright lines, and the byline
// and date lines before the lead, which ingest would otherwise merge
// into the first paragraph.
func trimContent(root *html.Node) {
	var boxes []*html.Node // parents of removed link blocks
	lead := false
	for _, b := range leafBlocks(root) {
		text := normalize(ingest.TextOf(b))
		switch {
		case text == "":
		case isCommentsHeading(text):
			removeFrom(root, b)
			return
		case linkDensity(b, text) >= 0.5:
			boxes = append(boxes, b.Parent)
			remove(b)
		case isListHeading(text), isCopyright(text):
			remove(b)
		case !lead && !isProse(text) && b.DataAtom != atom.Li && !strings.HasSuffix(text, ":"):
			remove(b) // a byline, dateline or kicker; "Key points:" introduces a list
		default:
			lead = true
		}
	}
	for _, b := range boxes {
		if b != nil && b != root && !isProse(normalize(ingest.TextOf(b))) {
			remove(b) // what is left is a label such as "Read more"
		}
	}
}

// blockAtoms are the elements that start a new block of text.
var blockAtoms = map[atom.Atom]bool{
	atom.Address: true, atom.Article: true, atom.Aside: true, atom.Blockquote: true,
	atom.Dd: true, atom.Div: true, atom.Dl: true, atom.Dt: true, atom.Figcaption: true,
	atom.Figure: true, atom.Footer: true, atom.H1: true, atom.H2: true, atom.H3: true,
	atom.H4: true, atom.H5: true, atom.H6: true, atom.Header: true, atom.Li: true,
	atom.Ol: true, atom.P: true, atom.Pre: true, atom.Section: true, atom.Table: true,
	atom.Td: true, atom.Th: true, atom.Tr: true, atom.Ul: true,
}

// leafBlocks returns, in document order, the block elements under root
// that contain no other block element: the paragraphs, list items,
// headings and text-only <div>s the reader sees as units.
func leafBlocks(root *html.Node) []*html.Node {
	var out []*html.Node
	var visit func(*html.Node) bool // reports whether n holds a block
	visit = func(n *html.Node) bool {
		inner := false
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			inner = visit(c) || inner
		}
		isBlock := n.Type == html.ElementNode && blockAtoms[n.DataAtom]
		if isBlock && !inner && n != root {
			out = append(out, n)
		}
		return isBlock || inner
	}
	visit(root)
	return out
}

// linkDensity is the share of n's text inside links.
func linkDensity(n *html.Node, text string) float64 {
	linked := 0
	var visit func(*html.Node)
	visit = func(n *html.Node) {
		if n.Type == html.ElementNode && n.DataAtom == atom.A {
			linked += len(normalize(ingest.TextOf(n)))
			return
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			visit(c)
		}
	}
	visit(n)
	return float64(linked) / float64(max(len(text), 1))
}

// commentsHeadings start reader comments, which always end a story.
var commentsHeadings = map[string]bool{
	"comments": true, "comment": true, "reader comments": true, "join the conversation": true,
	"join the discussion": true, "have your say": true, "leave a comment": true,
	"leave a reply": true, "show comments": true, "view comments": true,
}

// listHeadings title lists of other stories. Only the heading is removed:
// the links under it go as link-dense blocks, and a story that goes on
// after such a box mid-article keeps its text. Like commentsHeadings they
// are matched against whole blocks, in <h2> or in a styled <div> alike:
// a block that says only "Read more" is never part of the story.
var listHeadings = map[string]bool{
	"related": true, "related stories": true, "related articles": true, "related content": true,
	"read more": true, "more stories": true, "most read": true, "most popular": true,
	"recommended": true, "you may also like": true, "you might also like": true,
	"more on this story": true, "top stories": true, "popular now": true, "editor's picks": true,
}

func isCommentsHeading(text string) bool { return commentsHeadings[headingKey(text)] }

func isListHeading(text string) bool {
	k := headingKey(text)
	return listHeadings[k] || strings.HasPrefix(k, "more from ")
}

// headingKey drops counts and punctuation: "Comments (12)" → "comments".
func headingKey(text string) string {
	k := strings.Map(func(r rune) rune {
		if unicode.IsDigit(r) || strings.ContainsRune("()[]:.!", r) {
			return -1
		}
		return r
	}, text)
	return strings.Join(strings.Fields(k), " ")
}

func isCopyright(text string) bool {
	return len(text) < 300 && (strings.HasPrefix(text, "©") || strings.HasPrefix(text, "(c) ") ||
		strings.HasPrefix(text, "copyright "))
}

// isProse reports whether text reads as article prose rather than a
// byline, dateline or kicker: 80 characters or more, or a sentence of at
// least three words ending in . ? ! or … (closing quotes allowed).
func isProse(text string) bool {
	if utf8.RuneCountInString(text) >= 80 {
		return true
	}
	end := strings.TrimRight(text, `"')]”’»`)
	last, _ := utf8.DecodeLastRuneInString(end)
	return len(strings.Fields(text)) >= 3 && strings.ContainsRune(".?!…", last)
}

func remove(n *html.Node) {
	if n.Parent != nil {
		n.Parent.RemoveChild(n)
	}
}

// removeFrom removes n and everything after it under root.
func removeFrom(root, n *html.Node) {
	for a := n; a != root && a.Parent != nil; a = a.Parent {
		for s := a.NextSibling; s != nil; {
			next := s.NextSibling
			a.Parent.RemoveChild(s)
			s = next
		}
	}
	remove(n)
}

// normalize lower-cases s and collapses white space.
func normalize(s string) string {
	return strings.ToLower(strings.Join(strings.Fields(s), " "))
}
