package extract

import (
	"net/url"
	"regexp"
	"strings"
	"unicode"

	"golang.org/x/net/publicsuffix"
)

// The metadata keys read, most trusted first. The order of the meta
// tags follows Readability.js, whose choices the test pages record;
// Open Graph and Dublin Core name the same things on most pages.
var (
	titleKeys = []string{"dc:title", "dcterm:title", "og:title", "weibo:article:title",
		"weibo:webpage:title", "title", "twitter:title", "parsely-title"}
	authorKeys = []string{"dc:creator", "dcterm:creator", "author", "parsely-author",
		"article:author", "og:article:author", "byl", "sailthru:author"}
	publishedKeys = []string{"article:published_time", "og:published_time", "dcterms:available",
		"dcterms:created", "dcterms:issued", "dc:date:issued", "weibo:article:create_at",
		"parsely-pub-date", "datepublished", "sailthru:date", "date", "pubdate", "publishdate",
		"publish-date", "dc:date"}
	modifiedKeys = []string{"article:modified_time", "og:updated_time", "dcterms:modified",
		"datemodified", "last-modified"}
	siteKeys = []string{"og:site_name", "application-name"}
)

// titleSeparators join a headline and the site name.
var titleSeparators = []string{" | ", " - ", " – ", " — ", " :: ", " · ", " » ", " / "}

// pageTitle is the JSON-LD headline, else the first title meta tag, else
// <title>, else the first <h1>; a site name before or after it is
// removed (see trimSiteName). A "headline" that is only the site's name
// is skipped.
func (m *pageMeta) pageTitle(outlet, host string) string {
	sites := []string{outlet, m.first(siteKeys...), m.ld.publisher}
	t := m.ld.headline
	if isSiteName(t, sites, host) {
		t = ""
	}
	if t == "" {
		t = m.first(titleKeys...)
	}
	if t == "" {
		t = m.title
	}
	if t == "" {
		return m.h1
	}
	return trimSiteName(t, sites, host, m.h1)
}

// trimSiteName removes one segment from the start or end of title, cut
// at a separator such as " | " or " - ", when that segment is the site:
// it matches one of the site names or the host (see sameName), or the
// rest of the title is the page's <h1>.
func trimSiteName(title string, sites []string, host, h1 string) string {
	title = clean(title)
	for _, sep := range titleSeparators {
		if i := strings.LastIndex(title, sep); i > 0 {
			head, tail := title[:i], title[i+len(sep):]
			if isSiteName(tail, sites, host) || strings.EqualFold(head, clean(h1)) {
				return strings.TrimSpace(head)
			}
		}
		if i := strings.Index(title, sep); i > 0 {
			head, tail := title[:i], title[i+len(sep):]
			if isSiteName(head, sites, host) || strings.EqualFold(tail, clean(h1)) {
				return strings.TrimSpace(tail)
			}
		}
	}
	return title
}

// isSiteName reports whether a title segment names the site: the same
// words as a site name or the start of one ("Spiceworks" for "Spiceworks
// Inc", "Aktuálně.cz" for "Aktuálně.cz - Víte, co se právě děje"), or
// the host, its registrable domain or that domain's name ("BBC" for
// www.bbc.co.uk).
func isSiteName(seg string, sites []string, host string) bool {
	k := nameKey(seg)
	if k == "" {
		return false
	}
	for _, s := range sites {
		if s := nameKey(s); s != "" && (s == k || strings.HasPrefix(s, k+" ")) {
			return true
		}
	}
	host = strings.TrimPrefix(strings.ToLower(host), "www.")
	if host == "" {
		return false
	}
	reg, err := publicsuffix.EffectiveTLDPlusOne(host)
	if err != nil {
		reg = host
	}
	name, _, _ := strings.Cut(reg, ".")
	joined := strings.ReplaceAll(k, " ", "")
	return joined == strings.ReplaceAll(host, ".", "") || joined == strings.ReplaceAll(reg, ".", "") || joined == name
}

// nameKey lower-cases s and keeps its letters and digits, one space
// between words.
func nameKey(s string) string {
	return strings.Join(strings.FieldsFunc(strings.ToLower(s), func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r)
	}), " ")
}

// outlet is the publisher's name, else the host without "www.".
func (m *pageMeta) outlet(host string) string {
	if s := m.first(siteKeys...); s != "" {
		return s
	}
	if m.ld.publisher != "" {
		return m.ld.publisher
	}
	return strings.TrimPrefix(strings.ToLower(host), "www.")
}

// author is the JSON-LD author, else the authors named by the first
// author meta tag that names any, else the byline readability found in
// the page body. Profile URLs (Facebook pages put one in article:author)
// and text too long for a list of names are skipped.
func (m *pageMeta) author(bodyByline string) string {
	if a := cleanAuthor(m.ld.author); a != "" {
		return a
	}
	for _, k := range authorKeys {
		if a := joinNames(m.props[k]); a != "" {
			return a
		}
	}
	return cleanAuthor(bodyByline)
}

// joinNames joins the distinct names of repeated author tags: ", "
// between them, or "; " when a name is written "Last, First".
func joinNames(vals []string) string {
	var names []string
	sep := ", "
	for _, v := range vals {
		if v = cleanAuthor(v); v != "" && !containsFold(names, v) {
			names = append(names, v)
			if strings.Contains(v, ",") {
				sep = "; "
			}
		}
	}
	return strings.Join(names, sep)
}

// cleanAuthor strips "By " and web addresses ("Ann Lee
// (https://ann.example)" is Ann Lee), and rejects text too long to be a
// list of names, such as a whole sentence mistaken for a byline.
func cleanAuthor(a string) string {
	a = clean(urlInName.ReplaceAllString(a, ""))
	if len(a) > 3 && strings.EqualFold(a[:3], "by ") {
		a = strings.TrimSpace(a[3:])
	}
	if len(a) > 100 || isDateOnly(a) {
		return ""
	}
	return a
}

// isDateOnly reports whether s is a date and nothing more, as when a
// dateline is marked up as the byline.
func isDateOnly(s string) bool {
	rest := datePattern.ReplaceAllString(s, "")
	for _, w := range strings.FieldsFunc(strings.ToLower(rest), func(r rune) bool { return !unicode.IsLetter(r) }) {
		if !dateWords[w] {
			return false
		}
	}
	return rest != s
}

// dateWords may surround a date in a dateline.
var dateWords = map[string]bool{"last": true, "updated": true, "published": true, "posted": true, "on": true,
	"at": true, "am": true, "pm": true, "gmt": true, "utc": true, "est": true, "edt": true,
	"pst": true, "pdt": true, "bst": true, "cet": true}

// urlInName matches a web address in an author field, with the
// brackets around it.
var urlInName = regexp.MustCompile(`[(<\[]?\s*(https?://|www\.)[^\s)>\]]*\s*[)>\]]?`)

// published lists the publication dates the page gives, most trusted
// first: JSON-LD, the meta tags, the <time> in the article.
func (m *pageMeta) published() []string {
	return nonEmpty(append([]string{m.ld.published}, append(m.all(publishedKeys), m.timeAttr)...))
}

func (m *pageMeta) modified() []string {
	return nonEmpty(append([]string{m.ld.modified}, m.all(modifiedKeys)...))
}

// all returns the first value of each key, in the order of keys.
func (m *pageMeta) all(keys []string) []string {
	var out []string
	for _, k := range keys {
		if v := m.props[k]; len(v) > 0 {
			out = append(out, v[0])
		}
	}
	return out
}

func nonEmpty(vals []string) []string {
	out := vals[:0]
	for _, v := range vals {
		if v = strings.TrimSpace(v); v != "" {
			out = append(out, v)
		}
	}
	return out
}

// hostOf returns the host of an absolute URL, "" for anything else.
func hostOf(raw string) string {
	u, err := url.Parse(strings.TrimSpace(raw))
	if err != nil || u.Host == "" {
		return ""
	}
	return u.Hostname()
}

// clean collapses white space.
func clean(s string) string { return strings.Join(strings.Fields(s), " ") }
