package answer

import (
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/byline-news/byline/retrieval"
)

// FuzzQuestion analyses arbitrary questions and answers them from an
// arbitrary paragraph. Nothing may panic; the parsed question's terms are
// the analyser's; an answer is valid UTF-8, at most MaxLen characters,
// cites what it was given, marks byte ranges inside the cited text, and
// an abstention says why.
func FuzzQuestion(f *testing.F) {
	para := "Chinese Defense Minister Liang Guanglie denied on Monday that China is behind the cyber attacks, telling reporters there is no evidence. The talks cost $3.5 billion in 2012."
	for _, q := range []string{
		"what did Liang deny?", "how much did the talks cost?", "who denied the attacks", "when were the talks",
		"where is the Pentagon?", "why did he deny it", "what did the minister say about China's role?",
		"", "?", "¿Qué dijo Liang?", "how many percent", "which UK radio station", "what is the service called",
		"Gr\u200bimbald", "\u202eevil", "what did he tell reporters on Monday in 2012?",
	} {
		f.Add(q, para)
	}
	f.Fuzz(func(t *testing.T, question, text string) {
		q := parseQuestion(question)
		for _, term := range q.terms {
			if term == "" || !q.has[term] {
				t.Fatalf("%q: bad term %q in %q", question, term, q.terms)
			}
		}
		if strings.TrimSpace(text) == "" {
			return
		}
		hits := []retrieval.Hit{{
			Article: retrieval.Article{ID: "a", Title: "Talks", Paragraphs: []string{text}},
			Text:    text, Score: 1,
		}}
		a := Extract(question, hits, Options{MinConfidence: -1})
		if a.Abstained {
			if a.Text != "" || a.Reason == "" {
				t.Fatalf("%q: abstention with text %q, reason %q", question, a.Text, a.Reason)
			}
			return
		}
		if n := utf8.RuneCountInString(a.Text); n > MaxLen {
			t.Fatalf("%q: answer of %d characters", question, n)
		}
		if utf8.ValidString(question) && utf8.ValidString(text) && !utf8.ValidString(a.Text) {
			t.Fatalf("%q: answer %q is not valid UTF-8", question, a.Text)
		}
		if len(a.Sources) == 0 {
			t.Fatalf("%q: answer %q cites nothing", question, a.Text)
		}
		for _, s := range a.Sources {
			if s.N < 1 || s.N > len(a.Sources) {
				t.Fatalf("%q: source numbered %d of %d", question, s.N, len(a.Sources))
			}
			for _, m := range s.Marks {
				if m[0] < 0 || m[0] >= m[1] || m[1] > len(s.Hit.Text) {
					t.Fatalf("%q: mark %v outside the text (%d bytes)", question, m, len(s.Hit.Text))
				}
			}
		}
	})
}
