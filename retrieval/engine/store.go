package engine

import (
	"context"
	"time"

	"github.com/byline-news/byline/retrieval"
)

// Backend is what a storage backend (retrieval/sqlite, retrieval/postgres)
// gives the engine: consistent reads, serialised write transactions, and
// the few statements of the embedding job. It stores rows and blobs and
// knows nothing of ranking; the engine decides everything else, so both
// backends rank alike by construction.
//
// Errors come back in the backend's own words ("database is locked …");
// the engine adds what it was doing.
type Backend interface {
	// Snapshot starts a read of one committed state: whatever writers
	// commit meanwhile, everything read through it agrees.
	Snapshot(ctx context.Context) (Snapshot, error)
	// Begin starts a write transaction. Writers are serialised: Begin
	// waits while another writer's transaction is open.
	Begin(ctx context.Context) (Tx, error)
	VectorStore
}

// Reader reads the index. Both snapshots and write transactions offer it.
type Reader interface {
	// Counters returns the index generation, which every commit that adds,
	// replaces or deletes articles changes, and the count of changes to
	// stored vectors.
	Counters(ctx context.Context) (generation, vectors int64, err error)
	// Meta returns the value of a counter of the meta table, and whether
	// it has one.
	Meta(ctx context.Context, key string) (int64, bool, error)
	// SegmentIDs lists the segments, ascending.
	SegmentIDs(ctx context.Context) ([]int64, error)
	Segment(ctx context.Context, id int64) (SegmentRow, error)
	// Tombstones calls fn with each deleted document in [lo, hi].
	Tombstones(ctx context.Context, lo, hi int64, fn func(doc int64)) error
	// Postings calls fn with every stored posting list of each term.
	Postings(ctx context.Context, terms []string, fn func(term string, segment, df int64, data []byte)) error
	// DocFreqs returns each term's document frequency summed over all
	// segments (terms with none may be left out).
	DocFreqs(ctx context.Context, terms []string) (map[string]int64, error)
	// Newest calls fn with the first paragraph (N = 0) and article of each
	// of the limit newest articles published in [from, to) (unix
	// seconds), newest first, ties by ID in byte order; undated articles
	// never. A non-zero only keeps the articles whose outlet, feed or
	// category is one of those it lists, compared exactly.
	Newest(ctx context.Context, from, to int64, limit int, only retrieval.Scope, fn func(DocRow)) error
	// ArticleSources calls fn, in order of first document, with each
	// article whose first document is in [lo, hi]: its first document,
	// its number of paragraphs, its outlet, feed and category.
	ArticleSources(ctx context.Context, lo, hi int64, fn func(first int64, n int, outlet, feed, category string)) error
	// Docs calls fn with the paragraph and article of each of docs that
	// still exists, in any order.
	Docs(ctx context.Context, docs []int64, fn func(DocRow)) error
	// Paragraphs calls fn(i, text) for the paragraph numbered refs[i].N of
	// the article refs[i].ArticleID, for each that exists.
	Paragraphs(ctx context.Context, refs []ParagraphRef, fn func(i int, text string)) error
	// VectorBytes returns the length of one stored vector by model, or 0
	// when model has none.
	VectorBytes(ctx context.Context, model string) (int, error)
	// VectorDocs calls fn, in document order, for each paragraph whose
	// text has a vector by model.
	VectorDocs(ctx context.Context, model string, fn func(doc int64, published time.Time, hash []byte)) error
	// Vectors calls fn with model's vectors: all of them when hashes is
	// nil, else those of hashes. With int8, fn gets the stored int8 form
	// (q8) and, only when that is missing, vec; otherwise vec alone.
	Vectors(ctx context.Context, model string, hashes [][]byte, int8 bool, fn func(hash, q8, vec []byte) error) error
}

// Snapshot is a read of one committed state, ended by Close.
type Snapshot interface {
	Reader
	Close()
}

// Tx is a write transaction: nothing it writes is visible to snapshots,
// or durable, until Commit. A crash before Commit leaves the previous
// state whole.
type Tx interface {
	Reader
	// NextDoc returns the first unused document number.
	NextDoc(ctx context.Context) (int64, error)
	SetNextDoc(ctx context.Context, next int64) error
	// Lookup returns, per key, the stored articles with its ID, its URL
	// (when not "") or its text hash.
	Lookup(ctx context.Context, keys []ArticleKey) ([][]StoredArticle, error)
	// Older returns up to limit articles published before the unix
	// second before, and undated ones indexed before it, oldest first.
	Older(ctx context.Context, before int64, limit int) ([]StoredArticle, error)
	// RemoveArticles deletes articles by their StoredArticle.Row; their
	// paragraphs' documents become tombstones.
	RemoveArticles(ctx context.Context, rows []int64) error
	// InsertArticle stores an article and its paragraphs. A backend may
	// buffer it, as long as every later call of the transaction sees it.
	InsertArticle(ctx context.Context, a *ArticleRow) error
	// WriteSegment stores a segment with a new id, never one used before
	// (searches cache segments by id), and its posting lists.
	WriteSegment(ctx context.Context, s SegmentRow, lists []PostingList) (int64, error)
	// SegmentHeads lists every segment's id, size and document list.
	SegmentHeads(ctx context.Context) ([]SegmentRow, error)
	CountTombstones(ctx context.Context, lo, hi int64) (int64, error)
	// MergePostings calls fn with the posting lists of segs, a term's
	// lists one after another.
	MergePostings(ctx context.Context, segs []int64, fn func(term string, segment int64, data []byte) error) error
	// DropSegment deletes a segment, its postings and the tombstones in
	// [lo, hi], its documents' range.
	DropSegment(ctx context.Context, id, lo, hi int64) error
	// MarkProvisional marks the articles ids as provisional (stand-ins,
	// see Writer.Provisional).
	MarkProvisional(ctx context.Context, ids []string) error
	// ProvisionalIDs lists the IDs marked provisional, whether or not
	// their articles are still stored.
	ProvisionalIDs(ctx context.Context) ([]string, error)
	// UnmarkProvisional removes the marks of ids, or of all when ids is
	// nil.
	UnmarkProvisional(ctx context.Context, ids []string) error
	// SetMeta sets, or adds, a counter of the meta table.
	SetMeta(ctx context.Context, key string, value int64) error
	// BumpGeneration tells searchers the index changed.
	BumpGeneration(ctx context.Context) error
	Commit(ctx context.Context) error
	Rollback(ctx context.Context) error
}

// VectorStore is what Embed and the vector maintenance need.
type VectorStore interface {
	// VectorCoverage calls fn, in document order, for each paragraph
	// with a text hash, with whether its text has a vector by model.
	VectorCoverage(ctx context.Context, model string, fn func(doc int64, hash []byte, has bool)) error
	// ParagraphTexts returns the texts of those of docs that exist.
	ParagraphTexts(ctx context.Context, docs []int64) (map[int64]string, error)
	// StoreVectors stores rows in one transaction, keeping any vector
	// already stored for the same model and hash, and tells searchers.
	StoreVectors(ctx context.Context, model string, rows []VectorRow) error
	// PruneVectors deletes the vectors of every model but keep and those
	// whose text no paragraph has, telling searchers when it deleted any.
	PruneVectors(ctx context.Context, keep string) (int, error)
	// VectorStats counts the paragraphs, and those whose text has a
	// vector by model.
	VectorStats(ctx context.Context, model string) (paragraphs, withVector int, err error)
}

// SegmentRow is a segment as stored (see segment.go for the encodings).
// SegmentHeads fills only ID, NDocs and Docs.
type SegmentRow struct {
	ID                 int64
	NDocs              int
	Docs, Lens, Pubs   []byte
	TotalLen, TitleLen int64
}

// PostingList is one term's posting list in a segment.
type PostingList struct {
	Term string
	DF   int
	Data []byte
}

// DocRow is a paragraph with its article, as search reads it.
type DocRow struct {
	Doc                                  int64
	N                                    int // the paragraph's position in its article
	Text                                 string
	ArticleID                            string
	URL, Title, Outlet, Author, Category string
	Feed                                 string
	Published, Updated, Indexed          time.Time // zero when unknown
	Simhash                              uint64
}

// ParagraphRef names a paragraph by its article's ID and its position.
type ParagraphRef struct {
	ArticleID string
	N         int
}

// ArticleKey is what a stored article may share with one being indexed.
type ArticleKey struct {
	ID, URL, Hash string
}

// StoredArticle is the part of a stored article that decides whether a
// new one replaces it. Row is the backend's key for RemoveArticles.
type StoredArticle struct {
	Row                                            int64
	ID, Hash, URL, Title, Outlet, Author, Category string
	Published                                      time.Time
}

// ArticleRow is an article to store. Its paragraphs are the documents
// FirstDoc, FirstDoc+1, …; Indexed, Published and Updated are stored to
// the second.
type ArticleRow struct {
	ID, URL, Hash, Title, Outlet, Author, Category string
	Feed                                           string // the feed it came from, "" when none
	Published, Updated, Indexed                    time.Time
	FirstDoc                                       int64
	Simhash                                        uint64
	Paragraphs                                     []string
	Hashes                                         [][16]byte // ParagraphHash of each paragraph
}

// VectorRow is a text's vector: float32 little-endian, and its int8 form.
type VectorRow struct {
	Hash, Vec, Q8 []byte
}
