package extract

import (
	"strings"
	"unicode"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
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
		h := normalize(textOf(n))
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
// is not the story. Each rule matches structure, not words anywhere:
//
//   - A heading that starts the comments section (see isCommentsHeading),
//     after the lead, ends the story: it and everything after it go.
//   - A block that only titles a list of other stories ("Related", "Read
//     more", "More from Politics") goes with the links that follow it
//     (see dropLinkRun); story text after such a box stays.
//   - A "Read more: <link>" line goes (see isLabelledLink), and so does a
//     block that only offers to share the story (see isShareLine).
//   - A credit or copyright line goes on its own (see isCredit); a credit
//     that opens a paragraph is cut from it, and the paragraph stays.
//   - Before the lead (the first block of prose, see isProse), a byline or
//     dateline goes (see isByline), which ingest would otherwise merge
//     into the first paragraph, and so does a <time> outside any block.
//     Headings and list items stay.
//   - Lists whose every item is only a link to another page of the site,
//     or only a short linked name, go (see isLinkList): navigation,
//     tags, related stories, a sidebar of apps. Lists that are content
//     (a list of bugs fixed, links with text around them) stay.
func trimContent(root *html.Node, author string, site siteOf) {
	blocks := leafBlocks(root)
	dropLooseTimes(root, blocks)
	lead := false
blocks:
	for i, b := range blocks {
		if !attached(b, root) {
			continue // removed with an earlier block
		}
		dropLeadingCredit(b)
		text := textOf(b)
		switch {
		case text == "":
		case lead && isCommentsHeading(b, text):
			removeFrom(root, b)
			break blocks
		case isListHeading(text):
			dropLinkRun(blocks[i+1:], root, site)
			remove(b)
		case isLabelledLink(b, text, site), isShareLine(text):
			remove(b)
		case isCredit(text):
			remove(b)
		case !lead && !isHeading(b) && b.DataAtom != atom.Li && isByline(text, author):
			remove(b)
		default:
			lead = lead || isProse(text)
		}
	}
	dropLinkLists(root, site)
}

// dropLooseTimes removes the <time> elements before the lead that sit
// loose among blocks, outside any paragraph: the date in an article's
// <header>, between the headline and the byline.
func dropLooseTimes(root *html.Node, leaves []*html.Node) {
	leaf := make(map[*html.Node]bool, len(leaves))
	for _, b := range leaves {
		leaf[b] = true
	}
	var times []*html.Node
	var visit func(*html.Node) bool // false stops the walk at the lead
	visit = func(n *html.Node) bool {
		if leaf[n] {
			return !isProse(textOf(n))
		}
		if isElement(n, atom.Time) {
			times = append(times, n)
			return true
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			if !visit(c) {
				return false
			}
		}
		return true
	}
	visit(root)
	for _, t := range times {
		remove(t)
	}
}

// attached reports whether n is still under root.
func attached(n, root *html.Node) bool {
	for ; n != nil; n = n.Parent {
		if n == root {
			return true
		}
	}
	return false
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

// commentsHeadings start reader comments, which always end a story.
var commentsHeadings = map[string]bool{
	"comments": true, "comment": true, "reader comments": true, "join the conversation": true,
	"join the discussion": true, "have your say": true, "leave a comment": true,
	"post a comment": true, "add a comment": true, "leave a reply": true, "responses": true,
	"show comments": true, "view comments": true, "discussion": true,
}

// isCommentsHeading reports whether b is a heading element that says
// only "Comments" or the like, counts allowed ("12 Comments"). A table
// cell or a paragraph that says "Comment" is not one.
func isCommentsHeading(b *html.Node, text string) bool {
	return isHeading(b) && commentsHeadings[headingKey(text)]
}

// listHeadings title lists of other stories. Like commentsHeadings they
// are matched against whole blocks, in <h2> or in a styled <div> alike:
// a block that says only "Read more" is never part of the story.
var listHeadings = map[string]bool{
	"related": true, "related stories": true, "related articles": true, "related content": true,
	"related posts": true, "read more": true, "more stories": true, "most read": true,
	"most popular": true, "recommended": true, "you may also like": true,
	"you might also like": true, "more on this story": true, "top stories": true,
	"popular now": true, "editor's picks": true, "trending": true,
}

func isListHeading(text string) bool {
	k := headingKey(text)
	return listHeadings[k] || strings.HasPrefix(k, "more from ") && len(strings.Fields(k)) <= 5
}

// headingKey lower-cases text and drops counts and punctuation:
// "Comments (12)" → "comments".
func headingKey(text string) string {
	k := strings.Map(func(r rune) rune {
		if unicode.IsDigit(r) || strings.ContainsRune("()[]:.!»›", r) {
			return -1
		}
		return r
	}, strings.ToLower(text))
	return strings.Join(strings.Fields(k), " ")
}

// dropLinkRun removes, from the blocks that follow a list heading, those
// that are mostly links to other pages, up to the first that is not.
func dropLinkRun(next []*html.Node, root *html.Node, site siteOf) {
	for _, b := range next {
		if !attached(b, root) {
			continue
		}
		text := textOf(b)
		if text == "" {
			continue
		}
		if linkedShare(b, site, false) < 0.5 {
			return
		}
		remove(b)
	}
}

// readMoreLabels introduce a link to another story inside the text.
var readMoreLabels = map[string]bool{
	"read more": true, "read": true, "related": true, "see also": true, "more": true,
	"also read": true, "read also": true, "learn more": true, "recommended": true,
	"more on this": true, "watch": true, "listen": true, "read next": true, "don't miss": true,
}

// isLabelledLink reports whether b is a "Read more: <a>…</a>" line: a
// label, a colon, and a link to another page as the rest.
func isLabelledLink(b *html.Node, text string, site siteOf) bool {
	label, _, ok := strings.Cut(text, ":")
	if !ok || !readMoreLabels[headingKey(label)] {
		return false
	}
	return linkedShare(b, site, false)*float64(len(text)) >= 0.8*float64(len(text)-len(label)-1)
}

// shareWords are the words of sharing buttons and lines.
var shareWords = map[string]bool{
	"share": true, "shares": true, "sharing": true, "tweet": true, "this": true, "article": true,
	"story": true, "post": true, "page": true, "on": true, "via": true, "by": true, "or": true,
	"and": true, "facebook": true, "twitter": true, "x": true, "linkedin": true, "whatsapp": true,
	"email": true, "e": true, "mail": true, "reddit": true, "pinterest": true, "print": true,
	"copy": true, "link": true, "messenger": true, "telegram": true, "bluesky": true,
	"threads": true, "mastodon": true, "flipboard": true, "pocket": true, "save": true,
}

// isShareLine reports whether text only offers to share the story:
// "Share", "Share this article", "Share on Facebook Twitter Email". One of
// the words must be a sharing verb or a network, so "This article" is not
// one.
func isShareLine(text string) bool {
	words := strings.FieldsFunc(strings.ToLower(text), func(r rune) bool {
		return !unicode.IsLetter(r)
	})
	if len(words) == 0 || len(words) > 12 {
		return false
	}
	verb := false
	for _, w := range words {
		if !shareWords[w] {
			return false
		}
		verb = verb || w == "share" || w == "tweet" || w == "facebook" || w == "twitter" ||
			w == "whatsapp" || w == "linkedin"
	}
	return verb
}

// linkedShare is the share of n's text inside links to other pages:
// links to a part of this page ("#section") do not count. With sameSite,
// only links that stay on the site count.
func linkedShare(n *html.Node, site siteOf, sameSite bool) float64 {
	linked := 0
	var visit func(*html.Node)
	visit = func(n *html.Node) {
		if n.Type == html.ElementNode && n.DataAtom == atom.A {
			if href := attr(n, "href"); site.otherPage(href) && (!sameSite || site.contains(href)) {
				linked += len(textOf(n))
			}
			return
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			visit(c)
		}
	}
	visit(n)
	return float64(linked) / float64(max(len(textOf(n)), 1))
}

// dropLinkLists removes the link lists under root (see isLinkList).
func dropLinkLists(root *html.Node, site siteOf) {
	var lists []*html.Node
	var visit func(*html.Node)
	visit = func(n *html.Node) {
		if isElement(n, atom.Ul, atom.Ol) {
			lists = append(lists, n)
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			visit(c)
		}
	}
	visit(root)
	for _, l := range lists {
		if isLinkList(l, site) {
			remove(l)
		}
	}
}

// isLinkList reports whether list l, of at least three items and no
// nested list, has in every item only a link to another page of the
// site, or only a linked name of at most three words. A list of bare
// web addresses is a list of references, and stays.
func isLinkList(l *html.Node, site siteOf) bool {
	items, onSite, short := 0, 0, 0
	for c := l.FirstChild; c != nil; c = c.NextSibling {
		if c.Type != html.ElementNode {
			continue
		}
		if c.DataAtom != atom.Li || hasList(c) {
			return false
		}
		text := textOf(c)
		if text == "" {
			continue
		}
		items++
		switch {
		case linkedShare(c, site, true) >= 0.9:
			onSite++
		case linkedShare(c, site, false) >= 0.9 && len(strings.Fields(text)) <= 3 && !looksURL(text):
			short++
		default:
			return false
		}
	}
	return items >= 3 && onSite+short == items
}

func looksURL(s string) bool {
	s = strings.ToLower(s)
	return strings.HasPrefix(s, "http://") || strings.HasPrefix(s, "https://") || strings.HasPrefix(s, "www.")
}

func hasList(n *html.Node) bool {
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		if isElement(c, atom.Ul, atom.Ol) || hasList(c) {
			return true
		}
	}
	return false
}

// dropLeadingCredit cuts a credit line that opens block b ("© Provided
// by Business Insider" in a <span> before the lead's text): the first
// element with text inside b, when its text is a credit line and b has
// more text after it.
func dropLeadingCredit(b *html.Node) {
	n := firstTextElement(b)
	if n == nil || n == b {
		return
	}
	if t := textOf(n); isCredit(t) && len(t) < len(textOf(b)) {
		remove(n)
	}
}

// firstTextElement returns the innermost element that holds the first
// non-blank text under n.
func firstTextElement(n *html.Node) *html.Node {
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		switch {
		case c.Type == html.TextNode && strings.TrimSpace(c.Data) != "":
			return n
		case c.Type == html.ElementNode:
			if e := firstTextElement(c); e != nil {
				return e
			}
		}
	}
	return nil
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
