package retrieval

import (
	"crypto/sha256"
	"encoding/hex"
	"testing"
)

func TestCanonicalURL(t *testing.T) {
	tests := []struct{ in, want string }{
		{"https://Example.COM/News/a?utm_source=x&id=3#comments", "https://example.com/News/a?id=3"},
		{" http://example.com:80/a ", "http://example.com/a"},
		{"https://example.com:443/a", "https://example.com/a"},
		{"https://example.com:8443/a", "https://example.com:8443/a"},
		{"HTTPS://News.Example.COM:443/World/Story?b=2&a=1#top", "https://news.example.com/World/Story?a=1&b=2"},
		{"http://example.org:80/a", "http://example.org/a"},
		{"http://example.org:8080/a", "http://example.org:8080/a"},
		{"https://example.org/a?utm_source=rss&utm_medium=feed&UTM_Campaign=x", "https://example.org/a"},
		{"https://example.org/a?fbclid=1&gclid=2&mc_cid=3&mc_eid=4&ref=5&ref_src=6&igshid=7&_ga=8&id=9", "https://example.org/a?id=9"},
		{"https://example.org/a?z=1&a=2&z=0", "https://example.org/a?a=2&z=1&z=0"},
		{"https://example.org/a?q=caf%C3%A9+bar&x", "https://example.org/a?q=caf%C3%A9+bar&x"},
		{"https://example.org/a?", "https://example.org/a"},
		{"https://user:pw@example.org/a", "https://example.org/a"},
		{"https://example.org./a", "https://example.org/a"},
		{"https://[2001:db8::1]:443/a", "https://[2001:db8::1]/a"},
		{"  https://example.org/a  ", "https://example.org/a"},
		{"/relative/path?utm_source=x", "/relative/path?utm_source=x"},
		{"not a url", "not a url"},
	}
	for _, tt := range tests {
		if got := CanonicalURL(tt.in); got != tt.want {
			t.Errorf("CanonicalURL(%q) = %q, want %q", tt.in, got, tt.want)
		}
		if got := CanonicalURL(tt.want); got != tt.want {
			t.Errorf("CanonicalURL not idempotent on %q: %q", tt.want, got)
		}
	}
}

// TestURLID checks that every spelling of one link gets one ID, the
// scheme written out: "u-" and 16 hex digits of the SHA-256 of the
// canonical link.
func TestURLID(t *testing.T) {
	a := URLID("https://Example.org/story?utm_source=x#c")
	if b := URLID("https://example.org/story"); a != b {
		t.Errorf("URLID differs for spellings of one URL: %s %s", a, b)
	}
	sum := sha256.Sum256([]byte("https://example.org/story"))
	if want := "u-" + hex.EncodeToString(sum[:])[:16]; a != want {
		t.Errorf("URLID = %s, want %s", a, want)
	}
}
