package extract

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"unicode/utf8"

	"golang.org/x/net/html"
)

// FuzzExtract feeds arbitrary bytes to Extract, as a fetched page and as
// a saved one, and to Text, as the HTML of a feed item. Neither may
// panic, and what comes out must be well formed: an article has text,
// every field is valid UTF-8, the title and author are one line, and a
// second run gives the same.
func FuzzExtract(f *testing.F) {
	files, err := filepath.Glob(filepath.Join("testdata", "*.html"))
	if err != nil {
		f.Fatal(err)
	}
	for _, file := range files {
		data, err := os.ReadFile(file)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data, true)
	}
	for _, s := range []string{
		"<h1>x</h1><p>y</p><h2>Comments</h2>",
		`<script type="application/ld+json">{"@graph":[{"@id":"a","name":"b"},{"author":{"@id":"a"}}]}</script>`,
		`<script type="application/ld+json"><![CDATA[{"@type":"NewsArticle","headline":"h","datePublished":"2024"}]]></script>`,
		`<meta property="dc:title og:title" content="T | Site"><meta property="og:site_name" content="Site">`,
		`<article><p>© Provided by X <span>©</span></p><ul><li><a href="/a">a</a></li><li><a href="/b">b</a></li><li><a href="/c">c</a></li></ul></article>`,
		`<div><h3><a href="/1">One</a></h3><p>s</p><h3><a href="/2">Two</a></h3><h3><a href="/3">3</a></h3><h3><a href="/4">4</a></h3><h3><a href="/5">5</a></h3></div>`,
		"<p>这是一个很长的中文句子，用来测试文字的宽度是否被正确地计算出来。</p><time datetime=\"2016-10-14\">2016年10月14日</time>",
		"<header><time>15 November</time></header><pre>a\n\tb</pre><table><tr><td>Comment</td></tr></table>",
		strings.Repeat("<div>", 511) + "<p>deep</p>", // the parser refuses more than 512 open elements
	} {
		f.Add([]byte(s), false)
	}
	f.Fuzz(func(t *testing.T, src []byte, fetched bool) {
		pageURL := ""
		if fetched {
			pageURL = "https://news.example/section/story.html"
		}
		d, err := Extract(src, pageURL)
		if again, err2 := Extract(src, pageURL); !reflect.DeepEqual(d, again) || fmt.Sprint(err2) != fmt.Sprint(err) {
			t.Fatalf("two runs differ:\n%+v %v\n%+v %v", d, err, again, err2)
		}
		doc, parseErr := html.Parse(strings.NewReader(string(src)))
		switch {
		case errors.Is(err, ErrNoArticle):
		case err != nil && parseErr != nil && strings.HasPrefix(err.Error(), "parse HTML: "):
			return // HTML the parser refuses: a clear error, nothing more to check
		case err != nil:
			t.Fatalf("error %v, want nil or ErrNoArticle", err)
		case strings.TrimSpace(d.Text) == "":
			t.Fatal("an article without text")
		}
		for name, v := range map[string]string{"title": d.Title, "author": d.Author, "outlet": d.Outlet, "text": d.Text} {
			if !utf8.ValidString(v) {
				t.Fatalf("%s is not valid UTF-8: %q", name, v)
			}
		}
		for name, v := range map[string]string{"title": d.Title, "author": d.Author} {
			if strings.ContainsAny(v, "\n\r\t") || v != strings.TrimSpace(v) {
				t.Fatalf("%s is not one clean line: %q", name, v)
			}
		}
		if s := Text(doc); !utf8.ValidString(s) && utf8.Valid(src) {
			t.Fatalf("Text of valid UTF-8 is not: %q", s)
		}
	})
}
