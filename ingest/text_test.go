package ingest

import (
	"os"
	"path/filepath"
	"reflect"
	"testing"
	"time"

	"github.com/byline-news/byline/retrieval"
)

// readTestdata returns the text of a file under testdata.
func readTestdata(t *testing.T, name string) string {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return string(data)
}

func TestParseText(t *testing.T) {
	tests := []struct {
		file string
		want retrieval.Article
	}{
		{"text/frontmatter.md", retrieval.Article{
			Title:     "Harbour freight hits record",
			URL:       "https://Example.com/news/harbour-freight?utm_source=feed#top",
			Outlet:    "The Coastal Ledger",
			Author:    "Mira Osei",
			Category:  "business",
			Published: time.Date(2024, 3, 5, 8, 30, 0, 0, time.UTC),
			Paragraphs: []string{
				"Freight volumes at the port of Kelmouth rose 12% last year, the harbour board said on Tuesday, the highest figure since records began.",
				"The board credited a new container terminal that opened in the spring.",
				"What comes next\n- a second berth, due in 2026\n- longer opening hours\n- a rail link to the inland depot",
			}}},
		{"text/heading.md", retrieval.Article{
			Title: "Night trains return to the valley line",
			Paragraphs: []string{
				"After a gap of nine years, sleeper services between Arden and Holt will run again from May, the operator announced on Friday.",
				"Tickets go on sale next week, with fares starting at 49 pounds.",
				"timetable: dep 22:10 Arden, arr 06:45 Holt\nsleeper cars: 4, seats: 120",
			}}},
		{"text/firstline.txt", retrieval.Article{
			Title: "Council approves new cycle lanes",
			Paragraphs: []string{
				"The city council voted 31 to 9 on Wednesday to build protected cycle lanes on three main roads.",
				"Work will begin in the autumn and is expected to take eighteen months.",
			}}},
		{"text/derived.txt", retrieval.Article{
			Title: "Residents of the small fishing town of Port Elwin woke on Saturday to find…",
			Paragraphs: []string{
				"Residents of the small fishing town of Port Elwin woke on Saturday to find their harbour wall had partly collapsed after a night of storms.",
				"Engineers said the damage would take weeks to repair.",
			}}},
		{"text/derived-short.txt", retrieval.Article{
			Title: "Flood warnings were lifted on Sunday.",
			Paragraphs: []string{
				"Flood warnings were lifted on Sunday. Roads reopened by noon and trains ran to time.",
				"The river fell by almost a metre overnight, the environment agency said.",
			}}},
		{"text/setext.md", retrieval.Article{
			Title: "Library wins design prize",
			Paragraphs: []string{
				"The new central library in Fenwick has won a national architecture award for its timber roof.",
				"Judges praised the reading rooms, which face the river.",
			}}},
		{"text/frontmatter-id.md", retrieval.Article{
			ID:         "ledger-2024-0412",
			Title:      "Bakery chain expands north",
			Paragraphs: []string{"The Crumb & Co bakery chain will open six shops in the north next year."},
		}},
		{"text/crlf.md", retrieval.Article{
			ID:         "crlf-1",
			Title:      "Ferry fares frozen",
			Paragraphs: []string{"Ferry fares on the island routes will be frozen for another year, the operator said."},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			got, err := parseText(readTestdata(t, tt.file))
			if err != nil {
				t.Fatalf("parseText(%s): %v", tt.file, err)
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("parseText(%s)\n got %#v\nwant %#v", tt.file, got, tt.want)
			}
		})
	}
}

func TestLeadingTitle(t *testing.T) {
	tests := []struct {
		name, in, title string
	}{
		{"short line then text", "Rail fares frozen\nMore text follows here.", "Rail fares frozen"},
		{"ends with full stop", "Rail fares were frozen.\nMore text.", ""},
		{"ends with question mark", "Are rail fares fair?\nMore text.", ""},
		{"ends with quote", "He said \"no\"\nMore text.", ""},
		{"nothing after it", "Rail fares frozen\n\n", ""},
		{"too long", string(make([]byte, 0)) + longLine(130) + "\nMore text.", ""},
		{"list item", "- first point\nMore text.", ""},
		{"markdown heading alone", "# Rail *fares* frozen", "Rail fares frozen"},
		{"heading with closing hashes", "## Rail fares frozen ##\ntext", "Rail fares frozen"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got, _ := leadingTitle(tt.in); got != tt.title {
				t.Errorf("leadingTitle(%q) = %q, want %q", tt.in, got, tt.title)
			}
		})
	}
}

func longLine(n int) string {
	b := make([]byte, n)
	for i := range b {
		b[i] = 'a' + byte(i%26)
		if i%7 == 6 {
			b[i] = ' '
		}
	}
	return string(b)
}

func TestFrontMatterNotClosed(t *testing.T) {
	in := "---\ntitle: Not really front matter\n\nThe dashes above are a rule in a plain file and the text goes on."
	fields, body, err := frontMatter(in)
	if fields != nil || body != in || err != nil {
		t.Errorf("frontMatter took an unclosed block: %v", fields)
	}
}

func TestShorten(t *testing.T) {
	tests := []struct{ in, want string }{
		{"Short title", "Short title"},
		{"Council leaders meet, again", "Council leaders…"},
		{"Unbreakablewordthatgoesonandon", "Unbreakablewordthat…"},
	}
	for _, tt := range tests {
		if got := shorten(tt.in, 20); got != tt.want {
			t.Errorf("shorten(%q, 20) = %q, want %q", tt.in, got, tt.want)
		}
	}
}
