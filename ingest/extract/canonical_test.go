package extract

import "testing"

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
