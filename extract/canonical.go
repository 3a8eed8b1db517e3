package extract

import (
	"crypto/sha256"
	"encoding/hex"
	"net/url"
	"slices"
	"strings"

	"golang.org/x/net/publicsuffix"
)

// trackingParams are query parameters that say how a reader arrived, not
// which page they read. Besides the utm_* family (matched by prefix):
// ad click IDs, mailing-list and analytics IDs, and "ref" markers.
var trackingParams = map[string]bool{
	"fbclid": true, "gclid": true, "mc_cid": true, "mc_eid": true, "ref": true,
	"ref_src": true, "igshid": true, "_ga": true, "_gl": true, "msclkid": true,
	"dclid": true, "yclid": true, "twclid": true, "gbraid": true, "wbraid": true,
	"_hsenc": true, "_hsmi": true, "mkt_tok": true,
}

// CanonicalURL makes the spellings of one article's URL equal, so that it
// hashes to one ID however a reader or feed linked to it: it lower-cases
// the scheme and host, drops user info, the fragment, a default port and
// tracking parameters, and sorts the remaining query parameters by name
// (keeping their order within a name and their original encoding).
// Relative or unparsable input is returned trimmed.
func CanonicalURL(raw string) string {
	raw = strings.TrimSpace(raw)
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" || u.Scheme == "" {
		return raw
	}
	u.Scheme = strings.ToLower(u.Scheme)
	u.Host = strings.TrimSuffix(strings.ToLower(u.Host), ".")
	if p := u.Port(); (p == "80" && u.Scheme == "http") || (p == "443" && u.Scheme == "https") {
		u.Host = strings.TrimSuffix(u.Host, ":"+p)
	}
	u.User = nil
	u.Fragment, u.RawFragment = "", ""
	u.RawQuery, u.ForceQuery = cleanQuery(u.RawQuery), false
	return u.String()
}

// cleanQuery drops tracking parameters and sorts the rest by name. It
// works on the raw pairs rather than url.Values so that nothing is
// re-encoded and pairs url.ParseQuery rejects (a ";") are kept.
func cleanQuery(raw string) string {
	type pair struct{ key, raw string }
	var kept []pair
	for _, p := range strings.Split(raw, "&") {
		if p == "" {
			continue
		}
		k, _, _ := strings.Cut(p, "=")
		if uk, err := url.QueryUnescape(k); err == nil {
			k = uk
		}
		if lk := strings.ToLower(k); trackingParams[lk] || strings.HasPrefix(lk, "utm_") {
			continue
		}
		kept = append(kept, pair{k, p})
	}
	slices.SortStableFunc(kept, func(a, b pair) int { return strings.Compare(a.key, b.key) })
	out := make([]string, len(kept))
	for i, p := range kept {
		out[i] = p.raw
	}
	return strings.Join(out, "&")
}

// URLID returns the article ID for a URL: "u-" and the first 16 hex
// digits of the SHA-256 of its canonical form. It is the scheme of
// ingest's urlID (unexported there), so an article saved as a file with
// a rel=canonical link and the same article fetched from the web get one
// ID. ingest strips only utm_* parameters; both agree on any URL that
// CanonicalURL has already cleaned, which is what Article stores.
func URLID(rawURL string) string {
	sum := sha256.Sum256([]byte(CanonicalURL(rawURL)))
	return "u-" + hex.EncodeToString(sum[:8])
}

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
			return CanonicalURL(u.String())
		}
	}
	if base == nil || !isHTTP(base) {
		return ""
	}
	return CanonicalURL(base.String())
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
