package fakeai

import (
	"math"
	"strings"
	"unicode"
	"unicode/utf8"
)

// DefaultDim is the size of HashEmbed's vectors when none is asked for.
const DefaultDim = 256

// stopWords carry no topic, so they are left out of vectors.
var stopWords = map[string]bool{}

func init() {
	for _, w := range strings.Fields(`a an the and or but if of to in on at for with by from as into about
		is are was were be been being am it its this that these those there here
		he she they we you i me him her them us his their our your my
		what who whom which when where why how
		do does did done has have had not no nor so than then too very
		will would can could shall should may might must s t`) {
		stopWords[w] = true
	}
}

// HashEmbed is a deterministic stand-in for an embedding model (the
// "hashing trick"): the text is lowercased and split into words, stop
// words dropped and crude suffixes (s, es, ed, ing) stripped; each word
// and each character 4-gram of it ("<word>" padded, so short words have
// some) is hashed with FNV-1a into one of dim dimensions, with a sign
// from another bit of the hash; the sum is L2-normalized. Texts sharing
// words or word stems come out close in cosine; a text with no words
// but stop words is the zero vector. dim <= 0 means DefaultDim.
func HashEmbed(text string, dim int) []float32 {
	if dim <= 0 {
		dim = DefaultDim
	}
	acc := make([]float64, dim)
	for _, w := range words(text) {
		add(acc, 'w', w, 1)
		grams(w, func(g string, weight float64) { add(acc, 'g', g, weight) })
	}
	return normalize(acc)
}

// words returns the lowercase, stemmed content words of text.
func words(text string) []string {
	fields := strings.FieldsFunc(strings.ToLower(text), func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r)
	})
	out := fields[:0]
	for _, f := range fields {
		if !stopWords[f] {
			out = append(out, stem(f))
		}
	}
	return out
}

// stem strips one common English suffix, keeping at least three bytes.
func stem(w string) string {
	for _, suf := range []string{"ing", "ed", "es", "s"} {
		if !strings.HasSuffix(w, suf) || len(w)-len(suf) < 3 {
			continue
		}
		if suf == "s" && strings.HasSuffix(w, "ss") {
			return w // "press", not a plural
		}
		return w[:len(w)-len(suf)]
	}
	return w
}

// grams calls fn with each character 4-gram of "<w>" and its weight: the
// 4-grams of a word share one unit of weight, as much as the word itself.
func grams(w string, fn func(g string, weight float64)) {
	p := "<" + w + ">"
	n := utf8.RuneCountInString(p) - 3
	if n <= 0 {
		return
	}
	weight := 1 / math.Sqrt(float64(n))
	// starts holds the byte offsets of the runes of p, for slicing.
	starts := make([]int, 0, n+4)
	for i := range p {
		starts = append(starts, i)
	}
	starts = append(starts, len(p))
	for i := 0; i+4 < len(starts); i++ {
		fn(p[starts[i]:starts[i+4]], weight)
	}
}

// add adds ±weight to the dimension s hashes to; kind keeps words and
// grams of the same letters apart.
func add(acc []float64, kind byte, s string, weight float64) {
	h := fnv1a(kind, s)
	i := h % uint64(len(acc))
	if h>>63 == 1 {
		weight = -weight
	}
	acc[i] += weight
}

// fnv1a is the 64-bit FNV-1a hash of kind followed by s, without the
// allocation of hash/fnv.
func fnv1a(kind byte, s string) uint64 {
	const (
		offset = 14695981039346656037
		prime  = 1099511628211
	)
	h := uint64(offset)
	h = (h ^ uint64(kind)) * prime
	for i := 0; i < len(s); i++ {
		h = (h ^ uint64(s[i])) * prime
	}
	return h
}

func normalize(acc []float64) []float32 {
	var sum float64
	for _, v := range acc {
		sum += v * v
	}
	out := make([]float32, len(acc))
	if sum == 0 {
		return out
	}
	norm := math.Sqrt(sum)
	for i, v := range acc {
		out[i] = float32(v / norm)
	}
	return out
}
