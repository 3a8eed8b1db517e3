package ingest

import (
	"reflect"
	"strings"
	"testing"
	"time"

	"golang.org/x/net/html"
)

func TestParseHTML(t *testing.T) {
	tests := []struct {
		file      string
		title     string
		url       string
		outlet    string
		author    string
		published time.Time
		paras     []string // exact paragraphs, when given
		contains  []string // text that must appear
		absent    []string // page furniture that must not
	}{
		{
			file:      "html/article.html",
			title:     "Tram strike called off after late-night talks",
			url:       "https://riverside.example/news/tram-strike-called-off",
			outlet:    "The Riverside Post",
			author:    "Jonas Petrovic",
			published: time.Date(2023, 11, 14, 23, 5, 0, 0, time.UTC),
			paras: []string{
				"A planned 48-hour tram strike in Riverside has been called off after talks between the union and the operator ran late into Tuesday night.",
				"Drivers had been due to walk out on Thursday in a dispute over rest breaks and rotas. The union said a revised offer “met our key demands”.",
				"Under the deal, drivers will get:\n- a guaranteed 30-minute break on shifts over six hours\n- rotas published four weeks in advance",
				"The operator said services would run normally. Passengers were told to check times online.",
				"Talks on pay will continue in the new year, both sides confirmed on Wednesday.",
			},
			absent: []string{"cookies", "Share on", "Advertisement", "Related", "Bus fares", "newsletter",
				"reader42", "tracking", "JavaScript", "rights reserved", "teaser", "Weather", "By Jonas"},
		},
		{
			file:      "html/jsonld.html",
			title:     "Orchard harvest best in a decade",
			outlet:    "Valley Gazette",
			author:    "Ana Ruiz, Tom Baker",
			published: time.Date(2022, 9, 30, 5, 15, 0, 0, time.UTC),
			contains:  []string{"Apple growers in the upper valley", "40p a kilo", "Cox 1,200"},
			absent:    []string{"Sponsored", "Home Local", "Orchard harvest best in a decade"},
		},
		{
			file:      "html/h1only.html",
			title:     "Lighthouse keeper retires after 40 years",
			published: time.Date(2021, 6, 1, 0, 0, 0, 0, time.UTC),
			contains:  []string{"1 June 2021 The last resident keeper", "Keepers since 1881:\n  12"},
			absent:    []string{"Skip to content", "retires after 40 years"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			a := parseHTML(readTestdata(t, tt.file))
			for _, f := range []struct{ name, got, want string }{
				{"Title", a.Title, tt.title}, {"URL", a.URL, tt.url},
				{"Outlet", a.Outlet, tt.outlet}, {"Author", a.Author, tt.author},
			} {
				if f.got != f.want {
					t.Errorf("%s = %q, want %q", f.name, f.got, f.want)
				}
			}
			if !a.Published.Equal(tt.published) || a.Published.Location() != time.UTC {
				t.Errorf("Published = %v, want %v UTC", a.Published, tt.published)
			}
			if tt.paras != nil && !reflect.DeepEqual(a.Paragraphs, tt.paras) {
				t.Errorf("Paragraphs\n got %q\nwant %q", a.Paragraphs, tt.paras)
			}
			text := strings.Join(a.Paragraphs, "\n")
			for _, s := range tt.contains {
				if !strings.Contains(text, s) {
					t.Errorf("text lacks %q:\n%s", s, text)
				}
			}
			for _, s := range tt.absent {
				if strings.Contains(text, s) {
					t.Errorf("text has page furniture %q:\n%s", s, text)
				}
			}
		})
	}
}

func TestPageTitle(t *testing.T) {
	tests := []struct {
		name string
		html string
		want string
	}{
		{"site suffix with dash", `<title>Rates held - Daily Ledger</title><meta property="og:site_name" content="Daily Ledger">`, "Rates held"},
		{"other suffix kept", `<title>Rates held - Opinion</title><meta property="og:site_name" content="Daily Ledger">`, "Rates held - Opinion"},
		{"og wins", `<meta property="og:title" content="OG"><title>T</title>`, "OG"},
		{"h1 last", `<body><h1>Heading <b>one</b></h1><p>Text of the story that follows here.</p></body>`, "Heading one"},
		{"svg title ignored", `<body><svg><title>icon</title></svg><h1>Real</h1></body>`, "Real"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := parseHTML(tt.html).Title; got != tt.want {
				t.Errorf("Title = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestIsNoise(t *testing.T) {
	tests := []struct {
		html  string
		noise bool
	}{
		{`<div class="share-bar">Share this story on every network</div>`, true},
		{`<div id="main-menu">Menu items for the whole site go here</div>`, true},
		{`<div class="ad">Buy the product now while stocks last today</div>`, true},
		{`<div role="navigation">Site navigation links go right here</div>`, true},
		{`<div aria-hidden="true">Hidden duplicate of the headline text</div>`, true},
		{`<div class="commentary-body">An opinion piece is real article text.</div>`, false},
		{`<div class="story-body">Ordinary story text that must be kept.</div>`, false},
		{`<div class="header-image">A "header" class is not a header element.</div>`, false},
	}
	for _, tt := range tests {
		text := strings.Join(parseHTML("<body>"+tt.html+"</body>").Paragraphs, " ")
		if got := text == ""; got != tt.noise {
			t.Errorf("%s: skipped = %v, want %v", tt.html, got, tt.noise)
		}
	}
}

// TestHTMLParagraphs: a parsed page gives what the saved page gives, and
// a part of a page is read as it is, furniture inside it skipped.
func TestHTMLParagraphs(t *testing.T) {
	for _, file := range []string{"html/article.html", "html/jsonld.html", "html/h1only.html"} {
		src := readTestdata(t, file)
		doc, err := html.Parse(strings.NewReader(src))
		if err != nil {
			t.Fatal(err)
		}
		if got, want := HTMLParagraphs(doc), parseHTML(src).Paragraphs; !reflect.DeepEqual(got, want) {
			t.Errorf("%s:\n got %q\nwant %q", file, got, want)
		}
	}
	doc, err := html.Parse(strings.NewReader(`<body><div class="sidebar-layout"><h1>Pier reopens</h1>` +
		`<p>The pier reopened on Saturday after a two-year repair.</p><div class="share">Share this</div></div></body>`))
	if err != nil {
		t.Fatal(err)
	}
	content := doc.LastChild.LastChild.FirstChild // html > body > div
	want := []string{"The pier reopened on Saturday after a two-year repair."}
	if got := HTMLParagraphs(content); !reflect.DeepEqual(got, want) {
		t.Errorf("content node: got %q, want %q", got, want)
	}
}
