package answer_test

import (
	"context"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/byline-news/byline/answer"
	"github.com/byline-news/byline/retrieval"
	"github.com/byline-news/byline/retrieval/sqlite"
)

// The articles below are invented for these tests.

func day(d int) time.Time { return time.Date(2026, 11, d, 9, 0, 0, 0, time.UTC) }

// now is Saturday 21 November 2026: "last week" runs from Monday 9 November.
var now = time.Date(2026, 11, 21, 12, 0, 0, 0, time.UTC)

func index(t *testing.T) *sqlite.Index {
	t.Helper()
	return indexOf(t,
		retrieval.Article{ID: "ferry", Title: "Ferry to run every twenty minutes", Published: day(10), Paragraphs: []string{
			"The island ferry will run every twenty minutes from Monday, the operator Tidewater Lines said.",
			"Councillor Ines Varga said the timetable answered years of complaints."}},
		retrieval.Article{ID: "kiln", Title: "Medieval kiln found in Marsh Lane", Published: day(12), Paragraphs: []string{
			"Builders digging foundations in Marsh Lane uncovered a pottery kiln from the twelfth century."}},
		retrieval.Article{ID: "bridge", Title: "Old bridge reopens after repairs", Published: day(2), Paragraphs: []string{
			"The old stone bridge over the Marrow reopened on Monday after two years of repairs."}},
		retrieval.Article{ID: "undated", Title: "Bakery wins bread prize", Paragraphs: []string{
			"A village bakery has won a national prize for its sourdough loaf."}},
	)
}

// indexOf returns a real SQLite index holding arts, its clock at now.
func indexOf(t *testing.T, arts ...retrieval.Article) *sqlite.Index {
	t.Helper()
	ctx := context.Background()
	ix, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "ask.db"), sqlite.Options{Create: true, Now: func() time.Time { return now }})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ix.Close() })
	if _, err := ix.Put(ctx, arts); err != nil {
		t.Fatal(err)
	}
	return ix
}

func ids(a answer.Answer) string {
	var out []string
	for _, s := range a.Sources {
		out = append(out, s.Hit.Article.ID)
	}
	return strings.Join(out, " ")
}

func TestAskDigest(t *testing.T) {
	ix := index(t)
	tests := []struct {
		question, text, sources string
	}{
		{"what happened last week?", "The 2 latest stories from last week:", "kiln ferry"},
		{"what's new?", "The 3 latest stories:", "kiln ferry bridge"},
		{"Any news this month?", "The 3 latest stories from this month:", "kiln ferry bridge"},
		{"news from november?", "The 3 latest stories from November:", "kiln ferry bridge"},
	}
	for _, tt := range tests {
		t.Run(tt.question, func(t *testing.T) {
			a, err := answer.Ask(context.Background(), ix, answer.Request{Question: tt.question, Now: now})
			if err != nil {
				t.Fatal(err)
			}
			if !a.Digest || a.Abstained || a.Text != tt.text || ids(a) != tt.sources {
				t.Errorf("Ask(%q) = digest %v, abstained %v, %q, sources %q; want a digest %q of %q",
					tt.question, a.Digest, a.Abstained, a.Text, ids(a), tt.text, tt.sources)
			}
		})
	}
	// A question that names something is answered, not digested.
	a, err := answer.Ask(context.Background(), ix, answer.Request{Question: "what was found in Marsh Lane last week?", Now: now})
	if err != nil || a.Digest || a.Abstained || !strings.Contains(a.Text, "kiln") {
		t.Errorf("Ask(kiln) = %+v, %v; want an answer about the kiln", a, err)
	}
}

func TestAskEmptyRange(t *testing.T) {
	ix := index(t)
	tests := []struct {
		name   string
		req    answer.Request
		reason string
	}{
		{"no articles in the range", answer.Request{Question: "what did the council decide about the ferry?",
			Since: day(14), Until: day(20)},
			"I have no articles published between 14 November 2026 and 20 November 2026, so I can't answer that for then."},
		{"articles in the range, none matching", answer.Request{Question: "what did the council decide about the harbour wall?",
			Since: day(1), Until: day(20)},
			"I couldn't find that in the articles published between 1 November 2026 and 20 November 2026."},
		{"digest of an empty range", answer.Request{Question: "what happened yesterday?", Now: now},
			"I have no dated articles from yesterday."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a, err := answer.Ask(context.Background(), ix, tt.req)
			if err != nil {
				t.Fatal(err)
			}
			if !a.Abstained || a.Reason != tt.reason {
				t.Errorf("Ask(%q) = abstained %v, reason %q; want %q", tt.req.Question, a.Abstained, a.Reason, tt.reason)
			}
		})
	}
}

func TestAskContextTime(t *testing.T) {
	// A follow-up's time words come from the earlier question when it
	// has none of its own, and are not searched for.
	q := answer.Request{Question: "and the kiln?", Context: "Marsh Lane last week", Now: now}.Query()
	if !q.Since.Equal(time.Date(2026, 11, 9, 0, 0, 0, 0, time.UTC)) || !q.KeepUndated || strings.Contains(q.Text, "week") {
		t.Errorf("Query() = %+v; want last week's range and no time words searched", q)
	}
	q = answer.Request{Question: "what was found in Marsh Lane?", Since: day(1), Until: day(20), Now: now}.Query()
	if q.KeepUndated || !q.Since.Equal(day(1)) {
		t.Errorf("strict bounds: Query() = %+v; want them as given, undated excluded", q)
	}
}

// TestAskCorrectsSpelling checks that a misspelt question is answered as
// if spelt right, and says what was searched, while the asked question
// stays as asked.
func TestAskCorrectsSpelling(t *testing.T) {
	ix := index(t)
	tests := []struct{ question, corrected, want string }{
		{"what did the buidlers uncover in Marsh Lane?", "what did the builders uncover in Marsh Lane?", "kiln"},
		{"How often will the islnad ferry run?", "How often will the island ferry run?", "twenty minutes"},
		{"How often will the Tidewatr ferry run?", "How often will the Tidewater ferry run?", "twenty minutes"},
		{"what did the builders uncover in Marsh Lane?", "", "kiln"},
	}
	for _, tt := range tests {
		a, err := answer.Ask(context.Background(), ix, answer.Request{Question: tt.question, Now: now})
		if err != nil {
			t.Fatal(err)
		}
		if a.Question != tt.question || a.Corrected != tt.corrected || a.Abstained || !strings.Contains(a.Text, tt.want) {
			t.Errorf("Ask(%q) = question %q, corrected %q, abstained %v, %q; want corrected %q and %q in the answer",
				tt.question, a.Question, a.Corrected, a.Abstained, a.Text, tt.corrected, tt.want)
		}
	}
}

// TestAskKeepsEnglishWords checks that a word the index lacks but which
// is English is not "corrected" to a word of another story: on a small
// index "ahead" is one slip from a football story's "head", and "is the
// harbour tunnel going ahead?" was answered from it. Chat wraps
// questions in such words too ("sorry to bother").
func TestAskKeepsEnglishWords(t *testing.T) {
	ix := indexOf(t,
		retrieval.Article{ID: "tunnel", Title: "Council approves harbour tunnel", Paragraphs: []string{
			"The council approved the harbour tunnel on Wednesday. The first trains are expected in 2030."}},
		retrieval.Article{ID: "cup", Title: "Herons win the cup", Paragraphs: []string{
			"Teller rose above two defenders to head in a corner in the 88th minute."}})
	a, err := answer.Ask(context.Background(), ix, answer.Request{Question: "is the harbour tunnel going ahead?", Now: now})
	if err != nil {
		t.Fatal(err)
	}
	// Nor is it a word no article has, which counts against an answer:
	// it is one slip from an indexed word, and meant as typed.
	if a.Corrected != "" || a.Abstained || ids(a) == "" || a.Sources[0].Hit.Article.ID != "tunnel" {
		t.Errorf("Ask = corrected %q, abstained %v (%s), sources %q; want no correction, an answer from the tunnel story",
			a.Corrected, a.Abstained, a.Reason, ids(a))
	}
}

// TestAskSetsApologyAside checks that an apology opening a question is
// not searched: over a small index "sorry" was taken for a slip of a
// story's "worry", shown as the question searched, and counted against
// the answer.
func TestAskSetsApologyAside(t *testing.T) {
	ix := indexOf(t, retrieval.Article{ID: "tunnel", Title: "Council approves harbour tunnel", Paragraphs: []string{
		"The council approved the harbour tunnel on Wednesday. The first trains are expected in 2030.",
		"Residents worry that building the harbour tunnel will close the ferry for a year."}})
	for _, q := range []string{
		"sorry to bother, but when will the first trains run through the harbour tunnel? cheers",
		"Sorry, when will the first trains run through the harbour tunnel?",
	} {
		a, err := answer.Ask(context.Background(), ix, answer.Request{Question: q, Now: now})
		if err != nil {
			t.Fatal(err)
		}
		if a.Corrected != "" || a.Abstained || !strings.Contains(a.Text, "2030") {
			t.Errorf("Ask(%q) = corrected %q, abstained %v (%s), %q; want no correction and the trains' year",
				q, a.Corrected, a.Abstained, a.Reason, a.Text)
		}
	}
}

// TestAskShowsCorrectionsAsWritten checks that a correction is shown as
// the articles write it when the variant that found them is no word:
// "defence" is one slip from "defende", which shares its stem with
// "defended", the word the article has.
func TestAskShowsCorrectionsAsWritten(t *testing.T) {
	ix := indexOf(t, retrieval.Article{ID: "plan", Title: "Council keeps harbour plan", Paragraphs: []string{
		"The council defended the harbour plan on Tuesday, saying the new quay would bring 200 jobs."}})
	a, err := answer.Ask(context.Background(), ix, answer.Request{Question: "why did the council defence the harbour plan?", Now: now})
	if err != nil {
		t.Fatal(err)
	}
	if a.Corrected != "why did the council defended the harbour plan?" || a.Abstained {
		t.Errorf("Ask = corrected %q, abstained %v; want \"defence\" shown as the article's \"defended\"", a.Corrected, a.Abstained)
	}
}

// TestAskCorrectsContext checks that a thread's context words are
// corrected too, that the search is told the text is spelt (so it does
// not look the variants up again), and that the question is not
// reported as corrected when only the context was.
func TestAskCorrectsContext(t *testing.T) {
	rec := &recorder{Index: index(t)}
	a, err := answer.Ask(context.Background(), rec, answer.Request{Question: "what did they uncover?", Context: "buidlers", Now: now})
	if err != nil {
		t.Fatal(err)
	}
	if rec.last.Text != "what did they uncover? builders" || !rec.last.Spelt || a.Corrected != "" {
		t.Errorf("searched %q (spelt %v), corrected %q; want the context corrected, spelt, and no correction shown", rec.last.Text, rec.last.Spelt, a.Corrected)
	}
}

// recorder is a real index that keeps the last query it was asked.
type recorder struct {
	*sqlite.Index
	last retrieval.Query
}

func (r *recorder) Search(ctx context.Context, q retrieval.Query) ([]retrieval.Hit, error) {
	r.last = q
	return r.Index.Search(ctx, q)
}

// TestAskAsTyped checks that a question is answered the same however it
// is typed in chat: wrapped in greetings, apologies, asides, thanks and
// chat shorthand, or after a lead-in asking whether anyone knows (on a
// small index without those words it was refused for words no article
// has), all in capitals
// (its words were read as acronyms and names), or with short forms of
// words ("yrs").
func TestAskAsTyped(t *testing.T) {
	ix := index(t)
	ctx := context.Background()
	const question = "how often will the island ferry run?"
	want, err := answer.Ask(ctx, ix, answer.Request{Question: question})
	if err != nil || want.Abstained {
		t.Fatalf("Ask(%q) = %+v, %v; want an answer", question, want, err)
	}
	for _, q := range []string{
		"hey, " + question + " thx",
		"hi! " + question + " lol",
		"ok so " + question + " pls",
		"someone pls tell me " + question + " thanks",
		"does anyone know " + question,
		"hey, any idea " + question,
		"I was wondering: " + question,
		"sorry to bother, but " + question + " cheers",
		"sorry if this is a dumb q but " + question,
		"Morning all! quick question: " + question + " much appreciated :)",
		"yo " + question,
		strings.ToUpper(question),
	} {
		got, err := answer.Ask(ctx, ix, answer.Request{Question: q})
		if err != nil {
			t.Fatal(err)
		}
		if got.Abstained || got.Text != want.Text || got.Confidence != want.Confidence || got.Question != q || got.Corrected != "" {
			t.Errorf("Ask(%q) = abstained %v, %q (confidence %.3f), question %q, corrected %q; want %q (%.3f) as for %q, the question as asked",
				q, got.Abstained, got.Text, got.Confidence, got.Question, got.Corrected, want.Text, want.Confidence, question)
		}
	}
	// Chat shorthand is read as the words stories write: "yrs" is a word
	// no article has, and was counted against the answer.
	long, err := answer.Ask(ctx, ix, answer.Request{Question: "how many years of repairs did the old bridge need?"})
	if err != nil || long.Abstained {
		t.Fatalf("Ask = %+v, %v; want an answer", long, err)
	}
	short, err := answer.Ask(ctx, ix, answer.Request{Question: "how many yrs of repairs did the old bridge need?"})
	if err != nil {
		t.Fatal(err)
	}
	if short.Abstained || short.Text != long.Text || short.Confidence != long.Confidence {
		t.Errorf("with \"yrs\": abstained %v, %q (confidence %.3f); want %q (%.3f) as with \"years\"",
			short.Abstained, short.Text, short.Confidence, long.Text, long.Confidence)
	}
	// A slip in a shouted question is corrected, and the question still
	// answered as in lower case; the correction is shown in capitals.
	const slip = "HOW OFTEN WILL THE ISLNAD FERRY RUN?"
	got, err := answer.Ask(ctx, ix, answer.Request{Question: slip})
	if err != nil {
		t.Fatal(err)
	}
	if got.Abstained || got.Text != want.Text || got.Confidence != want.Confidence || got.Corrected != "HOW OFTEN WILL THE ISLAND FERRY RUN?" {
		t.Errorf("Ask(%q) = abstained %v, %q (confidence %.3f), corrected %q; want %q (%.3f), corrected in capitals",
			slip, got.Abstained, got.Text, got.Confidence, got.Corrected, want.Text, want.Confidence)
	}
}

// TestAskLinked checks that a question linking to an indexed story is
// answered from it, though another story matches its words better, and
// that a link's parts are not taken for words of the question.
func TestAskLinked(t *testing.T) {
	ix := indexOf(t,
		retrieval.Article{ID: "a", URL: "https://harbour.example/fares", Title: "Ferry fares to rise", Published: day(3), Paragraphs: []string{
			"Ferry fares will rise by 10% in April, Tidewater Lines said, blaming the price of fuel."}},
		retrieval.Article{ID: "b", URL: "https://gazette.example/news/ferry?id=7", Title: "Island council on the ferry", Published: day(4), Paragraphs: []string{
			"The island council said the ferry fares should be frozen for residents."}},
	)
	ctx := context.Background()
	ask := func(req answer.Request) answer.Answer {
		t.Helper()
		a, err := answer.Ask(ctx, ix, req)
		if err != nil {
			t.Fatal(err)
		}
		return a
	}
	const q = "what is happening to ferry fares?"
	if a := ask(answer.Request{Question: q}); a.Abstained || ids(a) == "" || a.Sources[0].Hit.Article.ID != "a" {
		t.Fatalf("Ask(%q) = abstained %v, sources %q; want an answer from a", q, a.Abstained, ids(a))
	}
	for _, tt := range []struct{ question, context, want string }{
		{q + " https://Gazette.example/news/ferry?utm_source=slack&id=7", "", "b"},
		{q + " <https://gazette.example/news/ferry?id=7|gazette.example/news/ferry>", "", "b"},
		{"and the fares?", "https://gazette.example/news/ferry?id=7 ferry", "b"}, // a thread that began with the link
		{q + " https://elsewhere.example/2026/not-indexed-4166231", "", "a"},
	} {
		a := ask(answer.Request{Question: tt.question, Context: tt.context})
		if a.Abstained || len(a.Sources) == 0 || a.Sources[0].Hit.Article.ID != tt.want || a.Question != tt.question {
			t.Errorf("Ask(%q, context %q) = abstained %v (%s), sources %q, question %q; want an answer from %s, the question as asked",
				tt.question, tt.context, a.Abstained, a.Reason, ids(a), a.Question, tt.want)
		}
		// Only a link to a story byline lacks is noted: the answer is
		// then not what that story says.
		if wantNote := strings.Contains(tt.question, "not-indexed"); (a.Note != "") != wantNote ||
			wantNote && !strings.Contains(a.Note, "https://elsewhere.example/2026/not-indexed-4166231") {
			t.Errorf("Ask(%q).Note = %q, want one naming the link: %v", tt.question, a.Note, wantNote)
		}
	}
	// A link with nothing to ask but the story itself gets the story's
	// opening paragraph, or is told the story is not indexed.
	for _, tt := range []struct{ question, want string }{
		{"tl;dr https://gazette.example/news/ferry?id=7", "b"},
		{"<https://gazette.example/news/ferry?id=7>", "b"},
		{"what's this story about? https://Gazette.example/news/ferry?id=7&utm_medium=chat", "b"},
		{"summarise this pls https://elsewhere.example/2026/not-indexed-4166231", ""},
	} {
		a := ask(answer.Request{Question: tt.question})
		if tt.want == "" {
			if !a.Abstained || len(a.Sources) != 0 || !strings.Contains(a.Reason, "haven't indexed https://elsewhere.example/2026/not-indexed-4166231") {
				t.Errorf("Ask(%q) = abstained %v, reason %q, sources %q; want told the story is not indexed, no sources", tt.question, a.Abstained, a.Reason, ids(a))
			}
			continue
		}
		if a.Abstained || ids(a) != tt.want || a.Text != "The island council said the ferry fares should be frozen for residents." {
			t.Errorf("Ask(%q) = abstained %v, %q, sources %q; want the opening paragraph of %s", tt.question, a.Abstained, a.Text, ids(a), tt.want)
		}
	}
}

// TestAskLatestOn checks that a question asking for the latest on a
// topic, or a summary of it, is answered with the topic's stories,
// newest first, and that other questions with "new", "news" or
// "explain" in them are not.
func TestAskLatestOn(t *testing.T) {
	ix := indexOf(t,
		retrieval.Article{ID: "approved", Title: "Harbour tunnel approved", Published: day(3), Paragraphs: []string{
			"The council approved the harbour tunnel on Wednesday. The harbour tunnel will cost $1.2bn and open late in 2030."}},
		retrieval.Article{ID: "cost", Title: "Tunnel cost rises", Published: day(19), Paragraphs: []string{
			"The cost of the harbour tunnel has risen to $1.38bn after a seabed survey."}},
		retrieval.Article{ID: "fair", Title: "Harbour fair opens", Published: day(20), Paragraphs: []string{
			"The harbour fair opened with a parade, and its new chief thanked the volunteers."}},
		retrieval.Article{ID: "kiln", Title: "Medieval kiln found", Published: day(12), Paragraphs: []string{
			"Builders uncovered a pottery kiln from the twelfth century.",
			"The kiln, the oldest kiln found in the county, goes on show in May."}},
	)
	// A summary cites a story's opening paragraph, where news sums
	// itself up; the latest on a topic, the paragraph that best matches.
	for q, want := range map[string]int{"summarise the kiln story pls": 0, "whats new with the kiln": 1} {
		a, err := answer.Ask(context.Background(), ix, answer.Request{Question: q, Now: now})
		if err != nil {
			t.Fatal(err)
		}
		if len(a.Sources) == 0 || a.Sources[0].Hit.Paragraph != want {
			t.Errorf("Ask(%q) = sources %+v, want the kiln story's paragraph %d", q, a.Sources, want)
		}
	}
	for _, tt := range []struct {
		question, text, sources string
	}{
		{"what's the latest on the harbour tunnel?", "The latest on the harbour tunnel:", "cost approved"},
		{"hey, any updates about the tunnel?", "The latest on the tunnel:", "cost approved"},
		{"Any news on the harbour tunnel this week?", "The latest on the harbour tunnel from this week:", "cost"},
		{"whats new with the kiln", "The latest on the kiln:", "kiln"},
		{"and what's the latest on the kiln?", "The latest on the kiln:", "kiln"}, // a follow-up in a thread
		{"what's going on with the harbour tunnel?", "The latest on the harbour tunnel:", "cost approved"},
		{"whats the deal with the kiln", "The latest on the kiln:", "kiln"},
		{"anything on the harbour tunnel?", "The latest on the harbour tunnel:", "cost approved"},
		{"when was the kiln story published?", "The latest on the kiln:", "kiln"},
		{"tl;dr the harbour tunnel", "The latest on the harbour tunnel:", "cost approved"},
		{"summarise the kiln story pls", "The latest on the kiln story:", "kiln"},
		{"what are the latest headlines?", "The 4 latest stories:", "fair cost kiln approved"}, // "latest" is not corrected to "late"
		{"tunnel???", "The latest on tunnel:", "cost approved"},                                // a message that is only a topic
		{"the kiln", "The latest on the kiln:", "kiln"},
		{"Harbour Tunnel", "The latest on Harbour Tunnel:", "cost approved"},
	} {
		a, err := answer.Ask(context.Background(), ix, answer.Request{Question: tt.question, Now: now})
		if err != nil {
			t.Fatal(err)
		}
		if !a.Digest || a.Abstained || a.Text != tt.text || ids(a) != tt.sources || a.Corrected != "" {
			t.Errorf("Ask(%q) = digest %v, abstained %v, %q, sources %q, corrected %q; want a digest %q of %q",
				tt.question, a.Digest, a.Abstained, a.Text, ids(a), a.Corrected, tt.text, tt.sources)
		}
	}
	for _, q := range []string{
		"what is the latest cost of the harbour tunnel?",
		"who is the new chief of the harbour fair?",
		"can you explain why the tunnel cost rose?",
		"what happened to the harbour tunnel's cost?", // one event
		"what happened with the cost of the harbour tunnel?",
		"when did the council publish its tunnel article?",
		"when was the article published?",
		"what is going on in which county?",
		"any news about the moon base?", // no story is about it
		"tunnel cost",                   // keywords of a question
		"harbour tunnel",
		"Kiln? Harbour Tunnel", // a thread's follow-up with the earlier question's words
	} {
		a, err := answer.Ask(context.Background(), ix, answer.Request{Question: q, Now: now})
		if err != nil {
			t.Fatal(err)
		}
		if a.Digest {
			t.Errorf("Ask(%q) = a digest %q of %q; want it answered as a question", q, a.Text, ids(a))
		}
	}
}

// TestAskLatestOnCompound checks that the latest on a compound written as
// one word finds the stories that hyphenate it, as search does.
func TestAskLatestOnCompound(t *testing.T) {
	ix := indexOf(t,
		retrieval.Article{ID: "buyback", Title: "Port board plans share buy-back", Published: day(15), Paragraphs: []string{
			"The port board said its share buy-back would start in the spring."}},
		retrieval.Article{ID: "ferry", Title: "Ferry fares rise", Published: day(16), Paragraphs: []string{
			"Ferry fares rise by 4% in January, the port board said."}},
	)
	a, err := answer.Ask(context.Background(), ix, answer.Request{Question: "any news on the buyback?", Now: now})
	if err != nil {
		t.Fatal(err)
	}
	if !a.Digest || ids(a) != "buyback" {
		t.Errorf("Ask(any news on the buyback?) = digest %v, %q, sources %q; want the latest on the buy-back", a.Digest, a.Text, ids(a))
	}
}

// TestAskReaction checks that a message that only reacts to a reply is
// not searched: over this index "sorry?" was corrected to "worry" and
// got the latest stories on worry, and "nice" found the city.
func TestAskReaction(t *testing.T) {
	ix := indexOf(t, retrieval.Article{ID: "nice", Title: "Harbour worry in Nice", Published: day(3), Paragraphs: []string{
		"Fishermen in Nice voiced their worry about the new harbour wall on Tuesday."}})
	for _, q := range []string{"sorry?", "thanks!", "nice", "Nice one, cheers", "huh?", "great, thanks so much :)", "ok cool"} {
		a, err := answer.Ask(context.Background(), ix, answer.Request{Question: q, Now: now})
		if err != nil {
			t.Fatal(err)
		}
		if !a.Abstained || len(a.Sources) != 0 || a.Reason != "Ask me anything about the news." {
			t.Errorf("Ask(%q) = abstained %v, %q, reason %q, sources %q; want no search", q, a.Abstained, a.Text, a.Reason, ids(a))
		}
	}
	for _, q := range []string{"what worried the fishermen in Nice?", "Nice harbour"} {
		a, err := answer.Ask(context.Background(), ix, answer.Request{Question: q, Now: now})
		if err != nil {
			t.Fatal(err)
		}
		if ids(a) != "nice" {
			t.Errorf("Ask(%q) = abstained %v, %q, sources %q; want the Nice story", q, a.Abstained, a.Text, ids(a))
		}
	}
}

// TestAskSaysWhatIsMissing checks that a refusal names the question's
// words that no indexed article has, when the index says so.
func TestAskSaysWhatIsMissing(t *testing.T) {
	ix := indexOf(t, retrieval.Article{ID: "kiln", Title: "Medieval kiln found", Published: day(12), Paragraphs: []string{
		"Builders uncovered a pottery kiln from the twelfth century. The council will pay £40,000 for its display."}})
	for q, want := range map[string]string{
		"how much did the council pay for the kiln's glass dome?": "No article I have mentions “glass” or “dome”.",
		"what did the Martian ambassador announce?":               "No article I have mentions “Martian”, “ambassador” or “announce”.",
	} {
		a, err := answer.Ask(context.Background(), ix, answer.Request{Question: q, Now: now})
		if err != nil {
			t.Fatal(err)
		}
		if !a.Abstained || !strings.HasSuffix(a.Reason, " "+want) {
			t.Errorf("Ask(%q) = abstained %v, %q, reason %q; want a refusal ending %q", q, a.Abstained, a.Text, a.Reason, want)
		}
	}
}

// TestAskIrregularVerbKnown checks that a question's irregular verb is
// no word "no article has" (the refusal would say something false, and
// the answer is there) when the stories write it as asked ("sent"),
// though the answer reads it as its base form ("send"), which none has,
// or write only another of its forms ("hidden" for "hide").
func TestAskIrregularVerbKnown(t *testing.T) {
	for _, tt := range []struct{ story, q, want string }{
		{"The fake emails were sent to 312 library staff on Monday. Fourteen employees entered their passwords.",
			"how many staff were the fake emails sent to?", "sent to 312 library staff"},
		{"Fourteen library employees entered their passwords on the fake page.\n\nInvestigators found a line hidden in white text at the bottom of one of the emails.",
			"what did the fake emails hide?", "hidden in white text"},
	} {
		ix := indexOf(t, retrieval.Article{ID: "phish", Title: "Library staff targeted by fake emails", Published: day(12), Paragraphs: strings.Split(tt.story, "\n\n")})
		a, err := answer.Ask(context.Background(), ix, answer.Request{Question: tt.q, Now: now})
		if err != nil {
			t.Fatal(err)
		}
		if a.Abstained || !strings.Contains(a.Text, tt.want) {
			t.Errorf("Ask(%q) = abstained %v, %q, reason %q, confidence %.2f; want the sentence with %q", tt.q, a.Abstained, a.Text, a.Reason, a.Confidence, tt.want)
		}
		unknown := slices.Index(answer.SignalNames(), "unknown")
		if unknown < 0 || unknown >= len(a.Signals) || a.Signals[unknown] != 0 {
			t.Errorf("Ask(%q): signals %v (%v): want no question word counted as one no article has", tt.q, a.Signals, answer.SignalNames())
		}
	}
}

// A question's acronym is found where a story spells the name out, in
// capitals or in the lower case of chat.
func TestAskAcronym(t *testing.T) {
	ix := indexOf(t,
		retrieval.Article{ID: "shred", Title: "Shredding doubles before records law", Published: day(12), Paragraphs: []string{
			"Civil servants have stepped up the shredding of documents ahead of the new records law, figures suggest.",
			"The Department of Work and Pensions destroyed nearly 37,000 files last year, up from 15,000. The Ministry of Defence also destroyed more."}},
		retrieval.Article{ID: "files", Title: "Council files go online", Published: day(11), Paragraphs: []string{
			"Planning files for the last year are now online, the council said, and 1,200 were viewed in a week."}})
	for _, q := range []string{"how many files did the DWP shred?", "how many files did the dwp shred?"} {
		a, err := answer.Ask(context.Background(), ix, answer.Request{Question: q, Now: now})
		if err != nil {
			t.Fatal(err)
		}
		if a.Abstained || !strings.Contains(a.Text, "37,000") {
			t.Errorf("%s: Ask = abstained %v, %q, reason %q; want the Department of Work and Pensions' 37,000 files", q, a.Abstained, a.Text, a.Reason)
		}
		for _, name := range []string{"unknown", "missing_names", "window_names"} {
			if i := slices.Index(answer.SignalNames(), name); i < 0 || i >= len(a.Signals) || a.Signals[i] != 0 {
				t.Errorf("%s: signals %v (%v): want %s 0, the DWP spelled out", q, a.Signals, answer.SignalNames(), name)
			}
		}
	}
}

// TestAskChangeWords checks that a question asking how much an amount
// grew is answered by the sentence that says how much it rose, not by
// one that only shares the question's verb ("fastest-growing"): news
// reports changes in amounts with many verbs.
func TestAskChangeWords(t *testing.T) {
	ix := indexOf(t, retrieval.Article{ID: "bakes", Title: "Marrow Bakes lifts sales 4.2% as rye orders grow", Published: day(3), Paragraphs: []string{
		"Marrow Bakes, the Tidewater maker of bread and cakes, reported a 4.2% rise in third-quarter sales on Wednesday, helped by strong demand for its new rye loaf and a recovery in orders from local cafes.",
		"\"Rye is now the fastest-growing part of Marrow Bakes,\" said its founder Ada Quell. \"We expect it to pass a third of revenue next year.\"",
	}})
	for _, q := range []string{"how much did marrow's sales grow?", "how much did marrow's sales increase?"} {
		a, err := answer.Ask(context.Background(), ix, answer.Request{Question: q})
		if err != nil {
			t.Fatal(err)
		}
		if a.Abstained || !strings.Contains(a.Text, "4.2%") {
			t.Errorf("Ask(%q) = %q (abstained %v); want the 4.2%% rise", q, a.Text, a.Abstained)
		}
	}
}

// TestAskShareOf checks that "what share of…?" is answered by a share of
// what it names, not by a sentence about the company's shares: the word
// that names the kind of answer asked for is not evidence of it.
func TestAskShareOf(t *testing.T) {
	ix := indexOf(t, retrieval.Article{ID: "bakes", Title: "Marrow Bakes lifts sales 3.5% as U.S. exports grow", Published: day(3), Paragraphs: []string{
		"Marrow Bakes, the Tidewater maker of bread and cakes, reported a 3.5% rise in third-quarter sales on Wednesday, helped by strong demand in the U.S.",
		"Exports to the U.S. made up 22% of sales, compared with 17% a year ago, after the company began supplying a chain of 400 stores on the West Coast in March.",
		"Shares in Marrow Bakes rose 2.8% to $14.65 in early trading. The company will pay a dividend of 18 cents a share on Dec. 4.",
	}})
	const q = "what share of sales came from the US?"
	a, err := answer.Ask(context.Background(), ix, answer.Request{Question: q})
	if err != nil {
		t.Fatal(err)
	}
	if a.Abstained || !strings.Contains(a.Text, "22%") {
		t.Errorf("Ask(%q) = %q (abstained %v); want the 22%% share", q, a.Text, a.Abstained)
	}
}

// TestAskLeadThenName checks that a lead of one sentence announcing an
// appointment ranks with the name its next paragraph gives: the answer
// shows both, and it is the kind of answer "who" asks for.
func TestAskLeadThenName(t *testing.T) {
	ix := indexOf(t,
		retrieval.Article{ID: "harbour", Title: "Kestrel Bay names its first harbour master", Published: day(3), Paragraphs: []string{
			"The first harbour master for Kestrel Bay has been appointed.",
			"Former ferry captain Orla Brennan, who ran the island crossing for a decade, was chosen from twelve candidates and starts in March.",
			"The post will oversee the new marina, whose 200 moorings open in the spring.",
		}},
		retrieval.Article{ID: "festival", Title: "Harbour festival opens", Published: day(5), Paragraphs: []string{
			"Mayor Tomas Quill opened the first harbour festival at Kestrel Bay on Saturday.",
		}})
	const q = "who got picked as kestrel bay's first harbour master?"
	a, err := answer.Ask(context.Background(), ix, answer.Request{Question: q})
	if err != nil {
		t.Fatal(err)
	}
	if a.Abstained || !strings.Contains(a.Text, "Orla Brennan") {
		t.Errorf("Ask(%q) = %q (abstained %v); want Orla Brennan", q, a.Text, a.Abstained)
	}
}
