package extract

import (
	"os"
	"path/filepath"
	"testing"
)

// testPage is one page in testdata with what a good extractor returns:
// a distinctive piece of every article paragraph, and pieces of page
// furniture that must not appear anywhere in the text.
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

func (tp testPage) page(t *testing.T) Page {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", tp.file))
	if err != nil {
		t.Fatal(err)
	}
	return Page{URL: tp.url, HTML: data}
}
