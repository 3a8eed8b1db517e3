package extract

import (
	"slices"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// frontStats describe the teaser cards in a story node: headings that
// are, or sit in, links to other pages, each with the blocks up to the
// next heading.
type frontStats struct {
	teasers    int   // linked headings
	teaserText int   // width of the teaser cards, headline included
	total      int   // width of all the text
	cards      []int // width of each card, headline excluded
}

func teaserStats(n *html.Node, site siteOf) frontStats {
	var s frontStats
	inCard, card := false, 0
	end := func() {
		if inCard {
			s.cards = append(s.cards, card)
		}
	}
	for _, b := range leafBlocks(n) {
		w := width(textOf(b))
		s.total += w
		if isHeading(b) {
			end()
			inCard = w > 0 && (linkedShare(b, site, false) >= 0.8 || insideLink(b, site))
			card = 0
			if inCard {
				s.teasers++
				s.teaserText += w
			}
			continue
		}
		if inCard {
			card += w
			s.teaserText += w
		}
	}
	end()
	return s
}

// insideLink reports whether n sits in a link to another page, as a
// headline does when the whole card is the link.
func insideLink(n *html.Node, site siteOf) bool {
	for p := n.Parent; p != nil; p = p.Parent {
		if isElement(p, atom.A) {
			return site.otherPage(attr(p, "href"))
		}
	}
	return false
}

// isSectionFront reports whether the story node is a section front, a
// home page or a list of search results rather than a story: at least
// minTeasers linked headlines, whose cards (headline, summary, byline)
// hold most of the text, with summaries of a sentence or two. A list
// article whose items are linked headings ("The 10 best games") has
// longer text under each.
func isSectionFront(n *html.Node, site siteOf) bool {
	s := teaserStats(n, site)
	if s.teasers < minTeasers || 2*s.teaserText < s.total {
		return false
	}
	slices.Sort(s.cards)
	return s.cards[len(s.cards)/2] <= maxSummary
}

const (
	minTeasers = 5
	maxSummary = 300 // columns (see width) in the median card: two sentences
)
