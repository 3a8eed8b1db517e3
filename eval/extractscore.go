package eval

import (
	"regexp"
	"slices"
	"strings"
	"time"
	"unicode"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"

	"github.com/byline-news/byline/ingest"
)

// PageScore compares one extraction with the expected one.
type PageScore struct {
	Page                                 string
	Precision, Recall, F1                float64
	Title, Author, Published             bool // equal to the expected value
	WantTitle, WantAuthor, WantPublished bool // the page has an expected value
	Got                                  Extracted
	Want                                 ExtractPage
}

// ExtractSummary aggregates the scores of one extractor over the pages.
// Pages the extractor judged not to be articles (Extracted.NoArticle)
// are counted in NoArticle and left out of the other figures, which are
// over the pages it extracted.
type ExtractSummary struct {
	Pages, NoArticle                   int
	F1Mean, F1Median                   float64
	F1MeanAll                          float64 // over all pages, a page judged no article scoring 0
	Precision, Recall                  float64 // means over pages
	LowRecall, LowPrecision            int     // pages under 0.5 recall, under 0.8 precision
	Titles, Authors, Published         int     // pages where the value matched
	WantTitles, WantAuthors, WantDates int     // pages that have an expected value
	MinRecall                          float64 // the worst page's recall
	MinRecallPage                      string
}

// Summarize aggregates per-page scores.
func Summarize(scores []PageScore) ExtractSummary {
	s := ExtractSummary{Pages: len(scores), MinRecall: 1}
	var f1 []float64
	for _, p := range scores {
		if p.Got.NoArticle {
			s.NoArticle++
			continue
		}
		f1 = append(f1, p.F1)
		s.F1Mean += p.F1
		s.Precision += p.Precision
		s.Recall += p.Recall
		s.LowRecall += b2i(p.Recall < 0.5)
		s.LowPrecision += b2i(p.Precision < 0.8)
		s.Titles += b2i(p.Title)
		s.Authors += b2i(p.Author)
		s.Published += b2i(p.Published)
		s.WantTitles += b2i(p.WantTitle)
		s.WantAuthors += b2i(p.WantAuthor)
		s.WantDates += b2i(p.WantPublished)
		if p.Recall < s.MinRecall {
			s.MinRecall, s.MinRecallPage = p.Recall, p.Page
		}
	}
	if len(scores) > 0 {
		s.F1MeanAll = s.F1Mean / float64(len(scores))
	}
	if n := float64(len(f1)); n > 0 {
		s.F1Mean /= n
		s.Precision /= n
		s.Recall /= n
		slices.Sort(f1)
		s.F1Median = (f1[(len(f1)-1)/2] + f1[len(f1)/2]) / 2
	}
	return s
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

// ScorePage compares got with the expected extraction of p.
//
// Text is compared as a bag of words: the precision is the share of the
// extracted words that the expected text has (each word counted as often
// as it occurs in both), the recall the share of the expected words that
// were extracted. A block (paragraph, list item, heading) that occurs
// twice on either side counts once, because byline keeps a repeated
// paragraph once by design. Words are runs of letters and digits, folded
// to lower case; in Chinese and Japanese, which are written without
// spaces, every ideograph or kana is a word.
//
// The title matches when equal to the expected one (ignoring case and
// spacing) or to it without a site name: one " | "-, " - "- or
// similarly separated segment at the start or the end. The author
// matches when the same words, ignoring a leading "By"; the published
// date when the same instant, or the same day when either side gives no
// time of day.
func ScorePage(p ExtractPage, got Extracted) PageScore {
	s := PageScore{Page: p.Name, Got: got, Want: p}
	var blocks []string
	for _, para := range got.Paragraphs {
		blocks = append(blocks, listItems(para)...)
	}
	s.Precision, s.Recall, s.F1 = bagScore(bagOf(blocks), bagOf(p.Expected))
	s.WantTitle = p.Title != ""
	s.Title = s.WantTitle && TitleMatches(got.Title, p.Title)
	s.WantAuthor = p.Byline != ""
	s.Author = s.WantAuthor && AuthorMatches(got.Author, p.Byline)
	s.WantPublished = p.Published != ""
	s.Published = s.WantPublished && dateMatches(got.Published, p.Published)
	return s
}

// listItems splits a paragraph that holds a list into its items, the
// blocks the expected text has for them; lines that are not items (a
// <br> inside a paragraph, code) stay with the line before.
func listItems(para string) []string {
	var out []string
	for _, line := range strings.Split(para, "\n") {
		if len(out) == 0 || listMarker.MatchString(line) {
			out = append(out, line)
		} else {
			out[len(out)-1] += "\n" + line
		}
	}
	return out
}

var listMarker = regexp.MustCompile(`^(- |\d{1,4}[.)] )`)

// bagOf counts the words of the blocks, each distinct block once.
func bagOf(blocks []string) map[string]int {
	bag := map[string]int{}
	seen := map[string]bool{}
	for _, b := range blocks {
		ws := Words(b)
		k := strings.Join(ws, " ")
		if k == "" || seen[k] {
			continue
		}
		seen[k] = true
		for _, w := range ws {
			bag[w]++
		}
	}
	return bag
}

func bagScore(got, want map[string]int) (precision, recall, f1 float64) {
	common, nGot, nWant := 0, 0, 0
	for w, n := range got {
		nGot += n
		common += min(n, want[w])
	}
	for _, n := range want {
		nWant += n
	}
	switch {
	case nGot == 0 && nWant == 0:
		return 1, 1, 1
	case nGot == 0 || nWant == 0 || common == 0:
		return b2f(nGot == 0), b2f(nWant == 0), 0
	}
	precision, recall = float64(common)/float64(nGot), float64(common)/float64(nWant)
	return precision, recall, 2 * precision * recall / (precision + recall)
}

func b2f(b bool) float64 {
	if b {
		return 1
	}
	return 0
}

// Words splits s into lower-case words (see ScorePage).
func Words(s string) []string {
	var out []string
	var cur strings.Builder
	flush := func() {
		if cur.Len() > 0 {
			out = append(out, cur.String())
			cur.Reset()
		}
	}
	for _, r := range strings.ToLower(s) {
		switch {
		case unicode.In(r, unicode.Han, unicode.Hiragana, unicode.Katakana):
			flush()
			out = append(out, string(r))
		case unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.IsMark(r):
			cur.WriteRune(r)
		default:
			flush()
		}
	}
	flush()
	return out
}

// titleSeparators join a headline and a site name.
var titleSeparators = []string{" | ", " - ", " – ", " — ", " :: ", " · ", " » ", " / "}

// TitleMatches reports whether got and want are the same title once a
// site name is taken off either: equal, or equal after one segment cut
// at a separator such as " | " or " - " is removed from the start or the
// end of one of them.
func TitleMatches(got, want string) bool {
	g := strings.ToLower(strings.Join(strings.Fields(got), " "))
	w := strings.ToLower(strings.Join(strings.Fields(want), " "))
	if g == "" || w == "" {
		return g == w
	}
	return g == w || slices.Contains(withoutSite(w), g) || slices.Contains(withoutSite(g), w)
}

// withoutSite returns t without its first or its last segment, for each
// separator that splits it.
func withoutSite(t string) []string {
	var out []string
	for _, sep := range titleSeparators {
		if i := strings.LastIndex(t, sep); i > 0 {
			out = append(out, t[:i])
		}
		if i := strings.Index(t, sep); i > 0 {
			out = append(out, t[i+len(sep):])
		}
	}
	return out
}

// AuthorMatches reports whether got names the expected author: the same
// words, ignoring a leading "By" and punctuation, or a list of names
// ("A, B", "A; B", "A and B") of which one is want.
func AuthorMatches(got, want string) bool {
	g, w := authorKey(got), authorKey(want)
	if g == "" || w == "" {
		return false
	}
	if g == w {
		return true
	}
	lg := strings.ToLower(clean(got))
	lw := strings.TrimPrefix(strings.ToLower(clean(want)), "by ")
	for i := strings.Index(lg, lw); i >= 0 && lw != ""; {
		before, after := lg[:i], lg[i+len(lw):]
		if listEdge(before, true) && listEdge(after, false) {
			return true
		}
		j := strings.Index(lg[i+1:], lw)
		if j < 0 {
			break
		}
		i += 1 + j
	}
	return false
}

// listEdge reports whether s, the text before (or after) a name in a
// list of names, ends (or starts) at a separator or the end.
func listEdge(s string, before bool) bool {
	if s == "" {
		return true
	}
	for _, sep := range []string{", ", "; ", " and ", " & "} {
		if before && strings.HasSuffix(s, sep) || !before && strings.HasPrefix(s, strings.TrimLeft(sep, " ")) {
			return true
		}
	}
	return false
}

func clean(s string) string { return strings.Join(strings.Fields(s), " ") }

func authorKey(s string) string {
	var kept []string
	for _, f := range strings.Fields(s) { // a web address names nobody
		if !strings.Contains(f, "://") && !strings.HasPrefix(strings.TrimLeft(f, "(<["), "www.") {
			kept = append(kept, f)
		}
	}
	ws := Words(strings.Join(kept, " "))
	if len(ws) > 0 && ws[0] == "by" {
		ws = ws[1:]
	}
	return strings.Join(ws, " ")
}

// dateMatches reports whether got is the instant want names, to the
// second, or its day when either has no time of day.
func dateMatches(got time.Time, want string) bool {
	w := ingest.ParseDate(want)
	if got.IsZero() || w.IsZero() {
		return false
	}
	if got.Truncate(time.Second).Equal(w.Truncate(time.Second)) {
		return true
	}
	day := func(t time.Time) string { return t.Format(time.DateOnly) }
	noClock := func(t time.Time) bool { return t.Hour() == 0 && t.Minute() == 0 && t.Second() == 0 }
	return (noClock(got) || noClock(w)) && day(got) == day(w)
}

// HTMLBlocks returns the text of the blocks under n in document order:
// the text between block-level tags (<br> is not one, and a table row
// is one block), white space collapsed. Scripts and
// styles are left out; nothing else is judged.
func HTMLBlocks(n *html.Node) []string {
	var out []string
	var cur strings.Builder
	flush := func() {
		if t := strings.Join(strings.Fields(cur.String()), " "); t != "" {
			out = append(out, t)
		}
		cur.Reset()
	}
	var visit func(*html.Node)
	visit = func(n *html.Node) {
		switch {
		case n.Type == html.TextNode:
			cur.WriteString(n.Data)
			return
		case n.Type == html.ElementNode && (n.DataAtom == atom.Script || n.DataAtom == atom.Style):
			return
		}
		block := n.Type == html.ElementNode && !inlineTags[n.DataAtom]
		if block {
			flush()
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			visit(c)
		}
		if block {
			flush()
		}
	}
	visit(n)
	flush()
	return out
}

// inlineTags do not break a block of text.
var inlineTags = map[atom.Atom]bool{
	atom.A: true, atom.Abbr: true, atom.B: true, atom.Bdi: true, atom.Bdo: true, atom.Cite: true,
	atom.Code: true, atom.Data: true, atom.Dfn: true, atom.Em: true, atom.Font: true, atom.I: true,
	atom.Kbd: true, atom.Mark: true, atom.Q: true, atom.S: true, atom.Samp: true, atom.Small: true,
	atom.Span: true, atom.Strike: true, atom.Strong: true, atom.Sub: true, atom.Sup: true,
	atom.Time: true, atom.Tt: true, atom.U: true, atom.Var: true, atom.Wbr: true, atom.Img: true,
	atom.Label: true, atom.Ins: true, atom.Del: true, atom.Big: true, atom.Ruby: true, atom.Rt: true,
	atom.Rp: true, atom.Br: true, atom.Td: true, atom.Th: true,
}
