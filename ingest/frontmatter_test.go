package ingest

import (
	"strings"
	"testing"
	"time"

	"github.com/byline-news/byline/retrieval"
)

func TestFrontMatterFormats(t *testing.T) {
	body := "The harbour board met on Tuesday and agreed the new timetable for ferries."
	tests := []struct {
		name, in string
		want     retrieval.Article // ID, Title, URL, Outlet, Author, Category, Published
	}{
		{"TOML", "+++\nid = \"t-1\"\ntitle = \"Ferries run late\"\nurl = \"https://example.com/ferries\"\nauthors = [\"Ana Ruiz\", \"Tom Baker\"]\ndate = 2024-03-05T09:30:00+01:00\n[params]\ntitle = \"nested: ignored\"\n+++\n" + body,
			retrieval.Article{ID: "t-1", Title: "Ferries run late", URL: "https://example.com/ferries", Author: "Ana Ruiz, Tom Baker", Published: time.Date(2024, 3, 5, 8, 30, 0, 0, time.UTC)}},
		{"TOML local date", "+++\ntitle = 'Ferries'\ndate = 2024-03-05\n+++\n" + body,
			retrieval.Article{Title: "Ferries", Published: time.Date(2024, 3, 5, 0, 0, 0, 0, time.UTC)}},
		{"YAML list", "---\ntitle: Ferries run late\nauthor:\n  - Ana Ruiz\n  - Tom Baker\ncategory: [transport, islands]\n---\n" + body,
			retrieval.Article{Title: "Ferries run late", Author: "Ana Ruiz, Tom Baker", Category: "transport, islands"}},
		{"YAML scalars as written", "---\nid: 007\ntitle: 2024\npublished: 2024-03-05\n---\n" + body,
			retrieval.Article{ID: "007", Title: "2024", Published: time.Date(2024, 3, 5, 0, 0, 0, 0, time.UTC)}},
		{"YAML quoting, comments, block scalar and dots", "---\n# exported\ntitle: \"Ferries: a \\\"late\\\" run\"\noutlet: >-\n  The Coastal\n  Ledger\n...\n" + body,
			retrieval.Article{Title: `Ferries: a "late" run`, Outlet: "The Coastal Ledger"}},
		{"YAML alias", "---\nsite: &s The Ledger\nsource: *s\ntitle: Ferries\n---\n" + body,
			retrieval.Article{Title: "Ferries", Outlet: "The Ledger"}},
		{"placeholder URL", "---\ntitle: Ferries\nurl: n/a\n---\n" + body,
			retrieval.Article{Title: "Ferries"}},
		{"a rule, not front matter", "---\nThe dashes are a rule: what follows is the story.\n---\n" + body,
			retrieval.Article{Title: "The dashes are a rule: what follows is the story."}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a, err := parseText(tt.in)
			if err != nil {
				t.Fatalf("parseText: %v", err)
			}
			got := retrieval.Article{ID: a.ID, Title: a.Title, URL: a.URL, Outlet: a.Outlet, Author: a.Author, Category: a.Category, Published: a.Published}
			if !got.Published.Equal(tt.want.Published) {
				t.Errorf("Published = %v, want %v", got.Published, tt.want.Published)
			}
			got.Published, tt.want.Published = time.Time{}, time.Time{}
			if got.ID != tt.want.ID || got.Title != tt.want.Title || got.URL != tt.want.URL || got.Outlet != tt.want.Outlet ||
				got.Author != tt.want.Author || got.Category != tt.want.Category {
				t.Errorf("got  %+v\nwant %+v", got, tt.want)
			}
			if tt.want.Title != "+++" && strings.Contains(strings.Join(a.Paragraphs, "\n"), "+++") {
				t.Errorf("front matter left in the text: %q", a.Paragraphs)
			}
			if len(a.Paragraphs) == 0 || !strings.Contains(a.Paragraphs[len(a.Paragraphs)-1], "harbour board") {
				t.Errorf("Paragraphs = %q, want the body", a.Paragraphs)
			}
		})
	}
}

// TestFrontMatterErrors: a metadata block that does not parse is
// reported with its line in the file, and the file is not indexed with
// half its metadata.
func TestFrontMatterErrors(t *testing.T) {
	tests := []struct{ name, in, want string }{
		{"YAML", "---\ntitle: Ferries\nauthor: Ana: Tom\n---\nText of the story goes here.", "line 3"},
		{"YAML key twice", "---\ntitle: Ferries\nurl: https://example.com/a\ntitle: Trains\n---\nText of the story.", `line 4: "title" is given twice`},
		{"TOML", "+++\ntitle = \"Ferries\"\nurl = https://example.com\n+++\nText of the story.", "line 3"},
		{"NUL in id", "---\nid: \"a\\0b\"\ntitle: Ferries\n---\nText of the story.", "invisible character U+0000"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := parseText(tt.in)
			if err == nil || !strings.Contains(err.Error(), tt.want) || !strings.Contains(err.Error(), "front matter") {
				t.Errorf("err = %v, want a front matter error mentioning %q", err, tt.want)
			}
		})
	}
}

// TestInvisibleCharacters: zero-width characters and controls are gone
// from stored text; joiners and bidirectional marks stay.
func TestInvisibleCharacters(t *testing.T) {
	in := "---\ntitle: \"Gr\\u200bimbald\\u0000 wins\"\n---\nGr\u200bimbald won the vote on Tues\u00adday, with \u200d and \u202b kept.\x01"
	a, err := parseText(in)
	if err != nil {
		t.Fatal(err)
	}
	if a.Title != "Grimbald wins" {
		t.Errorf("Title = %q", a.Title)
	}
	if want := "Grimbald won the vote on Tuesday, with \u200d and \u202b kept."; len(a.Paragraphs) != 1 || a.Paragraphs[0] != want {
		t.Errorf("Paragraphs = %q, want [%q]", a.Paragraphs, want)
	}
}
