package extract

import (
	"testing"
	"time"
)

func TestCanonicalURL(t *testing.T) {
	tests := []struct{ in, want string }{
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

func TestURLID(t *testing.T) {
	a := URLID("https://Example.org/story?utm_source=x#c")
	if b := URLID("https://example.org/story"); a != b {
		t.Errorf("URLID differs for spellings of one URL: %s %s", a, b)
	}
	if want := sha16("https://example.org/story"); a != want {
		t.Errorf("URLID = %s, want %s", a, want)
	}
}

func TestPickCanonical(t *testing.T) {
	const page = "https://www.site.example/news/2024/story-one?utm_source=x"
	tests := []struct {
		name, page string
		cands      []string
		want       string
	}{
		{"relative canonical", page, []string{"/news/2024/story-one?ref=home"}, "https://www.site.example/news/2024/story-one"},
		{"og:url when no canonical", page, []string{"", "https://site.example/news/2024/story-one"}, "https://site.example/news/2024/story-one"},
		{"amp host is the same site", "https://amp.site.example/news/a", []string{"https://www.site.example/news/a"}, "https://www.site.example/news/a"},
		{"home page canonical ignored", page, []string{"https://www.site.example/"}, "https://www.site.example/news/2024/story-one"},
		{"other outlet ignored", page, []string{"https://wire.example/original"}, "https://www.site.example/news/2024/story-one"},
		{"co.uk is not one site", "https://a.co.uk/x/1", []string{"https://b.co.uk/x/1"}, "https://a.co.uk/x/1"},
		{"javascript ignored", page, []string{"javascript:alert(1)"}, "https://www.site.example/news/2024/story-one"},
		{"no page URL", "", []string{"https://site.example/a"}, "https://site.example/a"},
		{"nothing absolute", "", []string{"/a"}, ""},
	}
	for _, tt := range tests {
		if got := pickCanonical(tt.page, tt.cands...); got != tt.want {
			t.Errorf("%s: got %q, want %q", tt.name, got, tt.want)
		}
	}
}

func TestParseTime(t *testing.T) {
	utc := func(y int, mo time.Month, d, h, mi int) time.Time { return time.Date(y, mo, d, h, mi, 0, 0, time.UTC) }
	tests := []struct {
		in   string
		want time.Time
	}{
		{"2024-03-05T18:40:00+01:00", utc(2024, 3, 5, 17, 40)},
		{"2024-03-05T17:40:00.123Z", time.Date(2024, 3, 5, 17, 40, 0, 123e6, time.UTC)},
		{"2024-03-05T18:40:00+0100", utc(2024, 3, 5, 17, 40)},
		{"2024-03-05T17:40", utc(2024, 3, 5, 17, 40)},
		{"2024-03-05 17:40", utc(2024, 3, 5, 17, 40)},
		{"2024-03-05", utc(2024, 3, 5, 0, 0)},
		{"20240305", utc(2024, 3, 5, 0, 0)},
		{"Tue, 05 Mar 2024 12:40:00 -0500", utc(2024, 3, 5, 17, 40)},
		{"Tue, 05 Mar 2024 12:40:00 EST", utc(2024, 3, 5, 17, 40)},
		{"Tue, 5 Mar 2024 18:40:00 CET", utc(2024, 3, 5, 17, 40)},
		{"Tuesday, March 5, 2024 5:40 PM", utc(2024, 3, 5, 17, 40)},
		{"March 5, 2024", utc(2024, 3, 5, 0, 0)},
		{"5 March 2024", utc(2024, 3, 5, 0, 0)},
		{"1709660400", utc(2024, 3, 5, 17, 40)},
		{"  ", time.Time{}},
		{"yesterday", time.Time{}},
		{"0001-01-01T00:00:00Z", time.Time{}},
	}
	for _, tt := range tests {
		if got := ParseTime(tt.in); !got.Equal(tt.want) || got.Location() != time.UTC {
			t.Errorf("ParseTime(%q) = %v, want %v", tt.in, got, tt.want)
		}
	}
}

func TestTrimSiteName(t *testing.T) {
	tests := []struct{ title, outlet, h1, want string }{
		{"Tram line approved | The Ledger", "The Ledger", "", "Tram line approved"},
		{"Tram line approved - The Ledger", "The Ledger", "", "Tram line approved"},
		{"Tram line approved – Ledger Online", "", "Tram line approved", "Tram line approved"},
		{"Tram line approved | Ledger", "", "", "Tram line approved"},
		{"Smith - Jones merger off", "The Ledger", "", "Smith - Jones merger off"},
		{"Tram | line | approved by the council after a long debate", "", "", "Tram | line | approved by the council after a long debate"},
	}
	for _, tt := range tests {
		if got := trimSiteName(tt.title, tt.outlet, tt.h1); got != tt.want {
			t.Errorf("trimSiteName(%q) = %q, want %q", tt.title, got, tt.want)
		}
	}
}

func TestParseLD(t *testing.T) {
	scripts := []string{
		`{"@context":"https://schema.org","@type":"WebPage","datePublished":"2001-01-01"}`,
		`[{"@type":"BlogPosting","headline":" A  post ","author":"Ann Lee","publisher":{"@type":"Organization","name":"Blog"},` +
			`"datePublished":"2024-01-02","dateModified":"2024-01-03"}];`,
	}
	got := parseLD(scripts)
	want := ldArticle{headline: "A post", published: "2024-01-02", modified: "2024-01-03", author: "Ann Lee", publisher: "Blog"}
	if got != want {
		t.Errorf("parseLD = %+v, want %+v", got, want)
	}
	if got := parseLD([]string{`{"@type":"WebSite","datePublished":"2001-01-01"}`, `{broken`}); got != (ldArticle{}) {
		t.Errorf("site-only JSON-LD: %+v", got)
	}
}
