package retrieval

import "testing"

func TestScopeHolds(t *testing.T) {
	s := Scope{Outlets: []string{"BBC  News"}, Feeds: []string{"https://x.example/rss"}, Categories: []string{"Business"}}
	tests := []struct {
		outlet, feed, category string
		want                   bool
	}{
		{"bbc news", "", "", true},
		{" BBC News ", "", "", true},
		{"BBC", "", "", false},
		{"Reuters", "https://x.example/rss", "", true},
		{"Reuters", "https://x.example/RSS", "", false},
		{"Reuters", "", "BUSINESS", true},
		{"", "", "", false},
	}
	for _, tt := range tests {
		if got := s.Holds(tt.outlet, tt.feed, tt.category); got != tt.want {
			t.Errorf("Holds(%q, %q, %q) = %v, want %v", tt.outlet, tt.feed, tt.category, got, tt.want)
		}
	}
	if !(Scope{}).Holds("", "", "") {
		t.Error("the zero Scope does not hold everything")
	}
}

func TestScopeKeyAndWith(t *testing.T) {
	a := Scope{}.With(SourceOutlet, "BBC News").With(SourceCategory, "business").With(SourceOutlet, "bbc news")
	b := Scope{Outlets: []string{"bbc  NEWS"}, Categories: []string{"Business"}}
	if len(a.Outlets) != 1 || a.Key() != b.Key() {
		t.Errorf("With: %+v; keys %q and %q differ", a, a.Key(), b.Key())
	}
	if c := (Scope{Feeds: []string{"bbc news"}}); c.Key() == b.Key() {
		t.Error("a feed and an outlet of one name have the same key")
	}
}
