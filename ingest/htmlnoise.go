package ingest

import (
	"strings"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// noiseTags never hold article text.
var noiseTags = map[atom.Atom]bool{
	atom.Script: true, atom.Style: true, atom.Noscript: true, atom.Nav: true,
	atom.Header: true, atom.Footer: true, atom.Aside: true, atom.Form: true,
	atom.Template: true, atom.Svg: true, atom.Iframe: true, atom.Button: true,
	atom.Select: true, atom.Textarea: true, atom.Object: true, atom.Embed: true,
	atom.Canvas: true, atom.Audio: true, atom.Video: true, atom.Dialog: true,
	atom.Menu: true, atom.Head: true,
}

// noiseRoles are ARIA landmarks around, not inside, a story.
var noiseRoles = map[string]bool{
	"navigation": true, "banner": true, "contentinfo": true, "complementary": true,
	"search": true, "menu": true, "menubar": true, "dialog": true, "alert": true,
}

// noiseWords in a class or id mark page furniture.
var noiseWords = []string{"nav", "menu", "footer", "share", "comment", "advert",
	"related", "newsletter", "cookie", "breadcrumb", "sidebar", "promo",
	"sponsor", "social", "subscribe", "paywall", "popup", "modal"}

// isNoise reports whether element n is page furniture to skip: by tag,
// ARIA role, hidden attributes, or a class/id naming navigation, menus,
// sharing, comments, adverts, related links, newsletters or cookies.
func isNoise(n *html.Node) bool {
	if noiseTags[n.DataAtom] || n.Namespace != "" || noiseRoles[Attr(n, "role")] {
		return true
	}
	if hasAttr(n, "hidden") || Attr(n, "aria-hidden") == "true" {
		return true
	}
	names := strings.ToLower(Attr(n, "class") + " " + Attr(n, "id"))
	names = strings.ReplaceAll(names, "commentary", "") // opinion pieces are text
	for _, w := range noiseWords {
		if strings.Contains(names, w) {
			return true
		}
	}
	for _, tok := range strings.FieldsFunc(names, func(r rune) bool { return !isAlnum(r) }) {
		if tok == "ad" || tok == "ads" || tok == "adslot" {
			return true
		}
	}
	return false
}

func hasAttr(n *html.Node, key string) bool {
	for _, a := range n.Attr {
		if a.Namespace == "" && strings.EqualFold(a.Key, key) {
			return true
		}
	}
	return false
}
