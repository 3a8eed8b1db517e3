package answer

import (
	"context"
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/byline-news/byline/retrieval/analysis"
)

// speller is the optional part of a Searcher that corrects words the
// index lacks to the nearest word it has (engine.Index.Correct).
type speller interface {
	Correct(ctx context.Context, words []string) (map[string]string, error)
}

// correctQuestion returns question with its misspelt words corrected
// against s's vocabulary ("what did the goverment say" → "what did the
// government say"), and whether any was. A misspelt word finds nothing,
// and counts against the answer as a word no article has; chat is typed
// fast.
func correctQuestion(ctx context.Context, s speller, question string) (string, bool, error) {
	toks := analysis.Tokens(question)
	var words []string
	for _, t := range toks {
		if !t.Stop {
			words = append(words, t.Word)
		}
	}
	if len(words) == 0 {
		return question, false, nil
	}
	fixes, err := s.Correct(ctx, words)
	if err != nil {
		return question, false, fmt.Errorf("spelling: %w", err)
	}
	if len(fixes) == 0 {
		return question, false, nil
	}
	var b strings.Builder
	last := 0
	for _, t := range toks {
		fix, ok := fixes[t.Word]
		if !ok || t.Stop {
			continue
		}
		if t.Cap {
			r, n := utf8.DecodeRuneInString(fix)
			fix = string(unicode.ToUpper(r)) + fix[n:]
		}
		b.WriteString(question[last:t.Start])
		b.WriteString(fix)
		last = t.End
	}
	b.WriteString(question[last:])
	return b.String(), true, nil
}
