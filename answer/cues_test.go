package answer

import (
	"slices"
	"strings"
	"testing"

	"github.com/byline-news/byline/retrieval"
	"github.com/byline-news/byline/retrieval/analysis"
)

// TestCue checks the kind of answer each question accepts, in invented
// sentences.
func TestCue(t *testing.T) {
	tests := []struct {
		q, s string
		want bool
	}{
		{"how much did Orbis pay for Kestrel?", "Orbis paid $4.5bn for Kestrel.", true},
		{"how much did Orbis pay for Kestrel?", "Orbis paid 40m euros for Kestrel.", true},
		{"how much did Orbis pay for Kestrel?", "Orbis had two offers for Kestrel.", false},
		{"how much did Orbis pay for Kestrel?", "Orbis paid fifty thousand pounds for Kestrel.", true},
		{"in what century was the abbey built?", "The abbey was built in the 11th century.", true},
		{"in what century was the abbey built?", "It was built in the first century AD.", true},
		{"in what century was the abbey built?", "The abbey was built by the monks of the valley.", false},
		{"when was the city bombed?", "During the war, the city was bombed from the air.", true},
		{"in what year was the city bombed?", "During the war, the city was bombed from the air.", false},
		{"what time does the match kick off?", "The match kicks off at 1500 GMT.", true},
		{"what time does the ferry leave?", "The ferry leaves at ten o'clock.", true},
		{"what time does the ferry leave?", "The ferry leaves at 10 am.", true},
		{"what time did Holmes win the race in?", "Holmes won in two minutes, 35.39 seconds.", true},
		{"when is Orbis aiming to break even?", "Orbis broke even in 2003.", false},
		{"when is Orbis aiming to break even?", "Orbis pushed its break-even target back to 2006.", true},
		{"when is the film due in cinemas?", "Whedon created Buffy for the 1992 film.", false},
		{"when is the film due in cinemas?", "The film is due in cinemas in June.", true},
		{"when did Orbis break even?", "Orbis broke even in 2003.", true},
		{"when was the house built?", "The house is dated c1600.", true},         // circa
		{"when did the glacial period end?", "It ended around 11,600 BP.", true}, // an era
		{"when did Augustus die?", "Augustus died in AD 14.", true},
		{"when did Augustus die?", "Augustus died aged 75.", false},
		{"when can the gas be toxic?", "The gas becomes toxic if its pressure is high.", true}, // a condition
		{"when can the gas be toxic?", "The gas is colourless.", false},
		{"when do the works begin?", "Preliminary works are scheduled to begin on Jan. 5.", true}, // a wire's abbreviated month
		{"when do the works begin?", "Preliminary works begin on 5 Sept, the council said.", true},
		{"when do the works begin?", "Works will begin with Jan Smith in charge.", false}, // "Jan" alone is a name
		{"who scheduled the vote?", "The vote is scheduled for Dec. 10.", false},          // nor is "Dec" before a day
		{"when's the vote?", "Tomas Reyes, who voted against the project in October, said so.", false},
		{"when's the vote?", "The council will hold a second vote, now scheduled for Dec. 10.", true},
		{"when does the studio get its award?", "The studio, which was founded 110 years ago, gets an award.", false},
		{"when does the studio get its award?", "The studio gets its award on 15 February.", true},
		{"when did the ferry sail to Marrow?", "The ferry was built in Tarrow, and sailed to Marrow two years later.", true},
		{"when will the ferry sail to Marrow?", "The ferry will sail to Marrow later this year.", true},
		{"when will the ferry sail to Marrow?", "The ferry was first to sail to Tarrow and later inspired a song.", false},
		{"who does Dent play next?", "Hewitt lost to Taylor Dent in the quarter-finals of the Adelaide Open.", false},
		{"who does Dent play next?", "Dent will face Juan Chela next.", true},
		{"who did Dent beat?", "Hewitt lost to Taylor Dent in the quarter-finals of the Adelaide Open.", true},
		{"what time did Holmes clock in the hurdles?", "Holmes equalled the record with a time of 7.60secs.", true},
		{"what time did Holmes clock in the hurdles?", "Holmes equalled the Spanish record with 7.60 points.", false},
		{"what time did Holmes run?", "Holmes ran it in 90 mins.", true},
		{"when did Rovers score?", "Rovers scored in the 23rd minute.", true},
		{"when did the mayor approve the plan?", "The mayor has since approved the plan.", false},
		{"when did the mayor approve the plan?", "The plan has waited for approval since the war.", true},
		{"on what day is the debate held?", "The debate lasts 45 minutes.", false},
		{"when is the game coming out?", "\"I am sure it will sell,\" said Mr Wright.", false},
		{"how long has Okafor led the council?", "Okafor has led the council since 1997.", true},
		{"how long has Okafor led the council?", "Okafor led the council in 1997.", false},
		{"when do the gates close?", "The gates close when the river rises above the wall.", true}, // "when do…?" may ask on what condition
		{"when do the gates close?", "The gates are made of oak.", false},
		{"when did the gates close?", "The gates closed after a long storm.", false},
		{"how long has the rule been in force?", "The rule has been in force since the 1950s.", true},
		{"how long was the port closed?", "The port was closed from 4 August 1915 until November 1918.", true},
		{"how long was the port closed?", "The port was closed in the 1950s.", false},
		{"how long did the strike last?", "The strike lasted almost a month.", true},
		{"how long did the strike last?", "The strike lasted several weeks.", true},
		{"how long did the strike last?", "The strike hit the month's output.", false},
		{"how long a sentence did Brell get?", "The 64-year-old denied the charge.", false},
		{"how long a sentence did Brell get?", "Brell, aged 64, denied the charge.", false},
		{"how long a sentence did Brell get?", "Brell was jailed for 14 years.", true},
		{"how many seats does the council have?", "The council has sat since 1997.", false},
		{"how much did Orbis pay for Kestrel?", "Orbis bought 50% of Kestrel.", false},
		{"how much were the ferries losing a year?", "The firm runs four ferries a week.", false},
		{"how much were the ferries losing a year?", "The ferries lost £2m a year.", true},
		{"how much did the telethon raise?", "The telethon raised $3m.", true},
		{"how much did the ferry company raise its fares?", "The company raised its fares by 9%.", true},
		{"how much money did the divers get?", "The divers cleared 18% of the reef.", false},
		{"how much money did the divers get?", "The divers got a grant of $480,000.", true},
		{"how much ground did the Herons lose?", "The Herons lost 12 points at home.", true},
		{"how much did the prize cost?", "The prize cost $2,000 to make.", true},
		{"what percentage voted yes?", "Some 78 per cent voted yes.", true},
		{"what percentage voted yes?", "Hundreds of ballot papers went missing.", false},
		{"how many people came?", "Turnout rose by 38% this year.", false},
		{"how many jobs did firms add?", "Firms added twice as many jobs as expected.", false},
		{"how many jobs did firms add?", "Firms added double the jobs of May.", false},
		{"how many times have the Herons won the cup?", "The Herons have won the cup twice as well.", true},
		{"what employee number was Quenby?", "Quenby joined as employee number 31.", true},
		{"how many employees did Quenby hire?", "Quenby joined as employee number 31.", false},
		{"how many Victorians are Catholic?", "Catholics are 26.7% of the Victorian population.", true},
		{"how many users are on old handsets?", "Almost a third of users were on old handsets.", true},
		{"how many users are on old handsets?", "Old handsets cost a third of the price.", false},
		{"how many people came?", "The game is in the top ten.", false},
		{"how many people came?", "One effect was a queue.", false},
		{"how many goals have the Herons let in?", "They have let in only one goal all season.", true},
		{"how many goals have the Herons let in?", "It was one of their best seasons.", false},
		{"how many people came?", "Some 14,500 people came.", true},
		{"how many people came?", "The show was where Orbis said Skylark 2 would launch.", false},
		{"how many people came?", "The show was where Orbis said 2 would launch.", true},
		{"what share of homes have broadband?", "In the United States 38% of homes have it.", true},
		{"how much did Norwich offer for Johansson?", "Norwich were beaten 4-0 by two-goal Johansson.", false},
		{"how much did Norwich offer for Johansson?", "Norwich offered £2m for Johansson.", true},
		{"how many copies has the book sold?", "The film is out in two months.", false},
		{"how many copies has the book sold?", "The book has sold two million copies.", true},
		{"how many days did the strike last?", "The strike lasted two days.", true},
		{"how old was the singer?", "The singer, a 23-year-old, left.", true},
		{"what was the final score in the cup final?", "The Herons won the cup, beating Rovers 2–1 at home.", true},
		{"what was the final score in the cup final?", "The Herons drew level four minutes after half-time.", false},
		{"what was the scoreline when Teller's side won?", "Teller's side won 6-0 6-3 6-2.", true},
		{"what was the scoreline when Teller's side won?", "Teller's side won in three sets.", false},
		{"how many goals did Teller score?", "Teller scored two goals.", true},
		{"how many staff entered their passwords?", "Fourteen staff entered their passwords.", true},
		{"how many sums a second can the chip do?", "The chip can do one trillion sums per second.", true},
		{"how many loans were approved?", "Consumer credit rose by £1.5bn.", false},
		{"how much did the fans raise?", "Fans raised cash to mark the release of version 1.0.", false},
		{"how much did the film make in its third weekend?", "The film made $17.1m (£8.8m) in its third weekend.", true},
		{"how much did the film make in its third weekend?", "The film made two more cinemas sell out in its third weekend.", false},
		{"how much did the film take at the box office?", "The film took over $600m at the box office.", true},
		{"how much did the film take at the box office?", "The film took two awards at the box office.", false},
		{"how many pounds of steam does it use?", "It uses 12 pounds of steam.", true},
		{"how many guests came to the dinner?", "The dinner was attended by 2000 guests.", true}, // a count, not a year
		{"how many lakes are in the city?", "There are also several lakes in the city.", true},
		{"how many weight rooms does the centre have?", "Several varsity teams train at the centre.", false},
		{"how many years did Farrell play?", "He told Radio Five Live it was over.", false},
		{"how many years did Farrell play?", "He said: \"Five great years.\"", true},
		{"how old is the ferry?", "Its fuel costs rose 40% this year.", false},
		{"how fast is the port growing?", "Trade at the port grew 7% last year.", true},
		{"how quickly are rents rising?", "Rents rose by 4.5 per cent.", true},
		{"who beat Roddick?", "Andy Roddick lost in the final.", false},
		{"who beat Roddick?", "Roddick lost to Marat Safin.", true},
		{"which radio station carries it?", "It is carried by Virgin Radio.", true},
		{"which countries back the tax?", "The tax was tabled by France and Germany.", true},
		// "Which country" is answered by a country's name, when a sentence has one.
		{"which country did Tesla move to in 1884?", "In 1884 Tesla went to work for Thomas Edison. He had moved to the United States.", false},
		{"which country did Tesla move to in 1884?", "Tesla moved to the United States in 1884.", true},
		{"which nation won the cup?", "The cup was won by Kestrel Vale. Kestrel beat Portugal.", false},
		{"which country did Tesla move to?", "Tesla went to work for Thomas Edison.", true},                                  // no country anywhere: any name may answer
		{"what language is taught in Wales?", "Schools in Wales are run from Cardiff. Children are taught in Welsh.", false}, // a language's name, when one is there
		{"what language is taught in Wales?", "Children in Wales are taught in Welsh.", true},
		{"what religion were the Normans?", "The Normans were led by William. They were Catholic.", false},
		{"why was Houston suspended?", "Houston was due to stand in the seat.", false},
		{"why was Houston suspended?", "Houston was suspended due to remarks on crime.", true},
		{"why was the game off?", "The game was off because of fog.", true},
		{"why is Teller missing the final?", "Teller misses the final after failing to recover from a knee injury.", true},
		{"why were the Herons thrown out of the cup?", "The Herons were thrown out following a registration row.", true},
		{"why does the ferry stop at Marrow?", "The ferry follows the route the old steamer took.", false},
	}
	for _, tt := range tests {
		q := parseQuestion(tt.q)
		p := newPara(&retrieval.Hit{Text: tt.s}, 0)
		sc := newScorer(q, []*para{p}, DefaultModel(), nil)
		if got := sc.hasCue(p.sents[0]); got != tt.want {
			t.Errorf("question %q, sentence %q: cue %v, want %v", tt.q, tt.s, got, tt.want)
		}
	}
}

func TestQuestionParse(t *testing.T) {
	tests := []struct {
		q      string
		kind   kind
		speech string
		past   bool
	}{
		{"what is the new ferry service called?", kindName, "", false},
		{"what's the film she is making with Lars von Trier called?", kindName, "", false},
		{"what did Liang deny?", kindAny, "deny", true},
		{"what did Liang make of the fans?", kindAny, "think", true},
		{"what growth target has the bank set?", kindNumber, "", false},
		{"what price did the mill fetch?", kindNumber, "", true},
		{"what growth is driving the rally?", kindAny, "", false},
		{"what figures were released on Monday?", kindAny, "", false},
		{"what high maintenance part did the motor not need?", kindAny, "", true},
		{"what order did the court make of the fine?", kindAny, "", true},
		{"what is the mace made of?", kindAny, "", false},
		{"where did Cairn shares finish on Thursday?", kindNumber, "", true},
		{"where was the pound trading by lunchtime?", kindNumber, "", false},
		{"where did the race finish?", kindPlace, "", true},
		{"what level did the bourse finish at?", kindNumber, "", true},
		{"what level did the team finish at?", kindAny, "", true},
		{"where was the trading centre?", kindPlace, "", false},
		{"how much are the producers claiming from Fox?", kindNumber, "", false},
		{"who won the Harbour Cup?", kindName, "", true},
		{"when will the library open?", kindTime, "", false},
		{"which movie is showing at the festival?", kindName, "", false},
		{"what language do they speak in Quebec?", kindName, "", false},
		// "Who is X?" asks what X is, said beside the name; "who is the X?"
		// and "who is X doing Y with?" ask for a person.
		{"who is Mara Okafor?", kindAny, "", false},
		{"who's liang", kindAny, "", false},
		{"who was Gerd Niebaum?", kindAny, "", false},
		{"who is the mayor?", kindName, "", false},
		{"who is Liang meeting with?", kindName, "", false},
		{"who is Yukos's boss?", kindName, "", false},
		{"who scored?", kindName, "", true},
		// "Which" names what is asked for; other words do not ("price").
		{"which economist reckoned the wholesale price figures were less scary?", kindAny, "", false},
		{"what price did the mill fetch?", kindNumber, "", true},
		// Charged with an offence, not a fee.
		{"what has the FA charged Ruud van Nistelrooy with?", kindAny, "", false},
		{"what does the ferry charge for a bike?", kindNumber, "", false},
		// A question opening with a clause of time asks with its next wh-word.
		{"When the mayor quit, who took over?", kindName, "", true},
		{"when she quits who takes over", kindName, "", false},
		{"so when she quits, who takes over?", kindName, "", false},
		{"who took over when she quit?", kindName, "", true},
		{"When the ferry is full, what happens to the cars?", kindAny, "", false},
		{"when did the mayor quit, and who took over?", kindTime, "", true},
		{"when the ferry arrives?", kindTime, "", false},
		// "High" and "low" before a noun describe it; alone they are the level asked for.
		{"what does high demand do to mooring fees?", kindAny, "", false},
		{"what was the dollar's new record low against the euro?", kindNumber, "", false},
		{"what was the pound's high?", kindNumber, "", false},
		// A measure noun is asked for when "what" asks what something is;
		// after another verb it is part of a clause.
		{"what's the price of a ferry ticket?", kindNumber, "", false},
		{"what raises the ferry's price?", kindAny, "", false},
		{"what has the crime rate been linked to?", kindAny, "", false},
		// A money verb asks for an amount when "what" is its object.
		{"what did Tesla do for a job that paid two dollars a day?", kindAny, "", true},
		{"what industry survived the cuts in military spending?", kindAny, "", false},
		{"what was his punishment for not paying his taxes?", kindAny, "", false},
		{"what's the council paying for the tunnel?", kindNumber, "", false},
		{"what is the council paying for the tunnel?", kindNumber, "", false},
		{"what did the mill fetch at auction?", kindNumber, "", true},
		{"what are pharmacists increasingly paid for?", kindAny, "", false}, // what is paid for, not how much
		{"what do teachers spend more time doing?", kindAny, "", false},
		// "What type of X" asks for a type, whatever X names.
		{"what type of number generators use primes?", kindAny, "", false},
		{"what kind of person could run the council?", kindAny, "", false},
		{"what type of time does the machine need?", kindAny, "", false},
		{"what measurement of time is used?", kindAny, "", false},
		// After "what" and an auxiliary, the nouns are the subject.
		{"what does the time element mean?", kindAny, "", false},
		{"what did the mill fetch?", kindNumber, "", true},
		{"what percentage of voters turned out?", kindNumber, "", false},
		{"what modern-day country was Tesla born in?", kindPlace, "", false},
		{"what present day county is New Rochelle in?", kindPlace, "", false},
	}
	for _, tt := range tests {
		q := parseQuestion(tt.q)
		if q.kind != tt.kind || q.speech != tt.speech || q.past != tt.past {
			t.Errorf("parseQuestion(%q): kind %d, speech %q, past %v; want %d, %q, %v", tt.q, q.kind, q.speech, q.past, tt.kind, tt.speech, tt.past)
		}
	}
}

func TestNameListAt(t *testing.T) {
	for _, tt := range []struct {
		text, word string
		want       bool
	}{
		{"troops from the Czech Republic", "republic", true},
		{"troops from the Czech Republic", "czech", true},
		{"a visit to Papua New Guinea", "new", true},
		{"a visit to New Jersey", "jersey", false}, // a state, not the island
		{"exports to South America", "america", false},
		{"made in france", "france", false}, // names are written with capitals
	} {
		toks := tokens(tt.text)
		i := slices.IndexFunc(toks, func(t analysis.Token) bool { return t.Word == tt.word })
		if got := countryNames().at(toks, i); got != tt.want {
			t.Errorf("countryNames().at(%q, %q) = %v, want %v", tt.text, tt.word, got, tt.want)
		}
	}
}

func TestAsksScheduled(t *testing.T) {
	for q, want := range map[string]bool{
		"when does Day-Lewis get his award?":     true,
		"when do the Lions fly out?":             true,
		"when did the Lions fly out?":            false,
		"when's the vote?":                       true,
		"when is the final?":                     true,
		"When are the council elections?":        true,
		"when is the Wianki festival held?":      false, // a verb: what recurs
		"when is the first reference to Warsaw?": false, // a record, maybe past
		"when was the vote?":                     false,
		"when is the bridge reopening?":          false,
		"when did the mayor call the vote?":      false,
		"when is it?":                            false, // no noun phrase to date
		"when's the oldest seal of Warsaw from?": false,
		"when is the tunnel's official launch?":  true,
	} {
		if got := asksScheduled(q, parseQuestion(q).toks); got != want {
			t.Errorf("asksScheduled(%q) = %v, want %v", q, got, want)
		}
	}
}

func TestTellsFuture(t *testing.T) {
	for s, want := range map[string]bool{
		"Tidewater will play Marrow Park on Sunday.":                     true,
		"The final is to be held in May.":                                true,
		"The mayor is set to open the harbour.":                          true,
		"Tidewater won the final on Sunday.":                             false,
		"Tidewater have played Marrow Park every year.":                  false,
		"The mill shut due to a lack of orders.":                         false,
		"Fans had expected to see a replay.":                             false,
		"They will say that 2,600 orders were issued.":                   false,
		"The mayor is expected to announce that the tunnel is finished.": false,
	} {
		if got := tellsFuture(tokens(s)); got != want {
			t.Errorf("tellsFuture(%q) = %v, want %v", s, got, want)
		}
	}
}

// TestFutureOnly checks that a sentence telling of something past as
// well as something to come does not disagree with a question about the
// past, while a reported future still does.
func TestFutureOnly(t *testing.T) {
	for s, want := range map[string]bool{
		"Tidewater will play Marrow Park on Sunday.":                                   true,
		"Officials said the tunnel will open in 2030.":                                 true,
		"The council voted 9-4 to build the tunnel, which is expected to cost $1.2bn.": false,
		"Tidewater defeated Marrow Park and will play Ostry in the final.":             false,
		"The final, which Tidewater won on Sunday, will be shown again tonight.":       false,
	} {
		if got := futureOnly(tokens(s)); got != want {
			t.Errorf("futureOnly(%q) = %v, want %v", s, got, want)
		}
	}
}

// TestPastTime checks which times are told as past, of something that
// has happened: such a time does not say when something still to come
// will be. The time checked is the sentence's last.
func TestPastTime(t *testing.T) {
	for s, want := range map[string]bool{
		"Whedon created Buffy for the 1992 film.":                                    true,
		"Both companies broke even in 2003.":                                         true,
		"The Tidewater film, based on a comic created in the 1940s, opens in June.":  false,
		"Officials said the tunnel opens in 2030.":                                   false,
		"The film was expected to open in June.":                                     false,
		"Orbis now hopes to break even in 2006.":                                     false,
		"The tunnel, approved in 2004, will open in 2030.":                           false,
		"Leeds United play at home in June.":                                         false,
		"The first trains are expected in 2030.":                                     false,
		"Orbis pushed its break-even target back to 2006.":                           false,
		"Orbis agreed to sell the club in June.":                                     false,
		"Hewitt lost to Taylor Dent in the final in June.":                           true,
		"With an estimated completion date of 2020, the centre will be housed here.": false,
		"Whedon created the character of Buffy in the screenplay for the 1992 film.": true,
	} {
		st := newPara(&retrieval.Hit{Text: s}, 0).sents[0]
		last := -1
		for i := range st.toks {
			if isTime(st.toks, i) {
				last = i
			}
		}
		if last < 0 {
			t.Fatalf("%q: no time found", s)
		}
		if got := pastTime(st, last); got != want {
			t.Errorf("pastTime(%q, %q) = %v, want %v", s, st.toks[last].Word, got, want)
		}
	}
}

// TestExpandContinues checks that the answer goes on to the next
// sentence when it continues the story, and that context never cuts the
// key sentence short.
func TestExpandContinues(t *testing.T) {
	h := hit("t-rovers", "Rovers in crisis", 0, "",
		"Marrow Rovers have posted record losses and missed rent payments on their stadium. Chairman Tom Reyes stepped down last week.", "")
	a := Extract("who stepped down as boss of Marrow Rovers?", []retrieval.Hit{h}, Options{MinConfidence: -1})
	if !strings.Contains(a.Text, "Tom Reyes") {
		t.Errorf("Text = %q, want the sentence naming Tom Reyes", a.Text)
	}
	long := strings.Repeat("The council met for many hours and heard from residents on every side of the argument. ", 3)
	h = hit("t-long-2", "Council votes", 0, "", long+"It then approved the harbour plan by nine votes to four.", "")
	a = Extract("how many votes did the harbour plan get?", []retrieval.Hit{h}, Options{MinConfidence: -1})
	if !strings.Contains(a.Text, "nine votes to four.") || strings.HasSuffix(a.Text, "…") {
		t.Errorf("Text = %q, want the whole key sentence", a.Text)
	}
}

// TestNamesFromCasing checks which question words count as names: those
// the question capitalises when it capitalises any, else those the
// retrieved paragraphs capitalise inside a sentence.
func TestNamesFromCasing(t *testing.T) {
	paras := []*para{
		newPara(&retrieval.Hit{Text: "The art collection of fashion designer Gianni Versace is for sale."}, 0),
		newPara(&retrieval.Hit{Text: "Already the Live-Shot site lets people shoot at paper targets."}, 1),
	}
	for _, tt := range []struct {
		q     string
		names []string
	}{
		{"who shot Gianni Versace?", []string{"gianni", "versac"}},
		{"who shot gianni versace?", []string{"shoot", "gianni", "versac"}},
		{"Morning! who shot gianni versace?", []string{"shoot", "gianni", "versac"}},
		{"Gianni Versace was shot by whom?", []string{"gianni", "versac"}},
	} {
		_, _, names := termWeights(parseQuestion(tt.q), paras, nil)
		var got []string
		for _, term := range parseQuestion(tt.q).terms {
			if names[term] {
				got = append(got, term)
			}
		}
		if strings.Join(got, " ") != strings.Join(tt.names, " ") {
			t.Errorf("names of %q = %q, want %q", tt.q, got, tt.names)
		}
	}
}

// TestUnquoted checks which words of a sentence are outside its
// quotations, where who speaks is said.
func TestUnquoted(t *testing.T) {
	for _, tt := range []struct{ s, want string }{
		{`"We say Krivorizhstal was stolen," Mr Yushchenko told a conference.`, "mr yushchenko told a conference"},
		{`Lee said straight-to-DVD is “a huge market” for film-makers.`, "lee said straight to dvd is for film makers"},
		{`It is a huge market," he said of DVD.`, "he said of dvd"},
		{`The 5" screen was praised by Anna Lee.`, "the 5 screen was praised by anna lee"},
		{`No quotation here, Lee said.`, "no quotation here lee said"},
	} {
		var got []string
		for _, tok := range unquoted(splitSents(tt.s)[0]) {
			got = append(got, tok.Word)
		}
		if strings.Join(got, " ") != tt.want {
			t.Errorf("unquoted(%q) = %q, want %q", tt.s, strings.Join(got, " "), tt.want)
		}
	}
}

// TestCueInNextSentence checks that a sentence whose next sentence holds
// the kind of answer asked for is ranked as half holding it: the answer
// shown for it takes that next sentence in (expand), so the ranker scores
// what the asker is shown.
func TestCueInNextSentence(t *testing.T) {
	q := parseQuestion("how much did the fair raise for the lifeboat?")
	p := newPara(&retrieval.Hit{Text: "The fair's organisers were delighted with what it raised for the lifeboat. The total was £12,400. The band played on."}, 0)
	sc := newScorer(q, []*para{p}, DefaultModel(), nil)
	for i, want := range [][2]float64{{0.5, 0.5}, {1, 0}, {0, 1}} {
		x := sc.features(p, i)
		if got := [2]float64{x[fCue], x[fCueMissing]}; got != want {
			t.Errorf("sentence %d %q: cue, cue missing = %v, want %v", i, p.sents[i].text, got, want)
		}
	}
}

// TestQuestionFrameWords checks that the word after "how" that says what
// is asked is no term of the question: "waited long enough" does not
// answer "how long will the tunnel be?". "Old" stays one, since "41
// years old" answers "how old".
func TestQuestionFrameWords(t *testing.T) {
	for _, tt := range []struct {
		q, word string
		term    bool
	}{
		{"how long will the tunnel be?", "long", false},
		{"how far is Fernhollow from the quay?", "far", false},
		{"how often does the ferry run?", "often", false},
		{"how old was Teller?", "old", true},
		{"was the long wait worth it?", "long", true},
	} {
		if got := parseQuestion(tt.q).has[tt.word]; got != tt.term {
			t.Errorf("parseQuestion(%q): %q a term %v, want %v", tt.q, tt.word, got, tt.term)
		}
	}
}

// TestOtherSpeaker checks who says a quotation: the words after "said"
// may describe the speaker the question names before they name them.
func TestOtherSpeaker(t *testing.T) {
	for _, tt := range []struct {
		q, s  string
		other bool
	}{
		{"what did the coach make of the winner?", `"Wait at the back post," said Herons coach Ines Varga.`, false},
		{"what did the coach make of the winner?", `"Wait at the back post," said Rovers captain Ola Brenn.`, true},
		{"what did Varga say about the winner?", `"It was a great header," said Ola Brenn.`, true},
		{"what did Varga say about the winner?", `"It was a great header," Varga said.`, false},
		// The title before the name says who they are.
		{"how did the ferry union boss describe the plans?", `Ferry Union chief Ada Quell called the plans "reckless".`, false},
		{"how did the ferry union boss describe the plans?", `Harbour Board chief Ola Brenn called the plans "reckless".`, true},
	} {
		sc := &scorer{q: parseQuestion(tt.q)}
		if got := sc.otherSpeaker(unquoted(splitSents(tt.s)[0])); got != tt.other {
			t.Errorf("%q in answer to %q: other speaker %v, want %v", tt.s, tt.q, got, tt.other)
		}
	}
}

// TestVerbMatch checks which reporting verbs answer the question's.
func TestVerbMatch(t *testing.T) {
	for _, tt := range []struct {
		want, s string
		match   float64
	}{
		{"describe", "Quell called the plans reckless.", 1},
		{"describe", "Quell said the plans were reckless.", 1},
		{"deny", "Quell said the plans were reckless.", otherVerb},
		{"deny", "Quell denied the plans were reckless.", 1},
		{"say", "Quell called the plans reckless.", otherVerb},
		{"describe", "The plans were reckless.", 0},
	} {
		if got := verbMatch(tt.want, tokens(tt.s)); got != tt.match {
			t.Errorf("verbMatch(%q, %q) = %v, want %v", tt.want, tt.s, got, tt.match)
		}
	}
}

// TestLeansBack checks which sentences refer to the one before: an
// opening stand-in ("The firm") does, but not inside a quotation, where
// it is the speaker's own words ("The American business is…," said…).
func TestLeansBack(t *testing.T) {
	for _, tt := range []struct {
		s    string
		want bool
	}{
		{"The firm said sales rose.", true},
		{"He said sales rose.", true},
		{"But sales rose.", true},
		{"Sales rose, the firm said.", false},
		{`"The American business is now our fastest-growing part," said chief executive Ada Quell.`, false},
		{`"But we expect more," she said.`, true},
	} {
		if got := leansBack(splitSents(tt.s)[0]); got != tt.want {
			t.Errorf("leansBack(%q) = %v, want %v", tt.s, got, tt.want)
		}
	}
}
