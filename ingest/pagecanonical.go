package ingest

import (
	"net/url"
	"strings"

	"golang.org/x/net/publicsuffix"

	"github.com/byline-news/byline/retrieval"
)

// pickCanonical chooses the URL that identifies the page: the first of
// candidates (rel=canonical, then og:url) that, resolved against the
// page URL, is an http(s) URL on the same site and not the site's home
// page. Templates that point every story's canonical at the home page,
// and syndicated copies that point at another outlet's original, would
// otherwise give many stories one ID; copies across outlets are grouped
// as one story later, by their text. The page URL is the fallback.
func pickCanonical(pageURL string, candidates ...string) string {
	base, _ := url.Parse(strings.TrimSpace(pageURL))
	for _, c := range candidates {
		if u := resolve(base, c); u != nil && sameSite(base, u) && !homePageOf(base, u) {
			return retrieval.CanonicalURL(u.String())
		}
	}
	if base == nil || !isHTTP(base) {
		return ""
	}
	return retrieval.CanonicalURL(base.String())
}

// resolve parses ref against base and returns it if it is absolute http(s).
func resolve(base *url.URL, ref string) *url.URL {
	ref = strings.TrimSpace(ref)
	if ref == "" {
		return nil
	}
	u, err := url.Parse(ref)
	if err != nil {
		return nil
	}
	if base != nil {
		u = base.ResolveReference(u)
	}
	if !isHTTP(u) {
		return nil
	}
	return u
}

func isHTTP(u *url.URL) bool {
	s := strings.ToLower(u.Scheme)
	return (s == "http" || s == "https") && u.Host != ""
}

// sameSite reports whether u is on the page's registrable domain
// (example.co.uk covers www. and amp. hosts). Without a page URL any
// canonical is accepted: it is all there is.
func sameSite(page, u *url.URL) bool {
	if page == nil || !isHTTP(page) {
		return true
	}
	return registrable(page.Hostname()) == registrable(u.Hostname())
}

func registrable(host string) string {
	host = strings.TrimSuffix(strings.ToLower(host), ".")
	if d, err := publicsuffix.EffectiveTLDPlusOne(host); err == nil {
		return d
	}
	return host
}

// homePageOf reports whether u is a site root while the page is not.
func homePageOf(page, u *url.URL) bool {
	root := func(u *url.URL) bool { return strings.Trim(u.EscapedPath(), "/") == "" && u.RawQuery == "" }
	return root(u) && page != nil && isHTTP(page) && !root(page)
}
