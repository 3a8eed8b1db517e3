package bot

import (
	"context"
	"strings"
	"testing"

	"github.com/byline-news/byline/retrieval"
)

func TestParseScope(t *testing.T) {
	tests := []struct {
		text string
		ok   bool
		want scopeOp
	}{
		{"sources", true, scopeOp{verb: "show"}},
		{"Sources default", true, scopeOp{verb: "show", workspace: true}},
		{"sources add BBC News", true, scopeOp{verb: "add", value: "BBC News"}},
		{"sources add category Business", true, scopeOp{verb: "add", kind: retrieval.SourceCategory, value: "Business"}},
		{"sources add <https://x.example/rss|x.example/rss>", true, scopeOp{verb: "add", kind: retrieval.SourceFeed, value: "https://x.example/rss"}},
		{"sources default remove outlet Reuters", true, scopeOp{verb: "remove", workspace: true, kind: retrieval.SourceOutlet, value: "Reuters"}},
		{"sources add outlet", true, scopeOp{verb: "add", value: "outlet"}},
		{"sources reset", true, scopeOp{verb: "reset"}},
		{"sources reset now", true, scopeOp{verb: "reset", bad: true}},
		{"sources add", true, scopeOp{verb: "add", bad: true}},
		{"sources say the minister resigned", false, scopeOp{}},
		{"what sources did the minister cite?", false, scopeOp{}},
	}
	for _, tt := range tests {
		got, ok := parseScope(tt.text)
		if ok != tt.ok || got != tt.want {
			t.Errorf("parseScope(%q) = %+v, %v; want %+v, %v", tt.text, got, ok, tt.want, tt.ok)
		}
	}
}

// TestScopeCommands: anyone sees a channel's sources, admins change
// them, and the channel's questions then search only those; a channel
// without its own list follows the workspace default.
func TestScopeCommands(t *testing.T) {
	ix := mustIndex(t, testArticles)
	b := mustBot(t, ix, Options{Scopes: ix, RatePerUser: -1})
	ctx := context.Background()
	msg := func(ch, text string, admin bool) Reply {
		return b.Handle(ctx, Message{Platform: "slack", Workspace: "T1", Channel: ch, User: "U1", Text: text, Admin: admin})
	}
	steps := []struct {
		ch, text string
		admin    bool
		kind     Kind
		contains string
	}{
		{"C1", "sources", false, KindAdmin, "This channel answers from everything I have indexed."},
		{"C1", "sources add test gazette", false, KindRejected, scopeNotAdminText},
		{"C1", "sources add Nowhere Post", true, KindAdmin, "I have no articles from an outlet or in a category called “Nowhere Post”"},
		{"C1", "sources add test gazette", true, KindAdmin, "Added the outlet test gazette. This channel answers only from the outlet test gazette."},
		{"C1", "sources add Test Gazette", true, KindAdmin, "already answers from the outlet Test Gazette"},
		{"C1", "what did Liang deny?", false, KindAbstained, ""},
		{"C2", "what did Liang deny?", false, KindAnswer, "Liang"},
		{"C1", "when did the harbour bridge reopen?", false, KindAnswer, "reopened"},
		{"C1", "sources remove TEST GAZETTE", true, KindAdmin, "Removed the outlet TEST GAZETTE. This channel answers from everything I have indexed."},
		{"C1", "sources default add outlet Test Wire", true, KindAdmin, "The workspace default answers only from the outlet Test Wire."},
		{"C3", "sources", false, KindAdmin, "This channel answers from the workspace default: the outlet Test Wire."},
		{"C3", "when did the harbour bridge reopen?", false, KindAbstained, ""},
		{"C3", "sources add outlet Test Gazette", true, KindAdmin, "answers only from the outlet Test Gazette"},
		{"C3", "when did the harbour bridge reopen?", false, KindAnswer, "reopened"},
		{"C3", "sources reset", true, KindAdmin, "This channel now answers from the workspace default: the outlet Test Wire."},
		{"C3", "sources default reset", true, KindAdmin, "The workspace default now answers from everything I have indexed."},
		{"C3", "when did the harbour bridge reopen?", false, KindAnswer, "reopened"},
	}
	for _, s := range steps {
		r := msg(s.ch, s.text, s.admin)
		if r.Kind != s.kind || !strings.Contains(r.Text, s.contains) {
			t.Errorf("%s %q: %v %q; want %v containing %q", s.ch, s.text, r.Kind, r.Text, s.kind, s.contains)
		}
	}
	// The scope other features use is the channel's.
	sc, err := b.Scope(ctx, Channel{Platform: "slack", Workspace: "T1", ID: "C1"})
	if err != nil || !sc.IsZero() {
		t.Errorf("Scope(C1) = %+v, %v; want everything", sc, err)
	}
}

func TestScopeOff(t *testing.T) {
	ix := mustIndex(t, testArticles)
	b := mustBot(t, ix, Options{})
	r := b.Handle(context.Background(), Message{Platform: "slack", Channel: "C1", Text: "sources", Admin: true})
	if r.Kind != KindRejected || r.Text != scopeOffText {
		t.Errorf("sources without a store = %v %q", r.Kind, r.Text)
	}
	if strings.Contains(b.help(), "sources add") {
		t.Error("help mentions sources commands that are off")
	}
}
