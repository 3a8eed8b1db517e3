package eval

import (
	"bytes"
	"cmp"
	"context"
	"errors"
	"fmt"
	"net/url"
	"runtime"
	"slices"
	"strings"
	"sync"
	"time"

	readability "codeberg.org/readeck/go-readability/v2"
	"golang.org/x/net/html"

	"github.com/byline-news/byline/ingest"
	"github.com/byline-news/byline/ingest/extract"
	"github.com/byline-news/byline/retrieval"
)

// TestPageURL is the address the test pages were saved from, as
// Readability's own test suite gives it.
const TestPageURL = "http://fakehost/test/page.html"

// Extractor is one way of extracting a page, measured by RunExtract.
type Extractor struct {
	Name    string
	Extract func(p ExtractPage) (Extracted, error)
}

// Extractors are byline's two ways in, which run the same extractor,
// and go-readability alone, for reference.
var Extractors = []Extractor{
	{"byline add", addPath},
	{"byline index page.html", indexPath},
	{"go-readability alone", readabilityAlone},
}

// addPath is byline add: a page fetched from TestPageURL.
func addPath(p ExtractPage) (Extracted, error) {
	a, err := ingest.ReadPage(ingest.Page{URL: TestPageURL, HTML: p.Source})
	return extracted(a, err)
}

// indexPath is byline index page.html: the page saved to a file.
func indexPath(p ExtractPage) (Extracted, error) {
	var out Extracted
	var failed error
	err := ingest.Read(context.Background(), p.Name+".html", bytes.NewReader(p.Source), ingest.Options{},
		func(it ingest.Item) error {
			switch {
			case it.Err != nil:
				failed = it.Err
			case it.Skip != "":
				out.NoArticle = true
			default:
				out, _ = extracted(it.Article, nil)
			}
			return nil
		})
	return out, errors.Join(err, failed)
}

func extracted(a retrieval.Article, err error) (Extracted, error) {
	if errors.Is(err, extract.ErrNoArticle) {
		return Extracted{NoArticle: true}, nil
	}
	return Extracted{Paragraphs: a.Paragraphs, Title: a.Title, Author: a.Author, Published: a.Published}, err
}

// readabilityAlone is go-readability as documented, its text taken
// block by block as the expected text is.
func readabilityAlone(p ExtractPage) (Extracted, error) {
	doc, err := html.Parse(bytes.NewReader(p.Source))
	if err != nil {
		return Extracted{}, err
	}
	u, _ := url.Parse(TestPageURL)
	a, err := readability.FromDocument(doc, u)
	if err != nil || a.Node == nil {
		return Extracted{NoArticle: true}, nil
	}
	published, _ := a.PublishedTime()
	return Extracted{Paragraphs: HTMLBlocks(a.Node), Title: a.Title(), Author: a.Byline(), Published: published}, nil
}

// ExtractResult is one extractor's scores on the test pages.
type ExtractResult struct {
	Extractor string
	Summary   ExtractSummary
	Pages     []PageScore
}

// RunExtract scores each extractor on every page, pages in parallel.
func RunExtract(pages []ExtractPage, xs []Extractor) ([]ExtractResult, error) {
	var out []ExtractResult
	for _, x := range xs {
		scores := make([]PageScore, len(pages))
		errs := make([]error, len(pages))
		var wg sync.WaitGroup
		sem := make(chan struct{}, runtime.GOMAXPROCS(0))
		for i, p := range pages {
			wg.Go(func() {
				sem <- struct{}{}
				defer func() { <-sem }()
				got, err := x.Extract(p)
				scores[i], errs[i] = ScorePage(p, got), err
			})
		}
		wg.Wait()
		if err := errors.Join(errs...); err != nil {
			return nil, err
		}
		out = append(out, ExtractResult{Extractor: x.Name, Summary: Summarize(scores), Pages: scores})
	}
	return out, nil
}

// SummaryTable formats the results as a Markdown table with the columns
// of the extraction issue: text F1 (mean / median), precision, recall,
// pages under 0.5 recall and under 0.8 precision, and titles, authors
// and dates matched, over the pages extracted; then the pages judged no
// article, and the F1 mean over all pages with those scored 0.
func SummaryTable(rs []ExtractResult) string {
	var b strings.Builder
	b.WriteString("| extractor | pages | F1 mean / median | precision | recall | recall < 0.5 | precision < 0.8 | title | author | published | no article (F1 mean counting it 0) |\n")
	b.WriteString("|---|---:|---|---:|---:|---:|---:|---:|---:|---:|---|\n")
	for _, r := range rs {
		s := r.Summary
		fmt.Fprintf(&b, "| %s | %d | %.3f / %.3f | %.3f | %.3f | %d | %d | %d/%d | %d/%d | %d/%d | %d (%.3f) |\n",
			r.Extractor, s.Pages, s.F1Mean, s.F1Median, s.Precision, s.Recall, s.LowRecall, s.LowPrecision,
			s.Titles, s.WantTitles, s.Authors, s.WantAuthors, s.Published, s.WantDates, s.NoArticle, s.F1MeanAll)
	}
	return b.String()
}

// PageTable formats one extractor's scores page by page, worst F1 first.
func PageTable(r ExtractResult) string {
	pages := slices.Clone(r.Pages)
	slices.SortStableFunc(pages, func(a, b PageScore) int { return cmp.Compare(a.F1, b.F1) })
	var b strings.Builder
	fmt.Fprintf(&b, "%s\n| page | F1 | precision | recall | title | author | published |\n|---|---:|---:|---:|---|---|---|\n", r.Extractor)
	for _, p := range pages {
		if p.Got.NoArticle {
			fmt.Fprintf(&b, "| %s | no article | | | | | |\n", p.Page)
			continue
		}
		fmt.Fprintf(&b, "| %s | %.3f | %.3f | %.3f | %s | %s | %s |\n", p.Page, p.F1, p.Precision, p.Recall,
			mark(p.Title, p.WantTitle, p.Got.Title), mark(p.Author, p.WantAuthor, p.Got.Author),
			mark(p.Published, p.WantPublished, dateString(p.Got.Published)))
	}
	return b.String()
}

// mark shows a match as ✓, a miss with what was found, and nothing when
// the page has no expected value.
func mark(ok, want bool, got string) string {
	switch {
	case ok:
		return "✓"
	case !want:
		return ""
	case got == "":
		return "✗ (none)"
	}
	return fmt.Sprintf("✗ %q", got)
}

func dateString(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.Format(time.RFC3339)
}
