package fetch

import (
	"context"
	"errors"
	"net/http"
	"net/netip"
	"strings"
	"testing"
)

// TestFetchBlocked checks URLs whose host is, or resolves to, an address
// that must be refused. Nothing is dialed for any of them: IP literals are
// refused before a connection is tried, names once resolved.
func TestFetchBlocked(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		url     string
		allow   []string
		dns     map[string][]string
		wantMsg string
	}{
		{"metadata literal", "http://169.254.169.254/latest/meta-data/", nil, nil, "169.254.169.254 is a cloud metadata address"},
		{"metadata despite allowed range", "http://169.254.169.254/", []string{"169.254.0.0/16"}, nil, "cloud metadata"},
		{"AWS IPv6 metadata", "http://[fd00:ec2::254]/", []string{"fd00::/8"}, nil, "cloud metadata"},
		{"Alibaba metadata in allowed CGNAT", "http://100.100.100.200/", []string{"100.64.0.0/10"}, nil, "cloud metadata"},
		{"metadata through NAT64", "http://[64:ff9b::a9fe:a9fe]/", nil, nil, "cloud metadata"},
		{"private through 6to4", "http://[2002:a00:1::]/", nil, nil, "a private address"},
		{"private", "http://10.0.0.1/", nil, nil, "10.0.0.1 is a private address"},
		{"private 192.168", "http://192.168.1.1:8080/", local, nil, "a private address"},
		{"CGNAT", "http://100.64.0.1/", nil, nil, "a carrier-grade NAT address"},
		{"loopback not allowed", "http://127.0.0.1:9/", nil, nil, "127.0.0.1 is a loopback address"},
		{"other loopback", "http://127.0.0.2/", local, nil, "loopback"},
		{"IPv6 loopback", "http://[::1]/", local, nil, "::1 is a loopback address"},
		{"mapped loopback", "http://[::ffff:127.0.0.1]/", nil, nil, "127.0.0.1 is a loopback address"},
		{"unspecified", "http://0.0.0.0/", nil, nil, "an unspecified address"},
		{"broadcast", "http://255.255.255.255/", nil, nil, "a broadcast address"},
		{"multicast", "http://224.0.0.1/", nil, nil, "a multicast address"},
		{"IPv6 link-local", "http://[fe80::1%25eth0]/", nil, nil, "a link-local address"},
		{"IPv6 unique local", "http://[fd12:3456::1]/", nil, nil, "a private address"},
		{"name of loopback", "http://localhost.test/", nil, map[string][]string{"localhost.test": {"127.0.0.1"}}, "localhost.test resolves to 127.0.0.1, a loopback address"},
		{"name of private", "http://intranet.test/", local, map[string][]string{"intranet.test": {"10.1.2.3"}}, "intranet.test resolves to 10.1.2.3"},
		{"name of metadata", "http://metadata.test/", nil, map[string][]string{"metadata.test": {"169.254.169.254"}}, "cloud metadata"},
		{"allowed name of metadata", "http://metadata.test/", []string{"metadata.test"}, map[string][]string{"metadata.test": {"169.254.169.254"}}, "cloud metadata"},
		{"name of several private", "http://multi.test/", nil, map[string][]string{"multi.test": {"10.9.9.9", "fd00::1"}}, "10.9.9.9"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFetcher(t, Options{Allow: tt.allow, AllowSetting: "TEST_ALLOW"})
			for host, ips := range tt.dns {
				f.dns.set(host, ips...)
			}
			_, err := f.Fetch(context.Background(), Request{URL: tt.url})
			if !errors.Is(err, ErrBlocked) {
				t.Fatalf("err=%v, want ErrBlocked", err)
			}
			if !strings.Contains(err.Error(), tt.wantMsg) || !strings.Contains(err.Error(), "TEST_ALLOW") {
				t.Errorf("err=%q, want it to say %q and how to allow it", err, tt.wantMsg)
			}
			if n := f.dials.total(); n != 0 {
				t.Errorf("%d dials, want none", n)
			}
		})
	}
}

// TestBlockedHint checks that a refusal names the allow list's setting
// only as the caller spells it, and says nothing of it without one.
func TestBlockedHint(t *testing.T) {
	t.Parallel()
	tests := []struct {
		setting, url, want string
	}{
		{"", "http://10.0.0.1/", "10.0.0.1 is a private address; refusing to connect"},
		{"ALLOW_LIST", "http://10.0.0.1/", "10.0.0.1 is a private address; refusing to connect (ALLOW_LIST can allow it)"},
		{"ALLOW_LIST", "http://169.254.169.254/", "refusing to connect (only listing this exact address in ALLOW_LIST allows it)"},
	}
	for _, tt := range tests {
		f := newFetcher(t, Options{AllowSetting: tt.setting})
		_, err := f.Fetch(context.Background(), Request{URL: tt.url})
		if err == nil || !strings.HasSuffix(err.Error(), tt.want) {
			t.Errorf("setting %q, %s: err=%v, want it to end %q", tt.setting, tt.url, err, tt.want)
		}
	}
}

// TestDNSRebinding checks that a name is vetted on every connection, not
// once: when its address changes to a private one, the next connection is
// refused.
func TestDNSRebinding(t *testing.T) {
	t.Parallel()
	srv := newServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {}))
	srv.Config.SetKeepAlivesEnabled(false) // each fetch dials anew
	f := newFetcher(t, Options{Allow: local})
	url := "http://rebind.test:" + port(t, srv) + "/"

	f.dns.set("rebind.test", "127.0.0.1")
	mustFetch(t, f, Request{URL: url})
	f.dns.set("rebind.test", "10.1.2.3")
	_, err := f.Fetch(context.Background(), Request{URL: url})
	if !errors.Is(err, ErrBlocked) {
		t.Fatalf("after rebinding err=%v, want ErrBlocked", err)
	}
	if got := f.dials.to("10.1.2.3"); got != 0 {
		t.Errorf("%d dials to 10.1.2.3, want none", got)
	}
	if got, want := f.dns.count("rebind.test"), 2; got != want {
		t.Errorf("%d lookups, want %d (one per connection)", got, want)
	}
}

// TestDialsOnlyVettedAddresses gives a name one refused and one allowed
// address: only the allowed one is dialed.
func TestDialsOnlyVettedAddresses(t *testing.T) {
	t.Parallel()
	srv := newServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {}))
	f := newFetcher(t, Options{Allow: local})
	f.dns.set("mixed.test", "10.1.2.3", "127.0.0.1")
	mustFetch(t, f, Request{URL: "http://mixed.test:" + port(t, srv) + "/"})
	if got := f.dials.to("10.1.2.3"); got != 0 {
		t.Errorf("%d dials to 10.1.2.3, want none", got)
	}
	if got := f.dials.to("127.0.0.1"); got != 1 {
		t.Errorf("%d dials to 127.0.0.1, want 1", got)
	}
}

func TestAllowHostName(t *testing.T) {
	t.Parallel()
	srv := newServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {}))
	f := newFetcher(t, Options{Allow: []string{"News.Internal"}})
	f.dns.set("news.internal", "127.0.0.1")
	f.dns.set("other.internal", "127.0.0.1")
	mustFetch(t, f, Request{URL: "http://news.internal:" + port(t, srv) + "/"})
	_, err := f.Fetch(context.Background(), Request{URL: "http://other.internal:" + port(t, srv) + "/"})
	if !errors.Is(err, ErrBlocked) {
		t.Errorf("other name: err=%v, want ErrBlocked", err)
	}
}

// TestControl checks the last line of defence: the socket-level check
// refuses an address DialContext did not vet.
func TestControl(t *testing.T) {
	t.Parallel()
	d := newDialer(newPolicy(local, "", testLogger(t)), nil)
	vetted := context.WithValue(context.Background(), vettedKey{}, netip.MustParseAddr("10.1.2.3"))
	tests := []struct {
		name    string
		ctx     context.Context
		address string
		wantErr error
	}{
		{"unvetted private", context.Background(), "10.1.2.3:80", ErrBlocked},
		{"unvetted metadata", context.Background(), "169.254.169.254:80", ErrBlocked},
		{"vetted", vetted, "10.1.2.3:80", nil},
		{"other than vetted", vetted, "10.1.2.4:80", ErrBlocked},
		{"allowed", context.Background(), "127.0.0.1:80", nil},
		{"public", context.Background(), "93.184.215.14:443", nil},
		{"garbage", context.Background(), "nowhere", ErrBlocked},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if err := d.control(tt.ctx, "tcp4", tt.address, nil); !errors.Is(err, tt.wantErr) {
				t.Errorf("control(%s)=%v, want %v", tt.address, err, tt.wantErr)
			}
		})
	}
}
