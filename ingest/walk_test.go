package ingest

import (
	"context"
	"errors"
	"github.com/byline-news/byline/retrieval"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

// summary renders an item as "source: article ID", "source: skip reason"
// or "source: error".
func summary(it Item) string {
	switch {
	case it.Err != nil:
		return it.Source + ": error"
	case it.Skip != "":
		return it.Source + ": skip " + it.Skip
	}
	return it.Source + ": " + it.Article.ID
}

func TestWalkTree(t *testing.T) {
	abs := func(p string) string {
		a, err := filepath.Abs(p)
		if err != nil {
			t.Fatal(err)
		}
		return a
	}
	var got []string
	for _, it := range collect(t, []string{"testdata/tree"}, Options{}) {
		got = append(got, summary(it))
	}
	want := []string{ // lexical order; .hidden and .dotfile.txt never show
		"testdata/tree/NOTES: skip unsupported file type (no extension)",
		"testdata/tree/a.txt: " + fileID(abs("testdata/tree/a.txt")),
		"testdata/tree/empty.txt: skip empty file",
		"testdata/tree/report.pdf: skip unsupported file type .pdf",
		"testdata/tree/sub/b.md: " + retrieval.URLID("https://schools.example/meals"),
		"testdata/tree/sub/blank.jsonl: skip empty file",
		"testdata/tree/sub/deeper/c.html: " + fileID(abs("testdata/tree/sub/deeper/c.html")),
		"testdata/tree/sub/feed.jsonl:1: feed-1",
		"testdata/tree/whitespace.md: skip empty file",
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("Walk(testdata/tree)\n got %q\nwant %q", got, want)
	}
}

func TestWalkFiles(t *testing.T) {
	dir := t.TempDir()
	sparse := filepath.Join(dir, "huge.txt")
	if err := os.WriteFile(sparse, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Truncate(sparse, 50<<20); err != nil { // sparse: costs no disk or time
		t.Fatal(err)
	}
	tests := []struct {
		path     string
		opt      Options
		want     string // summary prefix, after the path
		contains string // text the article must contain
	}{
		{"testdata/bad/binary.txt", Options{}, ": skip binary file", ""},
		{"testdata/bad/cp1252.txt", Options{}, ": f-", "Café Renée said: “We cannot pay 20% more – nobody can.” Her landlord declined to comment… for now."},
		{"testdata/bad/mixed-utf8.txt", Options{}, ": f-", "Smørhavn won first prize at the regional show, beating café chefs. Stray byte: \uFFFD here."},
		{"testdata/bad/noext", Options{}, ": f-", "sniffed as plain text"},
		{"testdata/bad/noext-jsonl", Options{}, ":1: x1", "sniffed by its first brace"},
		{"testdata/bad/missing.txt", Options{}, ": error", ""},
		{sparse, Options{}, ": skip file too large (52.4 MB > 8.4 MB limit)", ""},
		{"testdata/tree/a.txt", Options{MaxFileSize: 100}, ": skip file too large (138 bytes > 100 bytes limit)", ""},
	}
	for _, tt := range tests {
		t.Run(filepath.Base(tt.path), func(t *testing.T) {
			items := collect(t, []string{tt.path}, tt.opt)
			if len(items) != 1 {
				t.Fatalf("got %d items, want 1", len(items))
			}
			it := items[0]
			if got := summary(it); !strings.HasPrefix(got, tt.path+tt.want) {
				t.Errorf("got %q, want prefix %q", got, tt.path+tt.want)
			}
			if text := strings.Join(it.Article.Paragraphs, "\n"); !strings.Contains(text, tt.contains) {
				t.Errorf("text %q lacks %q", text, tt.contains)
			}
		})
	}
}

func TestWalkStdin(t *testing.T) {
	const story = "Pier reopens after repairs\n\nThe Victorian pier reopened to visitors on Saturday after a two-year restoration."
	tests := []struct {
		name string
		in   string
		opt  Options
		want []string
	}{
		{"jsonl", "\n  " + `{"id":"s1","title":"One","body":"The first story from standard input, long enough to keep."}` + "\n" +
			`{"id":"s2","title":"Two","body":"The second story from standard input, long enough to keep."}`,
			Options{}, []string{"stdin:2: s1", "stdin:3: s2"}},
		{"html", "<!doctype html><title>Pier reopens</title><p>The Victorian pier reopened to visitors on Saturday, two years after a winter storm tore away its end and the café that stood on it. The council spent four million pounds on the repair, most of it on new steel piles.</p>",
			Options{}, []string{"stdin: " + textID("<!doctype html><title>Pier reopens</title><p>The Victorian pier reopened to visitors on Saturday, two years after a winter storm tore away its end and the café that stood on it. The council spent four million pounds on the repair, most of it on new steel piles.</p>")}},
		{"text", story, Options{}, []string{"stdin: " + textID(story)}},
		{"text id ignores case and spacing", strings.ToUpper(story) + "\n\n", Options{}, []string{"stdin: " + textID(story)}},
		{"empty", "", Options{}, []string{"stdin: skip empty file"}},
		{"blank", " \n\t\n", Options{}, []string{"stdin: skip empty file"}},
		{"binary", "GIF89a\x00\x01\x02", Options{}, []string{"stdin: skip binary file"}},
		{"too large", story, Options{MaxFileSize: 50}, []string{"stdin: skip input too large (over 50 bytes limit)"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.opt.Stdin = strings.NewReader(tt.in)
			var got []string
			for _, it := range collect(t, []string{"-"}, tt.opt) {
				got = append(got, summary(it))
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
}

func TestWalkStops(t *testing.T) {
	errStop := errors.New("stop")
	cancelled, cancel := context.WithCancel(context.Background())
	cancel()
	tests := []struct {
		name  string
		ctx   func() (context.Context, context.CancelFunc)
		paths []string
		fnErr error // returned by fn
		want  error
		calls int
	}{
		{"cancelled before", func() (context.Context, context.CancelFunc) { return cancelled, func() {} },
			[]string{"testdata/tree"}, nil, context.Canceled, 0},
		{"cancelled in dir", func() (context.Context, context.CancelFunc) { return context.WithCancel(context.Background()) },
			[]string{"testdata/tree"}, nil, context.Canceled, 1},
		{"cancelled in jsonl", func() (context.Context, context.CancelFunc) { return context.WithCancel(context.Background()) },
			[]string{"testdata/news.jsonl"}, nil, context.Canceled, 1},
		{"fn error in dir", func() (context.Context, context.CancelFunc) { return context.WithCancel(context.Background()) },
			[]string{"testdata/tree", "testdata/news.jsonl"}, errStop, errStop, 1},
		{"fn error in jsonl", func() (context.Context, context.CancelFunc) { return context.WithCancel(context.Background()) },
			[]string{"testdata/news.jsonl"}, errStop, errStop, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ctx, cancel := tt.ctx()
			defer cancel()
			calls := 0
			err := Walk(ctx, tt.paths, Options{}, func(Item) error {
				calls++
				if tt.fnErr != nil {
					return tt.fnErr
				}
				cancel() // cancelling cases stop after the first item
				return nil
			})
			if !errors.Is(err, tt.want) || calls != tt.calls {
				t.Errorf("Walk = %v after %d calls, want %v after %d", err, calls, tt.want, tt.calls)
			}
		})
	}
}

func TestWalkMissingPathContinues(t *testing.T) {
	items := collect(t, []string{"testdata/nope", "testdata/tree/a.txt"}, Options{})
	if len(items) != 2 || items[0].Err == nil || !strings.Contains(items[0].Err.Error(), "stat testdata/nope") ||
		items[1].Err != nil || items[1].Article.Title != "Water meters for every home by 2030" {
		t.Errorf("got %+v", items)
	}
}
