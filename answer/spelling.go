package answer

import (
	"context"
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/byline-news/byline/retrieval"
	"github.com/byline-news/byline/retrieval/analysis"
)

// speller is the optional part of a Searcher that corrects words the
// index lacks to the nearest word it has (engine.Index.Correct).
type speller interface {
	Correct(ctx context.Context, words []string) (map[string]string, error)
}

// misspelt returns the corrections of question's words against s's
// vocabulary ("goverment" → "government"), by folded word. A misspelt
// word finds nothing, and counts against the answer as a word no
// article has; chat is typed fast.
func misspelt(ctx context.Context, s speller, question string) (map[string]string, error) {
	var words []string
	for _, t := range analysis.Tokens(question) {
		if !t.Stop && !digestWords[t.Term] { // "latest" is no slip of "late"
			words = append(words, t.Word)
		}
	}
	if len(words) == 0 {
		return nil, nil
	}
	fixes, err := s.Correct(ctx, words)
	if err != nil {
		return nil, fmt.Errorf("spelling: %w", err)
	}
	return fixes, nil
}

// rewrite returns question with the words fixes corrects replaced, a
// capital kept.
func rewrite(question string, fixes map[string]string) string {
	var b strings.Builder
	last := 0
	for _, t := range analysis.Tokens(question) {
		fix, ok := fixes[t.Word]
		if !ok || t.Stop {
			continue
		}
		switch written := question[t.Start:t.End]; {
		case len(written) > 1 && strings.ToUpper(written) == written:
			fix = strings.ToUpper(fix) // "INTERCPETIONS" → "INTERCEPTIONS"
		case t.Cap:
			r, n := utf8.DecodeRuneInString(fix)
			fix = string(unicode.ToUpper(r)) + fix[n:]
		}
		b.WriteString(question[last:t.Start])
		b.WriteString(fix)
		last = t.End
	}
	b.WriteString(question[last:])
	return b.String()
}

// surfaceForms replaces each correction that the hits never write with
// a word of the same term that they do. The index keeps stems, so the
// variant one slip away that found them may be no word at all
// ("defende" for "defended"); the question shown as searched should
// read as English.
func surfaceForms(fixes map[string]string, hits []retrieval.Hit) {
	written := map[string]bool{}
	forms := map[string]string{} // term -> the first word of it in the hits
	for _, h := range hits {
		for _, t := range analysis.Tokens(h.Text) {
			written[t.Word] = true
			if _, ok := forms[t.Term]; !ok {
				forms[t.Term] = t.Word
			}
		}
	}
	for w, fix := range fixes {
		toks := analysis.Tokens(fix)
		if len(toks) != 1 || written[fix] {
			continue
		}
		if form, ok := forms[toks[0].Term]; ok {
			fixes[w] = form
		}
	}
}
