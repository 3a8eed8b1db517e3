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
// article has; chat is typed fast. kept are the English words that are
// one slip from an indexed word but meant as typed ("sorry to bother"):
// they find nothing either, and are no sign that the question asks
// about something no article has, as a word nothing indexed is near is.
func misspelt(ctx context.Context, s speller, question string) (fixes map[string]string, kept map[string]bool, err error) {
	var words []string
	for _, t := range analysis.Tokens(question) {
		if !t.Stop && !digestWords[t.Term] { // "latest" is no slip of "late"
			words = append(words, t.Word)
		}
	}
	if len(words) == 0 {
		return nil, nil, nil
	}
	fixes, err = s.Correct(ctx, words)
	if err != nil {
		return nil, nil, fmt.Errorf("spelling: %w", err)
	}
	for w, fix := range fixes {
		if fix == w { // an English word meant as typed (engine.Index.Correct)
			delete(fixes, w)
			if kept == nil {
				kept = map[string]bool{}
			}
			kept[w] = true
		}
	}
	return fixes, kept, nil
}

// without returns question without the words of drop (folded words).
func without(question string, drop map[string]bool) string {
	if len(drop) == 0 {
		return question
	}
	var b strings.Builder
	last := 0
	for _, t := range analysis.Tokens(question) {
		if drop[t.Word] && !t.Stop {
			b.WriteString(question[last:t.Start])
			last = t.End
		}
	}
	b.WriteString(question[last:])
	return strings.Join(strings.Fields(b.String()), " ")
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
