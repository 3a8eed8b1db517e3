package ingest

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"reflect"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/byline-news/byline/ingest/extract"
)

func TestParagraphs(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want []string
	}{
		{"empty", " \n\n \n", nil},
		{"blank lines join wrapped lines",
			"The mayor said the plan\nwould cost far less than feared.\n\nCouncillors will vote on it in June next year.",
			[]string{"The mayor said the plan would cost far less than feared.", "Councillors will vote on it in June next year."}},
		{"one paragraph per line without blank lines",
			"The mayor said the plan would cost far less than feared.\r\nCouncillors will vote on it in June next year.\n",
			[]string{"The mayor said the plan would cost far less than feared.", "Councillors will vote on it in June next year."}},
		{"list items keep their lines",
			"Staff were told about the deal at a meeting on Friday.\n\nThe deal includes these changes for staff:\n- a pay rise of 3%\n* two extra days of leave\n1. a review\n   in spring\nThat is all.",
			[]string{"Staff were told about the deal at a meeting on Friday.", "The deal includes these changes for staff:\n- a pay rise of 3%\n- two extra days of leave\n1. a review in spring\nThat is all."}},
		{"consecutive items group in line mode",
			"The council listed three causes of the delay in a report.\n- rain\n- strikes\n- steel prices rising sharply all year",
			[]string{"The council listed three causes of the delay in a report.", "- rain\n- strikes\n- steel prices rising sharply all year"}},
		{"markdown inline",
			"**Breaking:** the _river_ burst its [banks](https://x.example/a) near Ely ![photo](p.jpg) on Sunday, and snake_case and 2 * 3 survive \\*literally\\*.",
			[]string{"Breaking: the river burst its banks near Ely on Sunday, and snake_case and 2 * 3 survive *literally*."}},
		{"heading is its own paragraph, merged as a fragment",
			"## Flood defences\nNew walls will protect four hundred homes along the estuary, the agency said.",
			[]string{"Flood defences New walls will protect four hundred homes along the estuary, the agency said."}},
		{"quote markers, rules and link definitions go",
			"> The bridge will reopen in March after repairs, officials confirmed.\n\n---\n\n[1]: https://x.example/ref\n\nNo date has been set for the formal opening ceremony yet.",
			[]string{"The bridge will reopen in March after repairs, officials confirmed.", "No date has been set for the formal opening ceremony yet."}},
		{"code fence kept verbatim",
			"The script prints the totals per ward each night:\n\n```go\nfor _, w := range wards {\n\n    fmt.Println(w.Name, w.Total) // *not* emphasis\n}\n```",
			[]string{"The script prints the totals per ward each night:", "for _, w := range wards {\n\n    fmt.Println(w.Name, w.Total) // *not* emphasis\n}"}},
		{"numeric references decoded",
			"The minister signed a communiqu&#233; with the caf&#xE9; owners, AT&T and R&#;D teams said.",
			[]string{"The minister signed a communiqué with the café owners, AT&T and R&#;D teams said."}},
		{"fragment merges into next",
			"Advertisement\n\n(AP)\n\nThe storm moved east overnight, leaving thousands without power.",
			[]string{"Advertisement (AP) The storm moved east overnight, leaving thousands without power."}},
		{"fragment at end merges into previous",
			"The storm moved east overnight, leaving thousands without power.\n\nPhoto: Reuters",
			[]string{"The storm moved east overnight, leaving thousands without power. Photo: Reuters"}},
		{"short real sentence kept",
			"The storm moved east overnight, leaving thousands without power.\n\nHe denied the charges.\n\nThe trial continues on Monday at the crown court.",
			[]string{"The storm moved east overnight, leaving thousands without power.", "He denied the charges.", "The trial continues on Monday at the crown court."}},
		{"lone fragment kept", "Advertisement", []string{"Advertisement"}},
		{"repeats dropped by case and space",
			"Markets rose sharply on the news from the central bank.\n\nmarkets  rose sharply on the NEWS from the central bank.\n\nBond yields fell to a three-month low on Friday.",
			[]string{"Markets rose sharply on the news from the central bank.", "Bond yields fell to a three-month low on Friday."}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Paragraphs(tt.in); !reflect.DeepEqual(got, tt.want) {
				t.Errorf("Paragraphs(%q)\n got %q\nwant %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestParagraphsSplitLong(t *testing.T) {
	var long, runOn strings.Builder // about 2,800 and 3,100 characters
	for i := range 40 {
		fmt.Fprintf(&long, "The committee heard evidence from witness %d over three days. ", i)
	}
	for i := range 100 {
		fmt.Fprintf(&runOn, "%s%03d ", strings.Repeat("x", 27), i) // one long "sentence"
	}
	tests := []struct {
		name      string
		in        string
		minChunks int
	}{
		{"sentences", long.String(), 3},
		{"one huge sentence", runOn.String(), 3},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Paragraphs(tt.in)
			if len(got) < tt.minChunks {
				t.Fatalf("got %d chunks, want >= %d", len(got), tt.minChunks)
			}
			for i, p := range got {
				if n := utf8.RuneCountInString(p); n > maxParagraph || n < maxParagraph/3 {
					t.Errorf("chunk %d has %d characters, want %d..%d", i, n, maxParagraph/3, maxParagraph)
				}
			}
			if j, w := strings.Fields(strings.Join(got, " ")), strings.Fields(tt.in); !reflect.DeepEqual(j, w) {
				t.Error("words lost or reordered by splitting")
			}
		})
	}
	for _, p := range Paragraphs(long.String()) {
		if !strings.HasSuffix(p, "days.") {
			t.Errorf("chunk not split at a sentence boundary: ...%q", p[len(p)-20:])
		}
	}
}

// TestParagraphsSeed checks a real file that holds its own text twice,
// one paragraph per line: every paragraph must come out exactly once.
func TestParagraphsSeed(t *testing.T) {
	const path = "../../shared/seeds/000_c4a329ece41d6af5.txt"
	data, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		t.Skip("../shared not present: " + path)
	}
	if err != nil {
		t.Fatal(err)
	}
	unique := map[string]bool{}
	for _, l := range strings.Split(string(data), "\n") {
		if l = strings.TrimSpace(l); l != "" {
			unique[l] = true
		}
	}
	got := Paragraphs(string(data))
	if len(got) != len(unique) {
		t.Errorf("got %d paragraphs, want %d unique lines", len(got), len(unique))
	}
	count := map[string]int{}
	for _, p := range got {
		count[p]++
	}
	for l := range unique {
		if count[l] != 1 {
			t.Errorf("line %.40q… appears %d times, want 1", l, count[l])
		}
	}
}

func TestIsFragment(t *testing.T) {
	tests := []struct {
		in   string
		want bool
	}{
		{"Advertisement", true},
		{"(AP)", true},
		{"Photo: Getty Images", true},
		{"Subs not used: Hart, Cole.", false}, // short, but a sentence
		{"He denied the charges.", false},
		{`"We won," she said.`, false},
		{"Yes.", true},
		{"the vote was close.", true}, // no capital: a broken fragment
		{"A paragraph that is long enough and has many words in it", false},
	}
	for _, tt := range tests {
		if got := isFragment(tt.in); got != tt.want {
			t.Errorf("isFragment(%q) = %v, want %v", tt.in, got, tt.want)
		}
	}
}

func FuzzParagraphs(f *testing.F) {
	f.Add("# T\n\n**a** [b](c) ![d](e)\n- x\n\n```\ncode\n```\n&#233;")
	f.Add("line one is here.\nline two is here.\nline one is here.")
	f.Fuzz(func(t *testing.T, in string) {
		seen := map[string]bool{}
		for _, p := range Paragraphs(in) {
			k := normalize(p)
			if k == "" || seen[k] {
				t.Fatalf("empty or repeated paragraph %q", p)
			}
			seen[k] = true
		}
	})
}

func FuzzReadPage(f *testing.F) {
	f.Add(`<html><head><script type="application/ld+json">{"@graph":[{"@type":"NewsArticle","author":[{"name":"A"}]}]}</script></head><body><article><ul><li><p>x</p></li></ul><pre>a
b</pre></article></body></html>`)
	f.Add(strings.Repeat("<div>", 600) + "<p>deep</p>")
	f.Fuzz(func(t *testing.T, in string) {
		a, err := readPage(Page{HTML: []byte(in)})
		switch {
		case errors.Is(err, extract.ErrNoArticle), err != nil && strings.HasPrefix(err.Error(), "parse HTML: "):
			return
		case err != nil || len(a.Paragraphs) == 0:
			t.Fatalf("err %v, paragraphs %q", err, a.Paragraphs)
		}
		seen := map[string]bool{}
		for _, p := range a.Paragraphs {
			k := normalize(p)
			if k == "" || seen[k] {
				t.Fatalf("empty or repeated paragraph %q", p)
			}
			seen[k] = true
		}
	})
}
