package main

import (
	"encoding/json"
	"hash/fnv"
	"math"
	"regexp"
	"strings"
	"testing"

	"github.com/byline-news/byline/llm/fakeai"
)

// synonyms makes the fake embedder below know a few meanings: each word
// counts as its group's first word, so "vehicle plant" and "car
// factory" get the same vector without sharing a word.
var synonyms = map[string]string{
	"automobile": "car", "vehicle": "car",
	"plant": "factory", "works": "factory",
	"shut": "close", "closure": "close", "axe": "close",
}

// conceptEmbed is a bag-of-meanings vector: every word, after synonyms,
// hashed into one of 64 dimensions.
func conceptEmbed(text string) []float32 {
	v := make([]float32, 64)
	for _, w := range strings.FieldsFunc(strings.ToLower(text), func(r rune) bool { return r < 'a' || r > 'z' }) {
		if s, ok := synonyms[w]; ok {
			w = s
		}
		if len(w) < 3 || w == "the" || w == "its" || w == "will" || w == "when" {
			continue
		}
		h := fnv.New32a()
		h.Write([]byte(w))
		v[h.Sum32()%64]++
	}
	var n float64
	for _, x := range v {
		n += float64(x * x)
	}
	for i := range v {
		v[i] /= float32(math.Sqrt(n))
	}
	return v
}

// conceptEmbeddings answers the fake endpoint's embedding requests with
// conceptEmbed.
func conceptEmbeddings(_ int, req fakeai.EmbedRequest) fakeai.EmbedReply {
	var vs [][]float32
	for _, in := range req.Input {
		vs = append(vs, conceptEmbed(in))
	}
	return fakeai.EmbedReply{Vectors: vs}
}

var paraphraseArticles = map[string]string{
	"works.md":  "# Lakeside works to go\n\nThe vehicle plant in Lakeside faces the axe next spring, its owners said.\n",
	"sales.md":  "# Sales rise\n\nCar sales rose in March as buyers returned to showrooms across the region.\n",
	"tour.md":   "# School trip\n\nSchool children visited a chocolate factory on Tuesday and tasted the new bars.\n",
	"museum.md": "# Museum hours\n\nThe museum will close its doors early on Friday for a private event.\n",
}

// passageNumber finds the prompt's passage whose text contains word.
var passageHeader = regexp.MustCompile(`(?m)^\[(\d+)\] Title:`)

func citePassageWith(prompt, word string) string {
	locs := passageHeader.FindAllStringSubmatchIndex(prompt, -1)
	for i, loc := range locs {
		end := len(prompt)
		if i+1 < len(locs) {
			end = locs[i+1][0]
		}
		if strings.Contains(prompt[loc[0]:end], word) {
			return prompt[loc[2]:loc[3]]
		}
	}
	return ""
}

// A question that shares no word, nor a WordNet synonym (which search
// adds), with the article that answers it: the words alone find other
// stories, hybrid search finds it, and the model answers from it.
func TestHybridFindsParaphrase(t *testing.T) {
	t.Parallel()
	srv := fakeai.Start(t, &fakeai.Handler{
		Embed: conceptEmbeddings,
		Chat: func(_ int, req fakeai.Request) fakeai.Reply {
			n := citePassageWith(req.Messages[1].Content, "vehicle plant")
			if n == "" {
				return fakeai.Reply{Content: "NO_ANSWER"}
			}
			return fakeai.Reply{Content: "The vehicle plant in Lakeside faces the axe next spring, its owners said [" + n + "]."}
		},
	})
	for _, tt := range []struct {
		name, embedModel string
		found            bool
	}{{"lexical", "", false}, {"hybrid", "concepts", true}} {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnv(t)
			e.vars["OPENAI_BASE_URL"] = srv.URL
			e.vars["BYLINE_CHAT_MODEL"] = "m"
			e.vars["BYLINE_EMBED_MODEL"] = tt.embedModel
			db := e.path("x.db")
			e.mustRun(0, "index", "--db", db, writeFiles(t, e.path("news"), paraphraseArticles))
			r := e.mustRun(0, "ask", "--json", "--db", db, "when will the car factory close?")
			doc, _ := decodeAsk(t, r.out)
			if got := strings.Contains(doc.Answer, "next spring"); got != tt.found || doc.Abstained == tt.found {
				t.Errorf("answer %q (abstained %v, mode %s); want found %v", doc.Answer, doc.Abstained, doc.Mode, tt.found)
			}
		})
	}
}

// TestHybridCorrectsSpelling checks that a misspelt question is corrected
// with an embedding model configured too, where the search goes through
// the hybrid searcher rather than the store itself.
func TestHybridCorrectsSpelling(t *testing.T) {
	t.Parallel()
	srv := fakeai.Start(t, &fakeai.Handler{Embed: conceptEmbeddings})
	e := newEnv(t)
	e.vars["OPENAI_BASE_URL"], e.vars["BYLINE_EMBED_MODEL"] = srv.URL, "concepts"
	db := e.path("x.db")
	e.mustRun(0, "index", "--db", db, writeFiles(t, e.path("news"), paraphraseArticles))
	r := e.mustRun(0, "ask", "--json", "--db", db, "when will the musuem close?")
	var doc map[string]any
	if err := json.Unmarshal([]byte(r.out), &doc); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, r.out)
	}
	if doc["corrected"] != "when will the museum close?" || !strings.Contains(doc["answer"].(string), "Friday") {
		t.Errorf("ask = %s; want it corrected to \"museum\" and answered", r.out)
	}
}
