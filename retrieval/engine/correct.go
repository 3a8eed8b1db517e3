package engine

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/byline-news/byline/retrieval/analysis"
)

// minCorrectLen is the shortest word Correct corrects: one edit turns a
// short word into too many others ("ceo" into "cfo", "ban" into "bank").
const minCorrectLen = 5

// maxCorrect bounds the unknown words of one question that are tried,
// each costing a few hundred variants: a question with more words that
// nothing indexed has is not one misspelt here and there.
const maxCorrect = 6

// Correct returns, for each of words (folded words, as analysis.Token's
// Word) whose term no indexed paragraph has, the word one typing slip
// away (a letter dropped or added, two swapped, or one changed as slip
// allows: "goverment", "srevice") whose term the most paragraphs have. Words it cannot
// correct, and words the index has, are left out. Only words of
// minCorrectLen or more plain letters are tried. One edit is what most
// typing slips are; allowing two would turn rare names into common
// words. An English word is corrected only to a word beside the
// question's others (see corrections); one that has indexed variants,
// none of them beside, maps to itself: it is taken as meant, a word the
// index happens to lack ("sorry to bother"), rather than as a slip.
func (ix *Index) Correct(ctx context.Context, words []string) (map[string]string, error) {
	own := map[string]string{} // word -> its term
	var terms []string
	for _, w := range words {
		if t := wordTerm(w); t != "" && own[w] == "" {
			own[w] = t
			terms = append(terms, t)
		}
	}
	if len(terms) == 0 {
		return map[string]string{}, nil
	}
	snap, err := ix.b.Snapshot(ctx)
	if err != nil {
		return nil, fmt.Errorf("correct: %w", err)
	}
	defer snap.Close()
	dfs, err := snap.DocFreqs(ctx, terms)
	if err != nil {
		return nil, fmt.Errorf("correct: %w", err)
	}
	// In the question's order, not the map's: only the first maxCorrect
	// unknown words are tried, and a question must get the same ones
	// every time it is asked.
	var unknown, known []string
	for _, w := range words {
		switch t := own[w]; {
		case t == "":
		case dfs[t] > 0:
			known = append(known, t)
		case correctable(w):
			unknown = append(unknown, w)
		}
	}
	out, err := corrections(ctx, snap, unknown, known)
	if err != nil {
		return nil, fmt.Errorf("correct: %w", err)
	}
	return out, nil
}

// correctable reports whether Correct tries w.
func correctable(w string) bool { return len(w) >= minCorrectLen && plainLetters(w) }

// corrections maps each of unknown (words whose terms the index lacks)
// to the variant one edit away whose term the most paragraphs have.
// A word that is English (analysis.IsEnglish) may be meant as typed, a
// word the index happens to lack: it is corrected only to a variant
// that shares a paragraph (or its title) with one of known, the
// question's terms that the index has, as the word a slip was meant for
// does. On a small index "is the tunnel going ahead?" is then no
// question about a football "head", while "goverment" is corrected
// wherever it stands.
func corrections(ctx context.Context, r Reader, unknown, known []string) (map[string]string, error) {
	variants, terms := variantsOf(unknown)
	if len(terms) == 0 {
		return map[string]string{}, nil
	}
	dfs, err := r.DocFreqs(ctx, terms)
	if err != nil {
		return nil, err
	}
	ranked := map[string][]string{} // word -> its indexed variant terms, most paragraphs first
	for w, vs := range variants {
		for t := range vs {
			if dfs[t] > 0 {
				ranked[w] = append(ranked[w], t)
			}
		}
		slices.SortFunc(ranked[w], func(a, b string) int { return cmp.Or(cmp.Compare(dfs[b], dfs[a]), strings.Compare(a, b)) })
	}
	meant := map[string]bool{} // English words, which may be meant as typed
	var checked []string       // their indexed variants
	for w, ts := range ranked {
		if len(known) > 0 && analysis.IsEnglish(wordTerm(w)) {
			meant[w] = true
			checked = append(checked, ts...)
		}
	}
	beside, err := besideKnown(ctx, r, checked, known)
	if err != nil {
		return nil, err
	}
	out := map[string]string{}
	for w, ts := range ranked {
		switch i := slices.IndexFunc(ts, func(t string) bool { return !meant[w] || beside[t] }); {
		case i >= 0:
			out[w] = variants[w][ts[i]]
		case meant[w]:
			out[w] = w // meant as typed (see Correct)
		}
	}
	return out, nil
}

// variantsOf lists, for each of the first maxCorrect correctable words
// of unknown, its variants one edit away by their terms, and all those
// terms.
func variantsOf(unknown []string) (map[string]map[string]string, []string) {
	variants := map[string]map[string]string{} // word -> variant term -> variant
	var terms []string
	for _, w := range unknown {
		own := wordTerm(w)
		if own == "" || !correctable(w) || variants[w] != nil {
			continue
		}
		if len(variants) == maxCorrect {
			break
		}
		variants[w] = map[string]string{}
		for _, v := range edits1(w) {
			t := wordTerm(v)
			if _, seen := variants[w][t]; t != "" && t != own && !seen {
				variants[w][t] = v
				terms = append(terms, t)
			}
		}
	}
	return variants, terms
}

// besideKnown returns which of variants share a paragraph with a term
// of known: a paragraph's postings include its title's terms.
func besideKnown(ctx context.Context, r Reader, variants, known []string) (map[string]bool, error) {
	if len(variants) == 0 {
		return map[string]bool{}, nil
	}
	isKnown := make(map[string]bool, len(known))
	for _, t := range known {
		isKnown[t] = true
	}
	var lists []termList
	err := r.Postings(ctx, slices.Concat(variants, known), func(term string, seg, _ int64, data []byte) {
		lists = append(lists, termList{term, seg, data})
	})
	if err != nil {
		return nil, err
	}
	type doc struct{ seg, ord int64 }
	of := map[doc][]string{} // paragraph -> the variants it has
	fit := map[string]bool{}
	// Variants first: their lists are short, the known terms' may be long.
	for _, pass := range []bool{false, true} {
		for _, l := range lists {
			if isKnown[l.term] != pass {
				continue
			}
			err := decodePostings(l.data, func(p posting) {
				d := doc{l.seg, int64(p.ord)}
				if !pass {
					of[d] = append(of[d], l.term)
					return
				}
				for _, v := range of[d] {
					fit[v] = true
				}
			})
			if err != nil {
				return nil, fmt.Errorf("postings of %q: %w", l.term, err)
			}
		}
	}
	return fit, nil
}

// termList is one stored posting list of a term.
type termList struct {
	term string
	seg  int64
	data []byte
}

// correctedTerms finds the question words whose terms qts lacks (no
// paragraph has them), corrects them (see Correct), and returns the
// corrections' terms with their postings: a misspelt question still
// finds its paragraphs.
func correctedTerms(ctx context.Context, r Reader, text string, qts []*queryTerm, st *state) ([]*queryTerm, error) {
	found := make(map[string]bool, len(qts))
	for _, qt := range qts {
		found[qt.term] = true
	}
	var unknown []string
	for _, t := range analysis.Tokens(text) {
		if !t.Stop && !found[t.Term] && correctable(t.Word) {
			unknown = append(unknown, t.Word)
		}
	}
	if len(unknown) == 0 {
		return nil, nil
	}
	known := make([]string, len(qts))
	for i, qt := range qts {
		known[i] = qt.term
	}
	fixes, err := corrections(ctx, r, unknown, known)
	if err != nil || len(fixes) == 0 {
		return nil, err
	}
	var terms []string
	for _, w := range unknown { // in order: scores sum the terms in turn
		v, ok := fixes[w]
		if !ok {
			continue
		}
		if t := wordTerm(v); !found[t] && v != w {
			found[t] = true
			terms = append(terms, t)
		}
	}
	return fetchPostings(ctx, r, terms, st)
}

// wordTerm is the searchable term of one word, "" for a stop word.
func wordTerm(w string) string {
	toks := analysis.Tokens(w)
	if len(toks) != 1 || toks[0].Stop {
		return ""
	}
	return toks[0].Term
}

func plainLetters(w string) bool {
	for i := 0; i < len(w); i++ {
		if w[i] < 'a' || w[i] > 'z' {
			return false
		}
	}
	return true
}

// edits1 lists the words one edit away from w (ASCII lower-case
// letters): neighbours swapped, a letter added, a letter dropped, a
// letter changed for a likely slip (see slip). Variants that stem alike are one candidate, shown as
// the first listed; the order is that of how often typists make each
// slip (a swap or a missed key before a wrong key), so "goverment" is
// shown as "government", not "governent".
func edits1(w string) []string {
	out := make([]string, 0, 54*len(w)+25)
	for i := 0; i+1 < len(w); i++ {
		out = append(out, w[:i]+string(w[i+1])+string(w[i])+w[i+2:])
	}
	for i := 0; i <= len(w); i++ {
		for c := byte('a'); c <= 'z'; c++ {
			out = append(out, w[:i]+string(c)+w[i:])
		}
	}
	for i := 0; i < len(w); i++ {
		out = append(out, w[:i]+w[i+1:])
	}
	for i := 0; i < len(w); i++ {
		for c := byte('a'); c <= 'z'; c++ {
			if c != w[i] && slip(w[i], c) {
				out = append(out, w[:i]+string(c)+w[i+1:])
			}
		}
	}
	return out
}

// slip reports whether typing a for b is a likely slip: a key next to
// it, one vowel for another ("defecit"), or c for s and back, the one
// letter British and American spellings trade that no other slip
// covers ("defence", "licence"). Any other change is more likely
// another word: "obama" is not a slip for "osama".
func slip(a, b byte) bool {
	return strings.IndexByte(keyNeighbours[a-'a'], b) >= 0 || (strings.IndexByte(vowels, a) >= 0 && strings.IndexByte(vowels, b) >= 0) ||
		(a == 'c' && b == 's') || (a == 's' && b == 'c')
}

const vowels = "aeiouy"

// keyNeighbours lists, for each letter a to z, the letters next to it
// on a QWERTY keyboard.
var keyNeighbours = [26]string{
	"qwsz", "vghn", "xdfv", "serfcx", "wsdr", "drtgvc", "ftyhbv", "gyujnb", "ujko", "huikmn", "jiolm", "kop",
	"njk", "bhjm", "iklp", "ol", "wa", "edft", "awedxz", "rfgy", "yhji", "cfgb", "qase", "zsdc", "tghu", "asx",
}
