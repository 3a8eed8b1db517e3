package main

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/byline-news/byline/llm/fakeai"
)

// askDoc is the part of "ask --json" these tests read.
type askDoc struct {
	Answer         string `json:"answer"`
	Abstained      bool   `json:"abstained"`
	Mode           string `json:"mode"`
	FallbackReason string `json:"fallback_reason"`
	Sources        []struct {
		N         int    `json:"n"`
		ArticleID string `json:"article_id"`
	} `json:"sources"`
}

func decodeAsk(t *testing.T, out string) (askDoc, map[string]any) {
	t.Helper()
	var doc askDoc
	var raw map[string]any
	if err := json.Unmarshal([]byte(out), &doc); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, out)
	}
	json.Unmarshal([]byte(out), &raw)
	return doc, raw
}

// llmEnv is a test environment pointed at a fake model endpoint.
func llmEnv(t *testing.T, reply func(int, fakeai.Request) fakeai.Reply) (*env, *fakeai.Server) {
	t.Helper()
	srv := fakeai.NewServer(t, reply)
	e := newEnv(t)
	e.vars["OPENAI_BASE_URL"] = srv.URL
	e.vars["OPENAI_API_KEY"] = "sk-test"
	e.vars["BYLINE_CHAT_MODEL"] = "gpt-4o-mini"
	return e, srv
}

func TestAskModeLLM(t *testing.T) {
	t.Parallel()
	e, srv := llmEnv(t, fakeai.Always("China's defence minister Liang Guanglie denied that China was behind cyber attacks on US networks [1]."))
	r := e.mustRun(0, "ask", "--mode", "llm", "--json", "what did Liang deny?")
	doc, raw := decodeAsk(t, r.out)
	if doc.Mode != "llm" || doc.FallbackReason != "" {
		t.Errorf("mode %q, fallback_reason %q; want llm and none\n%s", doc.Mode, doc.FallbackReason, r.out)
	}
	if _, ok := raw["fallback_reason"]; ok {
		t.Errorf("fallback_reason present with no fallback:\n%s", r.out)
	}
	if !strings.HasPrefix(doc.Answer, "China's defence minister") || len(doc.Sources) != 1 || doc.Sources[0].N != 1 {
		t.Errorf("answer %q with %d sources, want the generated one citing one source", doc.Answer, len(doc.Sources))
	}
	reqs := srv.Requests()
	if len(reqs) != 1 || reqs[0].Auth != "Bearer sk-test" || reqs[0].Model != "gpt-4o-mini" {
		t.Errorf("model requests = %+v", reqs)
	}
}

func TestAskAutoUsesModelWhenConfigured(t *testing.T) {
	t.Parallel()
	e, _ := llmEnv(t, fakeai.Always("Liang denied the hacking claims [1]."))
	doc, _ := decodeAsk(t, e.mustRun(0, "ask", "--json", "what did Liang deny?").out)
	if doc.Mode != "llm" || doc.Answer != "Liang denied the hacking claims [1]." {
		t.Errorf("mode %q, answer %q; want the generated answer", doc.Mode, doc.Answer)
	}
}

func TestAskModeLLMFallback(t *testing.T) {
	t.Parallel()
	e, _ := llmEnv(t, fakeai.Always("Liang denied the hacking claims [9]."))
	r := e.mustRun(0, "ask", "--mode", "llm", "--json", "what did Liang deny?")
	doc, _ := decodeAsk(t, r.out)
	if doc.Mode != "extractive" || doc.FallbackReason != "invalid citation [9]" {
		t.Errorf("mode %q, fallback_reason %q; want extractive after invalid citation [9]", doc.Mode, doc.FallbackReason)
	}
	if doc.Answer == "" || strings.Contains(doc.Answer, "[9]") {
		t.Errorf("answer %q, want the extractive one", doc.Answer)
	}
	if !strings.Contains(r.err, "invalid citation [9]") {
		t.Errorf("stderr does not log the fallback reason:\n%s", r.err)
	}
}

func TestAskModeExtractiveSkipsModel(t *testing.T) {
	t.Parallel()
	e, srv := llmEnv(t, func(int, fakeai.Request) fakeai.Reply { return fakeai.Reply{Status: http.StatusInternalServerError} })
	doc, _ := decodeAsk(t, e.mustRun(0, "ask", "--mode", "extractive", "--json", "what did Liang deny?").out)
	if doc.Mode != "extractive" || doc.FallbackReason != "" {
		t.Errorf("mode %q, fallback_reason %q", doc.Mode, doc.FallbackReason)
	}
	if n := len(srv.Requests()); n != 0 {
		t.Errorf("%d model requests, want none", n)
	}
}

func TestAskModeUsage(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	r := e.mustRun(2, "ask", "--mode", "llm", "what did Liang deny?")
	if !strings.Contains(r.err, "BYLINE_CHAT_MODEL") {
		t.Errorf("stderr does not say how to configure the model:\n%s", r.err)
	}
	r = e.mustRun(2, "ask", "--mode", "fancy", "what did Liang deny?")
	if !strings.Contains(r.err, "--mode must be auto, extractive or llm") {
		t.Errorf("stderr = %s", r.err)
	}
	// Without a model, auto is extractive.
	doc, _ := decodeAsk(t, e.mustRun(0, "ask", "--json", "what did Liang deny?").out)
	if doc.Mode != "extractive" {
		t.Errorf("mode = %q, want extractive", doc.Mode)
	}
}
