package extract_test

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/byline-news/byline/ingest"
	"github.com/byline-news/byline/ingest/extract"
	"github.com/byline-news/byline/retrieval"
)

// testPage is one page in testdata, written for byline, with what a good
// extractor returns: a distinctive piece of every article paragraph, and
// pieces of page furniture that must not appear anywhere in the text.
type testPage struct {
	file        string
	url         string
	noArticle   bool
	paragraphs  []string
	boilerplate []string
}

var testPages = []testPage{
	{
		file: "news.html",
		url:  "https://www.harborledger.example/city/2024/03/05/eastside-tram-approved?utm_source=rss",
		paragraphs: []string{"Harbor City councillors voted 31 to 18", "The 9.4-kilometre route will run",
			"“This is the single biggest investment", "Opposition members argued that the projected cost",
			"The council’s finance director said", "Businesses along Mill Road have mixed feelings",
			"A final decision on the depot site"},
		boilerplate: []string{"cookies", "Accept all", "Subscribe for", "Harbor Motors", "Advertisement",
			"Lakeside Dental", "Home", "Share on", "Email this article", "Bus fares to rise",
			"Bridge consultation", "Related", "Morning Ledger", "newsletter", "Sign up", "tramfan88",
			"Finally!", "Nobody asked", "Six hundred and forty", "Comments", "Most read", "Harbor FC",
			"Flood warning", "rights reserved", "Privacy policy", "tracking pixel", "By Priya",
			"City Hall reporter", "Transport Council"},
	},
	{
		file: "obfuscated.html",
		url:  "https://coastalcourier.example/harbour/2024/02/12/cod-quota",
		paragraphs: []string{"Boats sailing from Port Aldine", "Scientists at the regional marine institute",
			"Skippers welcomed the decision", "The agency also extended the trawling ban",
			"Environmental groups were more cautious"},
		boilerplate: []string{"uses cookies", "Log in", "What's on", "Sponsored", "Bluewater",
			"Tomasz Wren ·", "12 February 2024", "Read more", "Why the quota was cut", "Facebook",
			"More from Harbour", "New lifeboat", "Winter ferry", "Pier repairs", "Fish market moves",
			"Join the conversation", "oldsalt", "Good news at last", "marina_k", "My grandfather",
			"About us", "Coastal Courier Ltd"},
	},
	{
		file: "jsonld_graph.html",
		url:  "https://valleygazette.example/news/wildfire-season-early",
		paragraphs: []string{"Firefighters in the upper valley", "The regional fire service said",
			"Crews have been told", "Residents were reminded"},
		boilerplate: []string{"Farming", "Serving the valley", "not valid json"},
	},
	{
		file: "og_only.html",
		url:  "https://northside.example/local/library-reopens?utm_source=facebook",
		paragraphs: []string{"The central library reopened on Saturday", "Hundreds of people queued",
			"The work cost 11 million"},
	},
	{
		file: "canonical_utm.html",
		url:  "https://News.Example.COM:443/world/2024/ceasefire-talks-resume?utm_source=rss&id=7&fbclid=x#top",
		paragraphs: []string{"Negotiators from both sides", "The first session lasted four hours",
			"Diplomats said a broader agreement"},
		boilerplate: []string{"By Sam Adeyemi", "Climate", "independent news service"},
	},
	{
		file: "cp1252.html",
		url:  "https://estuaire.example/region/cafe-du-port",
		paragraphs: []string{"Après quarante-deux ans, le Café de l’Ancre", "Le prix du café n’a guère bougé : 1,20 €",
			"La mairie dit étudier"},
		boilerplate: []string{"Accueil", "Région"},
	},
	{
		file:        "brief.html",
		url:         "https://www.harborledger.example/city/2024/03/07/mill-road-closed",
		paragraphs:  []string{"Mill Road is closed in both directions", "The water company said"},
		boilerplate: []string{"Home", "Media Group"},
	},
	{
		file: "structured.html",
		url:  "https://metroexplainer.example/housing/2024/05/rent-rules",
		paragraphs: []string{"Key points", "Rent rises are capped at inflation plus one point",
			"Landlords must give four months' notice of a rise", "The rules apply from 1 July",
			"The city's new rent rules", "How big can a rise be?", "From July, a yearly rise",
			"It's a cap, not a target.", "Most landlords raise rents", "What about notice?",
			"Landlords will have to give four months' written notice", "according to the text of the act",
			"Tenants who think a rise breaks the rules"},
		boilerplate: []string{"Housing Money", "About", "Read more", "Assembly passes", "Deposit scheme",
			"funded by readers", "Donate"},
	},
	{
		file:      "no_article.html",
		url:       "https://www.harborledger.example/business",
		noArticle: true,
		boilerplate: []string{"Shipyard wins", "The yard will hire", "Port fees", "Bakery chain",
			"Savings rates", "Farmers' market", "Office vacancies", "More business news", "Media Group"},
	},
	{
		file:        "notfound.html",
		url:         "https://northside.example/local/missing-story",
		noArticle:   true,
		boilerplate: []string{"can't find", "moved or deleted", "home page", "Search"},
	},
}

func (tp testPage) html(t testing.TB) []byte {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", tp.file))
	if err != nil {
		t.Fatal(err)
	}
	return data
}

// path is one way a page reaches the index.
type path struct {
	name string
	read func(t *testing.T, url string, page []byte) (retrieval.Article, error)
}

// paths are the two ways in: byline add fetches a page (its URL known),
// byline index reads a saved one. They must give the same article.
var paths = []path{
	{"add", func(t *testing.T, url string, page []byte) (retrieval.Article, error) {
		return ingest.ReadPage(ingest.Page{URL: url, HTML: page})
	}},
	{"index", readSaved},
}

// readSaved reads page as byline index reads a saved .html file.
func readSaved(t *testing.T, _ string, page []byte) (retrieval.Article, error) {
	var a retrieval.Article
	var err error
	walkErr := ingest.Read(context.Background(), "page.html", bytes.NewReader(page), ingest.Options{},
		func(it ingest.Item) error {
			switch {
			case it.Skip == "no article text":
				err = extract.ErrNoArticle
			case it.Skip != "":
				t.Fatalf("skipped: %s", it.Skip)
			}
			a, err = it.Article, errors.Join(err, it.Err)
			return nil
		})
	if walkErr != nil {
		t.Fatal(walkErr)
	}
	return a, err
}

// score counts the article paragraphs found and the boilerplate leaked.
func score(tp testPage, text string) (kept int, leaks []string) {
	for _, s := range tp.paragraphs {
		if strings.Contains(text, s) {
			kept++
		}
	}
	for _, s := range tp.boilerplate {
		if strings.Contains(text, s) {
			leaks = append(leaks, s)
		}
	}
	return kept, leaks
}

// TestArticleText checks every page, by both paths, against its
// expected paragraphs and furniture.
func TestArticleText(t *testing.T) {
	for _, tp := range testPages {
		for _, p := range paths {
			t.Run(tp.file+"/"+p.name, func(t *testing.T) {
				a, err := p.read(t, tp.url, tp.html(t))
				if tp.noArticle {
					if !errors.Is(err, extract.ErrNoArticle) {
						t.Fatalf("err = %v, want ErrNoArticle; paragraphs %q", err, a.Paragraphs)
					}
					return
				}
				if err != nil {
					t.Fatal(err)
				}
				if got, want := len(a.Paragraphs), len(tp.paragraphs); tp.file != "structured.html" && got != want {
					t.Errorf("%d paragraphs, want %d: %q", got, want, a.Paragraphs)
				}
				kept, leaks := score(tp, strings.Join(a.Paragraphs, "\n\n"))
				if kept != len(tp.paragraphs) || len(leaks) > 0 {
					t.Errorf("kept %d/%d paragraphs, leaked %q:\n%s", kept, len(tp.paragraphs), leaks,
						strings.Join(a.Paragraphs, "\n"))
				}
				for _, para := range a.Paragraphs {
					if para == a.Title {
						t.Errorf("title repeated as a paragraph")
					}
				}
			})
		}
	}
}
