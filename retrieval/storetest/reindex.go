package storetest

import (
	"context"
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/byline-news/byline/retrieval"
)

var museumOriginal = retrieval.Article{
	ID:        "museum",
	URL:       "https://arts.example/museum-reopens",
	Title:     "Maritime museum reopens",
	Outlet:    "Arts Desk",
	Published: date(2025, 5, 20),
	Paragraphs: []string{
		"The maritime museum in Kellport reopened on Saturday after a two-year restoration.",
		"Its prize exhibit, a whaling sloop built in 1841, now hangs from the atrium ceiling.",
	},
}

var museumRevised = retrieval.Article{
	ID:        "museum",
	URL:       "https://arts.example/museum-reopens",
	Title:     "Maritime museum reopens to crowds",
	Outlet:    "Arts Desk",
	Published: date(2025, 5, 21),
	Paragraphs: []string{
		"Queues stretched along the quay as the Kellport maritime museum reopened.",
		"The director, Odile Marchetti, said forty thousand tickets had been sold in advance.",
		"A telescope from the old lighthouse is displayed in the east gallery.",
	},
}

func testPutReplaces(t *testing.T, b Backend) {
	tests := []struct {
		name      string
		second    retrieval.Article
		goneID    string // the first version's ID, which must be gone
		oldQuery  string // words of the first version: any hit must be second-version text
		newQuery  string // only the second version matches
		wantParas int
	}{
		{
			name:      "same ID, new text",
			second:    museumRevised,
			goneID:    "",
			oldQuery:  "whaling sloop atrium",
			newQuery:  "Odile Marchetti tickets",
			wantParas: 3,
		},
		{
			name: "same URL, different ID",
			second: func() retrieval.Article {
				a := museumRevised
				a.ID = "museum-v2"
				return a
			}(),
			goneID:    "museum",
			oldQuery:  "whaling sloop atrium",
			newQuery:  "Odile Marchetti tickets",
			wantParas: 3,
		},
		{
			name: "same text with other spacing and case, different ID and URL, same outlet",
			second: retrieval.Article{
				ID:        "museum-syndicated",
				URL:       "https://wire.example/museum",
				Title:     "MUSEUM REOPENS (wire copy)",
				Outlet:    "arts desk",
				Published: date(2025, 5, 20),
				Paragraphs: []string{
					"THE MARITIME MUSEUM in   Kellport reopened on Saturday after a two-year restoration.",
					"  its prize exhibit,\ta whaling sloop built in 1841, now hangs from the atrium ceiling.\n",
				},
			},
			goneID:    "museum",
			oldQuery:  "Maritime museum reopens",
			newQuery:  "wire copy",
			wantParas: 2,
		},
		{
			name: "same text, different ID and URL, outlet unknown",
			second: func() retrieval.Article {
				a := museumOriginal
				a.ID, a.URL, a.Outlet, a.Title = "museum-copy", "https://copy.example/m", "", "Museum copy"
				return a
			}(),
			goneID:    "museum",
			oldQuery:  "Maritime museum reopens",
			newQuery:  "museum copy",
			wantParas: 2,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ctx := context.Background()
			ix := b.open(t)
			MustPut(t, ix, museumOriginal, bridgeVote)
			before := MustStats(t, ix)
			if hits := MustSearch(t, ix, retrieval.Query{Text: tt.oldQuery}); len(hits) == 0 || hits[0].Article.ID != museumOriginal.ID {
				t.Fatalf("before: Search(%q) = %v, want %s first", tt.oldQuery, hitIDs(hits), museumOriginal.ID)
			}

			res := MustPut(t, ix, tt.second)
			if want := (retrieval.PutResult{Replaced: 1, Paragraphs: len(tt.second.Paragraphs)}); res != want {
				t.Errorf("PutResult = %+v, want %+v", res, want)
			}
			after := MustStats(t, ix)
			if got, want := after.Articles, before.Articles; got != want {
				t.Errorf("Articles = %d, want %d", got, want)
			}
			if got, want := after.Paragraphs, before.Paragraphs-len(museumOriginal.Paragraphs)+tt.wantParas; got != want {
				t.Errorf("Paragraphs = %d, want %d", got, want)
			}
			if tt.goneID != "" {
				if _, err := ix.Article(ctx, tt.goneID); !errors.Is(err, retrieval.ErrNotFound) {
					t.Errorf("Article(%s) = %v, want ErrNotFound", tt.goneID, err)
				}
			}
			got, err := ix.Article(ctx, tt.second.ID)
			if err != nil {
				t.Fatalf("Article(%s): %v", tt.second.ID, err)
			}
			if !slices.Equal(got.Paragraphs, tt.second.Paragraphs) || got.Title != tt.second.Title {
				t.Errorf("Article(%s) = %+v, want the second version", tt.second.ID, got)
			}

			// The old version's own words no longer find it; the new ones do.
			for _, h := range MustSearch(t, ix, retrieval.Query{Text: tt.oldQuery, K: 20}) {
				if h.Article.ID == bridgeVote.ID {
					continue
				}
				if h.Article.ID != tt.second.ID || h.Article.Title != tt.second.Title || !slices.Contains(tt.second.Paragraphs, h.Text) {
					t.Errorf("Search(%q) found stale %s#%d %q (%q)", tt.oldQuery, h.Article.ID, h.Paragraph, h.Text, h.Article.Title)
				}
			}
			hits := MustSearch(t, ix, retrieval.Query{Text: tt.newQuery})
			if len(hits) == 0 || hits[0].Article.ID != tt.second.ID {
				t.Errorf("Search(%q) = %v, want %s first", tt.newQuery, hitIDs(hits), tt.second.ID)
			}
		})
	}
}

func testPutUnchanged(t *testing.T, b Backend) {
	ix := b.open(t)
	if res := MustPut(t, ix, museumOriginal, bridgeVote); res != (retrieval.PutResult{Added: 2, Paragraphs: 5}) {
		t.Fatalf("first Put = %+v", res)
	}
	before := MustStats(t, ix)
	res := MustPut(t, ix, museumOriginal, bridgeVote)
	if want := (retrieval.PutResult{Unchanged: 2}); res != want {
		t.Errorf("second Put = %+v, want %+v", res, want)
	}
	after := MustStats(t, ix)
	if after.Articles != before.Articles || after.Paragraphs != before.Paragraphs || after.Segments != before.Segments {
		t.Errorf("Stats after identical Put = %+v, before %+v", after, before)
	}

	// Any change to a stored field is a replacement, not "unchanged".
	changes := []struct {
		name   string
		modify func(a *retrieval.Article)
	}{
		{"title", func(a *retrieval.Article) { a.Title += " (updated)" }},
		{"outlet", func(a *retrieval.Article) { a.Outlet = "Other Desk" }},
		{"author", func(a *retrieval.Article) { a.Author = "New Author" }},
		{"category", func(a *retrieval.Article) { a.Category = "culture" }},
		{"published", func(a *retrieval.Article) { a.Published = a.Published.AddDate(0, 0, 1) }},
		{"date removed", func(a *retrieval.Article) { a.Published = time.Time{} }},
		{"url", func(a *retrieval.Article) { a.URL += "?page=2" }},
		{"paragraph", func(a *retrieval.Article) {
			a.Paragraphs = append(slices.Clone(a.Paragraphs), "A correction was appended.")
		}},
	}
	cur := museumOriginal
	for _, c := range changes {
		c.modify(&cur)
		res := MustPut(t, ix, cur)
		if want := (retrieval.PutResult{Replaced: 1, Paragraphs: len(cur.Paragraphs)}); res != want {
			t.Errorf("Put after changing %s = %+v, want %+v", c.name, res, want)
		}
		if n, _ := ix.Count(context.Background()); n != 2 {
			t.Errorf("Count after changing %s = %d, want 2", c.name, n)
		}
	}
}

func testPutDuplicateInOneCall(t *testing.T, b Backend) {
	ix := b.open(t)
	res := MustPut(t, ix, museumOriginal, museumOriginal, museumRevised)
	// The second copy is identical to the first; the revision replaces
	// it, and the result counts what the call leaves: one new article.
	if want := (retrieval.PutResult{Added: 1, Unchanged: 1, Paragraphs: len(museumRevised.Paragraphs)}); res != want {
		t.Errorf("PutResult = %+v, want %+v", res, want)
	}
	st := MustStats(t, ix)
	if st.Articles != 1 || st.Paragraphs != len(museumRevised.Paragraphs) {
		t.Errorf("Stats = %+v, want 1 article with %d paragraphs", st, len(museumRevised.Paragraphs))
	}
	if hits := MustSearch(t, ix, retrieval.Query{Text: "whaling sloop"}); len(hits) != 0 {
		t.Errorf("Search(whaling sloop) = %v, want nothing", hitIDs(hits))
	}
}

func testDelete(t *testing.T, b Backend) {
	ctx := context.Background()
	ix := b.open(t)
	MustPut(t, ix, harbourStrike, orchardFrost, bridgeVote)
	if hits := MustSearch(t, ix, retrieval.Query{Text: "apple orchards frost"}); !containsID(hits, "orchard-frost") {
		t.Fatalf("before Delete: hits = %v", hitIDs(hits))
	}
	if err := ix.Delete(ctx, "orchard-frost"); err != nil {
		t.Fatalf("Delete: %v", err)
	}
	if hits := MustSearch(t, ix, retrieval.Query{Text: "apple orchards frost", K: 20}); containsID(hits, "orchard-frost") {
		t.Errorf("after Delete: hits = %v, want no orchard-frost", hitIDs(hits))
	}
	if _, err := ix.Article(ctx, "orchard-frost"); !errors.Is(err, retrieval.ErrNotFound) {
		t.Errorf("Article after Delete: %v, want ErrNotFound", err)
	}
	st := MustStats(t, ix)
	if want := len(harbourStrike.Paragraphs) + len(bridgeVote.Paragraphs); st.Articles != 2 || st.Paragraphs != want {
		t.Errorf("Stats after Delete = %+v, want 2 articles, %d paragraphs", st, want)
	}
	// The others are untouched.
	if hits := MustSearch(t, ix, retrieval.Query{Text: "Vellacott"}); len(hits) == 0 || hits[0].Article.ID != "harbour-strike" {
		t.Errorf("Search(Vellacott) = %v", hitIDs(hits))
	}

	for _, id := range []string{"orchard-frost", "never-indexed", ""} {
		if err := ix.Delete(ctx, id); !errors.Is(err, retrieval.ErrNotFound) {
			t.Errorf("Delete(%q) = %v, want ErrNotFound", id, err)
		}
	}

	// A deleted article can be indexed again.
	if res := MustPut(t, ix, orchardFrost); res.Added != 1 {
		t.Errorf("Put after Delete = %+v, want Added 1", res)
	}
	if hits := MustSearch(t, ix, retrieval.Query{Text: "apple orchards frost"}); len(hits) == 0 || hits[0].Article.ID != "orchard-frost" {
		t.Errorf("Search after re-adding = %v, want orchard-frost first", hitIDs(hits))
	}
}

// testDeleteThenPutAfterSearch covers the segment cache: a search loads
// the newest segment, the delete empties and drops that segment, and the
// next index call writes a new one. The search after it must read the new
// segment, not a cached copy of the dropped one.
func testDeleteThenPutAfterSearch(t *testing.T, b Backend) {
	tests := []struct {
		name  string
		other bool // whether another handle (another replica) deletes and puts
	}{
		{"same handle", false},
		{"other handle", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ctx := context.Background()
			addr := b.Fresh(t)
			ix := b.openAt(t, addr, Options{})
			writer := ix
			if tt.other {
				writer = b.openAt(t, addr, Options{})
			}
			MustPut(t, ix, harbourStrike)
			MustPut(t, ix, orchardFrost)
			if hits := MustSearch(t, ix, retrieval.Query{Text: "frost"}); len(hits) == 0 {
				t.Fatal("frost not found")
			}
			if err := writer.Delete(ctx, orchardFrost.ID); err != nil {
				t.Fatalf("Delete: %v", err)
			}
			MustPut(t, writer, bridgeVote)
			for _, q := range []struct{ text, want string }{
				{"Ferrante bridge", bridgeVote.ID},
				{"Vellacott", harbourStrike.ID},
			} {
				hits := MustSearch(t, ix, retrieval.Query{Text: q.text})
				if len(hits) == 0 || hits[0].Article.ID != q.want {
					t.Errorf("Search(%q) = %v, want %s first", q.text, hitIDs(hits), q.want)
				}
			}
			if hits := MustSearch(t, ix, retrieval.Query{Text: "frost orchards"}); len(hits) != 0 {
				t.Errorf("Search(frost orchards) = %v, want nothing", hitIDs(hits))
			}
		})
	}
}
