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
	"popup": true, "modal": true, "infobox": true, "navbox": true, "sharedaddy": true,
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
	return namesFurniture(attr(n, "class"), 0) || namesFurniture(attr(n, "id"), maxIDWords)
}

// maxIDWords bounds the ids read for furniture words: documentation
// generators and Markdown renderers derive ids from headings
// ("evolve-shared-mutable-history", "how-to-share-your-work"), and a
// heading may say anything.
const maxIDWords = 3

// namesFurniture reports whether a class or id attribute names page
// furniture: one of its space-separated tokens, split into words at
// '-', '_', digits and case changes ("share-bar", "c-share__button",
// "adSlot"), has a furniture word as one of its words. Tokens of more
// than maxWords words are not read (0: no limit). So "share-bar" and
// "article-share-tools" name furniture, while "shared-history" (not the
// word "share") and "commentary-body" do not.
func namesFurniture(list string, maxWords int) bool {
	for _, tok := range strings.Fields(list) {
		words := nameWords(tok)
		if maxWords > 0 && len(words) > maxWords {
			continue
		}
		for _, w := range words {
			if furnitureWords[w] {
				return true
			}
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
