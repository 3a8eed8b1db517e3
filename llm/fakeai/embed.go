package fakeai

import (
	"encoding/base64"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"net/http"
	"strings"
	"unicode"
	"unicode/utf8"
)

// EmbedRequest is an embeddings request as the server received it.
type EmbedRequest struct {
	Model          string   `json:"model"`
	Input          []string `json:"-"` // the input, as a list even when sent as one string
	EncodingFormat string   `json:"encoding_format"`
	Dimensions     int      `json:"dimensions"`
	Auth           string   `json:"-"` // the Authorization header
	Body           string   `json:"-"` // the raw body
}

// EmbedReply is what the server answers an embeddings request: the
// vectors with status 200, or an OpenAI-style error when Status is not
// 200.
type EmbedReply struct {
	Status       int    // 0 means 200
	RetryAfter   string // the Retry-After header, if any
	ErrorMessage string // the error's message when Status is not 200; "" means the status text
	Vectors      [][]float32
	Indexes      []int // the index field of each vector; nil means 0, 1, 2…
	Tokens       int   // usage.prompt_tokens; 0 means one per word of the input
}

// hashVectors is the default embeddings script: HashEmbed of each input,
// of the request's dimensions or else dim.
func hashVectors(req EmbedRequest, dim int) EmbedReply {
	if req.Dimensions > 0 {
		dim = req.Dimensions
	}
	r := EmbedReply{Vectors: make([][]float32, len(req.Input))}
	for i, t := range req.Input {
		r.Vectors[i] = HashEmbed(t, dim)
	}
	return r
}

func (h *Handler) embeddings(w http.ResponseWriter, r *http.Request) {
	var req EmbedRequest
	var in struct {
		Input json.RawMessage `json:"input"`
	}
	body, err := readBody(w, r, &req)
	if err == nil {
		err = json.Unmarshal([]byte(body), &in)
	}
	if err == nil {
		req.Input, err = inputs(in.Input)
	}
	if err == nil && req.Model == "" {
		err = errors.New("you must provide a model parameter")
	}
	if err != nil {
		writeError(w, http.StatusBadRequest, err.Error(), "")
		return
	}
	req.Auth, req.Body = r.Header.Get("Authorization"), body
	h.mu.Lock()
	h.embeds++
	n := h.embeds
	if h.Record {
		h.embedLog = append(h.embedLog, req)
	}
	h.mu.Unlock()
	var rep EmbedReply
	if h.Embed != nil {
		rep = h.Embed(n, req)
	} else {
		rep = hashVectors(req, h.Dim)
	}
	if rep.Status != 0 && rep.Status != http.StatusOK {
		writeError(w, rep.Status, rep.ErrorMessage, rep.RetryAfter)
		return
	}
	writeEmbed(w, req, rep)
}

type embedding struct {
	Object    string `json:"object"`
	Index     int    `json:"index"`
	Embedding any    `json:"embedding"` // []float32, or a base64 string
}

func writeEmbed(w http.ResponseWriter, req EmbedRequest, r EmbedReply) {
	data := make([]embedding, len(r.Vectors))
	for i, v := range r.Vectors {
		idx := i
		if r.Indexes != nil {
			idx = r.Indexes[i]
		}
		data[i] = embedding{Object: "embedding", Index: idx, Embedding: encode(v, req.EncodingFormat)}
	}
	tokens := r.Tokens
	if tokens == 0 {
		for _, in := range req.Input {
			tokens += len(strings.Fields(in))
		}
	}
	writeJSON(w, map[string]any{
		"object": "list", "data": data, "model": req.Model,
		"usage": usage{PromptTokens: tokens, TotalTokens: tokens},
	})
}

// inputs reads an embeddings input: a non-empty string or a non-empty
// list of them. Token arrays are not supported.
func inputs(raw json.RawMessage) ([]string, error) {
	var list []string
	var one string
	if err := json.Unmarshal(raw, &one); err == nil {
		list = []string{one}
	} else if err := json.Unmarshal(raw, &list); err != nil {
		return nil, errors.New("input must be a string or a list of strings")
	}
	if len(list) == 0 {
		return nil, errors.New("input must not be empty")
	}
	for i, t := range list {
		if t == "" {
			return nil, fmt.Errorf("input[%d] must not be empty", i)
		}
	}
	return list, nil
}

// encode is v as the request's encoding_format asks: floats, or base64
// of little-endian float32s.
func encode(v []float32, format string) any {
	if format != "base64" {
		return v
	}
	b := make([]byte, 4*len(v))
	for i, f := range v {
		binary.LittleEndian.PutUint32(b[4*i:], math.Float32bits(f))
	}
	return base64.StdEncoding.EncodeToString(b)
}

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
