package extract

import (
	"bytes"
	"context"
	"errors"
	"net/url"
	"strconv"
	"strings"
	"testing"

	readability "codeberg.org/readeck/go-readability/v2"
	"codeberg.org/readeck/go-readability/v2/render"
	"golang.org/x/net/html"

	"github.com/byline-news/byline/ingest"
)

// extractor returns the article text of a page, "" for no article.
type extractor struct {
	name string
	text func(t *testing.T, p Page) string
}

var extractors = []extractor{
	{"ingest", ingestText},
	{"readability", readabilityText},
	{"extract (chosen)", chosenText},
}

// ingestText is ingest's extractor for saved pages, on the whole page.
func ingestText(t *testing.T, p Page) string {
	var out string
	err := ingest.Read(context.Background(), "page.html", bytes.NewReader(p.HTML), ingest.Options{},
		func(it ingest.Item) error {
			out = strings.Join(it.Article.Paragraphs, "\n\n")
			return nil
		})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// readabilityText is go-readability used as documented, with its own
// text rendering.
func readabilityText(t *testing.T, p Page) string {
	doc, err := html.Parse(bytes.NewReader(p.HTML))
	if err != nil {
		t.Fatal(err)
	}
	u, _ := url.Parse(p.URL)
	a, err := readability.FromDocument(doc, u)
	if err != nil || a.Node == nil {
		return ""
	}
	return render.InnerText(a.Node)
}

func chosenText(t *testing.T, p Page) string {
	a, err := Article(p)
	if errors.Is(err, ErrNoArticle) {
		return ""
	}
	if err != nil {
		t.Fatal(err)
	}
	return strings.Join(a.Paragraphs, "\n\n")
}

// score counts the article paragraphs found and the boilerplate leaked.
func score(tp testPage, text string) (kept, leaked int, leaks []string) {
	for _, s := range tp.paragraphs {
		if strings.Contains(text, s) {
			kept++
		}
	}
	for _, s := range tp.boilerplate {
		if strings.Contains(text, s) {
			leaked++
			leaks = append(leaks, s)
		}
	}
	return kept, leaked, leaks
}

// TestCompareExtractors is the evidence for the choice in articleText.
// Run with -v to see the table: per page and extractor, article
// paragraphs kept out of all, and boilerplate snippets leaked out of all
// (for pages with no article, any text returned is a leak).
func TestCompareExtractors(t *testing.T) {
	var table strings.Builder
	table.WriteString("| page | ingest | readability | extract (chosen) |\n|---|---|---|---|\n")
	for _, tp := range testPages {
		p := tp.page(t)
		table.WriteString("| " + tp.file)
		for _, x := range extractors {
			kept, leaked, leaks := score(tp, x.text(t, p))
			cell := fmtCell(tp, kept, leaked)
			table.WriteString(" | " + cell)
			if x.name == "extract (chosen)" && (kept < len(tp.paragraphs) || leaked > 0) {
				t.Errorf("%s: %s: %s; leaked %q", tp.file, x.name, cell, leaks)
			}
		}
		table.WriteString(" |\n")
	}
	t.Log("\n" + table.String())
}

func fmtCell(tp testPage, kept, leaked int) string {
	var b strings.Builder
	if !tp.noArticle {
		b.WriteString(strconv.Itoa(kept) + "/" + strconv.Itoa(len(tp.paragraphs)) + " kept, ")
	}
	b.WriteString(strconv.Itoa(leaked) + "/" + strconv.Itoa(len(tp.boilerplate)) + " leaked")
	return b.String()
}
