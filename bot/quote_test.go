package bot

import (
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/byline-news/byline/retrieval"
)

func TestQuote(t *testing.T) {
	para := testArticles[0].Paragraphs[1] // "Visiting Chinese Defence Minister Liang Guanglie denied that …"
	mark := func(text, word string) [][2]int {
		i := strings.Index(text, word)
		return [][2]int{{i, i + len(word)}}
	}
	tests := []struct {
		name  string
		text  string
		marks [][2]int
		max   int
		want  string
	}{
		{name: "fits", text: "  Short paragraph. ", max: 50, want: "Short paragraph."},
		{name: "no limit", text: para, max: 0, want: para},
		{name: "around the mark", text: para, marks: mark(para, "Pentagon"), max: 60,
			want: "…telling a Pentagon news conference that no evidence…"},
		{name: "no mark: the start", text: para, max: 40, want: "Visiting Chinese Defence Minister…"},
		{name: "mark at the end", text: para, marks: mark(para, "China."), max: 30, want: "…tied the attacks to China."},
		{name: "one long word", text: strings.Repeat("x", 20), max: 8, want: "xxxxxx…"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := Source{Hit: retrieval.Hit{Text: tt.text}, Marks: tt.marks}
			got := Quote(s, tt.max)
			if got != tt.want {
				t.Errorf("Quote = %q, want %q", got, tt.want)
			}
			if tt.max > 0 && utf8.RuneCountInString(got) > tt.max {
				t.Errorf("Quote is %d characters, want at most %d", utf8.RuneCountInString(got), tt.max)
			}
		})
	}
}

func TestAsOf(t *testing.T) {
	if got := AsOf(time.Time{}); got != "" {
		t.Errorf("AsOf(zero) = %q, want \"\"", got)
	}
	if got, want := AsOf(date(2012, 5, 7, 10)), "as of 7 May 2012"; got != want {
		t.Errorf("AsOf = %q, want %q", got, want)
	}
}

func TestSpellWait(t *testing.T) {
	for d, want := range map[time.Duration]string{
		0: "1 second", 1500 * time.Millisecond: "2 seconds", time.Minute: "1 minute",
		61 * time.Second: "2 minutes", 2 * time.Hour: "2 hours",
	} {
		if got := spellWait(d); got != want {
			t.Errorf("spellWait(%v) = %q, want %q", d, got, want)
		}
	}
}
