package extract

import (
	"reflect"
	"strings"
	"testing"

	"golang.org/x/net/html"
)

func TestParseLD(t *testing.T) {
	scripts := []string{
		`{"@context":"https://schema.org","@type":"WebPage","datePublished":"2001-01-01"}`,
		`[{"@type":"BlogPosting","headline":" A  post ","author":"Ann Lee","publisher":{"@type":"Organization","name":"Blog"},` +
			`"datePublished":"2024-01-02","dateModified":"2024-01-03"}];`,
	}
	got := parseLD(scripts, "")
	want := ldArticle{headline: "A post", published: "2024-01-02", modified: "2024-01-03", author: "Ann Lee", publisher: "Blog"}
	if got != want {
		t.Errorf("parseLD = %+v, want %+v", got, want)
	}
	if got := parseLD([]string{`{"@type":"WebSite","datePublished":"2001-01-01"}`, `{broken`}, ""); got != (ldArticle{}) {
		t.Errorf("site-only JSON-LD: %+v", got)
	}
	cdata := "\n<![CDATA[\n{\"@type\":\"Article\",\"headline\":\"Wrapped\",\"datePublished\":\"2018-04-05T06:00\"}\n]]>\n"
	if got := parseLD([]string{cdata}, ""); got.headline != "Wrapped" || got.published != "2018-04-05T06:00" {
		t.Errorf("CDATA-wrapped JSON-LD: %+v", got)
	}
	// Wikipedia puts a description in headline; the name matches <title>.
	wiki := `{"@type":"Article","name":"List of films featuring time loops","headline":"Wikimedia list article"}`
	if got := parseLD([]string{wiki}, "List of films featuring time loops - Wikipedia"); got.headline != "List of films featuring time loops" {
		t.Errorf("headline = %q, want the name", got.headline)
	}
}

// TestMetadataOrder: JSON-LD, then meta tags (property before name), then
// the page body, for each field.
func TestMetadataOrder(t *testing.T) {
	tests := []struct {
		name, head, body               string
		title, author, published, site string
	}{
		{name: "JSON-LD first",
			head: `<script type="application/ld+json">{"@type":"NewsArticle","headline":"From JSON-LD","author":{"@type":"Person","name":"Devindra Hardawar"},"datePublished":"2024-01-02T10:00:00Z"}</script>` +
				`<meta property="og:title" content="From OG"><meta property="article:author" content="devindra"><meta property="article:published_time" content="2023-05-05">`,
			body:  `<time datetime="2022-01-01">1 Jan</time>`,
			title: "From JSON-LD", author: "Devindra Hardawar", published: "2024-01-02T10:00:00Z"},
		{name: "meta tags, property before name",
			head: `<title>Title element</title><meta name="DC.title" content="Dublin Core name title"><meta property="dc:title og:title" content="Property title">` +
				`<meta name="author" content="Meta name author"><meta property="dc:creator twitter:site_name" content="Creator Name"><meta name="DC.Date.Issued" content="2014-12-15">`,
			body:  `<time datetime="2022-01-01">1 Jan</time>`,
			title: "Property title", author: "Creator Name", published: "2014-12-15"},
		{name: "repeated author tags are all the authors",
			head:  `<title>Draft</title><meta name="DC.Creator" content="Kooman, F."><meta name="DC.Creator" content="Jong, Michiel de">`,
			title: "Draft", author: "Kooman, F.; Jong, Michiel de"},
		{name: "the body last",
			head: `<title>Only a title | Site</title><meta property="og:site_name" content="Site">`,
			body: `<article><time datetime="2021-06-01">1 June 2021</time></article>`, title: "Only a title",
			published: "2021-06-01", site: "Site"},
		{name: "a web address is no author, a headline that is the site's name no title",
			head: `<script type="application/ld+json">{"@type":"NewsArticle","headline":"Aktuálně.cz","publisher":{"name":"Aktuálně.cz"}}</script>` +
				`<meta property="og:title" content="West Ham hrozí gigantům | Aktuálně.cz"><meta name="author" content="Bradley M. Kuhn (http://ebb.org/bkuhn/)">`,
			title: "West Ham hrozí gigantům", author: "Bradley M. Kuhn"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			doc, err := html.Parse(strings.NewReader("<html><head>" + tt.head + "</head><body><h1>Heading</h1>" + tt.body + "</body></html>"))
			if err != nil {
				t.Fatal(err)
			}
			m := collectMeta(doc)
			outlet := m.outlet("")
			var published string
			if p := m.published(); len(p) > 0 {
				published = p[0]
			}
			got := []string{m.pageTitle(outlet, ""), m.author(""), published}
			if want := []string{tt.title, tt.author, tt.published}; !reflect.DeepEqual(got, want) {
				t.Errorf("title, author, published = %q, want %q", got, want)
			}
			if tt.site != "" && outlet != tt.site {
				t.Errorf("outlet = %q, want %q", outlet, tt.site)
			}
		})
	}
}

func TestCleanAuthor(t *testing.T) {
	for in, want := range map[string]string{
		"By Ann Lee":                     "Ann Lee",
		"Ann Lee (https://ann.example/)": "Ann Lee",
		"1 June 2021":                    "", // a dateline marked up as the byline
		"April 28, 2019 at 6:01 am Updated April 29, 2019 at 3:33 pm": "",
		"Last Updated: January 7, 2025":                               "",
		"Ann Lee, 5 March 2024":                                       "Ann Lee, 5 March 2024",
		strings.Repeat("word ", 30):                                   "",
	} {
		if got := cleanAuthor(in); got != want {
			t.Errorf("cleanAuthor(%q) = %q, want %q", in, got, want)
		}
	}
}
