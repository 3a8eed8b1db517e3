package llm

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/byline-news/byline/llm/fakeai"
)

// benchWords make up the benchmark's paragraphs.
var benchWords = strings.Fields(`minister denied claims cyber attacks council voted tunnel harbour cost
	billion police said storm flooded coast residents evacuated bank raised interest rates inflation
	election results showed party won seats court ruled appeal company reported profits shares fell
	officials confirmed the on in of to and a that was for with by at from after`)

// benchTexts returns n deterministic news-like paragraphs of about 60 words.
func benchTexts(n int) []string {
	out := make([]string, n)
	x := uint32(1)
	for i := range out {
		words := make([]string, 60)
		for j := range words {
			x = x*1664525 + 1013904223 // a linear congruential generator: same texts every run
			words[j] = benchWords[int(x>>16)%len(benchWords)]
		}
		out[i] = strings.Join(words, " ") + "."
	}
	return out
}

// BenchmarkEmbedBatch is one Embed call of a batch against fakeai over
// HTTP on 127.0.0.1: client, JSON both ways, and the hashing embedder.
func BenchmarkEmbedBatch(b *testing.B) {
	c := startFakeAI(b, &fakeai.Handler{})
	texts := benchTexts(256)
	for _, n := range []int{1, 16, 64, 256} {
		b.Run(fmt.Sprintf("batch=%d", n), func(b *testing.B) {
			batch := texts[:n]
			b.ReportAllocs()
			for b.Loop() {
				if _, err := c.Embed(context.Background(), batch); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(n*b.N)/b.Elapsed().Seconds(), "texts/s")
		})
	}
}

// BenchmarkCompleteOverhead is one Complete call with a five-passage
// byline prompt against fakeai, whose model takes no time: what the
// client, HTTP and JSON add to a real model's latency.
func BenchmarkCompleteOverhead(b *testing.B) {
	c := startFakeAI(b, &fakeai.Handler{})
	passages := benchTexts(5)
	for i := range passages {
		passages[i] = strings.Repeat(passages[i]+" ", 3) // about 180 words, as retrieval gives
	}
	user := bylinePrompt("how much will the tunnel cost?", passages...)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := c.Complete(context.Background(), "be brief", user); err != nil {
			b.Fatal(err)
		}
	}
}
