package fetch

import (
	"errors"
	"log/slog"
	"net/netip"
	"slices"
	"strings"
	"testing"
)

func TestClassify(t *testing.T) {
	t.Parallel()
	tests := []struct{ ip, want string }{
		{"93.184.215.14", ""},
		{"2606:2800:21f:cb07:6820:80da:af6b:8b2c", ""},
		{"8.8.8.8", ""},
		{"100.63.255.255", ""},
		{"100.128.0.0", ""},
		{"172.32.0.1", ""},
		{"0.0.0.0", "unspecified"},
		{"::", "unspecified"},
		{"127.0.0.1", "loopback"},
		{"127.255.255.254", "loopback"},
		{"::1", "loopback"},
		{"::ffff:127.0.0.1", "loopback"},
		{"10.255.0.1", "private"},
		{"172.16.0.1", "private"},
		{"172.31.255.255", "private"},
		{"192.168.0.1", "private"},
		{"::ffff:192.168.0.1", "private"},
		{"fc00::1", "private"},
		{"fdff:ffff::1", "private"},
		{"169.254.1.1", "link-local"},
		{"fe80::1", "link-local"},
		{"fe80::1%eth0", "link-local"},
		{"100.64.0.1", "carrier-grade NAT"},
		{"100.127.255.255", "carrier-grade NAT"},
		{"224.0.0.251", "multicast"},
		{"239.255.255.250", "multicast"},
		{"ff02::1", "multicast"},
		{"255.255.255.255", "broadcast"},
		{"240.0.0.1", "reserved"},
		{"169.254.169.254", whatMetadata},
		{"169.254.170.2", whatMetadata},
		{"fd00:ec2::254", whatMetadata},
		{"100.100.100.200", whatMetadata},
		{"192.0.0.192", whatMetadata},
		{"::ffff:169.254.169.254", whatMetadata},
		{"64:ff9b::a9fe:a9fe", whatMetadata},
		{"64:ff9b::7f00:1", "loopback"},
		{"64:ff9b::808:808", ""},
		{"2002:c0a8:0101::1", "private"},
		{"2002:0808:0808::1", ""},
		{"::7f00:1", "reserved"}, // IPv4-compatible ::127.0.0.1
	}
	for _, tt := range tests {
		if got := classify(netip.MustParseAddr(tt.ip)); got != tt.want {
			t.Errorf("classify(%s)=%q, want %q", tt.ip, got, tt.want)
		}
	}
}

func TestPolicyCheck(t *testing.T) {
	t.Parallel()
	tests := []struct {
		allow   []string
		host    string
		ip      string
		allowed bool
	}{
		{nil, "example.org", "93.184.215.14", true},
		{nil, "", "127.0.0.1", false},
		{[]string{"127.0.0.1"}, "", "127.0.0.1", true},
		{[]string{"127.0.0.1"}, "", "::ffff:127.0.0.1", true},
		{[]string{"127.0.0.1"}, "", "127.0.0.2", false},
		{[]string{"10.0.0.0/8"}, "", "10.20.30.40", true},
		{[]string{"10.0.0.0/8"}, "", "11.0.0.1", true}, // public anyway
		{[]string{"::ffff:10.0.0.0/104"}, "", "10.20.30.40", true},
		{[]string{"fd00::/8"}, "", "fd12::1", true},
		{[]string{"fd00::/8"}, "", "fd00:ec2::254", false},
		{[]string{"fd00:ec2::254"}, "", "fd00:ec2::254", true},
		{[]string{"169.254.0.0/16"}, "", "169.254.10.10", true},
		{[]string{"169.254.0.0/16"}, "", "169.254.169.254", false},
		{[]string{"169.254.169.254/32"}, "", "169.254.169.254", true},
		{[]string{"intranet"}, "intranet", "10.1.2.3", true},
		{[]string{"intranet"}, "INTRANET.", "10.1.2.3", true},
		{[]string{"intranet"}, "intranet.example", "10.1.2.3", false},
		{[]string{"intranet"}, "intranet", "169.254.169.254", false},
		{[]string{"not a host!"}, "", "127.0.0.1", false},
	}
	quiet := slog.New(slog.DiscardHandler)
	for _, tt := range tests {
		err := newPolicy(tt.allow, "", quiet).check(tt.host, netip.MustParseAddr(tt.ip))
		if got := err == nil; got != tt.allowed {
			t.Errorf("allow %q: check(%q, %s)=%v, want allowed=%v", tt.allow, tt.host, tt.ip, err, tt.allowed)
		}
		if err != nil && !errors.Is(err, ErrBlocked) {
			t.Errorf("check error %v is not ErrBlocked", err)
		}
	}
}

func TestParseAllow(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in      string
		want    []string
		wantErr string
	}{
		{"", nil, ""},
		{" , ", nil, ""},
		{"127.0.0.1", []string{"127.0.0.1"}, ""},
		{"localhost, 10.0.0.0/8 ,fd00::/8", []string{"localhost", "10.0.0.0/8", "fd00::/8"}, ""},
		{"Intranet.Example.", []string{"intranet.example"}, ""},
		{"10.1.2.3/8", []string{"10.0.0.0/8"}, ""},
		{"::ffff:10.1.2.3", []string{"10.1.2.3"}, ""},
		{"192.168.1.7/32", []string{"192.168.1.7"}, ""},
		{"my_host.local", []string{"my_host.local"}, ""},
		{"http://intranet", nil, `"http://intranet" is not a host name`},
		{"intranet:8080", nil, "not a host name"},
		{"*.example.org", nil, "not a host name"},
		{"10.0.0.0/33", nil, `"10.0.0.0/33" is not a valid CIDR`},
		{"10.0.0", nil, "not a host name"},
		{"-bad.example", nil, "not a host name"},
		{"fe80::1%eth0", nil, "not a host name"},
		{"ok.example, bad host", nil, `"bad host"`},
	}
	for _, tt := range tests {
		got, err := ParseAllow(tt.in)
		if tt.wantErr != "" {
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Errorf("ParseAllow(%q) err=%v, want %q", tt.in, err, tt.wantErr)
			}
			continue
		}
		if err != nil || !slices.Equal(got, tt.want) {
			t.Errorf("ParseAllow(%q)=%q, %v, want %q", tt.in, got, err, tt.want)
		}
	}
}

func TestFormatBytes(t *testing.T) {
	t.Parallel()
	tests := []struct {
		n    int64
		want string
	}{
		{5_000_000, "5 MB"},
		{2_500_000, "2.5 MB"},
		{1_000, "1 kB"},
		{800, "800 bytes"},
		{3_000_000_000, "3 GB"},
	}
	for _, tt := range tests {
		if got := formatBytes(tt.n); got != tt.want {
			t.Errorf("formatBytes(%d)=%q, want %q", tt.n, got, tt.want)
		}
	}
}
