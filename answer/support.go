package answer

import (
	"strings"
	"unicode"

	"github.com/byline-news/byline/retrieval/analysis"
)

// minSupport is the share of a generated sentence's content words that
// must appear in the passages it cites. A faithful summary keeps its
// sources' names and some of their words even when it paraphrases
// ("Liang rejected accusations that Beijing was responsible [1]" keeps 2
// of 6); an invented claim, or one cited to the wrong passage, keeps
// fewer. Words cannot verify a paraphrase, so this only catches the
// gross cases, and numbers are checked strictly instead.
const minSupport = 1.0 / 3

// unsupported returns why the cited sentence s is not supported by the
// passages it cites, or "" when it is: every number in it must appear in
// them (a wrong figure is the costliest invention), and at least
// minSupport of its content words.
func unsupported(s string, passages []passage) string {
	src := map[string]bool{}
	for _, m := range citation.FindAllStringSubmatch(s, -1) {
		for _, n := range splitNums(m[1]) {
			if n >= 1 && n <= len(passages) {
				addTerms(src, sourceText(passages[n-1]))
			}
		}
	}
	claim := citation.ReplaceAllString(s, "")
	var terms, found int
	for _, t := range analysis.Tokens(claim) {
		if t.Stop {
			continue
		}
		terms++
		if src[t.Term] {
			found++
		} else if hasDigit(t.Term) {
			return "unsupported number " + t.Word
		}
	}
	if terms >= 3 && float64(found) < minSupport*float64(terms) {
		return "unsupported sentence"
	}
	return ""
}

// sourceText is what the model was shown of a passage.
func sourceText(p passage) string {
	a := p.Article
	return strings.Join([]string{a.Title, a.Outlet, published(a), p.context, p.Text}, " ")
}

func addTerms(set map[string]bool, text string) {
	analysis.Each(text, func(t analysis.Token) { set[t.Term] = true })
}

func hasDigit(s string) bool {
	return strings.IndexFunc(s, unicode.IsDigit) >= 0
}
