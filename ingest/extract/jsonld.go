package extract

import (
	"encoding/json"
	"strings"
)

// ldArticle holds what the page's JSON-LD says about its story.
type ldArticle struct {
	headline, published, modified, author, publisher string
}

// ldGraph is every JSON-LD object on a page, flattened out of arrays and
// @graph lists, with an index by @id: Yoast-style graphs name the author
// and publisher only by reference ({"@id": "…#org"}).
type ldGraph struct {
	objs []map[string]any
	byID map[string]map[string]any
}

// parseLD reads the page's JSON-LD scripts and describes the story from
// its Article-typed object (NewsArticle, BlogPosting, …), else from the
// first object that has a headline or datePublished and is no WebPage or
// WebSite (whose dates are the page template's). Broken JSON is skipped:
// metadata is a bonus, never a reason to fail.
//
// A story's title is its headline, or its name when the name is closer
// to the page's <title>: Wikipedia puts a description in "headline".
func parseLD(scripts []string, pageTitle string) ldArticle {
	g := ldGraph{byID: map[string]map[string]any{}}
	for _, s := range scripts {
		var v any
		if json.Unmarshal([]byte(unwrapScript(s)), &v) == nil {
			g.add(v)
		}
	}
	obj := g.story()
	if obj == nil {
		return ldArticle{}
	}
	return ldArticle{
		headline:  ldTitle(obj, pageTitle),
		published: str(obj["datePublished"]),
		modified:  str(obj["dateModified"]),
		author:    g.names(obj["author"]),
		publisher: g.names(obj["publisher"]),
	}
}

// unwrapScript removes what pages wrap JSON-LD in for old browsers:
// HTML comments, CDATA sections (also behind "//"), a trailing ";".
func unwrapScript(s string) string {
	for _, w := range [][2]string{{"<!--", "-->"}, {"//<![CDATA[", "//]]>"}, {"<![CDATA[", "]]>"}} {
		s = strings.TrimSpace(s)
		s = strings.TrimSuffix(strings.TrimPrefix(s, w[0]), w[1])
	}
	return strings.TrimRight(strings.TrimSpace(s), ";")
}

func ldTitle(obj map[string]any, pageTitle string) string {
	headline, name := str(obj["headline"]), str(obj["name"])
	if name == "" || !typeMatches(obj["@type"], isArticleType) {
		return headline
	}
	if headline == "" || overlap(name, pageTitle) > overlap(headline, pageTitle) {
		return name
	}
	return headline
}

// overlap is the share of the words of a that b has.
func overlap(a, b string) float64 {
	words := strings.Fields(normalize(a))
	if len(words) == 0 {
		return 0
	}
	have := map[string]bool{}
	for _, w := range strings.Fields(normalize(b)) {
		have[w] = true
	}
	n := 0
	for _, w := range words {
		n += b2i(have[w])
	}
	return float64(n) / float64(len(words))
}

func (g *ldGraph) add(v any) {
	switch x := v.(type) {
	case []any:
		for _, e := range x {
			g.add(e)
		}
	case map[string]any:
		if id := str(x["@id"]); id != "" && len(x) > 1 && g.byID[id] == nil {
			g.byID[id] = x
		}
		g.objs = append(g.objs, x)
		if sub, ok := x["@graph"]; ok {
			g.add(sub)
		}
	}
}

func (g *ldGraph) story() map[string]any {
	for _, o := range g.objs {
		if typeMatches(o["@type"], isArticleType) {
			return o
		}
	}
	for _, o := range g.objs {
		_, h := o["headline"]
		_, d := o["datePublished"]
		if (h || d) && !typeMatches(o["@type"], isPageType) {
			return o
		}
	}
	return nil
}

// isArticleType matches schema.org Article, NewsArticle, BlogPosting,
// ReportageNewsArticle, LiveBlogPosting and friends.
func isArticleType(t string) bool {
	return strings.HasSuffix(t, "Article") || strings.HasSuffix(t, "Posting")
}

func isPageType(t string) bool {
	return strings.HasSuffix(t, "WebPage") || t == "WebSite" || t == "Organization"
}

// typeMatches applies is to a @type given as a string or an array.
func typeMatches(t any, is func(string) bool) bool {
	switch x := t.(type) {
	case string:
		return is(strings.TrimPrefix(x, "schema:"))
	case []any:
		for _, e := range x {
			if typeMatches(e, is) {
				return true
			}
		}
	}
	return false
}

// names returns the name of a Person or Organization (following an @id
// reference), a plain string, or the names of an array joined by ", ".
func (g *ldGraph) names(v any) string {
	switch x := v.(type) {
	case string:
		return strings.TrimSpace(x)
	case map[string]any:
		if n := str(x["name"]); n != "" {
			return n
		}
		if ref := g.byID[str(x["@id"])]; ref != nil {
			return str(ref["name"])
		}
	case []any:
		var names []string
		for _, e := range x {
			if n := g.names(e); n != "" && !containsFold(names, n) {
				names = append(names, n)
			}
		}
		return strings.Join(names, ", ")
	}
	return ""
}

func containsFold(list []string, s string) bool {
	for _, e := range list {
		if strings.EqualFold(e, s) {
			return true
		}
	}
	return false
}

func str(v any) string {
	s, _ := v.(string)
	return strings.Join(strings.Fields(s), " ")
}
