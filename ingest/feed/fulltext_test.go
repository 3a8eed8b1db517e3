package feed

import (
	"fmt"
	"strings"
	"testing"
	"time"
)

func TestHasFullText(t *testing.T) {
	para := func(n int) string {
		return strings.Repeat("The council said the work would take most of the year to finish. ", n)
	}
	p3 := "<p>" + para(2) + "</p><p>" + para(1) + "</p><p>The mayor welcomed it.</p>"
	tests := []struct {
		name string
		it   Item
		want bool
	}{
		{"three paragraphs of content", Item{Content: p3}, true},
		{"one long paragraph", Item{Content: "<p>" + para(13) + "</p>"}, true},
		{"plain text paragraphs", Item{Content: "First one here.\n\nSecond one here.\n\nThird one here."}, true},
		{"one short paragraph", Item{Content: "<p>" + para(2) + "</p>"}, false},
		{"continue reading", Item{Content: p3 + `<p><a href="/x">Continue reading…</a></p>`}, false},
		{"wordpress excerpt", Item{Content: "<p>" + para(13) + " [&#8230;]</p>"}, false},
		{"trailing ellipsis", Item{Content: "<p>" + para(13) + " And then…</p>"}, false},
		{"teaser summary", Item{Summary: "<p>" + para(2) + "</p>"}, false},
		{"three short summary paragraphs", Item{Summary: p3}, false},
		{"full story in the summary", Item{Summary: "<p>" + para(6) + "</p><p>" + para(5) + "</p><p>" + para(2) + "</p>"}, true},
		{"nothing", Item{}, false},
	}
	for _, tt := range tests {
		if got := tt.it.HasFullText(); got != tt.want {
			t.Errorf("%s: HasFullText() = %v, want %v (%q)", tt.name, got, tt.want, paragraphs(tt.it.Content+tt.it.Summary))
		}
	}
}

func TestItemArticle(t *testing.T) {
	f := &Feed{Title: "Valley Gazette"}
	it := Item{
		URL:     "HTTPS://Valleygazette.example/news/a?utm_source=rss&page=2#top",
		Title:   "A",
		Updated: time.Date(2024, 1, 2, 3, 4, 5, 0, time.UTC),
		Content: "First one here.\n\nSecond one here.\n\nThird one here.",
	}
	a, ok := ItemArticle(f, it)
	if !ok || a.URL != "https://valleygazette.example/news/a?page=2" || a.Outlet != "Valley Gazette" ||
		!a.Published.Equal(it.Updated) || len(a.Paragraphs) != 3 {
		t.Errorf("ItemArticle = %+v, %v", a, ok)
	}
	it.URL = ""
	if _, ok := ItemArticle(f, it); ok {
		t.Error("ItemArticle without a URL: true")
	}
	if a, ok := ItemArticle(nil, Item{URL: "https://x.example/a", Content: it.Content}); !ok || a.Outlet != "" {
		t.Errorf("nil feed: %+v %v", a, ok)
	}
}

// BenchmarkFullTextFeed parses a 1,000-item full-text feed and builds
// every article, the path `feeds poll` takes for such feeds.
func BenchmarkFullTextFeed(b *testing.B) {
	var src strings.Builder
	src.WriteString(`<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel><title>B</title><link>https://b.example/</link>`)
	for i := range 1000 {
		fmt.Fprintf(&src, `<item><title>Story %d</title><link>/s/%d</link><pubDate>Tue, 05 Mar 2024 17:40:00 GMT</pubDate><content:encoded><![CDATA[`, i, i)
		for j := range 6 {
			fmt.Fprintf(&src, "<p>Paragraph %d of story %d: the council said the work would take most of the year, and the mayor welcomed it.</p>", j, i)
		}
		src.WriteString(`]]></content:encoded></item>`)
	}
	src.WriteString(`</channel></rss>`)
	data := []byte(src.String())
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		f, err := Parse(data)
		if err != nil {
			b.Fatal(err)
		}
		for _, it := range f.Items {
			if _, ok := ItemArticle(f, it); !ok {
				b.Fatal("not full text")
			}
		}
	}
}
