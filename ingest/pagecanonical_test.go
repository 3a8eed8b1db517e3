package ingest

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
