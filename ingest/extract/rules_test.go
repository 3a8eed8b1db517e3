package extract

import (
	"net/url"
	"strings"
	"testing"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

func TestNamesFurniture(t *testing.T) {
	tests := []struct {
		names    string
		maxWords int
		want     bool
	}{
		{"share-bar", 0, true},
		{"social-share", 0, true},
		{"article-share-tools", 0, true},
		{"c-share__button", 0, true},
		{"sharedaddy sd-sharing-enabled", 0, true},
		{"entry sharing", 0, true},
		{"primary-nav", 0, true},
		{"adSlot", 0, true},
		{"ad-slot ad-leaderboard", 0, true},
		{"site_footer", 0, true},
		{"comments", maxIDWords, true},
		{"infobox vcard", 0, true},
		{"newsletter-signup", 0, true},
		{"sidebar most-read", 0, true},
		{"evolve-shared-mutable-history", maxIDWords, false}, // "shared" is not "share"
		{"shared-history", 0, false},
		{"how-to-share-your-work", maxIDWords, false}, // an id made from a heading
		{"commentary-body", 0, false},                 // opinion pieces are text
		{"header-image", 0, false},
		{"adverse-events", 0, false},
		{"headline", 0, false},
		{"loader", 0, false},
		{"", 0, false},
	}
	for _, tt := range tests {
		if got := namesFurniture(tt.names, tt.maxWords); got != tt.want {
			t.Errorf("namesFurniture(%q, %d) = %v, want %v", tt.names, tt.maxWords, got, tt.want)
		}
	}
}

// TestTextFurniture: what Text leaves out of a page, by tag, role,
// hidden attribute and name.
func TestTextFurniture(t *testing.T) {
	tests := []struct {
		html string
		kept bool
	}{
		{`<div class="share-bar">Share this story on every network</div>`, false},
		{`<div id="main-menu">Menu items for the whole site go here</div>`, false},
		{`<div class="ad">Buy the product now while stocks last today</div>`, false},
		{`<div role="navigation">Site navigation links go right here</div>`, false},
		{`<div aria-hidden="true">Hidden duplicate of the headline text</div>`, false},
		{`<aside>A box of related stories</aside>`, false},
		{`<div class="commentary-body">An opinion piece is real article text.</div>`, true},
		{`<div class="story-body">Ordinary story text that must be kept.</div>`, true},
		{`<div class="header-image">A "header" class is not a header element.</div>`, true},
		{`<section id="evolve-shared-mutable-history">A section about shared history.</section>`, true},
		{`<h2 id="how-to-share-your-work">How to share your work</h2>`, true},
		{`<div class="post-share-buttons">Share Tweet Email</div>`, false},
		{`<article><header><p>A standfirst in the article's header.</p></header></article>`, true},
	}
	for _, tt := range tests {
		doc, err := html.Parse(strings.NewReader("<body>" + tt.html + "</body>"))
		if err != nil {
			t.Fatal(err)
		}
		if got := strings.TrimSpace(Text(doc)) != ""; got != tt.kept {
			t.Errorf("%s: kept = %v, want %v", tt.html, got, tt.kept)
		}
	}
}

func TestIsProse(t *testing.T) {
	tests := []struct {
		text string
		want bool
	}{
		{"He denied the charges.", true},
		{"“We will appeal,” she said.", true},
		{"今天市议会以三十一票对十八票通过了新的电车线路。", true}, // Chinese, no spaces
		{"市議会は火曜日、新しい路面電車の建設を承認した。", true}, // Japanese
		{"燻黑原木加上金黃色醒目字體，加上了貓頭鷹原木創作也充分發揮了裝飾藝術功力，入口處這塊招牌", true}, // long, no final stop
		{"燻黑原木加上金黃色醒目字體", false}, // a caption
		{"Привет, мир. Это новость дня.", true},
		{"Key points", false},
		{"By Priya Okonkwo", false},
		{"欲張りなイヌ", false},
		{"Yes.", false}, // one word
	}
	for _, tt := range tests {
		if got := isProse(tt.text); got != tt.want {
			t.Errorf("isProse(%q) = %v, want %v", tt.text, got, tt.want)
		}
	}
}

func TestIsCredit(t *testing.T) {
	tests := []struct {
		text string
		want bool
	}{
		{"© Provided by Business Insider Inc", true},
		{"© 2024 The Harbor Ledger Media Group. All rights reserved.", true},
		{"Copyright 2024 Ledger Media", true},
		{"Photo: Reuters", true},
		{"Photos by cmgirl (Shutterstock), Macrovector (Shutterstock)", true},
		{"Image credit: Getty", true},
		{"CreditKevin Frayer/Getty Images", true},
		{"JIM WATSON/AFP/Getty Images", true},
		{"Thomas Jackson/Digital Vision/Getty Images", true},
		{"Credit Suisse shares fell 5% on Monday.", false},
		{"Copyright reform passed the Senate on Tuesday.", false},
		{"Police officers scuffle with protesters outside the National Assembly in Seoul on Friday. Ezra Acayan / Getty Images", false},
		{"Photographers lined the pier at dawn.", false},
	}
	for _, tt := range tests {
		if got := isCredit(tt.text); got != tt.want {
			t.Errorf("isCredit(%q) = %v, want %v", tt.text, got, tt.want)
		}
	}
}

func TestIsByline(t *testing.T) {
	tests := []struct {
		text, author string
		want         bool
	}{
		{"By Priya Okonkwo, City Hall reporter", "", true},
		{"Tomasz Wren · 12 February 2024", "Tomasz Wren", true},
		{"Posted by Andrew Hayden, Software Engineer on Google Play", "", true},
		{"15 November", "", true},
		{"Sept. 25, 2018", "", true},
		{"Updated 5 minutes ago", "", true},
		{"TNW中文站 2016年10月14日", "", true},
		{"Key points", "", false},
		{"The council met in March to vote on the plan.", "", false},
		{"Ensayo invitado", "", false},
	}
	for _, tt := range tests {
		if got := isByline(tt.text, tt.author); got != tt.want {
			t.Errorf("isByline(%q, %q) = %v, want %v", tt.text, tt.author, got, tt.want)
		}
	}
}

func TestIsShareLine(t *testing.T) {
	for text, want := range map[string]bool{
		"Share":                               true,
		"Share this article":                  true,
		"Share on Facebook Share on X Email":  true,
		"Tweet":                               true,
		"This article":                        false,
		"Share prices fell sharply on Monday": false,
	} {
		if got := isShareLine(text); got != want {
			t.Errorf("isShareLine(%q) = %v, want %v", text, got, want)
		}
	}
}

const lead = `<p>The council voted on Tuesday night to build the tram line to the eastern estates, after a six-hour debate.</p>`

// TestTrimContent runs the trims on a content node, as readability
// would give it, and checks what each rule removes and what it leaves.
func TestTrimContent(t *testing.T) {
	tests := []struct {
		name       string
		html       string
		keep, drop []string
	}{
		{"a table cell saying Comment is not the comments",
			lead + `<table><tr><th>Field</th><th><b>Comment</b></th></tr><tr><td>enqueued</td><td>set when queued</td></tr></table>` +
				`<h2>Conclusion</h2><p>The new framework runs every task at least once.</p>`,
			[]string{"Comment", "enqueued", "Conclusion", "at least once"}, nil},
		{"a comments heading ends the story",
			lead + `<h2>Comments (12)</h2><p>Reader one: about time.</p><p>Reader two: waste of money.</p>`,
			[]string{"six-hour debate"}, []string{"Comments", "Reader one", "Reader two"}},
		{"comments end the story, and the link lists before them still go",
			lead + `<ul><li><a href="/tag/a">Transport</a></li><li><a href="/tag/b">Council</a></li><li><a href="/tag/c">East side</a></li></ul>` +
				`<h2>Comments</h2><p>Reader one: about time.</p>`,
			[]string{"six-hour debate"}, []string{"Transport", "Council", "Reader one"}},
		{"post a comment",
			lead + `<h3>Post a comment</h3><p>Alan wrote on 24 December at 3:53 am:</p>`,
			[]string{"six-hour debate"}, []string{"Post a comment", "Alan wrote"}},
		{"a comments heading before the lead is not trusted",
			`<h2>Comments</h2>` + lead,
			[]string{"six-hour debate"}, nil},
		{"related heading, its links, and the story after it",
			lead + `<h2>Related</h2><ul><li><a href="/a">Bus fares to rise</a></li><li><a href="/b">Bridge consultation opens</a></li></ul>` +
				`<p>A final decision on the depot is due in June, the council said.</p>`,
			[]string{"six-hour debate", "depot is due"}, []string{"Related", "Bus fares", "Bridge consultation"}},
		{"read more line",
			lead + `<p>Read more: <a href="/x">Chicago is America's most segregated city</a></p><p>Officials said the plan was fair.</p>`,
			[]string{"plan was fair"}, []string{"Read more", "segregated"}},
		{"share line",
			lead + `<p class="button-wrapper"><a href="/share" class="button primary"><span>Share</span></a></p><p>Officials said the plan was fair.</p>`,
			[]string{"plan was fair"}, []string{"Share"}},
		{"credit that opens the lead goes alone",
			`<p><span><span>© Provided by Business Insider Inc</span> <span>Nintendo/Apple</span></span> Nintendo and Apple shocked the world earlier this year by announcing a game.</p>`,
			[]string{"Nintendo and Apple shocked the world"}, []string{"Provided by"}},
		{"credit line on its own",
			lead + `<p>JIM WATSON/AFP/Getty Images</p><p>Officials said the plan was fair.</p>`,
			[]string{"plan was fair"}, []string{"Getty"}},
		{"byline and dateline before the lead",
			`<p>By Priya Okonkwo</p><p>March 5, 2024</p><header><h1>Tram</h1><time datetime="2024-03-05">5 March</time></header>` + lead,
			[]string{"Tram", "six-hour debate"}, []string{"Priya", "March 5", "5 March"}},
		{"prose in Chinese before the lead is not a byline",
			`<p>燻黑原木加上金黃色醒目字體</p><p>美樹民宿有開設餐廳 室內簡單佈置提供伙食餐飲</p>` + lead,
			[]string{"燻黑原木", "美樹民宿"}, nil},
		{"a list of bugs fixed is content",
			lead + `<ul><li><a href="https://bugs.example.org/1">Bug 1677080 – Fullscreen window is affected by switching video source</a></li>` +
				`<li><a href="https://bugs.example.org/2">Bug 1677107 – Add telemetry for tracking multiple windows</a></li>` +
				`<li><a href="https://bugs.example.org/3">Bug 1681796 – Prevent superfluous actors from being created</a></li></ul>`,
			[]string{"Bug 1677080", "Bug 1677107", "Bug 1681796"}, nil},
		{"a list with prose items is content",
			lead + `<ul><li><a href="/a">showFrames</a></li><li><a href="/b">onlyLeaf</a></li><li><a href="/c">skipKnown</a></li>` +
				`<li>This dashboard found a hang, <a href="/d">which has been fixed</a>.</li></ul>`,
			[]string{"showFrames", "skipKnown", "found a hang"}, nil},
		{"a list of links to the site's other pages",
			lead + `<ul><li><a href="/news/1">Flood warning for the river valley this weekend</a></li>` +
				`<li><a href="https://www.news.example/news/2">Harbor FC sign new striker</a></li><li><a href="/news/3">Bus fares to rise</a></li></ul>`,
			[]string{"six-hour debate"}, []string{"Flood warning", "Harbor FC", "Bus fares"}},
		{"a list of linked names elsewhere",
			lead + `<ul><li><a href="https://a.example/">BBEdit</a></li><li><a href="https://b.example/">Acorn</a></li><li><a href="https://c.example/">Script Debugger</a></li></ul>`,
			[]string{"six-hour debate"}, []string{"BBEdit", "Acorn", "Script Debugger"}},
		{"a list of web addresses is references",
			lead + `<ul><li><a href="https://nodejs.org/api/inspector.html">https://nodejs.org/api/inspector.html</a></li>` +
				`<li><a href="https://a.example/x">https://a.example/x</a></li><li><a href="https://b.example/y">https://b.example/y</a></li></ul>`,
			[]string{"nodejs.org", "a.example/x"}, nil},
		{"links to the page's own sections are not links away",
			lead + `<h2><a href="#improving-accuracy">Improving Accuracy</a></h2><p>Using a z-score is an easy start.</p>`,
			[]string{"Improving Accuracy", "z-score"}, nil},
	}
	page, _ := url.Parse("https://www.news.example/news/story")
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			root := parseFragment(t, tt.html)
			trimContent(root, "Priya Okonkwo", newSite(page))
			text := write(root)
			for _, s := range tt.keep {
				if !strings.Contains(text, s) {
					t.Errorf("lost %q:\n%s", s, text)
				}
			}
			for _, s := range tt.drop {
				if strings.Contains(text, s) {
					t.Errorf("kept %q:\n%s", s, text)
				}
			}
		})
	}
}

// parseFragment parses src into a <div> and returns the <div>.
func parseFragment(t *testing.T, src string) *html.Node {
	t.Helper()
	ctx := &html.Node{Type: html.ElementNode, Data: "body", DataAtom: atom.Body}
	nodes, err := html.ParseFragment(strings.NewReader(src), ctx)
	if err != nil {
		t.Fatal(err)
	}
	root := &html.Node{Type: html.ElementNode, Data: "div", DataAtom: atom.Div}
	for _, n := range nodes {
		root.AppendChild(n)
	}
	return root
}

func TestSectionFront(t *testing.T) {
	card := func(i int, summary string) string {
		return `<div><h3><a href="/story/` + strings.Repeat("x", i) + `">Headline number ` + strings.Repeat("I", i) + `</a></h3><p>` + summary + `</p><p>By Reporter ` + strings.Repeat("J", i) + `</p></div>`
	}
	var front, wrapped, list strings.Builder
	for i := range 8 {
		front.WriteString(card(i+1, "Shipping lines object to the new port fees, which rise in summer."))
		wrapped.WriteString(`<a href="/s/` + strings.Repeat("y", i) + `"><h3>Port fees rise</h3><p>Shipping lines object.</p></a>`)
		list.WriteString(card(i+1, strings.Repeat("This game is the best reason yet to own the headset, with hours of play and a story that holds up. ", 5)))
	}
	site := newSite(nil)
	if !isSectionFront(parseFragment(t, front.String()), site) {
		t.Error("a page of teaser cards is not taken for a section front")
	}
	if !isSectionFront(parseFragment(t, wrapped.String()), site) {
		t.Error("cards that are links, headline inside, are not taken for a section front")
	}
	if isSectionFront(parseFragment(t, list.String()), site) {
		t.Error("a list article with linked headings is taken for a section front")
	}
	if isSectionFront(parseFragment(t, lead+lead), site) {
		t.Error("a story is taken for a section front")
	}
}

func TestTrimSiteName(t *testing.T) {
	tests := []struct {
		title string
		sites []string
		host  string
		h1    string
		want  string
	}{
		{"Tram line approved | The Ledger", []string{"The Ledger"}, "", "", "Tram line approved"},
		{"Tram line approved - The Ledger", []string{"The Ledger"}, "", "", "Tram line approved"},
		{"The Ledger | Tram line approved", []string{"The Ledger"}, "", "", "Tram line approved"},
		{"Tram line approved – Ledger Online", nil, "", "Tram line approved", "Tram line approved"},
		{"Rewriting rules of engagement - Spiceworks", []string{"Spiceworks Inc"}, "", "", "Rewriting rules of engagement"},
		{"Linekera přehlédnout | Aktuálně.cz", []string{"Aktuálně.cz - Víte, co se právě děje"}, "", "", "Linekera přehlédnout"},
		{"Obama admits gun laws frustrate him - BBC", nil, "www.bbc.co.uk", "", "Obama admits gun laws frustrate him"},
		{"Storm closes pier | harborledger.example", nil, "www.harborledger.example", "", "Storm closes pier"},
		{"Smith - Jones merger off", []string{"The Ledger"}, "ledger.example", "", "Smith - Jones merger off"},
		{"Tram line approved | Opinion", []string{"The Ledger"}, "", "", "Tram line approved | Opinion"},
	}
	for _, tt := range tests {
		if got := trimSiteName(tt.title, tt.sites, tt.host, tt.h1); got != tt.want {
			t.Errorf("trimSiteName(%q) = %q, want %q", tt.title, got, tt.want)
		}
	}
}

// TestTextEmptyItems: list items without text (a list of images) leave
// no empty "- " lines behind.
func TestTextEmptyItems(t *testing.T) {
	doc, err := html.Parse(strings.NewReader(`<body><p>Pictures of the pier:</p><ul><li><img src="a.jpg"></li><li> <img src="b.jpg"> </li><li>The pier at dawn</li></ul></body>`))
	if err != nil {
		t.Fatal(err)
	}
	if got, want := Text(doc), "\n\nPictures of the pier:\n\n- The pier at dawn\n\n"; got != want {
		t.Errorf("Text = %q, want %q", got, want)
	}
}
