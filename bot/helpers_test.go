package bot

import (
	"context"
	"log/slog"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/byline-news/byline/retrieval"
	"github.com/byline-news/byline/retrieval/sqlite"
)

// The articles below are invented for these tests. The first retells, in
// our own words, the facts of the seed article about Liang and Panetta.
var testArticles = []retrieval.Article{
	{
		ID: "t-pentagon", Title: "Chinese defence chief rejects hacking accusations", Outlet: "Test Wire",
		URL: "https://example.com/pentagon", Published: date(2012, 5, 1, 9),
		Paragraphs: []string{
			"Defence officials from the United States and China said on Monday that they were ready to cooperate against the rising danger of cyber attacks.",
			"Visiting Chinese Defence Minister Liang Guanglie denied that his country was behind the hacking of American networks, telling a Pentagon news conference that no evidence tied the attacks to China.",
			"Liang said he and Panetta had talked about ways to improve cyber security, and that experts would settle the details later.",
			"US Defense Secretary Leon Panetta said the two countries had to work together to avoid a misunderstanding that could turn into a crisis.",
			"The two men also discussed North Korea's nuclear programme, American arms sales to Taiwan and disputes over the South China Sea.",
		},
	},
	{
		ID: "t-reopens", Title: "Harbour bridge reopens after repairs", Outlet: "Test Gazette",
		URL: "https://example.com/reopens", Published: date(2012, 5, 7, 10),
		Paragraphs: []string{
			"The harbour bridge reopened to traffic on Monday after six weeks of repairs, the city council said.",
			"Engineers replaced the worn steel cables that had forced the closure.",
		},
	},
	{
		ID: "t-closes", Title: "Harbour bridge closes for cable repairs", Outlet: "Test Gazette",
		URL: "https://example.com/closes", Published: date(2012, 3, 26, 10),
		Paragraphs: []string{
			"The harbour bridge closed to traffic on Monday so that engineers could replace its worn steel cables, the city council said.",
		},
	},
	{
		ID: "t-bakery", Title: "Village bakery wins bread prize", Outlet: "Test Gazette",
		Paragraphs: []string{
			"A village bakery in the hills has won a national prize for its sourdough loaf. The owners said they would spend the prize money on a new oven.",
		},
	},
}

func date(y int, m time.Month, d, h int) time.Time { return time.Date(y, m, d, h, 0, 0, 0, time.UTC) }

// testNow is the injected "now" of these tests: the day after the bridge reopened.
var testNow = date(2012, 5, 8, 12)

// mustIndex returns a real SQLite index holding articles.
func mustIndex(t *testing.T, articles []retrieval.Article) *sqlite.Index {
	t.Helper()
	ctx := context.Background()
	ix, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "x.db"), sqlite.Options{Create: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ix.Close() })
	if _, err := ix.Put(ctx, articles); err != nil {
		t.Fatal(err)
	}
	return ix
}

// mustBot returns a Bot over s with a quiet logger and the test clock,
// unless opt says otherwise.
func mustBot(t *testing.T, s Searcher, opt Options) *Bot {
	t.Helper()
	opt.Searcher = s
	if opt.Logger == nil {
		opt.Logger = slog.New(slog.DiscardHandler)
	}
	if opt.Now == nil {
		opt.Now = func() time.Time { return testNow }
	}
	b, err := New(opt)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// clock is a settable time source for rate limits and TTLs.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) Add(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

// fakeSearcher is a Searcher whose answers the test chooses.
type fakeSearcher struct {
	search func(ctx context.Context, q retrieval.Query) ([]retrieval.Hit, error)
	count  int
}

func (f *fakeSearcher) Search(ctx context.Context, q retrieval.Query) ([]retrieval.Hit, error) {
	if f.search == nil {
		return nil, nil
	}
	return f.search(ctx, q)
}

func (f *fakeSearcher) Count(context.Context) (int, error) { return f.count, nil }
