package extract

import (
	"net/url"
	"strings"
	"time"

	"github.com/byline-news/byline/ingest"
)

// titleSeparators join a headline and the site name in <title>.
var titleSeparators = []string{" | ", " - ", " – ", " — ", " :: ", " · "}

// pageTitle prefers what the publisher wrote for sharing and search (og:title,
// the JSON-LD headline) over <title>, which usually carries the site name.
func (m *pageMeta) pageTitle(outlet string) string {
	if t := m.first("og:title"); t != "" {
		return clean(t)
	}
	if m.ld.headline != "" {
		return m.ld.headline
	}
	if t := m.first("twitter:title"); t != "" {
		return clean(t)
	}
	if m.title != "" {
		return trimSiteName(m.title, outlet, m.h1)
	}
	return m.h1
}

// trimSiteName removes a " | Site" suffix from a <title>: when the suffix
// names the outlet, when the rest is the page's <h1>, or, for " | " only
// (rarely part of a headline), when the suffix is at most four words.
func trimSiteName(title, outlet, h1 string) string {
	title = clean(title)
	for _, sep := range titleSeparators {
		i := strings.LastIndex(title, sep)
		if i <= 0 {
			continue
		}
		head, tail := title[:i], title[i+len(sep):]
		if strings.EqualFold(tail, outlet) || strings.EqualFold(head, h1) ||
			sep == " | " && len(strings.Fields(tail)) <= 4 {
			return strings.TrimSpace(head)
		}
	}
	return title
}

// outlet is the publisher's name, else the host without "www.".
func (m *pageMeta) outlet(canonical string) string {
	if s := m.first("og:site_name", "application-name"); s != "" {
		return clean(s)
	}
	if m.ld.publisher != "" {
		return m.ld.publisher
	}
	if u, err := url.Parse(canonical); err == nil {
		return strings.TrimPrefix(u.Hostname(), "www.")
	}
	return ""
}

// author tries the meta tags, then JSON-LD, then the byline readability
// found in the page body. article:author is often a profile URL, which
// names nobody, so URLs are skipped.
func (m *pageMeta) author(bodyByline string) string {
	for _, a := range []string{m.props["author"], m.props["article:author"], m.ld.author,
		m.props["dc.creator"], m.props["byl"], m.props["parsely-author"], bodyByline} {
		if a = cleanAuthor(a); a != "" {
			return a
		}
	}
	return ""
}

// cleanAuthor strips "By " and rejects URLs and text too long to be a
// name list, such as a whole sentence mistaken for a byline.
func cleanAuthor(a string) string {
	a = clean(a)
	if len(a) > 3 && strings.EqualFold(a[:3], "by ") {
		a = strings.TrimSpace(a[3:])
	}
	if len(a) > 100 || strings.Contains(a, "://") {
		return ""
	}
	return a
}

// published follows the order in which sites are reliable: Open Graph,
// JSON-LD, microdata, the <time> in the article, then older meta names.
func (m *pageMeta) published() string {
	return firstNonEmpty(
		m.first("article:published_time", "og:published_time"),
		m.ld.published,
		m.first("datepublished"),
		m.timeAttr,
		m.first("date", "pubdate", "publishdate", "publish-date", "dc.date", "dc.date.issued",
			"dcterms.created", "dcterms.issued", "sailthru.date", "parsely-pub-date"),
	)
}

func (m *pageMeta) modified() string {
	return firstNonEmpty(
		m.first("article:modified_time", "og:updated_time"),
		m.ld.modified,
		m.first("datemodified", "dcterms.modified", "last-modified"),
	)
}

// dates parses the published and updated times. A date after the fetch
// (allowing a day for time zones) is a template bug, not news, and an
// update before the publication is dropped the same way.
func dates(m *pageMeta, fetched time.Time) (published, updated time.Time) {
	published, updated = ingest.ParseDate(m.published()), ingest.ParseDate(m.modified())
	if !fetched.IsZero() {
		limit := fetched.Add(24 * time.Hour)
		if published.After(limit) {
			published = time.Time{}
		}
		if updated.After(limit) {
			updated = time.Time{}
		}
	}
	if !published.IsZero() && updated.Before(published) {
		updated = time.Time{}
	}
	return published, updated
}

func firstNonEmpty(vals ...string) string {
	for _, v := range vals {
		if v = strings.TrimSpace(v); v != "" {
			return v
		}
	}
	return ""
}

// clean collapses white space.
func clean(s string) string { return strings.Join(strings.Fields(s), " ") }
