package fetch

import (
	"fmt"
	"net/netip"
	"strings"
)

// ParseAllow parses an allow list: a comma-separated list of host
// names ("intranet.example", "localhost"), IP addresses ("10.1.2.3") and
// CIDRs ("10.0.0.0/8", "fd00::/8"). It returns the entries in canonical
// form for Options.Allow, or an error naming the first bad one, so a typo
// fails at startup rather than silently refusing the site.
//
// Host names match exactly, not their subdomains. An allowed host name may
// connect to whatever private address it resolves to, except cloud
// metadata addresses, which must be listed as addresses.
func ParseAllow(s string) ([]string, error) {
	var out []string
	for _, field := range strings.Split(s, ",") {
		field = strings.TrimSpace(field)
		if field == "" {
			continue
		}
		e, err := parseAllowEntry(field)
		if err != nil {
			return nil, err
		}
		out = append(out, e.String())
	}
	return out, nil
}

// allowEntry is one allow-list entry: a host name or a prefix.
type allowEntry struct {
	host   string
	prefix netip.Prefix
}

func (e allowEntry) String() string {
	switch {
	case e.host != "":
		return e.host
	case e.prefix.IsSingleIP():
		return e.prefix.Addr().String()
	}
	return e.prefix.String()
}

func parseAllowEntry(s string) (allowEntry, error) {
	s = strings.TrimSpace(s)
	if addr, _, ok := strings.Cut(s, "/"); ok && validAddr(addr) {
		pf, err := netip.ParsePrefix(s)
		if err != nil {
			return allowEntry{}, fmt.Errorf("%q is not a valid CIDR", s)
		}
		return allowEntry{prefix: unmapPrefix(pf).Masked()}, nil
	}
	if ip, err := netip.ParseAddr(s); err == nil && ip.Zone() == "" {
		ip = ip.Unmap()
		return allowEntry{prefix: netip.PrefixFrom(ip, ip.BitLen())}, nil
	}
	if !validHost(s) {
		return allowEntry{}, fmt.Errorf("%q is not a host name, IP address or CIDR "+
			`(examples: "intranet.example", "10.1.2.3", "10.0.0.0/8")`, s)
	}
	return allowEntry{host: normalHost(s)}, nil
}

func validAddr(s string) bool {
	_, err := netip.ParseAddr(s)
	return err == nil
}

// unmapPrefix turns ::ffff:10.0.0.0/104 into 10.0.0.0/8: addresses are
// unmapped before they are checked.
func unmapPrefix(pf netip.Prefix) netip.Prefix {
	if pf.Addr().Is4In6() && pf.Bits() >= 96 {
		return netip.PrefixFrom(pf.Addr().Unmap(), pf.Bits()-96)
	}
	return pf
}

// validHost reports whether s is a DNS name: dot-separated labels of
// letters, digits, '-' and '_', the last one not all digits (that would be
// a malformed IP address). No scheme, port, path or wildcard.
func validHost(s string) bool {
	s = strings.TrimSuffix(s, ".")
	if s == "" || len(s) > 253 {
		return false
	}
	labels := strings.Split(s, ".")
	for _, l := range labels {
		if !validLabel(l) {
			return false
		}
	}
	return strings.Trim(labels[len(labels)-1], "0123456789") != ""
}

func validLabel(l string) bool {
	if l == "" || len(l) > 63 || l[0] == '-' || l[len(l)-1] == '-' {
		return false
	}
	for _, c := range l {
		ok := c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_'
		if !ok {
			return false
		}
	}
	return true
}
