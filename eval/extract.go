package eval

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime/debug"
	"strings"
	"time"
	"unicode"

	"golang.org/x/net/html"
)

// ReadabilityModule is the module whose test pages measure extraction:
// Mozilla Readability's test suite, shipped with the Go port byline uses.
const ReadabilityModule = "codeberg.org/readeck/go-readability/v2"

// ExtractPage is one of those test pages: the page, the article text
// Readability.js extracts from it, and its metadata.
type ExtractPage struct {
	Name      string
	Source    []byte   // source.html
	Expected  []string // expected.html as text blocks, repeats dropped
	Title     string
	Byline    string
	Published string // as written in expected-metadata.json, "" when none
}

// Extracted is what an extractor found on a page.
type Extracted struct {
	NoArticle  bool // the extractor judged the page not an article
	Paragraphs []string
	Title      string
	Author     string
	Published  time.Time
}

// ReadabilityTestPages returns the test-pages directory of the
// go-readability module in the module cache, found from the version
// this binary was built with, or else from `go list`.
func ReadabilityTestPages() (string, error) {
	var dirs []string
	if bi, ok := debug.ReadBuildInfo(); ok {
		for _, d := range bi.Deps {
			if d.Path == ReadabilityModule && d.Version != "" {
				dirs = append(dirs, filepath.Join(modCache(), escapePath(d.Path)+"@"+d.Version))
			}
		}
	}
	if out, err := exec.Command("go", "list", "-m", "-f", "{{.Dir}}", ReadabilityModule).Output(); err == nil {
		dirs = append(dirs, strings.TrimSpace(string(out)))
	}
	for _, d := range dirs {
		p := filepath.Join(d, "test-pages")
		if st, err := os.Stat(p); err == nil && st.IsDir() {
			return p, nil
		}
	}
	return "", fmt.Errorf("no test pages of %s in the module cache (tried %q)", ReadabilityModule, dirs)
}

// modCache is where the go command keeps downloaded modules.
func modCache() string {
	if d := os.Getenv("GOMODCACHE"); d != "" {
		return d
	}
	if out, err := exec.Command("go", "env", "GOMODCACHE").Output(); err == nil && len(bytes.TrimSpace(out)) > 0 {
		return string(bytes.TrimSpace(out))
	}
	if gp := os.Getenv("GOPATH"); gp != "" {
		return filepath.Join(filepath.SplitList(gp)[0], "pkg", "mod")
	}
	home, _ := os.UserHomeDir()
	return filepath.Join(home, "go", "pkg", "mod")
}

// escapePath is the module cache's case encoding: "A" becomes "!a".
func escapePath(p string) string {
	var b strings.Builder
	for _, r := range p {
		if unicode.IsUpper(r) {
			b.WriteByte('!')
			r = unicode.ToLower(r)
		}
		b.WriteRune(r)
	}
	return b.String()
}

// LoadExtractPages reads the test pages under dir that are marked
// readerable: those Readability.js treats as articles.
func LoadExtractPages(dir string) ([]ExtractPage, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, fmt.Errorf("read test pages: %w", err)
	}
	var pages []ExtractPage
	for _, e := range entries {
		if !e.IsDir() {
			continue
		}
		p, ok, err := loadExtractPage(filepath.Join(dir, e.Name()))
		if err != nil {
			return nil, err
		}
		if ok {
			pages = append(pages, p)
		}
	}
	return pages, nil
}

func loadExtractPage(dir string) (ExtractPage, bool, error) {
	var meta struct {
		Title, Byline, PublishedTime string
		Readerable                   bool
	}
	data, err := os.ReadFile(filepath.Join(dir, "expected-metadata.json"))
	if os.IsNotExist(err) {
		return ExtractPage{}, false, nil
	}
	if err == nil {
		err = json.Unmarshal(data, &meta)
	}
	if err != nil || !meta.Readerable {
		return ExtractPage{}, false, wrapPage(dir, err)
	}
	src, err := os.ReadFile(filepath.Join(dir, "source.html"))
	if err != nil {
		return ExtractPage{}, false, wrapPage(dir, err)
	}
	exp, err := os.ReadFile(filepath.Join(dir, "expected.html"))
	if err != nil {
		return ExtractPage{}, false, wrapPage(dir, err)
	}
	doc, err := html.Parse(bytes.NewReader(exp))
	if err != nil {
		return ExtractPage{}, false, wrapPage(dir, err)
	}
	return ExtractPage{Name: filepath.Base(dir), Source: src, Expected: HTMLBlocks(doc),
		Title: meta.Title, Byline: meta.Byline, Published: meta.PublishedTime}, true, nil
}

func wrapPage(dir string, err error) error {
	if err == nil {
		return nil
	}
	return fmt.Errorf("test page %s: %w", dir, err)
}
