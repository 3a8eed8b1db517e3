package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/byline-news/byline/eval"
)

// TestEvalExtract runs "byline eval --extract" on a test-pages directory
// of one page written for this test, laid out as Readability's.
func TestEvalExtract(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	dir := e.path("test-pages")
	story := `<p>The harbour authority said the new quay would open in spring, after two years of work and a long delay caused by winter storms.</p>` +
		`<p>Ferry operators welcomed the news, saying the old quay could no longer take the larger boats now in service.</p>`
	files := map[string]string{
		"quay/source.html": `<html><head><title>Quay opens in spring | Harbour News</title><meta property="og:site_name" content="Harbour News">` +
			`<meta name="author" content="Ines Moreau"></head><body><nav><a href="/">Home</a></nav><article><h1>Quay opens in spring</h1>` + story +
			`</article><footer>Harbour News 2024</footer></body></html>`,
		"quay/expected.html":           `<div id="readability-page-1" class="page">` + story + `</div>`,
		"quay/expected-metadata.json":  `{"title": "Quay opens in spring | Harbour News", "byline": "Ines Moreau", "readerable": true}`,
		"other/expected-metadata.json": `{"title": "Not readerable", "readerable": false}`,
	}
	for name, content := range files {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	r := e.mustRun(0, "eval", "--extract", "--pages", dir, "--json")
	var results []eval.ExtractResult
	if err := json.Unmarshal([]byte(r.out), &results); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, r.out)
	}
	if len(results) != 3 {
		t.Fatalf("%d results, want byline add, byline index and go-readability", len(results))
	}
	for _, res := range results[:2] {
		s := res.Summary
		if s.Pages != 1 || s.F1Mean != 1 || s.Titles != 1 || s.Authors != 1 {
			t.Errorf("%s: %+v, want the one page matched in full", res.Extractor, s)
		}
	}
	text := e.mustRun(0, "eval", "--extract", "--pages", dir).out
	for _, want := range []string{"Readerable test pages: 1", "| byline add | 1 | 1.000 / 1.000", "| quay | 1.000"} {
		if !strings.Contains(text, want) {
			t.Errorf("output lacks %q:\n%s", want, text)
		}
	}
	if r := e.run("eval", "--extract", "--pages", e.path("nowhere")); r.code == 0 || !strings.Contains(r.err, "nowhere") {
		t.Errorf("missing directory: exit %d, stderr %q", r.code, r.err)
	}
}
