package main

import (
	"encoding/json"
	"fmt"
	"io"
	"math"
	"os"
	"strings"
	"time"
	"unicode"

	"github.com/byline-news/byline/answer"
	"github.com/byline-news/byline/bot"
	"golang.org/x/term"
)

// jsonSource and jsonAnswerDoc are the stable `ask --json` shape,
// documented in the README. Add fields; never rename or remove them.
type jsonSource struct {
	N         int     `json:"n"`
	ArticleID string  `json:"article_id"`
	Title     string  `json:"title"`
	URL       string  `json:"url"`
	Outlet    string  `json:"outlet"`
	Published *string `json:"published"` // RFC 3339, null when unknown
	Paragraph int     `json:"paragraph"` // 1-based
	Text      string  `json:"text"`
	Score     float64 `json:"score"`
	// AlsoCarriedBy lists other outlets that carried the same story.
	AlsoCarriedBy []string `json:"also_carried_by"`
}

type jsonAnswerDoc struct {
	Question  string `json:"question"`
	Answer    string `json:"answer"`
	Abstained bool   `json:"abstained"`
	Reason    string `json:"reason"` // "" unless abstained; always present, as the README documents
	// Sources are the cited paragraphs; when abstained, the closest
	// stories (not an answer); for a digest, the newest stories.
	Sources []jsonSource `json:"sources"`
	// Digest is true when the question asked only what is new ("what
	// happened last week?") and the sources are the newest stories.
	Digest bool    `json:"digest"`
	TookMS float64 `json:"took_ms"`
	// Confidence is the answerability model's probability that the
	// answer answers the question (byline abstains below a threshold).
	Confidence float64 `json:"confidence"`
	// Mode is "extractive" (quoted) or "llm" (generated).
	Mode string `json:"mode"`
	// FallbackReason says why a generated answer was replaced by the
	// extractive one; omitted when none was.
	FallbackReason string `json:"fallback_reason,omitempty"`
	// Corrected is the question as searched when misspelt words were
	// corrected ("goverment" → "government"); omitted when none was.
	Corrected string `json:"corrected,omitempty"`
	// Note says what to know to read the answer (answer.Answer.Note):
	// newer coverage among the sources, or that the story the question
	// links to is not indexed; omitted when there is nothing.
	Note string `json:"note,omitempty"`
}

func jsonAnswer(a answer.Answer, took time.Duration) jsonAnswerDoc {
	doc := jsonAnswerDoc{
		Question: a.Question, Answer: a.Text, Abstained: a.Abstained, Reason: a.Reason,
		Sources: []jsonSource{}, TookMS: float64(took.Microseconds()) / 1000, Mode: modeExtractive,
		FallbackReason: a.Fallback, Digest: a.Digest, Confidence: round(a.Confidence, 4), Corrected: a.Corrected,
		Note: a.Note,
	}
	if a.Generated {
		doc.Mode = modeLLM
	}
	for _, s := range a.Sources {
		h := s.Hit
		js := jsonSource{
			N: s.N, ArticleID: h.Article.ID, Title: h.Article.Title, URL: h.Article.URL,
			Outlet: h.Article.Outlet, Paragraph: h.Paragraph + 1, Text: h.Text, Score: round(h.Score, 4),
		}
		js.AlsoCarriedBy = append([]string{}, h.AlsoCarriedBy...)
		if !h.Article.Published.IsZero() {
			p := h.Article.Published.UTC().Format(time.RFC3339)
			js.Published = &p
		}
		doc.Sources = append(doc.Sources, js)
	}
	return doc
}

func round(f float64, digits int) float64 {
	p := 1.0
	for range digits {
		p *= 10
	}
	return math.Round(f*p) / p
}

func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(v)
}

func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	return ok && term.IsTerminal(int(f.Fd()))
}

// printAnswer writes the answer for a person: the text, then numbered
// sources with the quoted paragraph, matched words in bold on a terminal
// and between asterisks elsewhere.
func printAnswer(w io.Writer, a answer.Answer, tty bool) {
	if a.Corrected != "" {
		fmt.Fprintf(w, "(Searched for: %s)\n", termSafe(a.Corrected))
	}
	if a.Note != "" {
		fmt.Fprintf(w, "(%s)\n", termSafe(a.Note))
	}
	heading := "Sources:"
	switch {
	case a.Abstained:
		fmt.Fprintln(w, termSafe(a.Reason))
		heading = "Closest stories (not an answer):"
	case a.Digest:
		fmt.Fprintln(w, termSafe(a.Text))
		heading = ""
	default:
		fmt.Fprintln(w, termSafe(a.Text))
	}
	if len(a.Sources) == 0 {
		return
	}
	if heading != "" {
		fmt.Fprintln(w, "\n"+heading)
	} else {
		fmt.Fprintln(w)
	}
	for _, s := range a.Sources {
		h := s.Hit
		fmt.Fprintf(w, "[%d] %s\n", s.N, termSafe(h.Article.Title))
		if line := sourceLine(h.Article.Outlet, h.Article.Published, h.Article.URL); line != "" {
			fmt.Fprintf(w, "    %s\n", termSafe(line))
		}
		if also := bot.AlsoCarried(h.AlsoCarriedBy); also != "" {
			fmt.Fprintf(w, "    %s\n", termSafe(also))
		}
		fmt.Fprintf(w, "    ¶%d: “%s”\n", h.Paragraph+1, quote(h.Text, s.Marks, tty))
	}
}

// sourceLine is "outlet · as of 2 Jan 2006 · url", leaving out the unknown.
func sourceLine(outlet string, published time.Time, url string) string {
	var parts []string
	if outlet != "" {
		parts = append(parts, outlet)
	}
	if !published.IsZero() {
		parts = append(parts, "as of "+published.UTC().Format("2 Jan 2006"))
	}
	if url != "" {
		parts = append(parts, url)
	}
	return strings.Join(parts, " · ")
}

// maxQuote is how much of a cited paragraph the text output shows.
const maxQuote = 360

// quote marks the matched words and shortens long paragraphs to a window
// around the first match.
func quote(text string, marks [][2]int, tty bool) string {
	start, end := 0, len(text)
	if len(text) > maxQuote {
		first := 0
		if len(marks) > 0 {
			first = marks[0][0]
		}
		start = wordStart(text, max(0, first-maxQuote/3))
		end = wordStart(text, min(len(text), start+maxQuote))
		if end <= start {
			end = len(text)
		}
	}
	on, off := "*", "*"
	if tty {
		on, off = "\x1b[1m", "\x1b[0m"
	}
	var b strings.Builder
	if start > 0 {
		b.WriteString("…")
	}
	pos := start
	for _, m := range marks {
		if m[0] < pos || m[1] > end {
			continue
		}
		b.WriteString(termSafe(text[pos:m[0]]))
		b.WriteString(on + termSafe(text[m[0]:m[1]]) + off)
		pos = m[1]
	}
	b.WriteString(termSafe(text[pos:end]))
	if end < len(text) {
		b.WriteString("…")
	}
	return strings.TrimSpace(b.String())
}

// wordStart moves i back to the start of the word it falls in.
func wordStart(s string, i int) int {
	if i >= len(s) {
		return len(s)
	}
	for i > 0 && s[i-1] != ' ' {
		i--
	}
	return i
}

func writeJSONCompact(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	return enc.Encode(v)
}

// termSafe makes text from articles, readers or a model safe to print on
// a terminal: no control characters (an ESC could recolour, move the
// cursor or retitle the window) and no bidirectional controls (which
// could make a line read as something else). Newlines and tabs stay.
func termSafe(s string) string {
	s = bot.NeutraliseBidi(s)
	if strings.IndexFunc(s, isTermControl) < 0 {
		return s
	}
	return strings.Map(func(r rune) rune {
		if isTermControl(r) {
			return -1
		}
		return r
	}, s)
}

func isTermControl(r rune) bool {
	return r != '\n' && r != '\t' && unicode.IsControl(r)
}
