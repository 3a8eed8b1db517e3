package fetch

import (
	"fmt"
	"log/slog"
	"net/netip"
	"net/url"
	"strings"
)

// special is a range of addresses a news fetcher has no business reaching
// by default, with the word the refusal uses for it.
type special struct {
	prefix netip.Prefix
	what   string
}

// specialRanges is checked in order; the first match names the range.
// Addresses are unmapped first, so ::ffff:10.0.0.1 is 10.0.0.1.
var specialRanges = []special{
	{netip.MustParsePrefix("0.0.0.0/8"), "unspecified"}, // 0.0.0.0 reaches this host on Linux
	{netip.MustParsePrefix("10.0.0.0/8"), "private"},
	{netip.MustParsePrefix("100.64.0.0/10"), "carrier-grade NAT"},
	{netip.MustParsePrefix("127.0.0.0/8"), "loopback"},
	{netip.MustParsePrefix("169.254.0.0/16"), "link-local"},
	{netip.MustParsePrefix("172.16.0.0/12"), "private"},
	{netip.MustParsePrefix("192.0.0.0/24"), "reserved"},
	{netip.MustParsePrefix("192.0.2.0/24"), "documentation"},
	{netip.MustParsePrefix("192.168.0.0/16"), "private"},
	{netip.MustParsePrefix("198.18.0.0/15"), "reserved"}, // benchmarking
	{netip.MustParsePrefix("198.51.100.0/24"), "documentation"},
	{netip.MustParsePrefix("203.0.113.0/24"), "documentation"},
	{netip.MustParsePrefix("224.0.0.0/4"), "multicast"},
	{netip.MustParsePrefix("255.255.255.255/32"), "broadcast"},
	{netip.MustParsePrefix("240.0.0.0/4"), "reserved"},
	{netip.MustParsePrefix("::/128"), "unspecified"},
	{netip.MustParsePrefix("::1/128"), "loopback"},
	{netip.MustParsePrefix("::/96"), "reserved"}, // IPv4-compatible, deprecated
	{netip.MustParsePrefix("64:ff9b:1::/48"), "reserved"},
	{netip.MustParsePrefix("100::/64"), "reserved"}, // discard-only
	{netip.MustParsePrefix("2001:db8::/32"), "documentation"},
	{netip.MustParsePrefix("fc00::/7"), "private"},
	{netip.MustParsePrefix("fe80::/10"), "link-local"},
	{netip.MustParsePrefix("fec0::/10"), "site-local"},
	{netip.MustParsePrefix("ff00::/8"), "multicast"},
}

// metadata are the cloud instance-metadata endpoints, where a fetched URL
// could read the machine's credentials: AWS, GCP, Azure (169.254.169.254),
// AWS ECS tasks (169.254.170.2), AWS over IPv6 (fd00:ec2::254), Alibaba
// (100.100.100.200) and Oracle (192.0.0.192).
var metadata = map[netip.Addr]bool{
	netip.MustParseAddr("169.254.169.254"): true,
	netip.MustParseAddr("169.254.170.2"):   true,
	netip.MustParseAddr("fd00:ec2::254"):   true,
	netip.MustParseAddr("100.100.100.200"): true,
	netip.MustParseAddr("192.0.0.192"):     true,
}

const whatMetadata = "cloud metadata"

// Prefixes whose addresses embed an IPv4 address that the network may
// translate to: NAT64 (64:ff9b::/96, in the last 32 bits) and 6to4
// (2002::/16, in bits 16–47). The embedded address is judged like any other.
var (
	nat64  = netip.MustParsePrefix("64:ff9b::/96")
	sixTo4 = netip.MustParsePrefix("2002::/16")
)

// classify returns what kind of special address ip is, or "" for an
// ordinary public address.
func classify(ip netip.Addr) string {
	ip = ip.WithZone("").Unmap()
	if metadata[ip] {
		return whatMetadata
	}
	if v4, ok := embeddedIPv4(ip); ok {
		return classify(v4)
	}
	for _, s := range specialRanges {
		if s.prefix.Contains(ip) {
			return s.what
		}
	}
	return ""
}

func embeddedIPv4(ip netip.Addr) (netip.Addr, bool) {
	b := ip.As16()
	switch {
	case nat64.Contains(ip):
		return netip.AddrFrom4([4]byte(b[12:16])), true
	case sixTo4.Contains(ip):
		return netip.AddrFrom4([4]byte(b[2:6])), true
	}
	return netip.Addr{}, false
}

// policy decides which addresses may be connected to.
type policy struct {
	hosts    map[string]bool // host names allowed whatever they resolve to (except metadata)
	prefixes []netip.Prefix  // addresses allowed even though special
	setting  string          // Options.AllowSetting, for refusals
}

// newPolicy compiles an allow list, logging and skipping bad entries:
// New cannot fail, and ignoring an entry only refuses more.
func newPolicy(allow []string, setting string, lg *slog.Logger) *policy {
	p := &policy{hosts: map[string]bool{}, setting: setting}
	for _, s := range allow {
		e, err := parseAllowEntry(s)
		switch {
		case err != nil:
			lg.Warn("fetch: ignoring allow-list entry", logErr, err)
		case e.host != "":
			p.hosts[e.host] = true
		default:
			p.prefixes = append(p.prefixes, e.prefix)
		}
	}
	return p
}

// check returns nil if connecting to ip, an address of host, is allowed,
// and a *blockedError if not. host may be empty or an IP literal.
func (p *policy) check(host string, ip netip.Addr) error {
	ip = ip.WithZone("").Unmap()
	what := classify(ip)
	if what == "" || p.allowsAddr(ip, what == whatMetadata) {
		return nil
	}
	if what != whatMetadata && p.hosts[normalHost(host)] {
		return nil
	}
	return &blockedError{host: host, ip: ip, what: what, setting: p.setting}
}

// allowsAddr reports whether an Allow CIDR covers ip. Metadata addresses
// need an exact entry: 169.254.0.0/16 or 100.64.0.0/10 are allowed for
// devices or a tailnet, not to hand out the machine's credentials.
func (p *policy) allowsAddr(ip netip.Addr, exact bool) bool {
	for _, pf := range p.prefixes {
		if pf.Contains(ip) && (!exact || pf.Bits() == ip.BitLen()) {
			return true
		}
	}
	return false
}

// checkLiteral refuses a URL whose host is a forbidden IP literal before
// any waiting or dialing. Host names are checked by the dialer, once
// resolved.
func (p *policy) checkLiteral(u *url.URL) error {
	ip, err := netip.ParseAddr(u.Hostname())
	if err != nil {
		return nil
	}
	return p.check(u.Hostname(), ip)
}

// normalHost lower-cases host and drops a trailing dot, so "Intranet." in
// a URL matches "intranet" in the allow list.
func normalHost(host string) string {
	return strings.TrimSuffix(strings.ToLower(host), ".")
}

// blockedError is a refused connection; it matches ErrBlocked.
type blockedError struct {
	host    string
	ip      netip.Addr
	what    string
	setting string // Options.AllowSetting; "" means no hint
}

func (e *blockedError) Unwrap() error { return ErrBlocked }

func (e *blockedError) Error() string {
	kind := article(e.what) + " " + e.what + " address"
	hint := "refusing to connect"
	switch {
	case e.setting == "":
	case e.what == whatMetadata:
		hint += " (only listing this exact address in " + e.setting + " allows it)"
	default:
		hint += " (" + e.setting + " can allow it)"
	}
	if _, err := netip.ParseAddr(e.host); e.host == "" || err == nil {
		return fmt.Sprintf("%s is %s; %s", e.ip, kind, hint)
	}
	return fmt.Sprintf("%s resolves to %s, %s; %s", e.host, e.ip, kind, hint)
}

func article(word string) string {
	if word != "" && strings.ContainsRune("aeiou", rune(word[0])) {
		return "an"
	}
	return "a"
}
