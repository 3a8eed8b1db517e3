package extract

import (
	"strings"
	"unicode"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// furnitureTags never hold article text. <header> is not among them:
// inside an article it holds the headline, standfirst and byline; the
// page's banner is left out by its role or, on a whole page, by
// pageFurniture.
var furnitureTags = map[atom.Atom]bool{
	atom.Script: true, atom.Style: true, atom.Noscript: true, atom.Nav: true,
	atom.Footer: true, atom.Aside: true, atom.Form: true,
	atom.Template: true, atom.Svg: true, atom.Iframe: true, atom.Button: true,
	atom.Select: true, atom.Textarea: true, atom.Object: true, atom.Embed: true,
	atom.Canvas: true, atom.Audio: true, atom.Video: true, atom.Dialog: true,
	atom.Menu: true, atom.Head: true, atom.Input: true,
}

// furnitureRoles are ARIA landmarks around, not inside, a story.
var furnitureRoles = map[string]bool{
	"navigation": true, "banner": true, "contentinfo": true, "complementary": true,
	"search": true, "menu": true, "menubar": true, "dialog": true, "alert": true,
}

// furnitureWords name page furniture in a class or id (see namesFurniture).
var furnitureWords = map[string]bool{
	"nav": true, "navbar": true, "navigation": true, "menu": true, "footer": true,
	"share": true, "sharing": true, "social": true, "comment": true, "comments": true,
	"ad": true, "ads": true, "adslot": true, "advert": true, "advertisement": true,
	"related": true, "newsletter": true, "cookie": true, "cookies": true,
	"breadcrumb": true, "breadcrumbs": true, "sidebar": true, "promo": true,
	"sponsor": true, "sponsored": true, "subscribe": true, "paywall": true,
	"popup": true, "modal": true, "infobox": true, "navbox": true,
}

// isFurniture reports whether element n is page furniture to skip: by
// tag, ARIA role, hidden attributes, or a class or id that names it.
func isFurniture(n *html.Node) bool {
	if furnitureTags[n.DataAtom] || n.Namespace != "" || furnitureRoles[attr(n, "role")] {
		return true
	}
	if hasAttr(n, "hidden") || attr(n, "aria-hidden") == "true" {
		return true
	}
	return namesFurniture(attr(n, "class")) || namesFurniture(attr(n, "id"))
}

// namesFurniture reports whether a class or id attribute names page
// furniture. Each space-separated token is split into words at '-', '_',
// digits and case changes ("share-bar", "adSlot", "site_footer"); the
// token names furniture when its first or last word is a furniture word
// and it has at most three words. So "share-bar", "social-share" and
// "primary-nav" do, while "shared-history" (not the word "share"),
// "para-nav-anchor" (a word inside) and the ids that documentation
// generators derive from headings ("how-to-share-your-work", too long)
// do not.
func namesFurniture(list string) bool {
	for _, tok := range strings.Fields(list) {
		w := nameWords(tok)
		if len(w) > 0 && len(w) <= 3 && (furnitureWords[w[0]] || furnitureWords[w[len(w)-1]]) {
			return true
		}
	}
	return false
}

// nameWords splits a class or id token into lower-case words.
func nameWords(tok string) []string {
	var out []string
	var cur []rune
	flush := func() {
		if len(cur) > 0 {
			out = append(out, strings.ToLower(string(cur)))
			cur = cur[:0]
		}
	}
	prevLower := false
	for _, r := range tok {
		switch {
		case unicode.IsLetter(r):
			if unicode.IsUpper(r) && prevLower {
				flush()
			}
			cur = append(cur, r)
			prevLower = unicode.IsLower(r)
		default:
			flush()
			prevLower = false
		}
	}
	flush()
	return out
}
