package fetch

import (
	"context"
	"fmt"
	"net"
	"net/netip"
	"syscall"
	"time"
)

// dialer opens every connection the Fetcher makes. It resolves the host
// itself, vets each address with the policy and dials the vetted IP
// literal, so the address checked is the address connected to. Because
// the check runs at connect time, neither a redirect to an internal name
// nor a DNS answer that changes between two lookups (rebinding) gets
// around it: each new connection, for each hop, is vetted afresh.
type dialer struct {
	policy  *policy
	resolve func(ctx context.Context, host string) ([]net.IPAddr, error)

	// dial connects to an IP literal; it is a net.Dialer whose Control
	// checks the socket address once more. Tests wrap it to count dials.
	dial func(ctx context.Context, network, addr string) (net.Conn, error)
}

func newDialer(p *policy, resolve func(context.Context, string) ([]net.IPAddr, error)) *dialer {
	d := &dialer{policy: p, resolve: resolve}
	nd := &net.Dialer{
		Timeout:        10 * time.Second, // per address; Options.Timeout bounds the whole
		KeepAlive:      30 * time.Second,
		ControlContext: d.control,
	}
	d.dial = nd.DialContext
	return d
}

// vettedKey carries the address DialContext approved down to control.
type vettedKey struct{}

// DialContext is http.Transport.DialContext.
func (d *dialer) DialContext(ctx context.Context, network, addr string) (net.Conn, error) {
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return nil, fmt.Errorf("dial %s: %w", addr, err)
	}
	ips, err := d.lookup(ctx, host)
	if err != nil {
		return nil, err
	}
	vetted, err := d.vet(host, network, ips)
	if err != nil {
		return nil, err
	}
	var first error
	for _, ip := range vetted {
		conn, err := d.dial(context.WithValue(ctx, vettedKey{}, ip), network, net.JoinHostPort(ip.String(), port))
		if err == nil {
			return conn, nil
		}
		if first == nil {
			first = err
		}
		if ctx.Err() != nil {
			break
		}
	}
	return nil, first
}

// lookup returns host's addresses; an IP literal is its own answer.
func (d *dialer) lookup(ctx context.Context, host string) ([]netip.Addr, error) {
	if ip, err := netip.ParseAddr(host); err == nil {
		return []netip.Addr{ip}, nil
	}
	addrs, err := d.resolve(ctx, host)
	if err != nil {
		return nil, fmt.Errorf("resolve %s: %w", host, err)
	}
	ips := make([]netip.Addr, 0, len(addrs))
	for _, a := range addrs {
		if ip, ok := netip.AddrFromSlice(a.IP); ok {
			ips = append(ips, ip.Unmap().WithZone(a.Zone))
		}
	}
	if len(ips) == 0 {
		return nil, fmt.Errorf("resolve %s: no addresses", host)
	}
	return ips, nil
}

// vet keeps the addresses the policy allows and that suit network. When
// none is left it returns the first refusal, so the user learns which
// private address the name led to.
func (d *dialer) vet(host, network string, ips []netip.Addr) ([]netip.Addr, error) {
	var ok []netip.Addr
	var refusal error
	for _, ip := range ips {
		if network == "tcp4" && !ip.Is4() || network == "tcp6" && !ip.Is6() {
			continue
		}
		if err := d.policy.check(host, ip); err != nil {
			if refusal == nil {
				refusal = err
			}
			continue
		}
		ok = append(ok, ip)
	}
	if len(ok) > 0 {
		return ok, nil
	}
	if refusal == nil {
		refusal = fmt.Errorf("%s has no %s address", host, network)
	}
	return nil, refusal
}

// control runs just before the socket connects. It accepts only the
// address DialContext vetted, or one the policy allows on its own, so a
// future change that dials some other way still cannot reach a private
// address.
func (d *dialer) control(ctx context.Context, network, address string, _ syscall.RawConn) error {
	ap, err := netip.ParseAddrPort(address)
	if err != nil {
		return fmt.Errorf("connect %s: unexpected address: %w", address, ErrBlocked)
	}
	ip := ap.Addr().WithZone("").Unmap()
	if v, ok := ctx.Value(vettedKey{}).(netip.Addr); ok && v.WithZone("").Unmap() == ip {
		return nil
	}
	return d.policy.check("", ip)
}
