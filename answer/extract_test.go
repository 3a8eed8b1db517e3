package answer

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/byline-news/byline/retrieval"
	"github.com/byline-news/byline/retrieval/sentence"
)

// The articles below are invented for these tests. The Liang one retells
// the facts of the seed article in our own words.

func hit(id, title string, n int, before, text, after string) retrieval.Hit {
	return retrieval.Hit{
		Article:   retrieval.Article{ID: id, Title: title},
		Paragraph: n, Before: before, Text: text, After: after,
	}
}

var (
	liang = hit("seed-liang", "China's defence chief rejects hacking claims", 1,
		"Officials in Washington are increasingly worried about break-ins on American government networks. And China is frequently named as the source of these attacks.",
		"But that is something visiting Chinese Defence Minister Liang Guanglie denied during a news conference at the Pentagon.",
		"He said his country opposed all forms of cyber crime.")

	harbour = hit("t-harbour", "Port city unveils expansion plan", 0, "",
		"Mayor Grace Okafor's harbour expansion plan, the biggest harbour expansion in the city's history, was published on Monday. She warned that the building work would close the ferry terminal for two years.",
		"The council will vote on the plan in March.")

	festival = hit("t-festival", "Lakeside festival draws record crowd", 0, "",
		"The Lakeside festival returned to Marrow Park this weekend with a line-up of folk and jazz bands. Organisers said 14,500 people came over the three days, up from 9,000 last year. The closing set was played by the Tidewater Quartet.",
		"")

	library = hit("t-library", "Riverside library opens", 2,
		"Crowds queued from early morning.",
		"The new Riverside library opened its doors on Saturday after three years of building work. It was designed by the architect Hana Kobayashi, whose earlier work includes the city museum.",
		"")

	campaign = hit("t-campaign", "Party rejects defeat claim", 0, "",
		"The Liberal party's campaign chief has denied a claim that she privately predicted defeat in the spring election. Marta Quell said the story in a Sunday paper was pure invention.",
		"")

	quote = hit("t-library-2", "Library staff look back", 4, "",
		"\"Three years of building work felt like a lifetime,\" said head librarian Tomas Berg. Readers praised the new reading room.",
		"")

	promise = hit("t-promise", "Mayor pledges support for the port", 2, "",
		"Speaking at the harbour on Friday, the mayor made three promises:",
		"a new ferry, a dredged channel and lower mooring fees by next summer.")

	bakery = hit("t-bakery", "Village bakery wins bread prize", 0, "",
		"A village bakery in the hills has won a national prize for its sourdough loaf. The owners said they would spend the prize money on a new oven.",
		"")
)

func TestExtract(t *testing.T) {
	tests := []struct {
		name     string
		question string
		hits     []retrieval.Hit
		want     []string // substrings of Answer.Text
		notWant  []string
	}{
		{"pronoun needs previous paragraph", "what did Liang deny?", []retrieval.Hit{liang},
			[]string{"China is frequently named as the source", "Liang Guanglie denied"}, nil},
		{"speech attribution beats overlap", "what did Mayor Okafor warn about the harbour expansion?", []retrieval.Hit{harbour},
			[]string{"She warned that the building work would close the ferry terminal"}, nil},
		{"an event's date is to come", "when's the vote?", []retrieval.Hit{
			hit("t-vote", "Tunnel cost rises", 3, "",
				"Councillor Tomas Reyes, who voted against the tunnel in October, said the survey had confirmed his fears.", ""),
			hit("t-vote", "Tunnel cost rises", 2, "",
				"The council must now hold a second vote, scheduled for Dec. 10.", "")},
			[]string{"Dec. 10"}, []string{"October"}},
		{"how many wants a number", "how many people went to the Lakeside festival?", []retrieval.Hit{bakery, festival},
			[]string{"14,500"}, []string{"Tidewater"}},
		{"who wants a name", "who designed the Riverside library?", []retrieval.Hit{bakery, library},
			[]string{"Hana Kobayashi", "The new Riverside library opened"}, nil},
		{"stand-in named by next sentence", "what did Marta Quell deny?", []retrieval.Hit{campaign},
			[]string{"campaign chief has denied", "Marta Quell said"}, nil},
		{"who said", "who said the Riverside library took three years to build?", []retrieval.Hit{bakery, quote},
			[]string{"said head librarian Tomas Berg"}, []string{"bakery"}},
		{"the figure in the next paragraph", "how many crossings a day will the Bluewater ferry make after the cut?", []retrieval.Hit{bakery, hit("t-ferry", "Bluewater trims ferry timetable", 0, "",
			"The Bluewater ferry company said on Monday it would cut its timetable after fuel costs rose again.",
			"Fuel now makes up a third of what a crossing costs. From March the ferry will make 14 crossings a day, down from 22.")},
			[]string{"14 crossings a day"}, nil},
		{"when wants a date", "when did the Riverside library open?", []retrieval.Hit{library, quote},
			[]string{"on Saturday"}, nil},
		{"colon points forward", "what did the mayor promise the port?", []retrieval.Hit{promise},
			[]string{"made three promises:", "a new ferry"}, nil},
		{"a quotation's speaker is named before it, not in the next paragraph", `who said "the case for the bridge has not changed"?`,
			[]retrieval.Hit{hit("t-bridge", "Bridge repairs cost more", 3, "",
				`Mayor Ines Varga said the higher cost was disappointing. "We would rather know now," she said. "The case for the bridge has not changed."`,
				"Councillor Tomas Reyes, who voted against the repairs, said the survey had confirmed his fears.")},
			[]string{"Mayor Ines Varga said", "The case for the bridge has not changed."}, []string{"Reyes"}},
		{"a name inside a quotation is not its speaker", "what did Petrenko say about the Harrowgate steel mill?",
			[]retrieval.Hit{hit("t-mill", "Mill sale to be reviewed", 2, "",
				`The mill, Harrowgate Steel, was sold in June for $80m. "We say Harrowgate was stolen, and we will return it to the state," Mr Petrenko told an investors' conference.`,
				""), hit("t-mill", "Mill sale to be reviewed", 1, "",
				"President Ivan Petrenko, elected in March, plans to revisit many recent sales. Harrowgate Steel is one of dozens of firms which he says were sold cheaply.",
				"")},
			[]string{"Harrowgate was stolen"}, nil},
		{"a feeling is answered in the speaker's own words", "how does Mayor Varga feel about rival towns bidding for the regatta?",
			[]retrieval.Hit{hit("t-regatta", "Regatta bids open", 2, "",
				`Smaller rival towns like Eastmoor are bidding for the regatta this year. But Varga is not worried. "The more bids the better," she says. The council will choose in May.`,
				"")},
			[]string{"The more bids the better"}, []string{"choose in May"}},
		{"a surname stands for the full name its story gave", "where was selma rhys hart born?",
			[]retrieval.Hit{hit("t-painter", "Painter fears for arts council", 1, "",
				"Selma Rhys Hart is worried that the arts council may be taken over by the assembly. The culture minister said the painter's comparison was crass.",
				""), hit("t-painter", "Painter fears for arts council", 5, "",
				"Ms Hart, whose mother was a sculptor, was born in Adelaide where her parents ran a gallery. She moved to the valley in 1975.",
				"")},
			[]string{"born in Adelaide"}, nil},
		{"a first name finds its surname", "where did dominic go to school?",
			[]retrieval.Hit{hit("t-mayor", "MP backs mayor in row", 0, "",
				"The mayor should stand by his remarks and not apologise, Tory MP Dominic Fairley has insisted, recalling his own school days.",
				""), hit("t-mayor", "MP backs mayor in row", 3, "",
				"Mr Fairley, who went to school in Ashby, said the row had been stirred up for votes.",
				"")},
			[]string{"school in Ashby"}, nil},
		{"who is someone asks what the story says of them", "who is ines varga?",
			[]retrieval.Hit{hit("t-bridge-opens", "Bridge reopens", 1, "",
				"Mayor Ines Varga reopened the bridge on Monday after repairs. Councillor Tomas Reyes, who voted against her plan, said the cost had doubled.",
				"")},
			[]string{"Mayor Ines Varga reopened"}, []string{"Reyes"}},
		{"who is the mayor asks for a name that holds the title", "who's the mayor?",
			[]retrieval.Hit{hit("t-bridge-opens", "Bridge reopens", 1, "",
				"The bridge reopened on Monday after repairs. Mayor Ines Varga said it was safe. Councillor Tomas Reyes, who voted against the repairs, said the cost had doubled.",
				"")},
			[]string{"Mayor Ines Varga"}, []string{"Reyes"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := Extract(tt.question, tt.hits, Options{Corpus: 10, MinConfidence: -1}) // what is quoted; confidence_test.go tests abstention
			if a.Abstained {
				t.Fatalf("Extract(%q) abstained (%s), confidence %.2f", tt.question, a.Reason, a.Confidence)
			}
			for _, w := range tt.want {
				if !strings.Contains(a.Text, w) {
					t.Errorf("Extract(%q).Text = %q, want it to contain %q", tt.question, a.Text, w)
				}
			}
			for _, w := range tt.notWant {
				if strings.Contains(a.Text, w) {
					t.Errorf("Extract(%q).Text = %q, want no %q", tt.question, a.Text, w)
				}
			}
		})
	}
}

// TestSpeechPremise checks that the speech case above tests what it
// claims: by keyword overlap alone, the other sentence would win.
func TestSpeechPremise(t *testing.T) {
	q := parseQuestion("what did Mayor Okafor warn about the harbour expansion?")
	p := newPara(&harbour, 0)
	sc := newScorer(q, []*para{p}, DefaultModel(), nil)
	overlap := func(i int) float64 { return sc.coverage(in(contentTerms(p.sents[i].toks))) }
	if o0, o1 := overlap(0), overlap(1); o0 <= o1 {
		t.Fatalf("overlap of sentence 0 = %.2f, of the attribution = %.2f; want the first higher", o0, o1)
	}
}

// TestAttributionWho checks that when the question asks who spoke, the
// name after "said" is the answer, not another speaker, though the
// question names where they work.
func TestAttributionWho(t *testing.T) {
	h := hit("t-dredge", "Harbour channel silting up", 2, "",
		`"It is filling up faster than we thought, so we have to check it berth by berth," said Amara Osei, head of works at the Port Authority. "Dredging will cost less than we feared," he said.`, "")
	tests := []struct {
		question string
		want     bool // sentence 0 credited as the attribution asked about
	}{
		{"who at the port authority said they'd have to check the channel berth by berth?", true},
		{"what did the port authority say about the channel?", false}, // Amara Osei is not "the port authority"
	}
	for _, tt := range tests {
		p := newPara(&h, 0)
		sc := newScorer(parseQuestion(tt.question), []*para{p}, DefaultModel(), nil)
		if got := sc.attribution(p, 0, nil) > 0; got != tt.want {
			t.Errorf("%q: attribution of sentence 0 > 0 is %v, want %v", tt.question, got, tt.want)
		}
	}
}

// TestLocalOverlap checks that a word most of the retrieved sentences
// hold counts for less in choosing among them than one few hold: in a
// story about broadband, the sentence about cable answers "how many
// broadband connections are over cable?", though another holds both
// "broadband" and "connections".
func TestLocalOverlap(t *testing.T) {
	h := hit("t-broadband", "Broadband spreads in Westland", 0, "",
		"Broadband connections in Westland are up by a third, the regulator says. Broadband over the phone line makes up 11.4 million connections. "+
			"Broadband connections are used most for shopping. Rural broadband connections lag behind. In towns, cable leads the way, accounting for 18.6 million lines.", "")
	p := newPara(&h, 0)
	sc := newScorer(parseQuestion("how many broadband connections are over cable?"), []*para{p}, DefaultModel(), nil)
	phone, cable := sc.features(p, 1)[fOverlap], sc.features(p, 4)[fOverlap]
	if cable <= phone {
		t.Errorf("overlap of the cable sentence %.2f, of the phone line sentence %.2f; want the cable one higher", cable, phone)
	}
}

func TestExtractAbstains(t *testing.T) {
	tests := []struct {
		name, question string
		hits           []retrieval.Hit
		corpus         int
		reason         string
		closest        []string // article IDs shown as the closest stories
	}{
		{"unrelated hits", "who won the chess championship in Oslo?", []retrieval.Hit{bakery, festival}, 2127,
			"I couldn't find a clear answer in the 2,127 articles I have indexed. The closest stories don't mention “chess”, “championship” or “Oslo”.",
			[]string{"t-bakery", "t-festival"}},
		{"a year the story lacks", "how many people came to the Lakeside festival in 2031?", []retrieval.Hit{festival}, 2127,
			"I couldn't find a clear answer in the 2,127 articles I have indexed. The closest story doesn't mention “2031”.", []string{"t-festival"}},
		{"no figure", "how much did the village bakery charge for its sourdough loaf?", []retrieval.Hit{bakery}, 2127,
			"I couldn't find a clear answer in the 2,127 articles I have indexed. The closest story gives no figure for that.", []string{"t-bakery"}},
		{"no hits", "who won the chess championship in Oslo?", nil, 0,
			"I couldn't find a clear answer in the articles I have indexed.", nil},
		{"stop words only", "what is it, and who did that?", []retrieval.Hit{bakery}, 2127, noWordsReason, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := Extract(tt.question, tt.hits, Options{Corpus: tt.corpus})
			if !a.Abstained || a.Text != "" {
				t.Fatalf("Extract(%q) = %+v, want an abstention with no text", tt.question, a)
			}
			var ids []string
			for i, s := range a.Sources {
				ids = append(ids, s.Hit.Article.ID)
				if s.N != i+1 {
					t.Errorf("closest story %d numbered %d", i+1, s.N)
				}
			}
			if !slices.Equal(ids, tt.closest) {
				t.Errorf("closest stories %v, want %v", ids, tt.closest)
			}
			if a.Reason != tt.reason {
				t.Errorf("Reason = %q, want %q", a.Reason, tt.reason)
			}
		})
	}
}

func TestMarks(t *testing.T) {
	// Marks are checked whatever the confidence: with one paragraph and no
	// index, "went" counts as a word no article has.
	a := Extract("how many people went to the Lakeside festival?", []retrieval.Hit{festival}, Options{MinConfidence: -1})
	if len(a.Sources) != 1 {
		t.Fatalf("got %d sources, want 1", len(a.Sources))
	}
	src := a.Sources[0]
	var got []string
	for _, m := range src.Marks {
		got = append(got, src.Hit.Text[m[0]:m[1]])
	}
	if want := "Lakeside festival people"; strings.Join(got, " ") != want {
		t.Errorf("marked words = %q, want %q", got, want)
	}
}

func TestSources(t *testing.T) {
	other := hit("t-festival-2", "Festival organisers count the crowd", 3, "",
		"Ticket sales for the Lakeside festival suggest about 14,000 people came, organisers said.", "")
	same := festival
	same.Paragraph, same.Text = 4, "The Lakeside festival has grown every year since it began, and more people came this year."
	a := Extract("how many people went to the Lakeside festival?", []retrieval.Hit{festival, same, other, bakery}, Options{})
	seen := map[string]bool{}
	for i, s := range a.Sources {
		if s.N != i+1 {
			t.Errorf("Sources[%d].N = %d, want %d", i, s.N, i+1)
		}
		key := fmt.Sprintf("%s#%d", s.Hit.Article.ID, s.Hit.Paragraph)
		if seen[key] {
			t.Errorf("paragraph %s cited twice", key)
		}
		seen[key] = true
	}
	// The other story that gives a count is cited; the bakery is not.
	if !seen["t-festival-2#3"] || seen["t-bakery#0"] {
		t.Errorf("cited paragraphs = %v, want t-festival-2's and not the bakery's", seen)
	}
	if len(a.Sources) == 0 || !quotes(a.Text, a.Sources[0].Hit.Text) {
		t.Errorf("first source is not the paragraph the answer %q quotes", a.Text)
	}
	// With room for two, another story close enough to cite comes before
	// a second paragraph of the answer's own that scores higher.
	own := newPara(&festival, 0)
	ownLater := newPara(&same, 1)
	another := newPara(&other, 2)
	key := candidate{p: own, score: 8}
	all := []candidate{key, {p: ownLater, score: 7.5}, {p: another, score: 7}}
	var got []string
	for _, s := range sources(parseQuestion("how many people went to the Lakeside festival?"), key, all, 2, func(a, b *retrieval.Hit) bool { return true }) {
		got = append(got, fmt.Sprintf("%s#%d", s.Hit.Article.ID, s.Hit.Paragraph))
	}
	if want := []string{"t-festival#0", "t-festival-2#3"}; !slices.Equal(got, want) {
		t.Errorf("with two sources: cited %v, want %v", got, want)
	}
}

// TestSourcesCiteTopStory checks that the story retrieval ranked first is
// cited when the answer comes from another one, and only then.
func TestSourcesCiteTopStory(t *testing.T) {
	top := hit("t-lakeside-plan", "Council backs car park", 0, "",
		"Lakeside council approved a new car park on Monday.", "")
	q := "how many people went to the Lakeside festival?"
	checkCited(t, q, []citeCase{
		{"answer from the second story", []retrieval.Hit{top, festival}, []string{"t-festival", "t-lakeside-plan"}},
		{"answer from the first story", []retrieval.Hit{festival, bakery}, []string{"t-festival"}},
	})
	a := Extract(q, []retrieval.Hit{top, festival}, Options{MinConfidence: -1, MaxSources: 1})
	if len(a.Sources) != 1 || a.Sources[0].Hit.Article.ID != "t-festival" {
		t.Errorf("with one source allowed, cited %d, want only the answer's", len(a.Sources))
	}
}

// TestSourcesCiteLaterStory checks that a later story about the same
// thing is cited when the answer comes from an earlier one, and that an
// earlier or unrelated story, or an undated answer, brings none.
func TestSourcesCiteLaterStory(t *testing.T) {
	dated := func(h retrieval.Hit, day int) retrieval.Hit {
		h.Article.Published = time.Date(2026, 11, day, 9, 0, 0, 0, time.UTC)
		return h
	}
	first := hit("t-ferry-1", "Island ferry timetable set", 0, "",
		"The island ferry will run every twenty minutes from Monday, starting at 6am, the operator said.", "")
	revised := hit("t-ferry-2", "Ferry start delayed", 0, "",
		"Tidewater Lines said repairs to the slipway mean the island ferry now runs hourly until March.", "")
	checkCited(t, "how often will the island ferry run?", []citeCase{
		{"a later story", []retrieval.Hit{dated(first, 3), dated(revised, 19)}, []string{"t-ferry-1", "t-ferry-2"}},
		{"an earlier story", []retrieval.Hit{dated(first, 19), dated(revised, 3)}, []string{"t-ferry-1"}},
		{"a later story about something else", []retrieval.Hit{dated(first, 3), dated(bakery, 19)}, []string{"t-ferry-1"}},
		{"undated", []retrieval.Hit{first, revised}, []string{"t-ferry-1"}},
	})
	// The answer says that newer coverage is cited, and which.
	for _, tt := range []struct {
		hits []retrieval.Hit
		want string
	}{
		{[]retrieval.Hit{dated(first, 3), dated(revised, 19)}, "Newer coverage: [2], 19 Nov 2026."},
		{[]retrieval.Hit{dated(first, 19), dated(revised, 3)}, ""},
		{[]retrieval.Hit{first, revised}, ""},
	} {
		if a := Extract("how often will the island ferry run?", tt.hits, Options{MinConfidence: -1}); a.Note != tt.want {
			t.Errorf("Extract over %s (%s) and %s (%s): note %q, want %q", tt.hits[0].Article.ID, tt.hits[0].Article.Published.Format(time.DateOnly),
				tt.hits[1].Article.ID, tt.hits[1].Article.Published.Format(time.DateOnly), a.Note, tt.want)
		}
	}
}

// TestNewerCoverageSameTopic checks that a newer story cited for sharing
// some of the question's words ("run", "training" for "trains") is not
// called newer coverage of the answer, nor stands in for the newer story
// about the same thing.
func TestNewerCoverageSameTopic(t *testing.T) {
	on := func(h retrieval.Hit, month time.Month, day int) retrieval.Hit {
		h.Article.Published = time.Date(2026, month, day, 9, 0, 0, 0, time.UTC)
		return h
	}
	approved := on(hit("t-tunnel", "Council approves harbour tunnel", 6, "",
		"Boring of the main tunnel is due to start in the spring, with the first trains expected in late 2030.", ""), time.October, 8)
	library := on(hit("t-library", "Phishing emails target library staff", 5, "",
		"The library will run its first phishing awareness training for all staff in January.", ""), time.November, 4)
	revised := on(hit("t-tunnel-cost", "Harbour tunnel cost rises after survey", 1, "",
		"The first trains on the tunnel are now expected in mid-2031 rather than late 2030.", ""), time.November, 19)
	q := "when will the first trains run on the tunnel?"
	for _, hits := range [][]retrieval.Hit{{approved, library, revised}, {approved, library}} {
		a := Extract(q, hits, Options{MinConfidence: -1})
		var cited []string
		for _, s := range a.Sources {
			cited = append(cited, fmt.Sprintf("[%d] %s", s.N, s.Hit.Article.ID))
			if s.Hit.Article.ID == "t-library" && strings.Contains(a.Note, fmt.Sprintf("[%d]", s.N)) {
				t.Errorf("over %d stories: note %q calls the library story newer coverage (cited %v)", len(hits), a.Note, cited)
			}
		}
		if len(hits) == 3 && !strings.Contains(a.Note, "19 Nov 2026") {
			t.Errorf("over 3 stories: answer %q, note %q, cited %v; want the revised tunnel story as newer coverage", a.Text, a.Note, cited)
		}
	}
}

// citeCase is hits to answer from and the articles the answer should cite.
type citeCase struct {
	name string
	hits []retrieval.Hit
	want []string
}

// checkCited answers q from each case's hits and checks what is cited.
func checkCited(t *testing.T, q string, tests []citeCase) {
	t.Helper()
	for _, tt := range tests {
		a := Extract(q, tt.hits, Options{MinConfidence: -1})
		if got := cited(a); !slices.Equal(got, tt.want) {
			t.Errorf("%s: cited %v, want %v (answer %q)", tt.name, got, tt.want, a.Text)
		}
	}
}

// cited lists the articles a cites, in order.
func cited(a Answer) []string {
	var out []string
	for _, s := range a.Sources {
		out = append(out, s.Hit.Article.ID)
	}
	return out
}

// quotes reports whether text quotes a sentence of paragraph.
func quotes(text, paragraph string) bool {
	for _, s := range sentence.Split(paragraph) {
		if strings.Contains(text, s) {
			return true
		}
	}
	return false
}

func TestExtractCutsLongAnswers(t *testing.T) {
	long := "The Lakeside festival, which began as a gathering of a few dozen folk musicians in a farmer's field and has since grown into one of the largest events of its kind in the region, with stages for jazz, folk, brass and choral music, a children's area, food stalls run by local producers and a craft market along the lakeshore, drew 14,500 people over three days this year, its organisers said in a statement on Monday evening."
	h := hit("t-long", "Festival", 0, "", long, "")
	a := Extract("how many people went to the Lakeside festival?", []retrieval.Hit{h}, Options{})
	if n := utf8.RuneCountInString(a.Text); n > MaxLen {
		t.Fatalf("len(Text) = %d characters, want at most %d", n, MaxLen)
	}
	head, ok := strings.CutSuffix(a.Text, "…")
	if !ok {
		t.Fatalf("Text = %q, want it to end with an ellipsis", a.Text)
	}
	if !strings.HasPrefix(long, head) || long[len(head)] != ' ' {
		t.Errorf("Text = %q, want a prefix of the paragraph cut at a word boundary", a.Text)
	}
}

func TestCut(t *testing.T) {
	tests := []struct {
		in   string
		max  int
		want string
	}{
		{"short enough", 20, "short enough"},
		{"exactly ten", 11, "exactly ten"},
		{"one two three four", 12, "one two…"},
		{"one two, three", 10, "one two…"},
		{"naïve café society", 12, "naïve café…"},
		{"unbreakableword", 6, "unbre…"},
	}
	for _, tt := range tests {
		if got := cut(tt.in, tt.max); got != tt.want {
			t.Errorf("cut(%q, %d) = %q, want %q", tt.in, tt.max, got, tt.want)
		}
	}
}

func TestThousands(t *testing.T) {
	for n, want := range map[int]string{7: "7", 999: "999", 2127: "2,127", 1234567: "1,234,567"} {
		if got := Thousands(n); got != want {
			t.Errorf("Thousands(%d) = %q, want %q", n, got, want)
		}
	}
}

func BenchmarkExtract(b *testing.B) {
	hits := []retrieval.Hit{liang, harbour, festival, library, campaign, bakery, liang, harbour, festival, library}
	for b.Loop() {
		Extract("how many people went to the Lakeside festival?", hits, Options{})
	}
}

// TestPreferNamedStory checks that of two near-equal answers the one
// from the story that names what the question is about wins, and that a
// clearly better answer from another story still does: a story may name
// its subject in a paragraph that was not retrieved. The name that
// counts is the question's rarest: both stories say "US".
func TestPreferNamedStory(t *testing.T) {
	const (
		soap   = "Fox is planning a version of the soap Quayside Lane. It would be filmed in Chicago."
		usSoap = "Fox is planning a US version of the soap Quayside Lane. It would be filmed in Chicago."
	)
	for _, tt := range []struct {
		q, soap, game, want string
	}{
		{"what city would the remake of Quayside Lane be set in?", soap,
			"The remake is set in the fictional state of Tarrow, whose three main cities are Los Santos, San Fierro and Las Venturas.", "Chicago"},
		{"what city would the remake of Quayside Lane be set in?", soap,
			"The remake is set in the fictional state of Tarrow, with three cities.", "Tarrow"},
		{"what city would the US remake of Quayside Lane be set in?", usSoap,
			"The remake is set in the fictional US state of Tarrow, whose three main cities are Los Santos, San Fierro, Las Venturas and Ostry.", "Chicago"},
	} {
		hits := []retrieval.Hit{hit("t-game", "Racing sequel reviewed", 2, "", tt.game, ""), hit("t-soap", "Soap may get a remake", 0, "", tt.soap, "")}
		a := Extract(tt.q, hits, Options{MinConfidence: -1})
		if !strings.Contains(a.Text, tt.want) {
			t.Errorf("%q beside %q: answer %q, want it to hold %q", tt.q, tt.game, a.Text, tt.want)
		}
	}
}

// TestNamingStories checks which question words count as names that a
// story must hold: a word the hits also write in lower case is none,
// even where one capitalises it ("the Cape of Good Hope"); and that a
// story names Italy when it says "Italian".
func TestNamingStories(t *testing.T) {
	cape := hit("t-cape", "Settlers", 0, "", "The first settlers sailed to the Cape of Good Hope in 1688.", "")
	lab := hit("t-lab", "Inventor", 0, "", "He said he had hoped to find minerals, and his hope never faded.", "")
	mill := hit("t-mill", "Tarrow Mills", 0, "", "Tarrow Mills raised prices at its Dunmore plant.", "")
	euro := hit("t-euro", "Euro worries", 0, "", "The Italian Prime Minister said the euro's strength was worrying.", "")
	rugby := hit("t-rugby", "Rugby", 0, "", "Wales beat Italy in Rome.", "")
	for _, tt := range []struct {
		q     string
		hits  []retrieval.Hit
		named []string
	}{
		{"what did he hope to find?", []retrieval.Hit{cape, lab}, nil},
		{"how much did tarrow mills raise prices?", []retrieval.Hit{cape, mill}, []string{"t-mill"}},
		{"how worried is italy's leader about the euro?", []retrieval.Hit{cape, euro, rugby}, []string{"t-euro", "t-rugby"}},
	} {
		paras := make([]*para, len(tt.hits))
		for i := range tt.hits {
			paras[i] = newPara(&tt.hits[i], i)
		}
		sc := newScorer(parseQuestion(tt.q), paras, DefaultModel(), nil)
		var got []string
		for k, ok := range sc.namingStories(paras) {
			if ok {
				got = append(got, k)
			}
		}
		slices.Sort(got)
		if !slices.Equal(got, tt.named) {
			t.Errorf("%q: stories naming the question %v, want %v", tt.q, got, tt.named)
		}
	}
}
