package storetest

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/byline-news/byline/retrieval"
	"github.com/byline-news/byline/retrieval/engine"
)

// The articles below were written for these tests.

var harbourStrike = retrieval.Article{
	ID:        "harbour-strike",
	URL:       "https://ledger.example/2025/03/harbour-strike",
	Title:     "Dockworkers strike at the Port of Haldane",
	Outlet:    "Coastal Ledger",
	Author:    "Ines Brathwaite",
	Category:  "business",
	Published: date(2025, 3, 10),
	Paragraphs: []string{
		"Dockworkers at the Port of Haldane walked off the job on Monday, halting container traffic at the region's busiest harbour.",
		"Union leader Marta Vellacott said the strike would continue until the port authority agreed to restore overtime pay.",
		"The port authority denied that overtime had been cut and called the walkout unlawful.",
		"Shipping firms diverted several vessels to neighbouring terminals while talks stalled.",
	},
}

var orchardFrost = retrieval.Article{
	ID:        "orchard-frost",
	URL:       "https://valley.example/orchard-frost",
	Title:     "Late frost damages apple orchards",
	Outlet:    "Valley Courier",
	Published: date(2025, 4, 2),
	Paragraphs: []string{
		"A late frost swept through the upland valleys overnight, damaging blossom in most apple orchards.",
		"Growers lit braziers between the rows, but temperatures fell to minus six before dawn.",
		"The farmers' cooperative expects the harvest to be a third smaller than last year.",
	},
}

var bridgeVote = retrieval.Article{
	ID:        "bridge-vote",
	URL:       "https://civic.example/bridge-vote",
	Title:     "Council approves new river bridge",
	Outlet:    "Civic Times",
	Published: date(2025, 2, 14),
	Paragraphs: []string{
		"The city council voted eleven to four on Thursday to fund a pedestrian bridge over the Arlen river.",
		"Councillor Tobias Ferrante, who opposed the plan, said the money should repair existing roads first.",
		"Construction is scheduled to begin next spring and to last eighteen months.",
	},
}

// trawlerScattered and trawlerPhrase analyse to the same terms in a
// different order: only trawlerPhrase has "South China Sea" as a phrase.
var trawlerScattered = retrieval.Article{
	ID:         "trawler-scattered",
	Title:      "Fleet report one",
	Outlet:     "Harbour Wire",
	Published:  date(2025, 1, 20),
	Paragraphs: []string{"Officials said trawlers from the south reached China by sea on Tuesday."},
}

var trawlerPhrase = retrieval.Article{
	ID:         "trawler-phrase",
	Title:      "Fleet report two",
	Outlet:     "Harbour Wire",
	Published:  date(2025, 1, 20),
	Paragraphs: []string{"Officials said trawlers reached the South China Sea on Tuesday."},
}

// volcanoTitle and volcanoText have the same paragraph text (apart from the
// weekday) and titles of the same length; only volcanoTitle names the
// volcano in its title.
var volcanoTitle = retrieval.Article{
	ID:         "volcano-title",
	Title:      "Volcano eruption closes airport",
	Published:  date(2025, 5, 1),
	Paragraphs: []string{"Ash from the volcano closed the regional airport on Friday."},
}

var volcanoText = retrieval.Article{
	ID:         "volcano-text",
	Title:      "Regional flights cancelled again",
	Published:  date(2025, 5, 1),
	Paragraphs: []string{"Ash from the volcano closed the regional airport on Sunday."},
}

func newsIndex(t *testing.T, b Backend) Store {
	t.Helper()
	ix := b.open(t)
	// trawlerScattered is indexed before trawlerPhrase, and volcanoText
	// before volcanoTitle, so if their scores tied they would come first.
	MustPut(t, ix, harbourStrike, orchardFrost, bridgeVote, trawlerScattered, trawlerPhrase, volcanoText, volcanoTitle)
	return ix
}

func testSearchFindsBestParagraph(t *testing.T, b Backend) {
	ix := newsIndex(t, b)
	tests := []struct {
		name      string
		query     string
		wantID    string
		wantPara  int
		wantBelow string // optional: an article that must match with a lower score
	}{
		{"name", "What did Marta Vellacott say?", "harbour-strike", 1, ""},
		{"surname only", "Ferrante", "bridge-vote", 1, ""},
		{"stemming denied/deny", "Does the port deny it?", "harbour-strike", 2, ""},
		{"stemming plural", "orchard", "orchard-frost", 0, ""},
		{"stemming walk/walked", "Why did they walk out?", "harbour-strike", 0, ""},
		{"stemming diverting/diverted", "diverting a vessel", "harbour-strike", 3, ""},
		{"case and punctuation", "ARLEN RIVER!!", "bridge-vote", 0, ""},
		{"phrase beats scattered words", "South China Sea", "trawler-phrase", 0, "trawler-scattered"},
		{"phrase, lower case", "what happened in the south china sea", "trawler-phrase", 0, "trawler-scattered"},
		{"title weighting", "volcano", "volcano-title", 0, "volcano-text"},
		{"harvest", "How big will the apple harvest be?", "orchard-frost", 2, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			hits, err := ix.Search(context.Background(), retrieval.Query{Text: tt.query, K: 5})
			if err != nil {
				t.Fatalf("Search(%q): %v", tt.query, err)
			}
			if len(hits) == 0 {
				t.Fatalf("Search(%q) returned no hits", tt.query)
			}
			if got, want := hitIDs(hits)[0], fmt.Sprintf("%s#%d", tt.wantID, tt.wantPara); got != want {
				t.Fatalf("Search(%q) top hit = %s, want %s (all: %v)", tt.query, got, want, hitIDs(hits))
			}
			for i := 1; i < len(hits); i++ {
				if hits[i].Score > hits[i-1].Score {
					t.Errorf("hits not sorted by score: %v then %v", hits[i-1].Score, hits[i].Score)
				}
			}
			if tt.wantBelow != "" {
				i := slices.IndexFunc(hits, func(h retrieval.Hit) bool { return h.Article.ID == tt.wantBelow })
				if i < 0 {
					t.Fatalf("Search(%q) = %v, want %s among the hits too", tt.query, hitIDs(hits), tt.wantBelow)
				}
				if hits[0].Score <= hits[i].Score {
					t.Errorf("Search(%q): %s scores %v, not above %s's %v", tt.query, tt.wantID, hits[0].Score, tt.wantBelow, hits[i].Score)
				}
			}
		})
	}
}

func testSearchHitFields(t *testing.T, b Backend) {
	ix := newsIndex(t, b)
	tests := []struct {
		query         string
		para          int
		before, after string
	}{
		{"Vellacott", 1, harbourStrike.Paragraphs[0], harbourStrike.Paragraphs[2]},
		{"container traffic busiest", 0, "", harbourStrike.Paragraphs[1]},
		{"diverted vessels terminals", 3, harbourStrike.Paragraphs[2], ""},
	}
	for _, tt := range tests {
		t.Run(tt.query, func(t *testing.T) {
			hits := MustSearch(t, ix, retrieval.Query{Text: tt.query, K: 1})
			if len(hits) != 1 {
				t.Fatalf("got %d hits, want 1", len(hits))
			}
			h := hits[0]
			if h.Article.ID != harbourStrike.ID || h.Paragraph != tt.para {
				t.Fatalf("hit = %s#%d, want %s#%d", h.Article.ID, h.Paragraph, harbourStrike.ID, tt.para)
			}
			if got, want := h.Text, harbourStrike.Paragraphs[tt.para]; got != want {
				t.Errorf("Text = %q, want %q", got, want)
			}
			if h.Before != tt.before {
				t.Errorf("Before = %q, want %q", h.Before, tt.before)
			}
			if h.After != tt.after {
				t.Errorf("After = %q, want %q", h.After, tt.after)
			}
			if h.Score <= 0 {
				t.Errorf("Score = %v, want > 0", h.Score)
			}
			a := h.Article
			if a.Title != harbourStrike.Title || a.URL != harbourStrike.URL || a.Outlet != harbourStrike.Outlet ||
				a.Author != harbourStrike.Author || a.Category != harbourStrike.Category || !a.Published.Equal(harbourStrike.Published) {
				t.Errorf("hit article = %+v, want the fields of %+v", a, harbourStrike)
			}
			if len(a.Paragraphs) != 0 {
				t.Errorf("hit article has %d paragraphs, want none", len(a.Paragraphs))
			}
			if a.Indexed.IsZero() {
				t.Error("hit article has no Indexed time")
			}
		})
	}
}

func testSearchK(t *testing.T, b Backend) {
	ix := b.open(t)
	var articles []retrieval.Article
	for i, weekday := range []string{"Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday", "holiday"} {
		articles = append(articles, retrieval.Article{
			ID:         "ferry-" + weekday,
			Title:      "Ferry timetable",
			Published:  date(2025, 6, 1+i),
			Paragraphs: []string{"The island ferry sails twice on " + weekday + " when the weather allows."},
		})
	}
	MustPut(t, ix, articles...)
	tests := []struct {
		k, want int
	}{
		{1, 1},
		{3, 3},
		{0, 5}, // default
		{-1, 5},
		{8, 8},
		{100, 8}, // only 8 paragraphs match
	}
	for _, tt := range tests {
		hits := MustSearch(t, ix, retrieval.Query{Text: "island ferry", K: tt.k})
		if got := len(hits); got != tt.want {
			t.Errorf("K=%d: got %d hits, want %d", tt.k, got, tt.want)
		}
	}
}

func testSearchEmptyQuery(t *testing.T, b Backend) {
	ix := newsIndex(t, b)
	for _, q := range []string{"", "   ", "what is the?", "Who is it?", "?!...", "and or but"} {
		hits, err := ix.Search(context.Background(), retrieval.Query{Text: q})
		if !errors.Is(err, retrieval.ErrEmptyQuery) {
			t.Errorf("Search(%q) = %v, %v; want ErrEmptyQuery", q, hitIDs(hits), err)
		}
	}
}

func testSearchNoMatch(t *testing.T, b Backend) {
	ix := newsIndex(t, b)
	hits, err := ix.Search(context.Background(), retrieval.Query{Text: "zeppelin"})
	if err != nil {
		t.Fatalf("Search: %v", err)
	}
	if len(hits) != 0 {
		t.Errorf("Search(zeppelin) = %v, want no hits", hitIDs(hits))
	}
}

func testSearchEmptyIndex(t *testing.T, b Backend) {
	ix := b.open(t)
	hits, err := ix.Search(context.Background(), retrieval.Query{Text: "anything at all"})
	if err != nil || len(hits) != 0 {
		t.Errorf("Search on an empty index = %v, %v; want no hits, no error", hitIDs(hits), err)
	}
}

func testSearchDateFilters(t *testing.T, b Backend) {
	ix := b.open(t)
	mk := func(id string, pub time.Time) retrieval.Article {
		return retrieval.Article{
			ID:         id,
			Title:      "Lighthouse keeper " + id,
			Published:  pub,
			Paragraphs: []string{"The lighthouse on Garrow Point was repainted by volunteers (" + id + ")."},
		}
	}
	MustPut(t, ix,
		mk("jan", time.Date(2025, 1, 15, 9, 30, 0, 0, time.UTC)),
		mk("feb", time.Date(2025, 2, 15, 23, 0, 0, 0, time.UTC)),
		mk("mar", time.Date(2025, 3, 15, 6, 0, 0, 0, time.UTC)),
		mk("undated", time.Time{}),
	)
	tests := []struct {
		name string
		q    retrieval.Query
		want []string // sorted article IDs
	}{
		{"no bounds", retrieval.Query{}, []string{"feb", "jan", "mar", "undated"}},
		{"since", retrieval.Query{Since: date(2025, 2, 1)}, []string{"feb", "mar"}},
		{"until", retrieval.Query{Until: date(2025, 2, 1)}, []string{"jan"}},
		{"window", retrieval.Query{Since: date(2025, 2, 1), Until: date(2025, 3, 1)}, []string{"feb"}},
		{"since is inclusive", retrieval.Query{Since: time.Date(2025, 2, 15, 23, 0, 0, 0, time.UTC)}, []string{"feb", "mar"}},
		{"until is exclusive", retrieval.Query{Until: time.Date(2025, 2, 15, 23, 0, 0, 0, time.UTC)}, []string{"jan"}},
		{"same day, later hour", retrieval.Query{Since: time.Date(2025, 3, 15, 7, 0, 0, 0, time.UTC)}, nil},
		{"same day, earlier hour", retrieval.Query{Until: time.Date(2025, 1, 15, 9, 0, 0, 0, time.UTC)}, nil},
		{"other time zone, same instant", retrieval.Query{Since: time.Date(2025, 2, 16, 0, 0, 0, 0, time.FixedZone("CET", 3600))}, []string{"feb", "mar"}},
		{"other time zone, half an hour later", retrieval.Query{Since: time.Date(2025, 2, 16, 0, 30, 0, 0, time.FixedZone("CET", 3600))}, []string{"mar"}},
		{"keep undated", retrieval.Query{Since: date(2025, 2, 1), KeepUndated: true}, []string{"feb", "mar", "undated"}},
		{"keep undated, until", retrieval.Query{Until: date(2025, 2, 1), KeepUndated: true}, []string{"jan", "undated"}},
		{"nothing in range", retrieval.Query{Since: date(2026, 1, 1)}, nil},
		{"nothing in range, keep undated", retrieval.Query{Since: date(2026, 1, 1), KeepUndated: true}, []string{"undated"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			q := tt.q
			q.Text, q.K = "lighthouse repainted", 10
			hits := MustSearch(t, ix, q)
			var got []string
			for _, h := range hits {
				got = append(got, h.Article.ID)
			}
			slices.Sort(got)
			if !slices.Equal(got, tt.want) {
				t.Errorf("got %v, want %v", got, tt.want)
			}
		})
	}
}

// testSearchDateFilterBeforeRanking checks that the date bounds are
// applied before the best candidates are chosen: many better-matching
// articles outside the bounds must not crowd out the one inside them.
func testSearchDateFilterBeforeRanking(t *testing.T, b Backend) {
	ix := b.open(t)
	var articles []retrieval.Article
	for i := range 120 { // more than Params.Candidates (50) of each kind
		pub := time.Time{} // undated
		if i%2 == 1 {
			pub = date(2023, 1, 1+i%28) // too old
		}
		articles = append(articles, retrieval.Article{
			ID:         fmt.Sprintf("glacier-%d", i),
			Title:      "Glacier watch",
			Published:  pub,
			Paragraphs: []string{fmt.Sprintf("The glacier retreated %d metres; glacier guides moved the glacier trail.", 10+i)},
		})
	}
	articles = append(articles, retrieval.Article{
		ID:        "in-range",
		Title:     "Mountain villages prepare for summer",
		Published: date(2025, 5, 1),
		Paragraphs: []string{"Villagers repaired the footbridge, restocked the refuge huts and repainted " +
			"the signposts along the valley before the first hikers arrived; one sign points to the glacier."},
	})
	MustPut(t, ix, articles...)
	for _, q := range []retrieval.Query{
		{Text: "glacier", Since: date(2025, 1, 1)},
		{Text: "glacier", Since: date(2025, 1, 1), K: 1},
		{Text: "glacier", Since: date(2024, 1, 1), Until: date(2026, 1, 1)},
	} {
		hits := MustSearch(t, ix, q)
		if got := hitIDs(hits); !slices.Equal(got, []string{"in-range#0"}) {
			t.Errorf("Search(%+v) = %v, want [in-range#0]", q, got)
		}
	}
	// With KeepUndated the undated ones come back, and still none too old.
	hits := MustSearch(t, ix, retrieval.Query{Text: "glacier", Since: date(2025, 1, 1), KeepUndated: true, K: 100})
	if len(hits) != 61 || !containsID(hits, "in-range") {
		t.Errorf("KeepUndated: %d hits, want 61 including in-range", len(hits))
	}
	for _, h := range hits {
		if !h.Article.Published.IsZero() && h.Article.ID != "in-range" {
			t.Errorf("KeepUndated returned %s published %v", h.Article.ID, h.Article.Published)
		}
	}
}

func testSearchPrefersNewer(t *testing.T, b Backend) {
	tests := []struct {
		name         string
		older, newer time.Time
	}{
		{"two months apart", date(2024, 1, 1), date(2024, 3, 1)},
		{"one day apart", date(2024, 6, 10), date(2024, 6, 11)},
		{"years apart", date(2019, 6, 10), date(2024, 6, 11)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ix := b.open(t)
			// Equally relevant: same length, same query terms; the older one is
			// indexed first, so a tie would put it first.
			MustPut(t, ix,
				retrieval.Article{ID: "older", Title: "Banking news", Published: tt.older,
					Paragraphs: []string{"Regulators fined the lender on Monday."}},
				retrieval.Article{ID: "newer", Title: "Banking news", Published: tt.newer,
					Paragraphs: []string{"Regulators fined the lender on Friday."}},
			)
			hits := MustSearch(t, ix, retrieval.Query{Text: "Which lender did regulators fine?"})
			if got := hitIDs(hits); len(got) != 2 || got[0] != "newer#0" {
				t.Fatalf("hits = %v, want newer#0 first of two", got)
			}
			if hits[0].Score <= hits[1].Score {
				t.Errorf("newer scores %v, older %v: want newer strictly higher", hits[0].Score, hits[1].Score)
			}
		})
	}
}

func testSearchParams(t *testing.T, b Backend) {
	older := retrieval.Article{ID: "older", Title: "Banking", Published: date(2024, 1, 1),
		Paragraphs: []string{"Regulators fined the lender in March; the lender appealed, and regulators fined it again."}}
	newer := retrieval.Article{ID: "newer", Title: "Banking", Published: date(2024, 3, 1),
		Paragraphs: []string{"Regulators fined a lender on Friday."}}
	tests := []struct {
		name   string
		params engine.Params
		k      int
		want   []string
	}{
		{"defaults: relevance beats recency", engine.Params{}, 5, []string{"older#0", "newer#0"}},
		{"strong recency", engine.Params{Recency: 5}, 5, []string{"newer#0", "older#0"}},
		{"K above Candidates", engine.Params{Candidates: 1}, 2, []string{"older#0", "newer#0"}},
		{"K below Candidates", engine.Params{Candidates: 10}, 1, []string{"older#0"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ix := b.openAt(t, b.Fresh(t), Options{Params: tt.params})
			MustPut(t, ix, older, newer)
			hits := MustSearch(t, ix, retrieval.Query{Text: "regulators fined lender", K: tt.k})
			if got := hitIDs(hits); !slices.Equal(got, tt.want) {
				t.Errorf("hits = %v, want %v", got, tt.want)
			}
		})
	}
}

func testList(t *testing.T, b Backend) {
	ix := b.open(t)
	MustPut(t, ix,
		retrieval.Article{ID: "b-undated", Paragraphs: []string{"Undated story about tides."}},
		retrieval.Article{ID: "mid", Published: date(2024, 5, 1), Paragraphs: []string{"A story from May.", "Second paragraph."}},
		retrieval.Article{ID: "a-undated", Paragraphs: []string{"Another undated story about winds."}},
		retrieval.Article{ID: "new", Published: date(2025, 1, 1), Paragraphs: []string{"The newest story."}},
		retrieval.Article{ID: "old", Published: date(2020, 1, 1), Paragraphs: []string{"The oldest story.", "Two.", "Three."}},
		retrieval.Article{ID: "mid-twin", Published: date(2024, 5, 1), Paragraphs: []string{"A twin story from May."}},
	)
	type row struct {
		id string
		n  int
	}
	var got []row
	err := ix.List(context.Background(), func(a retrieval.Article, paragraphs int) error {
		if len(a.Paragraphs) != 0 {
			t.Errorf("List gave %s with %d paragraphs, want none", a.ID, len(a.Paragraphs))
		}
		got = append(got, row{a.ID, paragraphs})
		return nil
	})
	if err != nil {
		t.Fatalf("List: %v", err)
	}
	want := []row{{"new", 1}, {"mid", 2}, {"mid-twin", 1}, {"old", 3}, {"a-undated", 1}, {"b-undated", 1}}
	if !slices.Equal(got, want) {
		t.Errorf("List order = %v, want %v", got, want)
	}

	// An error from fn stops the listing and is returned as is.
	stop := errors.New("stop")
	calls := 0
	err = ix.List(context.Background(), func(retrieval.Article, int) error { calls++; return stop })
	if !errors.Is(err, stop) || calls != 1 {
		t.Errorf("List with failing fn = %v after %d calls, want %v after 1", err, calls, stop)
	}
}

func testArticleRoundTrip(t *testing.T, b Backend) {
	ix := b.open(t)
	tokyo := time.FixedZone("JST", 9*3600)
	tests := []struct {
		name string
		in   retrieval.Article
		want time.Time // Published as read back
	}{
		{
			"all fields, other zone",
			retrieval.Article{
				ID: "rail-fares", URL: "https://transit.example/rail-fares?id=7&x=ü", Title: "Rail fares rise — again",
				Outlet: "Transit Weekly", Author: "Kenji Morrow", Category: "transport",
				Published:  time.Date(2025, 4, 1, 8, 15, 30, 999_000_000, tokyo),
				Updated:    time.Date(2025, 4, 2, 6, 0, 0, 0, time.UTC),
				Paragraphs: []string{"Rail fares will rise by 4.5% in April.", "Commuters’ groups called the rise \"unjustified\".", "  Leading and trailing spaces are kept.  "},
			},
			time.Date(2025, 3, 31, 23, 15, 30, 0, time.UTC),
		},
		{
			"unknown date",
			retrieval.Article{ID: "undated", Title: "Undated", Paragraphs: []string{"Nobody knows when this was written."}},
			time.Time{},
		},
		{
			"before 1970",
			retrieval.Article{ID: "moon", Title: "Moon landing", Published: time.Date(1969, 7, 20, 20, 17, 0, 0, time.UTC),
				Paragraphs: []string{"Astronauts landed on the Moon."}},
			time.Date(1969, 7, 20, 20, 17, 0, 0, time.UTC),
		},
	}
	for _, tt := range tests {
		MustPut(t, ix, tt.in)
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ix.Article(context.Background(), tt.in.ID)
			if err != nil {
				t.Fatalf("Article(%s): %v", tt.in.ID, err)
			}
			want := tt.in
			want.Published = tt.want
			if got.ID != want.ID || got.URL != want.URL || got.Title != want.Title || got.Outlet != want.Outlet ||
				got.Author != want.Author || got.Category != want.Category || !slices.Equal(got.Paragraphs, want.Paragraphs) {
				t.Errorf("Article = %+v\nwant %+v", got, want)
			}
			if !got.Published.Equal(want.Published) || got.Published.Location() != time.UTC {
				t.Errorf("Published = %v (%v), want %v in UTC", got.Published, got.Published.Location(), want.Published)
			}
			if !got.Updated.Equal(want.Updated) {
				t.Errorf("Updated = %v, want %v", got.Updated, want.Updated)
			}
			if want.Published.IsZero() && !got.Published.IsZero() {
				t.Errorf("Published = %v, want zero", got.Published)
			}
			if !got.Indexed.Equal(Clock) || got.Indexed.Location() != time.UTC {
				t.Errorf("Indexed = %v, want the index's clock %v in UTC", got.Indexed, Clock)
			}
		})
	}
	if _, err := ix.Article(context.Background(), "no-such-article"); !errors.Is(err, retrieval.ErrNotFound) {
		t.Errorf("Article(unknown) error = %v, want ErrNotFound", err)
	}
}

func testStatsAndCount(t *testing.T, b Backend) {
	ix := b.open(t)
	st := MustStats(t, ix)
	if st.Articles != 0 || st.Paragraphs != 0 || st.Segments != 0 || st.Terms != 0 || !st.Oldest.IsZero() || !st.Newest.IsZero() {
		t.Errorf("Stats of an empty index = %+v", st)
	}
	MustPut(t, ix, harbourStrike, orchardFrost, bridgeVote, trawlerPhrase, volcanoText)
	st = MustStats(t, ix)
	wantParas := len(harbourStrike.Paragraphs) + len(orchardFrost.Paragraphs) + len(bridgeVote.Paragraphs) + 2
	if st.Articles != 5 || st.Paragraphs != wantParas || st.Segments != 1 {
		t.Errorf("Stats = %+v, want 5 articles, %d paragraphs, 1 segment", st, wantParas)
	}
	if !st.Oldest.Equal(trawlerPhrase.Published) || !st.Newest.Equal(volcanoText.Published) {
		t.Errorf("Oldest, Newest = %v, %v; want %v, %v", st.Oldest, st.Newest, trawlerPhrase.Published, volcanoText.Published)
	}
	if st.Terms < 50 || st.Bytes <= 0 {
		t.Errorf("Stats = %+v, want dozens of terms and a non-empty file", st)
	}
	n, err := ix.Count(context.Background())
	if err != nil || n != 5 {
		t.Errorf("Count = %d, %v; want 5", n, err)
	}
	size, err := ix.Size(context.Background())
	if err != nil || size.Articles != 5 || size.Paragraphs != wantParas || !size.Newest.Equal(volcanoText.Published) {
		t.Errorf("Size = %+v, %v; want the articles, paragraphs and newest date of Stats", size, err)
	}
}

func testPutRejectsInvalidArticles(t *testing.T, b Backend) {
	ix := b.open(t)
	MustPut(t, ix, orchardFrost)
	tests := []struct {
		name string
		a    retrieval.Article
		want string
	}{
		{"no ID", retrieval.Article{Paragraphs: []string{"Text without an ID."}}, "no ID"},
		{"no paragraphs", retrieval.Article{ID: "empty"}, "no paragraphs"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			// The valid article in the same call must not be kept either.
			_, err := ix.Put(context.Background(), []retrieval.Article{bridgeVote, tt.a})
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("Put = %v, want an error mentioning %q", err, tt.want)
			}
			if n, _ := ix.Count(context.Background()); n != 1 {
				t.Errorf("Count after failed Put = %d, want 1", n)
			}
			if _, err := ix.Article(context.Background(), bridgeVote.ID); !errors.Is(err, retrieval.ErrNotFound) {
				t.Errorf("Article(%s) after failed Put: %v, want ErrNotFound", bridgeVote.ID, err)
			}
		})
	}
}
