package answer

import (
	"context"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/byline-news/byline/llm/fakeai"
	"github.com/byline-news/byline/retrieval"
)

func TestGenerateRefusesUnfaithfulAnswers(t *testing.T) {
	t.Parallel()
	const q = "what did Liang deny?"
	hits := []retrieval.Hit{liang, harbour}
	tests := []struct {
		name, reply, reason string
	}{
		{"invented number", "Liang Guanglie denied the hacking claims at 12 news conferences [1].", "unsupported number 12"},
		{"unsupported claim", "Liang Guanglie resigned after parliament voted against his budget proposals [1].", "unsupported sentence"},
		{"claim cited to the wrong passage", "Liang Guanglie denied the hacking claims at the Pentagon [2].", "unsupported sentence"},
		{"another language", "El ministro Liang Guanglie negó que China estuviera detrás de los ataques y dijo que su país se opone [1].", "answer not in the language of the question"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			ans, reason, _ := generate(t, fakeai.Always(tt.reply), q, hits)
			if reason != tt.reason {
				t.Errorf("reason = %q, want %q", reason, tt.reason)
			}
			if ans.Generated {
				t.Errorf("the refused answer was used: %q", ans.Text)
			}
		})
	}
}

// A paraphrase that keeps the names passes, though most of its words
// are the model's.
func TestGenerateAcceptsParaphrase(t *testing.T) {
	t.Parallel()
	reply := "Liang rejected accusations that Beijing was responsible for the cyberattacks [1]."
	ans, reason, _ := generate(t, fakeai.Always(reply), "what did Liang deny?", []retrieval.Hit{liang})
	if reason != "" || !ans.Generated {
		t.Errorf("reason %q, generated %v; want the paraphrase accepted", reason, ans.Generated)
	}
}

func TestGenerateShowsAtMostThreeSentences(t *testing.T) {
	t.Parallel()
	reply := "Liang Guanglie denied the claims [1]. He spoke at the Pentagon [1]. He is the Chinese Defence Minister [1]. He denied it at a news conference [1]."
	ans, reason, _ := generate(t, fakeai.Always(reply), "what did Liang deny?", []retrieval.Hit{liang})
	if reason != "" {
		t.Fatalf("fallback: %s", reason)
	}
	want := "Liang Guanglie denied the claims [1]. He spoke at the Pentagon [1]. He is the Chinese Defence Minister [1]."
	if ans.Text != want || !ans.Generated {
		t.Errorf("Text = %q (generated %v)\nwant   %q", ans.Text, ans.Generated, want)
	}
}

func TestDetectLanguage(t *testing.T) {
	t.Parallel()
	tests := []struct{ text, want string }{
		{"what did Liang deny?", "en"},
		{"Who was the minister that the paper named?", "en"},
		{"¿Qué dijo el ministro sobre los ataques?", "es"},
		{"Qu'est-ce que le ministre a dit sur les attaques?", "fr"},
		{"Was hat der Minister über die Angriffe gesagt?", "de"},
		{"Что сказал министр?", "Cyrillic"},
		{"部長は何と言いましたか", "Japanese"},
		{"Liang Guanglie", ""},
		// English words that other languages also have ("a", "war", "die") must not make English text foreign.
		{"Exeter City face a home tie against Middlesbrough if they can see off holders Manchester United in a replay.", "en"},
		{"The war began a year before the old king would die.", "en"},
		{"Sales per head come to a record, he said as the van met the convoy.", "en"},
		{"", ""},
	}
	for _, tt := range tests {
		if got := detectLanguage(tt.text); got != tt.want {
			t.Errorf("detectLanguage(%q) = %q, want %q", tt.text, got, tt.want)
		}
	}
}

func TestBudgetPromptTrimsPassages(t *testing.T) {
	t.Parallel()
	long := hit("t-long", "A long story", 0, "", strings.Repeat("The council debated the harbour plan again. ", 60), "")
	hits := []retrieval.Hit{long, long, long, long, long}
	tests := []struct {
		name      string
		context   int
		passages  int
		firstCut  bool
		maxTokens int
	}{
		{"roomy", 100000, 5, true, 100000}, // cut at maxPassageLen only
		{"8k", 8192, 5, true, 8192},
		{"small", 1500, 2, true, 1500},
		{"tiny", 400, 1, true, 1200}, // the first passage is kept, at its minimum
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			gen := GenOptions{Now: today, ContextTokens: tt.context}.withDefaults()
			user, kept := budgetPrompt("what did the council debate?", passagesOf(hits), gen)
			if len(kept) != tt.passages {
				t.Errorf("kept %d passages, want %d", len(kept), tt.passages)
			}
			if got := estimateTokens(systemPrompt) + estimateTokens(user) + answerTokens; got > tt.maxTokens {
				t.Errorf("prompt and reply need %d tokens, more than %d", got, tt.maxTokens)
			}
			if !strings.Contains(user, "[1] Title: A long story") || strings.Contains(user, "["+string(rune('1'+tt.passages))+"] Title") {
				t.Errorf("prompt holds the wrong passages:\n%.300s", user)
			}
		})
	}
}

func TestPartialText(t *testing.T) {
	t.Parallel()
	tests := []struct{ soFar, want string }{
		{"NO_", ""},
		{"NO_ANSWER", ""},
		{"Liang denied", "Liang denied"},
		{"Liang denied it [", "Liang denied it"},
		{"Liang denied it [3", "Liang denied it"},
		{"Liang denied it [3].  He\nspoke [1, 3]", "Liang denied it [1]. He spoke [2][1]"},
		{"Liang denied it [9].", "Liang denied it ."},
	}
	for _, tt := range tests {
		if got := partialText(tt.soFar, 3); got != tt.want {
			t.Errorf("partialText(%q) = %q, want %q", tt.soFar, got, tt.want)
		}
	}
}

// streamer is a Streamer that sends its chunks one by one.
type streamer struct{ chunks []string }

func (s streamer) Complete(ctx context.Context, system, user string) (string, error) {
	return strings.Join(s.chunks, ""), nil
}

func (s streamer) Stream(ctx context.Context, system, user string, onText func(string)) (string, error) {
	text := ""
	for _, c := range s.chunks {
		text += c
		onText(text)
	}
	return text, nil
}

func TestGenerateStreamsPartialText(t *testing.T) {
	t.Parallel()
	g := streamer{chunks: []string{"Liang Guanglie ", "denied the claims ", "[2", "]. He spoke at the Pentagon [2]."}}
	var partial []string
	ans, reason := Generate(context.Background(), g, "what did Liang deny?", []retrieval.Hit{harbour, liang}, Options{},
		GenOptions{Now: today, Partial: func(s string) { partial = append(partial, s) }})
	if reason != "" {
		t.Fatalf("fallback: %s", reason)
	}
	want := []string{"Liang Guanglie", "Liang Guanglie denied the claims", "Liang Guanglie denied the claims", "Liang Guanglie denied the claims [1]. He spoke at the Pentagon [1]."}
	if !reflect.DeepEqual(partial, want) {
		t.Errorf("partial texts = %q\nwant %q", partial, want)
	}
	if ans.Text != want[len(want)-1] {
		t.Errorf("final %q, want the last partial text", ans.Text)
	}
}

// deadlineSeer records the deadline its context had.
type deadlineSeer struct{ seen *time.Time }

func (d deadlineSeer) Complete(ctx context.Context, system, user string) (string, error) {
	*d.seen, _ = ctx.Deadline()
	return "", context.DeadlineExceeded
}

func TestGenerateKeepsReserveForFallback(t *testing.T) {
	t.Parallel()
	dl := time.Now().Add(time.Hour)
	ctx, cancel := context.WithDeadline(context.Background(), dl)
	defer cancel()
	var seen time.Time
	ans, reason := Generate(ctx, deadlineSeer{&seen}, "what did Liang deny?", []retrieval.Hit{liang}, Options{}, GenOptions{Now: today, Reserve: 2 * time.Second})
	if want := dl.Add(-2 * time.Second); !seen.Equal(want) {
		t.Errorf("the model's deadline was %v, want %v (2s before the caller's)", seen, want)
	}
	if ans.Generated || ans.Text == "" || !strings.HasPrefix(reason, "model error") {
		t.Errorf("answer %q (generated %v), reason %q; want the extractive fallback", ans.Text, ans.Generated, reason)
	}
}

func TestPlainText(t *testing.T) {
	t.Parallel()
	tests := []struct{ in, want string }{
		{"Liang **denied** the `claims` [1].", "Liang denied the claims [1]."},
		{"## Answer\n- Liang *denied* it [1].", "Answer\nLiang denied it [1]."},
		{"It rose 3*4 times [1].", "It rose 3*4 times [1]."},
		{"A __big__ plan [1].", "A big plan [1]."},
	}
	for _, tt := range tests {
		if got := plainText(tt.in); got != tt.want {
			t.Errorf("plainText(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

// A single sentence longer than an answer may be is cut at a word, and
// keeps its citation.
func TestValidateCutsLongSentenceKeepingCitation(t *testing.T) {
	t.Parallel()
	reply := "Word " + strings.Repeat("word ", 139) + "[2]."
	text, cited, reason := validate(reply, 3)
	if reason != "" || !reflect.DeepEqual(cited, []int{2}) {
		t.Fatalf("validate = %q, %v, %q; want it accepted citing passage 2", text, cited, reason)
	}
	if !strings.HasSuffix(text, " [1]") || runeLen(text) > MaxGeneratedLen {
		t.Errorf("text %q (%d characters): want at most %d, ending with its citation", text, runeLen(text), MaxGeneratedLen)
	}
}

// A passage that opens by referring back ("But that is something…") goes
// to the model with the paragraph before it, and an answer that names
// what "that" was is supported by it.
func TestGenerateGivesContextForReferences(t *testing.T) {
	t.Parallel()
	reply := "Liang Guanglie denied that China was the source of the attacks on American government networks [1]."
	ans, reason, srv := generate(t, fakeai.Always(reply), "what did Liang deny?", []retrieval.Hit{liang, harbour})
	if reason != "" || !ans.Generated {
		t.Errorf("reason %q, generated %v; want the answer supported by the context", reason, ans.Generated)
	}
	user := srv.Requests()[0].Messages[1].Content
	want := "[1] Title: China's defence chief rejects hacking claims\nOutlet: unknown\nPublished: unknown\nParagraph before (context for names and pronouns):\n\"\"\"\nOfficials in Washington"
	if !strings.Contains(user, want) {
		t.Errorf("prompt lacks the paragraph before the Liang passage:\n%s", user)
	}
	if strings.Count(user, "Paragraph before") != 1 {
		t.Errorf("the harbour passage, which refers back to nothing, got context too:\n%s", user)
	}
}
