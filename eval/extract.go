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
	Expected  []string // expected.html as text blocks (see HTMLBlocks)
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
// go-readability module in the module cache. The version is the one
// this binary was built with, else the one go.mod requires (tests carry
// no module information), else the one `go list` names.
func ReadabilityTestPages() (string, error) {
	var tried []string
	for _, dir := range moduleDirs() {
		tried = append(tried, dir)
		if st, err := os.Stat(filepath.Join(dir, "test-pages")); err == nil && st.IsDir() {
			return filepath.Join(dir, "test-pages"), nil
		}
	}
	return "", fmt.Errorf("no test pages of %s in the module cache (tried %q)", ReadabilityModule, tried)
}

// moduleDirs lists where the module may be, most likely first.
func moduleDirs() []string {
	var versions []string
	if bi, ok := debug.ReadBuildInfo(); ok {
		for _, d := range bi.Deps {
			if d.Path == ReadabilityModule {
				versions = append(versions, d.Version)
			}
		}
	}
	if v := goModVersion(); v != "" {
		versions = append(versions, v)
	}
	var dirs []string
	for _, v := range versions {
		dirs = append(dirs, filepath.Join(modCache(), escapePath(ReadabilityModule)+"@"+v))
	}
	if len(dirs) == 0 {
		if out, err := exec.Command("go", "list", "-m", "-f", "{{.Dir}}", ReadabilityModule).Output(); err == nil {
			dirs = append(dirs, strings.TrimSpace(string(out)))
		}
	}
	return dirs
}

// goModVersion returns the version of the module that the go.mod in the
// working directory, or the nearest one above it, requires.
func goModVersion() string {
	dir, err := os.Getwd()
	if err != nil {
		return ""
	}
	for {
		if data, err := os.ReadFile(filepath.Join(dir, "go.mod")); err == nil {
			for _, line := range strings.Split(string(data), "\n") {
				f := strings.Fields(strings.TrimPrefix(strings.TrimSpace(line), "require "))
				if len(f) >= 2 && f[0] == ReadabilityModule {
					return f[1]
				}
			}
			return ""
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return ""
		}
		dir = parent
	}
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
