package main

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/byline-news/byline/llm/fakeai"
)

// embedEnv is a test environment whose embedding model is a fake that
// answers with hashing vectors, or with status when it is not 0.
func embedEnv(t *testing.T, status *atomic.Int32) (*env, *fakeai.Server) {
	t.Helper()
	srv := fakeai.Start(t, &fakeai.Handler{Embed: func(_ int, req fakeai.EmbedRequest) fakeai.EmbedReply {
		if s := status.Load(); s != 0 {
			return fakeai.EmbedReply{Status: int(s)}
		}
		var vs [][]float32
		for _, in := range req.Input {
			vs = append(vs, fakeai.HashEmbed(in, 64))
		}
		return fakeai.EmbedReply{Vectors: vs}
	}})
	e := newEnv(t)
	e.vars["OPENAI_BASE_URL"] = srv.URL
	e.vars["BYLINE_EMBED_MODEL"] = "embed-a"
	e.vars["BYLINE_EMBED_BATCH"] = "4"
	return e, srv
}

// vectorStats returns the vector counts of "byline stats --json".
func (e *env) vectorStats(db string) (vectors, missing int) {
	e.t.Helper()
	r := e.mustRun(0, "stats", "--json", "--db", db)
	var s struct {
		Vectors        int `json:"vectors"`
		VectorsMissing int `json:"vectors_missing"`
	}
	if err := json.Unmarshal([]byte(r.out), &s); err != nil {
		e.t.Fatalf("stats --json: %v\n%s", err, r.out)
	}
	return s.Vectors, s.VectorsMissing
}

var embedArticles = map[string]string{
	"a.md": "# Harbour bridge reopens\n\nThe harbour bridge reopened to traffic on Monday after six weeks of repairs.\n\nEngineers replaced the worn steel cables that had forced the closure.\n",
	"b.md": "# Bakery wins prize\n\nA village bakery has won a national prize for its sourdough loaf.\n\nThe owners will spend the prize money on a new oven.\n\nThe harbour bridge reopened to traffic on Monday after six weeks of repairs.\n",
	"c.md": "# Council vote\n\nThe council will vote on the harbour plan in March.\n",
}

func TestIndexEmbedsInBatchesAndCaches(t *testing.T) {
	t.Parallel()
	var status atomic.Int32
	e, srv := embedEnv(t, &status)
	dir := writeFiles(t, e.path("news"), embedArticles)
	db := e.path("x.db")
	e.mustRun(0, "index", "--db", db, dir)
	reqs := srv.EmbedRequests()
	// 6 paragraphs, one text twice: 5 distinct texts in batches of 4.
	if len(reqs) != 2 || len(reqs[0].Input) != 4 || len(reqs[1].Input) != 1 {
		t.Fatalf("embedding requests of sizes %v, want [4 1]", inputSizes(reqs))
	}
	if reqs[0].Model != "embed-a" {
		t.Errorf("model %q, want embed-a", reqs[0].Model)
	}
	if v, m := e.vectorStats(db); v != 6 || m != 0 {
		t.Errorf("stats: %d vectors, %d missing; want 6 and 0", v, m)
	}
	e.mustRun(0, "index", "--db", db, dir)
	if n := len(srv.EmbedRequests()); n != 2 {
		t.Errorf("re-indexing unchanged articles sent %d more embedding requests, want none", n-2)
	}

	// A new model embeds everything again; --prune drops the old vectors.
	e.vars["BYLINE_EMBED_MODEL"] = "embed-b"
	if v, m := e.vectorStats(db); v != 0 || m != 6 {
		t.Errorf("stats for a new model: %d vectors, %d missing; want 0 and 6", v, m)
	}
	r := e.mustRun(0, "reembed", "--db", db, "--batch", "10", "--prune")
	if got := inputSizes(srv.EmbedRequests()[2:]); len(got) != 1 || got[0] != 5 {
		t.Errorf("reembed sent batches %v, want one of 5", got)
	}
	if !strings.Contains(r.out, "Embedded 5 paragraphs with embed-b") || !strings.Contains(r.out, "Deleted 5 vectors") {
		t.Errorf("reembed said:\n%s", r.out)
	}
}

func inputSizes(reqs []fakeai.EmbedRequest) []int {
	var out []int
	for _, r := range reqs {
		out = append(out, len(r.Input))
	}
	return out
}

// An endpoint that fails leaves the articles indexed and searchable, says
// how to finish, and reembed finishes once it is back.
func TestEmbeddingFailureKeepsArticles(t *testing.T) {
	t.Parallel()
	var status atomic.Int32
	status.Store(http.StatusUnauthorized)
	e, _ := embedEnv(t, &status)
	dir := writeFiles(t, e.path("news"), embedArticles)
	db := e.path("x.db")
	r := e.mustRun(1, "index", "--db", db, dir)
	if !strings.Contains(r.err, "byline reembed") || !strings.Contains(r.err, "401") {
		t.Errorf("stderr does not explain the failure and the fix:\n%s", r.err)
	}
	if a, _ := e.stats(db); a != 3 {
		t.Errorf("%d articles indexed, want 3", a)
	}
	doc := e.askJSON("--db", db, "when did the harbour bridge reopen?")
	if doc.Abstained || !strings.Contains(doc.Answer, "Monday") {
		t.Errorf("answer %q (abstained %v), want the lexical answer despite the failing embedder", doc.Answer, doc.Abstained)
	}
	status.Store(0)
	e.mustRun(0, "reembed", "--db", db)
	if v, m := e.vectorStats(db); v != 6 || m != 0 {
		t.Errorf("after reembed: %d vectors, %d missing; want 6 and 0", v, m)
	}
}

func TestReembedNeedsModel(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	r := e.mustRun(2, "reembed", "--db", e.path("x.db"))
	if !strings.Contains(r.err, "BYLINE_EMBED_MODEL") {
		t.Errorf("stderr = %q, want it to name BYLINE_EMBED_MODEL", r.err)
	}
}

// serve embeds what the index holds in the background and reports the
// endpoint's usage at /metrics.
func TestServeEmbedsAndReportsMetrics(t *testing.T) {
	t.Parallel()
	var status atomic.Int32
	e, srv := embedEnv(t, &status)
	// Indexed without a model, so that serve has the embedding to do.
	model := e.vars["BYLINE_EMBED_MODEL"]
	delete(e.vars, "BYLINE_EMBED_MODEL")
	e.mustRun(0, "index", "--db", e.defaultDB(), writeFiles(t, e.path("news"), embedArticles))
	e.vars["BYLINE_EMBED_MODEL"] = model
	addr := freeAddr(t)
	e.vars["BYLINE_HTTP_ADDR"] = addr
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	done := make(chan int, 1)
	go func() {
		var errb strings.Builder
		done <- run(ctx, []string{"serve"}, stdio{in: strings.NewReader(""), out: io.Discard, err: &lockedWriter{b: &errb}}, e.getenv)
	}()
	waitFor(t, "http://"+addr+"/healthz", done).Body.Close()
	for i := 0; ; i++ {
		if _, m := e.vectorStats(e.defaultDB()); m == 0 {
			break
		}
		if i == 400 {
			t.Fatal("serve did not embed the indexed articles")
		}
		time.Sleep(25 * time.Millisecond)
	}
	resp, err := http.Get("http://" + addr + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	metrics := string(b)
	if !strings.Contains(metrics, "# TYPE byline_reply_seconds histogram") || !strings.Contains(metrics, "# TYPE byline_llm_calls_total counter") || strings.Contains(metrics, "byline_llm_embed_texts_total 0\n") ||
		!strings.Contains(metrics, "byline_llm_breaker_open 0\n") {
		t.Errorf("/metrics does not show the embedding calls:\n%s", metrics)
	}
	cancel()
	if code := <-done; code != 0 {
		t.Errorf("serve exit %d", code)
	}
	if len(srv.EmbedRequests()) == 0 {
		t.Error("the fake endpoint received no embedding request")
	}
	_, paragraphs := e.stats(e.defaultDB())
	if v, m := e.vectorStats(e.defaultDB()); v != paragraphs || m != 0 {
		t.Errorf("%d vectors, %d missing, for %d paragraphs; want all embedded", v, m, paragraphs)
	}
}

// Vectors stored by a model whose dimensions have since changed (the
// same name, a new model behind it) cost the question its vector, not
// its answer.
func TestAskWithStaleVectorDimensions(t *testing.T) {
	t.Parallel()
	dim := atomic.Int32{}
	dim.Store(64)
	srv := fakeai.Start(t, &fakeai.Handler{Embed: func(_ int, req fakeai.EmbedRequest) fakeai.EmbedReply {
		var vs [][]float32
		for _, in := range req.Input {
			vs = append(vs, fakeai.HashEmbed(in, int(dim.Load())))
		}
		return fakeai.EmbedReply{Vectors: vs}
	}})
	e := newEnv(t)
	e.vars["OPENAI_BASE_URL"] = srv.URL
	e.vars["BYLINE_EMBED_MODEL"] = "embed-a"
	db := e.path("x.db")
	e.mustRun(0, "index", "--db", db, writeFiles(t, e.path("news"), embedArticles))
	dim.Store(32)
	r := e.mustRun(0, "ask", "--json", "--db", db, "when did the harbour bridge reopen?")
	doc, _ := decodeAsk(t, r.out)
	if doc.Abstained || !strings.Contains(doc.Answer, "Monday") {
		t.Errorf("answer %q (abstained %v), want the lexical answer", doc.Answer, doc.Abstained)
	}
	if !strings.Contains(r.err, "byline reembed") {
		t.Errorf("no warning naming byline reembed:\n%s", r.err)
	}
}
