package ingest

import (
	"context"
	"strings"
	"testing"
)

func TestReadNamedInput(t *testing.T) {
	tests := []struct {
		name, input, wantTitle string
		wantParas              int
	}{
		{"story.md", "# Ferry fares rise\n\nFares on the island ferry rise by 4% from Monday, the operator said.\n\nSeason tickets are unchanged.", "Ferry fares rise", 2},
		{"page.html", "<html><head><title>Bridge opens</title></head><body><article><p>The new footbridge over the Lune opened on Saturday after two years of work. It links the station with the market square, and the council says it will cut the walk between them from twenty minutes to five.</p></article></body></html>", "Bridge opens", 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var items []Item
			err := Read(context.Background(), tt.name, strings.NewReader(tt.input), Options{}, func(it Item) error {
				items = append(items, it)
				return nil
			})
			if err != nil {
				t.Fatal(err)
			}
			if len(items) != 1 || items[0].Err != nil || items[0].Skip != "" {
				t.Fatalf("items = %+v, want one article", items)
			}
			a := items[0].Article
			if a.Title != tt.wantTitle || len(a.Paragraphs) != tt.wantParas || a.ID == "" {
				t.Errorf("got title %q, %d paragraphs, id %q; want %q, %d, an id", a.Title, len(a.Paragraphs), a.ID, tt.wantTitle, tt.wantParas)
			}
			if items[0].Source != tt.name {
				t.Errorf("Source = %q, want %q", items[0].Source, tt.name)
			}
		})
	}
}
