// Command wngen writes byline's synonym table
// (retrieval/analysis/synonyms.txt) from WordNet 3.0's database files, as
// Debian's wordnet-base package installs them:
//
//	apt-get install wordnet-base
//	go generate ./retrieval/analysis
//
// For each single-word lemma, and each two-word verb ("step down", "set
// aside": chat phrases a question with them where articles write
// "resigned" and "earmarked"), it takes the synsets of its most frequent
// senses (maxSenses per part of speech, in WordNet's frequency order) and
// lists the other single-word lemmas of those synsets, and the words
// WordNet derives from the lemma in those senses ("growth" for "grow",
// "death" for "die", "decision" for "decide": a question asks "when did
// she die?" of a story that reports her death). A two-word verb's line
// is keyed by its words' terms joined by "_" (analysis.PairKey). Rare
// senses are left out: they are what makes naive expansion match the
// wrong meaning ("bank" the river side). Words are written as their
// Snowball stems, the form byline's analyser gives, and a line reads
// "stem syn syn…".
//
// With -antonyms it also writes the direct antonyms WordNet records
// between nouns, adjectives and adverbs ("large" and "small", "public"
// and "private", "acceleration" and "deceleration"), in every sense, each
// word with its irregular forms from the exception lists ("biggest") and
// an adjective's regular ones ("smaller", "largest"), in the same format.
// Verbs are left out: a verb and its opposite are often two views of one
// event ("give" and "take", "win" and "lose"), and so are participles and
// "-ings" nouns, which stem to their verbs ("losing", "winnings").
package main

import (
	"bufio"
	"flag"
	"fmt"
	"log"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"github.com/byline-news/byline/retrieval/analysis"
)

// maxSenses is how many of a lemma's senses per part of speech count.
const maxSenses = 2

func main() {
	dir := flag.String("wordnet", "/usr/share/wordnet", "WordNet's dict `dir`ectory")
	out := flag.String("o", "synonyms.txt", "output `file`")
	antOut := flag.String("antonyms", "", "also write the antonym table to `file`")
	flag.Parse()
	synsets := map[string]synset{}
	for _, pos := range parts {
		if err := readData(filepath.Join(*dir, "data."+pos.file), pos.letter, synsets); err != nil {
			log.Fatal(err)
		}
	}
	syn := map[string]map[string]bool{}
	for _, pos := range parts {
		if err := readIndex(filepath.Join(*dir, "index."+pos.file), pos.letter, synsets, syn); err != nil {
			log.Fatal(err)
		}
	}
	if err := write(*out, syn); err != nil {
		log.Fatal(err)
	}
	if *antOut != "" {
		ant, err := antonyms(*dir, synsets)
		if err != nil {
			log.Fatal(err)
		}
		if err := write(*antOut, ant); err != nil {
			log.Fatal(err)
		}
	}
}

// parts are WordNet's parts of speech: their files, and the letter its
// pointers name them by (adjective satellites, "s", live with "a").
var parts = []struct{ file, letter string }{{"noun", "n"}, {"verb", "v"}, {"adj", "a"}, {"adv", "r"}}

// synset is one line of a data file: its lemmas, and its derivation
// pointers ("+": "growth" from "grow", "death" from "die").
type synset struct {
	lemmas   []string
	derived  []pointer
	opposite []pointer // antonyms ("!")
}

// pointer links lemma number src (from 1) of a synset to lemma dst of
// the synset to.
type pointer struct {
	src, dst int
	to       string // "v:00001740"
}

// readData adds each synset of a data file to synsets, keyed by its part
// of speech and offset ("n:00001740"). A line reads "offset lex_filenum
// ss_type w_cnt word lex_id… p_cnt pointer…", each pointer "symbol offset
// pos source/target" (source and target: two hex digits each).
func readData(path, pos string, synsets map[string]synset) error {
	return eachLine(path, func(line string) error {
		if strings.HasPrefix(line, "  ") {
			return nil // the licence header
		}
		fs := strings.Fields(line)
		if len(fs) < 4 {
			return nil
		}
		n, err := strconv.ParseInt(fs[3], 16, 32)
		if err != nil || 4+2*int(n) >= len(fs) {
			return fmt.Errorf("%s: %q: bad word count", path, fs[0])
		}
		var s synset
		for i := range int(n) {
			s.lemmas = append(s.lemmas, fs[4+2*i])
		}
		k := 4 + 2*int(n)
		np, _ := strconv.Atoi(fs[k])
		for i := 0; i < np && k+4+4*i < len(fs); i++ {
			p := fs[k+1+4*i : k+5+4*i]
			if p[0] != "+" && p[0] != "!" || len(p[3]) != 4 {
				continue
			}
			src, err1 := strconv.ParseInt(p[3][:2], 16, 32)
			dst, err2 := strconv.ParseInt(p[3][2:], 16, 32)
			if err1 != nil || err2 != nil {
				return fmt.Errorf("%s: %q: bad pointer %q", path, fs[0], p[3])
			}
			to := strings.Replace(p[2], "s", "a", 1)
			ptr := pointer{int(src), int(dst), to + ":" + p[1]}
			if p[0] == "!" {
				s.opposite = append(s.opposite, ptr)
			} else {
				s.derived = append(s.derived, ptr)
			}
		}
		synsets[pos+":"+fs[0]] = s
		return nil
	})
}

// readIndex adds, for each lemma of an index file, the lemmas of its
// first senses' synsets and the words derived from the lemma in those
// senses. Two-word lemmas count only among verbs.
func readIndex(path, pos string, synsets map[string]synset, syn map[string]map[string]bool) error {
	return eachLine(path, func(line string) error {
		if strings.HasPrefix(line, "  ") {
			return nil
		}
		fs := strings.Fields(line)
		if len(fs) < 6 {
			return nil
		}
		lemma := fs[0]
		nptr, _ := strconv.Atoi(fs[3])
		offsets := fs[4+nptr+2:]
		a := term(lemma)
		if pos == "v" && !word(lemma) {
			a = pairKey(lemma)
		}
		if a == "" {
			return nil
		}
		add := func(other string) {
			if b := lemmaTerm(other); b != "" && b != a {
				if syn[a] == nil {
					syn[a] = map[string]bool{}
				}
				syn[a][b] = true
			}
		}
		for _, off := range offsets[:min(maxSenses, len(offsets))] {
			s := synsets[pos+":"+off]
			for _, other := range s.lemmas {
				add(other)
			}
			for _, d := range s.derived {
				if d.src >= 1 && d.src <= len(s.lemmas) && plain(s.lemmas[d.src-1]) == lemma {
					if t := synsets[d.to].lemmas; d.dst >= 1 && d.dst <= len(t) {
						add(t[d.dst-1])
					}
				}
			}
		}
		return nil
	})
}

// antonyms maps each noun, adjective and adverb term, and those of its
// irregular forms, to the terms of its direct antonyms and their forms.
func antonyms(dir string, synsets map[string]synset) (map[string]map[string]bool, error) {
	forms := map[string][]string{} // "a:large": large, larger, largest
	for _, pos := range parts {
		if pos.letter == "v" {
			continue
		}
		if err := readExc(filepath.Join(dir, pos.file+".exc"), pos.letter, forms); err != nil {
			return nil, err
		}
	}
	termsOf := func(pos, lemma string) []string {
		if strings.HasSuffix(lemma, "ing") || strings.HasSuffix(lemma, "ings") || strings.HasSuffix(lemma, "ed") {
			return nil // a participle stems to its verb: "losing", "winnings" to "lose", "win"
		}
		var ts []string
		all := append([]string{lemma}, forms[pos+":"+lemma]...)
		if pos == "a" {
			all = append(all, compared(lemma)...)
		}
		for _, f := range all {
			if t := term(f); t != "" && !slices.Contains(ts, t) {
				ts = append(ts, t)
			}
		}
		return ts
	}
	ant := map[string]map[string]bool{}
	for key, s := range synsets {
		pos, _, _ := strings.Cut(key, ":")
		if pos == "v" {
			continue
		}
		for _, o := range s.opposite {
			to, ok := synsets[o.to]
			if o.src < 1 || o.src > len(s.lemmas) || !ok || o.dst < 1 || o.dst > len(to.lemmas) {
				continue
			}
			toPos, _, _ := strings.Cut(o.to, ":")
			for _, a := range termsOf(pos, plain(s.lemmas[o.src-1])) {
				for _, b := range termsOf(toPos, plain(to.lemmas[o.dst-1])) {
					if a == b {
						continue
					}
					for _, e := range [][2]string{{a, b}, {b, a}} {
						if ant[e[0]] == nil {
							ant[e[0]] = map[string]bool{}
						}
						ant[e[0]][e[1]] = true
					}
				}
			}
		}
	}
	return ant, nil
}

// compared returns the regular comparative and superlative of an
// adjective ("smaller", "smallest"; "larger", "largest"; "easier",
// "easiest"), which the exception lists leave out.
func compared(adj string) []string {
	switch {
	case strings.HasSuffix(adj, "e"):
		return []string{adj + "r", adj + "st"}
	case len(adj) > 2 && strings.HasSuffix(adj, "y") && !strings.ContainsRune("aeiou", rune(adj[len(adj)-2])):
		stem := adj[:len(adj)-1]
		return []string{stem + "ier", stem + "iest"}
	}
	return []string{adj + "er", adj + "est"}
}

// readExc adds the irregular forms of an exception file ("largest
// large", a line per form) to forms, keyed by part of speech and base.
func readExc(path, pos string, forms map[string][]string) error {
	return eachLine(path, func(line string) error {
		fs := strings.Fields(line)
		for _, base := range fs[min(1, len(fs)):] {
			forms[pos+":"+base] = append(forms[pos+":"+base], fs[0])
		}
		return nil
	})
}

// eachLine calls fn with each line of the file at path, stopping at the
// first error.
func eachLine(path string, fn func(line string) error) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		if err := fn(sc.Text()); err != nil {
			return err
		}
	}
	return sc.Err()
}

// lemmaTerm is the term of a synset's lemma as written in a data file
// ("Big(a)": "big"), "" when it is not one plain word.
func lemmaTerm(lemma string) string {
	return term(plain(lemma))
}

// plain is a synset's lemma as the index files write it: in lower case,
// without an adjective's marker ("Big(a)": "big").
func plain(lemma string) string {
	lemma = strings.ToLower(lemma)
	if i := strings.IndexByte(lemma, '('); i >= 0 {
		lemma = lemma[:i]
	}
	return lemma
}

// word reports whether a lemma is one plain word: no spaces
// (underscores), digits or punctuation.
func word(s string) bool {
	for _, r := range s {
		if r < 'a' || r > 'z' {
			return false
		}
	}
	return len(s) > 1
}

// pairKey is the key of a two-word lemma ("step_down"), "" for any
// other.
func pairKey(lemma string) string {
	a, b, ok := strings.Cut(lemma, "_")
	if !ok || !word(a) || !word(b) {
		return ""
	}
	toks := analysis.Tokens(a + " " + b)
	if len(toks) != 2 {
		return ""
	}
	return analysis.PairKey(toks[0], toks[1])
}

// term is the analysed term of a one-word lemma, "" for a stop word or
// any other lemma.
func term(w string) string {
	if !word(w) {
		return ""
	}
	toks := analysis.Tokens(w)
	if len(toks) != 1 || toks[0].Stop {
		return ""
	}
	return toks[0].Term
}

func write(path string, syn map[string]map[string]bool) error {
	var b strings.Builder
	b.WriteString("# Generated by retrieval/analysis/internal/wngen from WordNet 3.0 (see synonyms.LICENSE); do not edit.\n")
	for _, a := range slices.Sorted(maps.Keys(syn)) {
		b.WriteString(a)
		for _, s := range slices.Sorted(maps.Keys(syn[a])) {
			b.WriteString(" " + s)
		}
		b.WriteString("\n")
	}
	return os.WriteFile(path, []byte(b.String()), 0o644)
}
