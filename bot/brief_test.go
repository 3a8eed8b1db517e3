package bot

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/byline-news/byline/retrieval"
	"github.com/byline-news/byline/retrieval/sqlite"
)

// briefNow is the injected "now" of the briefing tests: a Monday
// morning in December, London on GMT.
var briefNow = utc(2026, 12, 7, 9, 0)

// grainText is one story that three outlets carry word for word.
// (at least 50 words: shorter texts are not compared for copies).
const grainText = "Ukraine and Turkey agreed on Sunday to reopen the Black Sea grain corridor for ships carrying wheat, officials in Ankara said after two days of talks. " +
	"The first convoy of bulk carriers is expected to leave Odesa within a week, escorted by naval vessels, and insurers said they would resume cover for the route once the first ships had passed the strait safely."

func briefArticle(id, outlet, title, text string, ago time.Duration) retrieval.Article {
	a := retrieval.Article{ID: id, Outlet: outlet, Title: title, URL: "https://news.example/" + id,
		Paragraphs: []string{text, "More details were expected later in the day."}}
	if ago >= 0 {
		a.Published = briefNow.Add(-ago)
	}
	return a
}

var briefArticles = []retrieval.Article{
	briefArticle("grain-wire", "Wire One", "Grain corridor to reopen", grainText, 20*time.Hour),
	briefArticle("grain-post", "Daily Post", "Black Sea grain corridor to reopen", grainText, 18*time.Hour),
	briefArticle("grain-times", "Evening Times", "Grain deal: corridor reopens", grainText, 10*time.Hour),
	briefArticle("ferry-new", "Harbour Times", "Ferry strike ends",
		"The harbour ferry strike ended on Monday morning after the union accepted a new pay offer from the operator.", time.Hour),
	briefArticle("bridge-old", "Harbour Times", "Bridge repairs finish",
		"Repairs to the old harbour bridge finished ahead of schedule, the city engineers said on Sunday evening.", 12*time.Hour),
	briefArticle("grain-farm", "Farm Weekly", "Wheat farmers welcome grain news",
		"Wheat farmers said the grain corridor deal would lift prices for this year's harvest across the region.", 5*time.Hour),
	briefArticle("stale", "Wire One", "Council votes on budget",
		"The city council voted on the budget for next year after a long debate about bus fares.", 30*time.Hour),
	briefArticle("undated", "Wire One", "Museum opens new wing",
		"The museum opened a new wing for its collection of maps and ship models.", -1),
}

// searchOnly is a Searcher that cannot list recent stories, as a
// Searcher other than byline's storage backends may be.
type searchOnly struct{ Searcher }

// briefBot is a Bot with briefings over a real index of briefArticles,
// at briefNow unless now is given.
func briefBot(t *testing.T, now func() time.Time) (*Bot, *sqlite.Index) {
	t.Helper()
	ix := mustIndex(t, briefArticles)
	if now == nil {
		now = func() time.Time { return briefNow }
	}
	return mustBot(t, ix, Options{Briefings: ix, Deleter: ix, Now: now}), ix
}

func sourceIDs(r Reply) []string {
	var ids []string
	for _, s := range r.Sources {
		ids = append(ids, s.Hit.Article.ID)
	}
	return ids
}

func TestBriefRanksByOutletsThenRecency(t *testing.T) {
	b, ix := briefBot(t, nil)
	ahead := briefArticle("embargoed", "Wire One", "Budget leaks early",
		"The budget papers were dated three days ahead of the speech by mistake.", 0)
	ahead.Published = briefNow.Add(72 * time.Hour)
	if _, err := ix.Put(context.Background(), []retrieval.Article{ahead}); err != nil {
		t.Fatal(err)
	}
	m := Message{Platform: "slack", Workspace: "T1", Channel: "C1", User: "U1", Text: "brief"}
	r := b.Handle(context.Background(), m)
	if r.Kind != KindBriefing || r.Text != "Top stories in the last 24 hours" {
		t.Fatalf("reply = %v %q, want a briefing", r.Kind, r.Text)
	}
	// The grain story, carried by three outlets, leads, shown by its
	// earliest copy; then the rest, newest first; nothing older than a
	// day, nothing undated, nothing dated days ahead.
	want := []string{"grain-wire", "ferry-new", "grain-farm", "bridge-old"}
	if got := sourceIDs(r); !slices.Equal(got, want) {
		t.Errorf("stories = %v, want %v", got, want)
	}
	if got := r.Sources[0].Hit.AlsoCarriedBy; len(got) != 2 {
		t.Errorf("lead story also carried by %v, want the two other outlets", got)
	}
	for i, s := range r.Sources {
		if s.N != i+1 || s.Hit.Article.URL == "" || s.Hit.Article.Published.IsZero() {
			t.Errorf("story %d = %+v, want numbered, with its link and time", i, s)
		}
	}
}

// TestBriefWithinChannelSources: a channel that answers from one outlet
// gets a briefing of that outlet's stories; another channel, all.
func TestBriefWithinChannelSources(t *testing.T) {
	ix := mustIndex(t, briefArticles)
	b := mustBot(t, ix, Options{Scopes: ix, RatePerUser: -1,
		Now: func() time.Time { return briefNow }})
	ctx := context.Background()
	set := b.Handle(ctx, Message{Platform: "slack", Workspace: "T1", Channel: "C1", User: "U1", Admin: true, Text: "sources add Farm Weekly"})
	if set.Kind != KindAdmin {
		t.Fatalf("sources add = %v %q", set.Kind, set.Text)
	}
	r := b.Handle(ctx, Message{Platform: "slack", Workspace: "T1", Channel: "C1", User: "U1", Text: "brief"})
	if got := sourceIDs(r); !slices.Equal(got, []string{"grain-farm"}) {
		t.Errorf("briefing in the Farm Weekly channel = %v (%q), want only grain-farm", got, r.Text)
	}
	r = b.Handle(ctx, Message{Platform: "slack", Workspace: "T1", Channel: "C2", User: "U1", Text: "brief"})
	if got := sourceIDs(r); len(got) != 4 {
		t.Errorf("briefing in a channel without sources = %v, want all four stories", got)
	}
}

func TestBriefTopic(t *testing.T) {
	b, _ := briefBot(t, nil)
	r := b.Handle(context.Background(), Message{Platform: "discord", Workspace: "G1", Channel: "C1", Text: "Brief grain corridor"})
	if r.Kind != KindBriefing || !strings.Contains(r.Text, "on “grain corridor”") {
		t.Fatalf("reply = %v %q", r.Kind, r.Text)
	}
	if got := sourceIDs(r); !slices.Equal(got, []string{"grain-wire", "grain-farm"}) {
		t.Errorf("stories = %v, want the grain stories only, the most carried first", got)
	}
	r = b.Handle(context.Background(), Message{Platform: "discord", Workspace: "G1", Channel: "C1", Text: "brief budget"})
	if r.Kind != KindBriefing || len(r.Sources) != 0 || r.Text != "No stories on “budget” in the last 24 hours." {
		t.Errorf("stale topic: %v %q %v, want no stories (the budget story is 30 hours old)", r.Kind, r.Text, sourceIDs(r))
	}
}

func TestBriefDailyCommands(t *testing.T) {
	ctx := context.Background()
	b, ix := briefBot(t, nil)
	m := func(text string) Message {
		return Message{Platform: "slack", Workspace: "T1", Channel: "C1", User: "U7", Text: text}
	}
	steps := []struct {
		text, want string
		kind       Kind
	}{
		{"brief daily", noDailyText, KindAdmin},
		{"brief off", noDailyText, KindAdmin},
		{"brief daily 08:00 Europe/London", "Daily briefing scheduled: 08:00 Europe/London; the next one Tue 8 Dec 2026 at 08:00 GMT.", KindAdmin},
		{"brief daily", "Daily briefing: 08:00 Europe/London; the next one Tue 8 Dec 2026 at 08:00 GMT.", KindAdmin},
		{"BRIEF DAILY 7:30 America/New_York grain", "Daily briefing scheduled: 07:30 America/New_York, on “grain”; the next one Mon 7 Dec 2026 at 07:30 EST.", KindAdmin},
		{"brief daily 25:00 Europe/London", "Couldn't schedule the briefing: \"25:00\" is not a time of day: write it as 08:00 (24-hour clock).", KindRejected},
		{"brief daily 08:00 Europe/Londres", "Couldn't schedule the briefing: I don't know the time zone “Europe/Londres”: " + zoneExampleText + ".", KindRejected},
		{"brief daily 08:00", briefUsageText, KindRejected},
		{"brief off now", briefUsageText, KindRejected},
		{"brief off", dailyStoppedText, KindAdmin},
		{"brief daily", noDailyText, KindAdmin},
	}
	for _, s := range steps {
		r := b.Handle(ctx, m(s.text))
		if r.Kind != s.kind || r.Text != s.want {
			t.Errorf("%q: %v %q\nwant %v %q", s.text, r.Kind, r.Text, s.kind, s.want)
		}
		if s.text == "BRIEF DAILY 7:30 America/New_York grain" {
			br, err := ix.Briefing(ctx, "slack", "T1", "C1")
			want := retrieval.Briefing{Platform: "slack", Workspace: "T1", Channel: "C1", Topic: "grain", Minute: 450,
				Zone: "America/New_York", Next: utc(2026, 12, 7, 12, 30), By: "U7", Created: briefNow}
			if err != nil || br != want {
				t.Errorf("stored %+v, %v\nwant %+v", br, err, want)
			}
		}
	}
}

func TestBriefNotEnabled(t *testing.T) {
	ix := mustIndex(t, briefArticles)
	b := mustBot(t, searchOnly{ix}, Options{})
	for _, text := range []string{"brief", "brief daily 08:00 UTC", "brief off"} {
		if r := b.Handle(context.Background(), Message{Text: text}); r.Kind != KindRejected || r.Text != briefOffText {
			t.Errorf("%q without briefings: %v %q", text, r.Kind, r.Text)
		}
	}
	b = mustBot(t, ix, Options{})
	if r := b.Handle(context.Background(), Message{Text: "brief daily 08:00 UTC"}); r.Text != briefOffText {
		t.Errorf("scheduling without a store: %q", r.Text)
	}
	if r := b.Handle(context.Background(), Message{Text: "help"}); !strings.Contains(r.Text, "brief daily 08:00 Europe/London") {
		t.Errorf("help does not mention brief: %q", r.Text)
	}
}

func TestDeleteCommand(t *testing.T) {
	ctx := context.Background()
	b, ix := briefBot(t, nil)
	admin := func(text string) Message {
		return Message{Platform: "slack", Workspace: "T1", Channel: "C1", User: "U1", Admin: true, Text: text}
	}
	steps := []struct {
		m    Message
		kind Kind
		want string
	}{
		{Message{Text: "delete ferry-new"}, KindRejected, notAdminDelete},
		{admin("delete ferry-new"), KindAdmin, "Deleted “Ferry strike ends” · Harbour Times (ID ferry-new)."},
		{admin("delete <https://news.example/bridge-old|news.example/bridge-old>"), KindAdmin, "Deleted “Bridge repairs finish” · Harbour Times (ID bridge-old)."},
		{admin("delete ferry-new"), KindAdmin, "No article has the ID or URL ferry-new."},
		{admin("delete"), KindRejected, deleteUsageText},
	}
	for _, s := range steps {
		if r := b.Handle(ctx, s.m); r.Kind != s.kind || r.Text != s.want {
			t.Errorf("%q (admin %v): %v %q, want %v %q", s.m.Text, s.m.Admin, r.Kind, r.Text, s.kind, s.want)
		}
	}
	for _, id := range []string{"ferry-new", "bridge-old"} {
		if _, err := ix.Article(ctx, id); err == nil {
			t.Errorf("%s still indexed", id)
		}
	}
	if r := b.Handle(ctx, admin("delete the old tweets?")); r.Kind == KindAdmin || r.Kind == KindRejected {
		t.Errorf("a question starting with delete answered as a command: %v %q", r.Kind, r.Text)
	}
	if !IsSourcesCommand("delete <https://news.example/a|news.example/a>") {
		t.Error("delete <url> keeps its link target in adapters")
	}
	plain := mustBot(t, ix, Options{})
	if r := plain.Handle(ctx, admin("delete grain-wire")); r.Text != deleteOffText {
		t.Errorf("without a Deleter: %q", r.Text)
	}
}
