package sqlite_test

import (
	"cmp"
	"context"
	"hash/fnv"
	"math/rand/v2"
	"path/filepath"
	"testing"

	"github.com/byline-news/byline/retrieval"
	"github.com/byline-news/byline/retrieval/sqlite"
)

// hashEmbedder gives each text a pseudo-random vector of dim components
// (384 if 0) seeded by its hash: realistic sizes for benchmarks, no meaning.
type hashEmbedder struct{ dim int }

func (e hashEmbedder) Embed(_ context.Context, texts []string) ([][]float32, error) {
	out := make([][]float32, len(texts))
	for i, t := range texts {
		out[i] = hashVector(t, e.dim)
	}
	return out, nil
}

func hashVector(text string, dim int) []float32 {
	h := fnv.New64a()
	h.Write([]byte(text))
	r := rand.New(rand.NewPCG(h.Sum64(), 3))
	v := make([]float32, cmp.Or(dim, 384))
	for k := range v {
		v[k] = float32(r.NormFloat64())
	}
	return v
}

// BenchmarkHybridSearch is BenchmarkSearch's index and queries with a
// 384-dimensional query vector: BM25, an exact scan of ~20k vectors and
// the fusion. Compare with BenchmarkSearch for the cost of hybrid search.
func BenchmarkHybridSearch(b *testing.B) {
	ctx := context.Background()
	c := newCorpus(100)
	ix := MustOpen(b)
	all := genArticles(c, "bench", 4000, 5)
	for i := 0; i < len(all); i += 200 {
		MustPut(b, ix, all[i:i+200]...)
	}
	if _, err := ix.Embed(ctx, hashEmbedder{}, sqlite.EmbedOptions{Model: "hash", Batch: 512}); err != nil {
		b.Fatal(err)
	}
	v := c.Vocab
	queries := []string{v[0] + " " + v[1], v[50] + " " + v[400] + " " + v[90], v[1500] + " " + v[1700]}
	for _, f := range []struct {
		name   string
		format sqlite.VectorFormat
	}{{"int8", sqlite.VectorInt8}, {"float32", sqlite.VectorFloat32}} {
		ix.SetVectorFormat(f.format)
		b.Run(f.name, func(b *testing.B) {
			qs := make([]retrieval.Query, len(queries))
			for i, q := range queries {
				qs[i] = retrieval.Query{Text: q, K: 5, Vector: hashVector(q, 0), VectorModel: "hash"}
				MustSearch(b, ix, qs[i]) // loads the vectors before timing
			}
			i := 0
			for b.Loop() {
				if _, err := ix.Search(ctx, qs[i%len(qs)]); err != nil {
					b.Fatal(err)
				}
				i++
			}
		})
	}
}

// BenchmarkLoadVectors times what a cold process pays before its first
// hybrid search: opening the index and loading 50k 256-dimensional
// vectors, per in-memory format. int8-from-vec, last as it clears q8, is
// an index embedded before the int8 form was stored.
//
//	go test ./retrieval/sqlite/ -run XXX -bench LoadVectors -benchtime 10x
func BenchmarkLoadVectors(b *testing.B) {
	const articles, paragraphs, dim = 10_000, 5, 256
	ctx := context.Background()
	path := filepath.Join(b.TempDir(), "byline.db")
	ix := MustOpenPath(b, path, sqlite.Options{Create: true})
	all := genArticles(newCorpus(300), "load", articles, paragraphs)
	for i := 0; i < len(all); i += 1000 {
		MustPut(b, ix, all[i:i+1000]...)
	}
	if _, err := ix.Embed(ctx, hashEmbedder{dim: dim}, sqlite.EmbedOptions{Model: "hash", Batch: 1024}); err != nil {
		b.Fatal(err)
	}
	ix.Close()
	for _, f := range []struct {
		name   string
		format sqlite.VectorFormat
		noQ8   bool
	}{{"int8", sqlite.VectorInt8, false}, {"float32", sqlite.VectorFloat32, false}, {"int8-from-vec", sqlite.VectorInt8, true}} {
		b.Run(f.name, func(b *testing.B) {
			if f.noQ8 {
				if _, err := rawDB(b, path).Exec(`UPDATE embeddings SET q8 = NULL`); err != nil {
					b.Fatal(err)
				}
			}
			for b.Loop() {
				ix, err := sqlite.Open(ctx, path, sqlite.Options{})
				if err != nil {
					b.Fatal(err)
				}
				ix.SetVectorFormat(f.format)
				n, err := ix.LoadVectors(ctx, "hash")
				ix.Close()
				if err != nil || n != articles*paragraphs {
					b.Fatalf("LoadVectors = %d, %v; want %d", n, err, articles*paragraphs)
				}
			}
		})
	}
}
