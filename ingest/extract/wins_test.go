package extract_test

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/byline-news/byline/eval"
	"github.com/byline-news/byline/ingest/extract"
)

// realPages are pages of Readability's test suite, each with a few words
// of what byline must keep (the story) and of what it must remove even
// though Readability.js keeps it: the boilerplate byline's rules are for.
// The words are probes, not copies: the pages stay in the module cache.
var realPages = []struct {
	page       string
	keep, drop []string
}{
	// Boilerplate that Readability.js keeps and byline removes.
	{"daringfireball-1", []string{"written and produced by John Gruber", "Web standards are important"},
		[]string{"BBEdit", "Script Debugger", "Snapz Pro X"}}, // a sidebar of app links
	{"wikipedia", []string{"Mozilla is a free-software community"},
		[]string{"Founded February 28, 1998"}}, // the infobox
	{"substack", []string{"third edition to the summary of our predicament"},
		[]string{"Share Recently"}}, // a share button, which would open a paragraph
	{"firefox-nightly-blog", []string{"Bug 1677080", "Masatoshi Kimura"},
		[]string{"Alan Goodale wrote", "Post a comment"}}, // the comments
	{"cnn", []string{"land of opportunity"}, []string{"Related: Chicago"}}, // a link to another story
	{"ehow-2", nil, []string{"Getty Images"}},                              // picture credits
	{"spiceworks", nil, []string{"Learn More: Video Marketing"}},
	// Story text the earlier rules lost.
	{"dropbox-blog", []string{"Comment", "We hope this post helps engineers"}, nil},
	{"mercurial", []string{"XXX this link does not work"}, nil},
	{"msn", []string{"Nintendo and Apple shocked the world"}, []string{"Provided by"}},
	{"pixnet", []string{"美樹民宿有開設餐廳"}, nil},
	{"hukumusume", []string{"欲張りなイヌ", "肉をくわえた"}, nil},
	{"toc-missing", []string{"Improving Accuracy"}, nil},
}

// TestRealPages holds the extractor to the probes above, by both paths.
func TestRealPages(t *testing.T) {
	dir, err := eval.ReadabilityTestPages()
	if err != nil {
		t.Skipf("skipping: %v", err)
	}
	for _, tt := range realPages {
		src, err := os.ReadFile(filepath.Join(dir, tt.page, "source.html"))
		if err != nil {
			t.Fatal(err)
		}
		for _, p := range paths {
			t.Run(tt.page+"/"+p.name, func(t *testing.T) {
				a, err := p.read(t, eval.TestPageURL, src)
				if err != nil {
					t.Fatal(err)
				}
				text := a.Title + "\n" + strings.Join(a.Paragraphs, "\n")
				for _, s := range tt.keep {
					if !strings.Contains(text, s) {
						t.Errorf("lost %q", s)
					}
				}
				for _, s := range tt.drop {
					if strings.Contains(text, s) {
						t.Errorf("kept %q", s)
					}
				}
			})
		}
	}
}

// TestRealSectionFront: a section front of teaser cards is no article.
func TestRealSectionFront(t *testing.T) {
	dir, err := eval.ReadabilityTestPages()
	if err != nil {
		t.Skipf("skipping: %v", err)
	}
	src, err := os.ReadFile(filepath.Join(dir, "nytimes-5", "source.html"))
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range paths {
		if a, err := p.read(t, eval.TestPageURL, src); !errors.Is(err, extract.ErrNoArticle) {
			t.Errorf("%s: err %v, %d paragraphs; want ErrNoArticle", p.name, err, len(a.Paragraphs))
		}
	}
}
