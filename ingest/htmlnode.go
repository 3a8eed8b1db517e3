package ingest

import (
	"strings"

	"golang.org/x/net/html"
)

// Helpers on parsed HTML, shared with package extract.

// Attr returns the value of n's attribute key (matched case-insensitively,
// no namespace), "" when it has none.
func Attr(n *html.Node, key string) string {
	for _, a := range n.Attr {
		if a.Namespace == "" && strings.EqualFold(a.Key, key) {
			return a.Val
		}
	}
	return ""
}

// HasToken reports whether the space-separated list (a rel or class
// attribute) holds tok, compared case-insensitively.
func HasToken(list, tok string) bool {
	for _, f := range strings.Fields(list) {
		if strings.EqualFold(f, tok) {
			return true
		}
	}
	return false
}

// TextOf returns the text content of n with white space collapsed.
func TextOf(n *html.Node) string {
	var b strings.Builder
	var visit func(*html.Node)
	visit = func(n *html.Node) {
		if n.Type == html.TextNode {
			b.WriteString(n.Data)
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			visit(c)
		}
	}
	visit(n)
	return strings.Join(strings.Fields(b.String()), " ")
}
