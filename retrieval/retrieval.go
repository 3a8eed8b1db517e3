// Package retrieval owns byline's domain: articles, their paragraphs, the
// search over them, and the records a byline database keeps beside them
// (records.go). The index itself is package engine, stored by
// retrieval/sqlite or retrieval/postgres; the packages that use storage
// declare the small interfaces they need.
package retrieval

import (
	"errors"
	"math"
	"time"
)

// ErrNotFound is returned when an article or paragraph does not exist.
var ErrNotFound = errors.New("not found")

// ErrEmptyQuery is returned for a query with no searchable words (only
// stop words, punctuation or nothing at all).
var ErrEmptyQuery = errors.New("the question has no searchable words")

// ErrUnavailable is wrapped by a store's errors when the database could
// not be reached (a PostgreSQL server stopped, restarting or cut off):
// the request may succeed later, and nothing it wrote was committed.
var ErrUnavailable = errors.New("cannot reach the database")

// Article is one news story, split into paragraphs.
type Article struct {
	ID         string    // stable ID: given by the source (JSONL id) or derived from URL/text
	URL        string    // canonical URL, "" when unknown
	Title      string    //
	Outlet     string    // publisher, e.g. "BBC News"
	Author     string    //
	Category   string    // optional section, e.g. "business"
	Feed       string    // the feed URL it came from ("" when not from a feed); set by the crawler
	Published  time.Time // UTC; zero when unknown
	Updated    time.Time // when the publisher last changed it; zero when unknown or never
	Indexed    time.Time // UTC; set by the index
	Paragraphs []string  // in reading order, deduplicated
}

// Hit is one paragraph that matched a query, with its article and the
// paragraphs around it so an answer can resolve "he" or "the firm".
type Hit struct {
	Article   Article // Paragraphs is left empty
	Paragraph int     // 0-based position of Text in the article
	Text      string
	Before    string // paragraph Paragraph-1, "" at the start
	After     string // paragraph Paragraph+1, "" at the end
	Score     float64
	// AlsoCarriedBy lists the other outlets that carried the same story
	// (near-identical text); the hit is its earliest published copy.
	AlsoCarriedBy []string
}

// Query is a search request. Since and Until bound Article.Published;
// articles with an unknown date are excluded when either bound is set.
type Query struct {
	Text  string
	K     int
	Since time.Time // inclusive; zero = unbounded
	Until time.Time // exclusive; zero = unbounded
	// KeepUndated lets articles with an unknown date through the Since and
	// Until bounds; used for bounds guessed from the question's wording.
	KeepUndated bool
	// Vector is the question's embedding by VectorModel. When set and the
	// index holds paragraph vectors by that model, results fuse the lexical
	// ranking with a vector ranking by reciprocal rank fusion.
	Vector      []float32
	VectorModel string
	// Scope limits the search to some outlets, feeds and categories
	// (a channel's sources); the zero Scope searches everything. It is
	// applied inside the ranking, so a narrow scope still gets its K
	// best paragraphs.
	Scope Scope
	// Spelt says Text's spelling was corrected already (answer.Ask does
	// it, to answer from the corrected words): the search then takes its
	// words as they are instead of correcting them again.
	Spelt bool
}

// Stats describes an index.
type Stats struct {
	Articles   int
	Paragraphs int
	Terms      int
	Segments   int
	Bytes      int64 // database size: the file, or PostgreSQL's tables and indexes
	Oldest     time.Time
	Newest     time.Time
}

// PutResult reports what a Put did.
type PutResult struct {
	Added      int // new articles
	Replaced   int // articles that replaced an earlier version
	Unchanged  int // identical to what was stored already
	Paragraphs int // paragraphs written
}

// Rarity maps a term's document frequency df among n documents to 0..1:
// its inverse document frequency, ln((n+1)/(df+0.5)), divided by the
// largest possible one, so that it compares across indexes of any size.
// A term in no document is 1; one in every document is close to 0.
func Rarity(df, n int64) float64 {
	n = max(n, df)
	return math.Log(float64(n+1)/(float64(df)+0.5)) / math.Log(float64(n+1)/0.5)
}
