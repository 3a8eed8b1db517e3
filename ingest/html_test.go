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
			paras: []string{ // the dateline "15 November" before the lead is left out
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
			contains:  []string{"The last resident keeper", "Keepers since 1881:\n  12"},
			absent:    []string{"Skip to content", "retires after 40 years", "1 June 2021"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			a, err := readPage(Page{HTML: []byte(readTestdata(t, tt.file))})
			if err != nil {
				t.Fatal(err)
			}
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

// TestHTMLParagraphs: the HTML of a feed item, or a part of a page, is
// read as it is: no readability, furniture inside it skipped, its
// headline left out, lists kept as lists.
func TestHTMLParagraphs(t *testing.T) {
	tests := []struct {
		name, src string
		want      []string
	}{
		{"feed item", `<h1>Pier reopens</h1><p>The pier reopened on Saturday after a two-year repair.</p>` +
			`<div class="share-bar">Share on Facebook</div><p>Anglers were first in line:</p>` +
			`<ul><li>a bait shop</li><li>a café</li></ul>`,
			[]string{"The pier reopened on Saturday after a two-year repair.",
				"Anglers were first in line:\n- a bait shop\n- a café"}},
		{"an id made from a heading", `<h2 id="how-to-share-the-new-pier">How to share the new pier</h2><p>Ferries run every hour from the new pier, the council said.</p>`,
			[]string{"How to share the new pier Ferries run every hour from the new pier, the council said."}},
	}
	for _, tt := range tests {
		doc, err := html.Parse(strings.NewReader(tt.src))
		if err != nil {
			t.Fatal(err)
		}
		if got := HTMLParagraphs(doc); !reflect.DeepEqual(got, tt.want) {
			t.Errorf("%s:\n got %q\nwant %q", tt.name, got, tt.want)
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
