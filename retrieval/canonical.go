package retrieval

import (
	"crypto/sha256"
	"encoding/hex"
	"net/url"
	"slices"
	"strings"
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
// hashes to one ID however a file, reader or feed linked to it: it
// lower-cases the scheme and host, drops user info, the fragment, a
// default port and tracking parameters, and sorts the remaining query
// parameters by name (keeping their order within a name and their
// original encoding). Relative or unparsable input is returned trimmed.
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

// URLID returns the article ID of a story known by its link: "u-" and 16
// hex digits (64 bits) of the SHA-256 of CanonicalURL(rawURL). Ingest
// gives it to every story it reads with a link and no ID of its own, so
// a page saved with a rel=canonical link, the same page fetched and its
// feed item get one ID, and a chat link finds the story by it.
func URLID(rawURL string) string {
	sum := sha256.Sum256([]byte(CanonicalURL(rawURL)))
	return "u-" + hex.EncodeToString(sum[:8])
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

// isAbsURL reports whether s is an absolute http(s) URL.
func isAbsURL(s string) bool {
	u, err := url.Parse(strings.TrimSpace(s))
	return err == nil && (u.Scheme == "http" || u.Scheme == "https") && u.Host != ""
}
