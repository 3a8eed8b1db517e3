package answer

import (
	"regexp"
	"strings"

	"github.com/byline-news/byline/retrieval"
)

// link matches a web link in a question: bare ("https://…"), or wrapped
// as Slack sends links (<https://…>, <https://…|label>) and as Discord
// users suppress a link's preview (<https://…>).
var link = regexp.MustCompile(`<(https?://[^\s<>|]+)(?:\|[^<>]*)?>|https?://[^\s<>]+`)

// CutLinks returns question without its links, and the links. A link's
// parts ("www", "co", "uk", "4166231") are no words of the question, and
// would count against any answer as words no article has; the link
// itself says which story is meant ("what does this say about the
// fine? https://…").
func CutLinks(question string) (string, []string) {
	var links []string
	rest := link.ReplaceAllStringFunc(question, func(m string) string {
		if sub := link.FindStringSubmatch(m); sub[1] != "" {
			links = append(links, sub[1])
			return " "
		}
		// A bare link may end the sentence: "… in https://x.com/a?"
		u := strings.TrimRight(m, ".,;:!?)'\"")
		links = append(links, u)
		return " " + m[len(u):]
	})
	if len(links) == 0 {
		return question, nil
	}
	return strings.Join(strings.Fields(rest), " "), links
}

// linkedK is how many paragraphs a question with a link searches, so
// that the linked story's are found even when others match its words
// better.
const linkedK = 30

// fromLinked returns the best k of hits: those of the stories the
// question links to when any of them was found, else the best of all.
func fromLinked(hits []retrieval.Hit, links []string, k int) []retrieval.Hit {
	if len(links) > 0 {
		want := make(map[string]bool, len(links))
		for _, l := range links {
			want[retrieval.CanonicalURL(l)] = true
		}
		var linked []retrieval.Hit
		for _, h := range hits {
			if h.Article.URL != "" && want[retrieval.CanonicalURL(h.Article.URL)] {
				linked = append(linked, h)
			}
		}
		if len(linked) > 0 {
			hits = linked
		}
	}
	return hits[:min(k, len(hits))]
}
