package engine

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/byline-news/byline/retrieval"
)

// Tuning for the writer: articles are analyzed in batches on every core,
// and a segment is flushed (inside the same transaction) once it holds
// this many postings, which bounds memory on very large index calls.
const (
	batchArticles   = 256
	segmentPostings = 8 << 20
)

// ErrRolledBack is wrapped by the error of a Commit that failed before
// the commit itself: the transaction was rolled back and nothing of the
// call was kept. A Commit error without it may have come after the
// database committed (a connection lost while committing).
var ErrRolledBack = errors.New("nothing was indexed: the index is unchanged")

// Writer adds articles inside one transaction: nothing is visible to
// searches, and nothing changes on disk, until Commit. A crash before
// Commit leaves the index as it was.
type Writer struct {
	ix      *Index
	ctx     context.Context
	tx      Tx
	b       *builder
	nextDoc int64
	pending []retrieval.Article
	now     time.Time
	res     retrieval.PutResult
	done    bool

	sources     []string          // the source of each pending article ("" when not given)
	mine        map[string]origin // articles this call inserted (or will) and still keeps, by ID
	onReplace   func(Replacement) // see OnReplace
	provisional bool              // see Provisional
}

// origin is an article inserted by this call: where it came from, and
// what it added to the call's counts.
type origin struct {
	source   string
	replaced bool // counted as Replaced, not Added
	paras    int
}

// Replacement reports that an article of this index call replaced
// another article of the same call: two input records that byline takes
// for one story (same ID, same URL, or the same text from one outlet),
// of which only the later is kept.
type Replacement struct {
	ID, Source         string // the article kept, and where it came from (AddFrom)
	Replaced, Previous string // the article dropped, and where it came from
	By                 string // "ID", "URL" or "text"
}

// Begin starts an index call. Only one writer runs at a time; a second
// one waits for the first (the backend bounds how long).
func (ix *Index) Begin(ctx context.Context) (*Writer, error) {
	tx, err := ix.b.Begin(ctx)
	if err != nil {
		return nil, fmt.Errorf("begin index: %w", err)
	}
	w := &Writer{ix: ix, ctx: ctx, tx: tx, b: newBuilder(), now: ix.now().UTC(), mine: map[string]origin{}}
	if w.nextDoc, err = tx.NextDoc(ctx); err != nil {
		tx.Rollback(ctx)
		return nil, fmt.Errorf("begin index: %w", err)
	}
	return w, nil
}

// OnReplace sets fn to be told, while the call runs, of each article that
// replaces another one added by the same call: a warning worth showing,
// since one of the two inputs is lost.
func (w *Writer) OnReplace(fn func(Replacement)) { w.onReplace = fn }

// Provisional marks the articles of this call as stand-ins (the sample
// articles) until real ones arrive: the first later call that adds or
// replaces an article removes them all, in its own transaction.
func (w *Writer) Provisional() { w.provisional = true }

// Add queues an article; it is written with the next batch.
func (w *Writer) Add(a retrieval.Article) error { return w.AddFrom(a, "") }

// AddFrom is Add for an article read from source ("file.jsonl:3"), which
// a Replacement names.
func (w *Writer) AddFrom(a retrieval.Article, source string) error {
	if err := validate(&a); err != nil {
		return err
	}
	w.pending = append(w.pending, a)
	w.sources = append(w.sources, source)
	if len(w.pending) >= batchArticles {
		return w.flush()
	}
	return nil
}

func validate(a *retrieval.Article) error {
	if a.ID == "" {
		return errors.New("article has no ID")
	}
	if strings.IndexFunc(a.ID, unprintable) >= 0 || !utf8.ValidString(a.ID) {
		return fmt.Errorf("article ID %q holds an invisible character or invalid UTF-8", a.ID)
	}
	if len(a.Paragraphs) == 0 {
		return fmt.Errorf("article %s has no paragraphs", a.ID)
	}
	return nil
}

// flush analyzes the pending batch and writes it: first the stored
// articles it replaces are removed, then the new ones are inserted.
func (w *Writer) flush() error {
	if len(w.pending) == 0 {
		return nil
	}
	batch, sims := analyzeAll(w.pending)
	keys := make([]ArticleKey, len(w.pending))
	for i := range w.pending {
		a := &w.pending[i]
		keys[i] = ArticleKey{ID: a.ID, URL: identifyingURL(a.URL), Hash: textHash(a)}
	}
	found, err := w.tx.Lookup(w.ctx, keys)
	if err != nil {
		return fmt.Errorf("look up articles: %w", err)
	}
	p := w.plan(keys, found)
	if len(p.remove) > 0 {
		if err := w.tx.RemoveArticles(w.ctx, p.remove); err != nil {
			return fmt.Errorf("remove replaced articles: %w", err)
		}
	}
	for i := range w.pending {
		if p.keep[i] {
			if err := w.insert(&w.pending[i], keys[i].Hash, batch[i], sims[i]); err != nil {
				return fmt.Errorf("index article %s: %w", w.pending[i].ID, err)
			}
		}
	}
	w.pending, w.sources = w.pending[:0], w.sources[:0]
	if w.b.postings >= segmentPostings {
		if _, err := w.b.write(w.ctx, w.tx); err != nil {
			return err
		}
		w.b = newBuilder()
	}
	return nil
}

// batchPlan is what a batch does: stored rows to remove, and which of the
// batch's articles to insert.
type batchPlan struct {
	remove []int64
	keep   []bool
}

// plan decides, article by article in order, what each one replaces: the
// stored articles found for it that an earlier article of the batch did
// not already replace, and the earlier articles of the batch themselves,
// which are then never written. It counts outcomes as it goes: the result
// counts what the call leaves in the index, so an article that replaces
// another of the same call takes that one's place in the counts.
func (w *Writer) plan(keys []ArticleKey, found [][]StoredArticle) batchPlan {
	p := batchPlan{keep: make([]bool, len(keys))}
	removed := map[int64]bool{}
	earlier := batchKeys{}
	for i := range w.pending {
		a := &w.pending[i]
		var old []StoredArticle
		var oldBatch []int
		for _, s := range found[i] {
			if !removed[s.Row] && !s.syndicated(a, keys[i]) {
				old = append(old, s)
			}
		}
		for _, k := range earlier.matches(keys[i]) {
			if s := stored(&w.pending[k], keys[k].Hash); p.keep[k] && !s.syndicated(a, keys[i]) {
				old = append(old, s)
				oldBatch = append(oldBatch, k)
			}
		}
		if len(old) == 1 && old[0].same(a, keys[i].Hash) {
			w.res.Unchanged++
			continue
		}
		replacing := false // something stored before this call goes
		for _, s := range old[:len(old)-len(oldBatch)] {
			removed[s.Row] = true
			p.remove = append(p.remove, s.Row)
		}
		for _, k := range oldBatch {
			p.keep[k] = false
		}
		for _, s := range old {
			replacing = w.replaced(a, keys[i], w.sources[i], s) || replacing
		}
		p.keep[i] = true
		earlier.add(keys[i], i)
		w.mine[a.ID] = origin{source: w.sources[i], replaced: replacing, paras: len(a.Paragraphs)}
		if replacing {
			w.res.Replaced++
		} else {
			w.res.Added++
		}
		w.res.Paragraphs += len(a.Paragraphs)
	}
	return p
}

// replaced accounts for s, removed to make way for a. When s came from
// this same call, its counts are taken back and OnReplace is told. It
// reports whether the replacement replaces what was stored before this
// call.
func (w *Writer) replaced(a *retrieval.Article, k ArticleKey, source string, s StoredArticle) bool {
	prev, ok := w.mine[s.ID]
	if !ok {
		return true
	}
	delete(w.mine, s.ID)
	if prev.replaced {
		w.res.Replaced--
	} else {
		w.res.Added--
	}
	w.res.Paragraphs -= prev.paras
	if w.onReplace != nil {
		by := "text"
		switch {
		case s.ID == a.ID:
			by = "ID"
		case k.URL != "" && s.URL == a.URL:
			by = "URL"
		}
		w.onReplace(Replacement{ID: a.ID, Source: source, Replaced: s.ID, Previous: prev.source, By: by})
	}
	return prev.replaced
}

// batchKeys indexes a batch's articles by what a later one may share.
type batchKeys struct {
	byID, byURL, byHash map[string][]int
}

func (b *batchKeys) add(k ArticleKey, i int) {
	if b.byID == nil {
		b.byID, b.byURL, b.byHash = map[string][]int{}, map[string][]int{}, map[string][]int{}
	}
	b.byID[k.ID] = append(b.byID[k.ID], i)
	if k.URL != "" {
		b.byURL[k.URL] = append(b.byURL[k.URL], i)
	}
	b.byHash[k.Hash] = append(b.byHash[k.Hash], i)
}

// matches returns the articles sharing k's ID, URL or hash, in order.
func (b *batchKeys) matches(k ArticleKey) []int {
	if b.byID == nil {
		return nil
	}
	var out []int
	seen := map[int]bool{}
	lists := [][]int{b.byID[k.ID], b.byHash[k.Hash]}
	if k.URL != "" {
		lists = append(lists, b.byURL[k.URL])
	}
	for _, l := range lists {
		for _, i := range l {
			if !seen[i] {
				seen[i] = true
				out = append(out, i)
			}
		}
	}
	return out
}

// stored is the StoredArticle a batch article would be once written.
func stored(a *retrieval.Article, hash string) StoredArticle {
	return StoredArticle{Row: -1, ID: a.ID, Hash: hash, URL: a.URL, Title: a.Title, Outlet: a.Outlet,
		Author: a.Author, Category: a.Category, Published: a.Published}
}

func (s StoredArticle) same(a *retrieval.Article, hash string) bool {
	return s.ID == a.ID && s.Hash == hash && s.URL == a.URL && s.Title == a.Title &&
		s.Outlet == a.Outlet && s.Author == a.Author && s.Category == a.Category &&
		sameSecond(s.Published, a.Published)
}

// sameSecond compares times as stored: to the second, zero for unknown.
func sameSecond(a, b time.Time) bool {
	if a.IsZero() || b.IsZero() {
		return a.IsZero() == b.IsZero()
	}
	return a.Unix() == b.Unix()
}

// syndicated reports whether s matched a by text alone and comes from
// another outlet (both outlets known). The same text from another outlet
// is syndicated copy (a wire story) and is kept: search shows the copies
// as one story carried by several outlets.
func (s StoredArticle) syndicated(a *retrieval.Article, k ArticleKey) bool {
	byText := s.ID != a.ID && (k.URL == "" || s.URL != a.URL)
	return byText && s.Outlet != "" && a.Outlet != "" && !strings.EqualFold(s.Outlet, a.Outlet)
}

func (w *Writer) insert(a *retrieval.Article, hash string, paras []analyzed, sim uint64) error {
	row := &ArticleRow{ID: a.ID, URL: a.URL, Hash: hash, Title: a.Title, Outlet: a.Outlet, Author: a.Author,
		Category: a.Category, Feed: a.Feed, Published: a.Published, Updated: a.Updated, Indexed: w.now, FirstDoc: w.nextDoc,
		Simhash: sim, Paragraphs: a.Paragraphs, Hashes: make([][16]byte, len(a.Paragraphs))}
	for i, p := range a.Paragraphs {
		row.Hashes[i] = ParagraphHash(p)
	}
	if err := w.tx.InsertArticle(w.ctx, row); err != nil {
		return err
	}
	pub := day(a.Published)
	for i := range a.Paragraphs {
		w.b.add(w.nextDoc, pub, paras[i])
		w.nextDoc++
	}
	return nil
}

// Commit writes what is pending, merges segments when there are too many,
// and makes the whole index call visible at once.
func (w *Writer) Commit() (retrieval.PutResult, error) {
	if w.done {
		return w.res, errors.New("writer already finished")
	}
	w.done = true
	if err := w.finish(); err != nil {
		w.tx.Rollback(w.ctx)
		return w.res, fmt.Errorf("commit index: %w (%w)", err, ErrRolledBack)
	}
	if err := w.tx.Commit(w.ctx); err != nil {
		return w.res, fmt.Errorf("commit index: %w", err)
	}
	return w.res, nil
}

func (w *Writer) finish() error {
	if err := w.flush(); err != nil {
		return err
	}
	if !w.b.empty() {
		if _, err := w.b.write(w.ctx, w.tx); err != nil {
			return err
		}
	}
	if err := w.tx.SetNextDoc(w.ctx, w.nextDoc); err != nil {
		return err
	}
	if err := w.settleProvisional(); err != nil {
		return err
	}
	if err := maybeMerge(w.ctx, w.tx); err != nil {
		return err
	}
	return w.tx.BumpGeneration(w.ctx)
}

// Rollback abandons the index call; nothing it added is kept.
func (w *Writer) Rollback() error {
	if w.done {
		return nil
	}
	w.done = true
	return w.tx.Rollback(w.ctx)
}

// Put adds or replaces articles in one transaction.
func (ix *Index) Put(ctx context.Context, articles []retrieval.Article) (retrieval.PutResult, error) {
	w, err := ix.Begin(ctx)
	if err != nil {
		return retrieval.PutResult{}, err
	}
	defer w.Rollback()
	for _, a := range articles {
		if err := w.Add(a); err != nil {
			return retrieval.PutResult{}, err
		}
	}
	return w.Commit()
}

// unprintable reports a character that has no place in an article ID:
// a control (NUL from a JSON "\u0000") or a format character.
func unprintable(r rune) bool { return unicode.IsControl(r) || unicode.Is(unicode.Cf, r) }

// identifyingURL is u when it can identify an article: an absolute
// http(s) URL. Placeholders such as "n/a" would make unrelated articles
// one, so they identify nothing.
func identifyingURL(u string) string {
	p, err := url.Parse(u)
	if err != nil || p.Host == "" || (!strings.EqualFold(p.Scheme, "http") && !strings.EqualFold(p.Scheme, "https")) {
		return ""
	}
	return u
}
