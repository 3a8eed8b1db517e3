package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/byline-news/byline/retrieval"
)

// Outcome says what adding one article did.
type Outcome int

const (
	Added Outcome = iota
	Replaced
	Unchanged
)

// Tuning for the writer: articles are analyzed in batches on every core,
// and a segment is flushed (inside the same transaction) once it holds
// this many postings, which bounds memory on very large index calls.
const (
	batchArticles   = 256
	segmentPostings = 8 << 20
)

// Writer adds articles inside one transaction: nothing is visible to
// searches, and nothing changes on disk, until Commit. A crash before
// Commit leaves the index as it was.
type Writer struct {
	ix      *Index
	ctx     context.Context
	tx      *sql.Tx
	b       *builder
	nextDoc int64
	pending []retrieval.Article
	insPara *sql.Stmt
	insArt  *sql.Stmt
	lookup  *sql.Stmt
	now     time.Time
	res     retrieval.PutResult
	done    bool

	sources     []string          // the source of each pending article ("" when not given)
	mine        map[int64]origin  // articles inserted by this call, by row
	onReplace   func(Replacement) // see OnReplace
	provisional bool              // see Provisional
	added       []string          // IDs inserted by this call, when provisional
}

// origin is an article inserted by this call: where it came from, and
// what it added to the call's counts.
type origin struct {
	id, source string
	replaced   bool // counted as Replaced, not Added
	paras      int
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
// one waits up to Options.BusyTimeout.
func (ix *Index) Begin(ctx context.Context) (*Writer, error) {
	tx, err := ix.db.BeginTx(ctx, nil)
	if err != nil {
		return nil, fmt.Errorf("begin index: %w", explain(err))
	}
	w := &Writer{ix: ix, ctx: ctx, tx: tx, b: newBuilder(), now: ix.now().UTC(), mine: map[int64]origin{}}
	if err := tx.QueryRowContext(ctx, `SELECT value FROM meta WHERE key = 'next_doc'`).Scan(&w.nextDoc); err != nil {
		tx.Rollback()
		return nil, fmt.Errorf("begin index: %w", explain(err))
	}
	if err := w.prepare(); err != nil {
		tx.Rollback()
		return nil, fmt.Errorf("begin index: %w", explain(err))
	}
	return w, nil
}

// lookupSQL finds an article by ID, URL or text hash; a UNION of three
// indexed lookups, as SQLite would answer one OR of them with a scan.
const lookupSQL = `
	SELECT id, ext_id, hash, url, title, outlet, author, category, published FROM articles WHERE ext_id = ?1
	UNION SELECT id, ext_id, hash, url, title, outlet, author, category, published FROM articles WHERE url = ?2 AND url <> ''
	UNION SELECT id, ext_id, hash, url, title, outlet, author, category, published FROM articles WHERE hash = ?3`

// prepare compiles the statements used for every article once per call.
func (w *Writer) prepare() error {
	var err error
	if w.lookup, err = w.tx.PrepareContext(w.ctx, lookupSQL); err != nil {
		return err
	}
	if w.insArt, err = w.tx.PrepareContext(w.ctx, `
		INSERT INTO articles(ext_id, url, hash, title, outlet, author, category, published, indexed, first_doc, paragraphs, simhash, updated)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`); err != nil {
		return err
	}
	w.insPara, err = w.tx.PrepareContext(w.ctx, `INSERT INTO paragraphs(doc, article, n, text, hash) VALUES (?, ?, ?, ?, ?)`)
	return err
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
	if i := strings.IndexFunc(a.ID, unprintable); i >= 0 || !utf8.ValidString(a.ID) {
		return fmt.Errorf("article ID %q holds an invisible character or invalid UTF-8", a.ID)
	}
	if len(a.Paragraphs) == 0 {
		return fmt.Errorf("article %s has no paragraphs", a.ID)
	}
	return nil
}

// flush analyzes the pending batch and writes it.
func (w *Writer) flush() error {
	if len(w.pending) == 0 {
		return nil
	}
	batch, sims := analyzeAll(w.pending)
	for i := range w.pending {
		if err := w.put(&w.pending[i], w.sources[i], batch[i], sims[i]); err != nil {
			return err
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

// put writes one article, replacing any stored article with the same ID,
// URL or text.
func (w *Writer) put(a *retrieval.Article, source string, paras []analyzed, sim uint64) error {
	hash := textHash(a)
	old, err := w.findExisting(a, hash)
	if err != nil {
		return err
	}
	if len(old) == 1 && old[0].same(a, hash) {
		w.res.Unchanged++
		return nil
	}
	replacing := false // something stored before this call goes
	for _, o := range old {
		if err := w.remove(o.id); err != nil {
			return err
		}
		replacing = w.replaced(a, source, o) || replacing
	}
	row, err := w.insert(a, hash, paras, sim)
	if err != nil {
		return fmt.Errorf("index article %s: %w", a.ID, err)
	}
	w.mine[row] = origin{id: a.ID, source: source, replaced: replacing, paras: len(a.Paragraphs)}
	if w.provisional {
		w.added = append(w.added, a.ID)
	}
	if replacing {
		w.res.Replaced++
	} else {
		w.res.Added++
	}
	w.res.Paragraphs += len(a.Paragraphs)
	return nil
}

// replaced accounts for o, removed to make way for a. When o came from
// this same call, its counts are taken back (the call's result counts
// what it leaves in the index) and OnReplace is told. It reports whether
// the replacement replaces what was stored before this call.
func (w *Writer) replaced(a *retrieval.Article, source string, o stored) bool {
	prev, ok := w.mine[o.id]
	if !ok {
		return true
	}
	delete(w.mine, o.id)
	if prev.replaced {
		w.res.Replaced--
	} else {
		w.res.Added--
	}
	w.res.Paragraphs -= prev.paras
	if w.onReplace == nil {
		return prev.replaced
	}
	by := "text"
	switch {
	case o.extID == a.ID:
		by = "ID"
	case o.url != "" && o.url == a.URL:
		by = "URL"
	}
	w.onReplace(Replacement{ID: a.ID, Source: source, Replaced: prev.id, Previous: prev.source, By: by})
	return prev.replaced
}

// stored is the part of a stored article that decides replacement.
type stored struct {
	id                       int64
	extID, hash, url, title  string
	outlet, author, category string
	published                sql.NullInt64
}

func (s stored) same(a *retrieval.Article, hash string) bool {
	return s.extID == a.ID && s.hash == hash && s.url == a.URL && s.title == a.Title &&
		s.outlet == a.Outlet && s.author == a.Author && s.category == a.Category &&
		s.published == nullTime(a.Published)
}

// findExisting returns the stored articles that a replaces: those with
// its ID or URL, and those with its text from the same outlet. The same
// text from another outlet is syndicated copy (a wire story) and is kept:
// search shows the copies as one story carried by several outlets.
func (w *Writer) findExisting(a *retrieval.Article, hash string) ([]stored, error) {
	rows, err := w.lookup.QueryContext(w.ctx, a.ID, identifyingURL(a.URL), hash)
	if err != nil {
		return nil, fmt.Errorf("look up article %s: %w", a.ID, err)
	}
	defer rows.Close()
	var out []stored
	for rows.Next() {
		var s stored
		if err := rows.Scan(&s.id, &s.extID, &s.hash, &s.url, &s.title, &s.outlet, &s.author, &s.category, &s.published); err != nil {
			return nil, fmt.Errorf("look up article %s: %w", a.ID, err)
		}
		if s.syndicated(a) {
			continue
		}
		out = append(out, s)
	}
	return out, rows.Err()
}

// syndicated reports whether s matched a by text alone and comes from
// another outlet (both outlets known).
func (s stored) syndicated(a *retrieval.Article) bool {
	byText := s.extID != a.ID && (a.URL == "" || s.url != a.URL)
	return byText && s.outlet != "" && a.Outlet != "" && !strings.EqualFold(s.outlet, a.Outlet)
}

func (w *Writer) remove(id int64) error {
	return removeArticle(w.ctx, w.tx, id)
}

// removeArticle deletes an article; its paragraphs become tombstones until
// a merge drops them from the posting lists.
func removeArticle(ctx context.Context, tx *sql.Tx, id int64) error {
	for _, q := range []string{
		`INSERT OR IGNORE INTO tombstones(doc) SELECT doc FROM paragraphs WHERE article = ?`,
		`DELETE FROM paragraphs WHERE article = ?`,
		`DELETE FROM articles WHERE id = ?`,
	} {
		if _, err := tx.ExecContext(ctx, q, id); err != nil {
			return fmt.Errorf("remove article %d: %w", id, err)
		}
	}
	return nil
}

func (w *Writer) insert(a *retrieval.Article, hash string, paras []analyzed, sim uint64) (int64, error) {
	res, err := w.insArt.ExecContext(w.ctx,
		a.ID, a.URL, hash, a.Title, a.Outlet, a.Author, a.Category, nullTime(a.Published), w.now.Unix(), w.nextDoc, len(a.Paragraphs),
		int64(sim), nullTime(a.Updated))
	if err != nil {
		return 0, err
	}
	artID, err := res.LastInsertId()
	if err != nil {
		return 0, err
	}
	pub := day(a.Published)
	for i, p := range a.Paragraphs {
		doc := w.nextDoc
		w.nextDoc++
		h := paragraphHash(p)
		if _, err := w.insPara.ExecContext(w.ctx, doc, artID, i, p, h[:]); err != nil {
			return 0, err
		}
		w.b.add(doc, pub, paras[i])
	}
	return artID, nil
}

func nullTime(t time.Time) sql.NullInt64 {
	if t.IsZero() {
		return sql.NullInt64{}
	}
	return sql.NullInt64{Int64: t.Unix(), Valid: true}
}

// Commit writes what is pending, merges segments when there are too many,
// and makes the whole index call visible at once.
func (w *Writer) Commit() (retrieval.PutResult, error) {
	if w.done {
		return w.res, errors.New("writer already finished")
	}
	w.done = true
	if err := w.finish(); err != nil {
		w.tx.Rollback()
		return w.res, fmt.Errorf("commit index: %w", explain(err))
	}
	if err := w.tx.Commit(); err != nil {
		return w.res, fmt.Errorf("commit index: %w", explain(err))
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
	if _, err := w.tx.ExecContext(w.ctx, `UPDATE meta SET value = ? WHERE key = 'next_doc'`, w.nextDoc); err != nil {
		return err
	}
	if err := w.settleProvisional(); err != nil {
		return err
	}
	if err := maybeMerge(w.ctx, w.tx); err != nil {
		return err
	}
	return bumpGeneration(w.ctx, w.tx)
}

func bumpGeneration(ctx context.Context, tx *sql.Tx) error {
	_, err := tx.ExecContext(ctx, `UPDATE meta SET value = value + 1 WHERE key = 'generation'`)
	return err
}

// Rollback abandons the index call; nothing it added is kept.
func (w *Writer) Rollback() error {
	if w.done {
		return nil
	}
	w.done = true
	return w.tx.Rollback()
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
