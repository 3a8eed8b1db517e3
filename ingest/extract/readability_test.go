package extract_test

import (
	"testing"

	"github.com/byline-news/byline/eval"
	"github.com/byline-news/byline/ingest"
)

// Floors on Mozilla Readability's test pages (see eval.ScorePage for how
// pages are compared). The expected text is what Readability.js keeps,
// so every piece of boilerplate byline rightly removes beyond it (a
// sidebar, an infobox, a share line, comments) costs recall here; the
// floors leave room for that and for nothing else.
const (
	minF1          = 0.99 // mean text F1 over the pages extracted
	minRecall      = 0.5  // on every page extracted
	maxTitleMisses = 7    // titles that differ once a site name is taken off
	maxNoArticle   = 1    // pages judged no article: nytimes-5 is a section front
	// maxAuthorShortfall is how many fewer authors than go-readability
	// byline may match. Three expected bylines are not the story's
	// author: two datelines (seattletimes-1, spiceworks: "Last Updated:
	// January 7, 2025"), which byline does not take for a name, and the
	// author of a teaser in a sidebar (salon-1), where byline finds the
	// author the page marks up.
	maxAuthorShortfall = 3
)

// TestReadabilityPages runs byline's extractor, by both ways a page
// reaches the index, over the test pages of Mozilla Readability that
// ship with go-readability, and holds it to the floors above. With -v it
// logs the summary and the per-page table (also: byline eval --extract).
func TestReadabilityPages(t *testing.T) {
	dir, err := eval.ReadabilityTestPages()
	if err != nil {
		t.Skipf("skipping: %v", err)
	}
	pages, err := eval.LoadExtractPages(dir)
	if err != nil {
		t.Fatal(err)
	}
	results, err := eval.RunExtract(pages, eval.Extractors)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("%d readerable pages in %s\n%s", len(pages), dir, eval.SummaryTable(results))
	ref := results[len(results)-1]
	for _, r := range results[:len(results)-1] {
		checkFloors(t, r, ref)
		t.Log("\n" + eval.PageTable(r))
	}
}

func checkFloors(t *testing.T, r, ref eval.ExtractResult) {
	t.Helper()
	s := r.Summary
	if s.F1Mean < minF1 {
		t.Errorf("%s: text F1 mean %.3f, want ≥ %.2f", r.Extractor, s.F1Mean, minF1)
	}
	if s.MinRecall < minRecall {
		t.Errorf("%s: recall %.3f on %s, want ≥ %.1f on every page", r.Extractor, s.MinRecall, s.MinRecallPage, minRecall)
	}
	if s.NoArticle > maxNoArticle {
		t.Errorf("%s: %d pages judged no article, want ≤ %d", r.Extractor, s.NoArticle, maxNoArticle)
	}
	if miss := s.WantTitles - s.Titles; miss > maxTitleMisses {
		t.Errorf("%s: titles %d/%d, want at most %d wrong", r.Extractor, s.Titles, s.WantTitles, maxTitleMisses)
	}
	refAuthors, refDates := 0, 0 // go-readability's, on the pages r extracted
	for i, p := range r.Pages {
		if !p.Got.NoArticle {
			refAuthors += b2i(ref.Pages[i].Author)
			refDates += b2i(ref.Pages[i].Published)
		}
	}
	if s.Authors < refAuthors-maxAuthorShortfall {
		t.Errorf("%s: %d authors, go-readability %d", r.Extractor, s.Authors, refAuthors)
	}
	if s.Published < refDates {
		t.Errorf("%s: %d dates, go-readability %d", r.Extractor, s.Published, refDates)
	}
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

// BenchmarkReadabilityPages reads every readerable test page as byline
// add does; ns/op is for all of them.
func BenchmarkReadabilityPages(b *testing.B) {
	dir, err := eval.ReadabilityTestPages()
	if err != nil {
		b.Skipf("skipping: %v", err)
	}
	pages, err := eval.LoadExtractPages(dir)
	if err != nil {
		b.Fatal(err)
	}
	size := 0
	for _, p := range pages {
		size += len(p.Source)
	}
	b.SetBytes(int64(size))
	for b.Loop() {
		for _, p := range pages {
			ingest.ReadPage(ingest.Page{URL: eval.TestPageURL, HTML: p.Source})
		}
	}
}
