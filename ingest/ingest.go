// Package ingest reads news articles from files and stdin: plain text,
// Markdown, saved HTML pages and JSON Lines. It turns each into a
// retrieval.Article with clean, deduplicated paragraphs and a stable ID,
// and reports every file it could not use, with the reason, instead of
// stopping: one bad file in a directory of thousands should cost one
// line of output.
//
// Web pages fetched by package crawl come in through ReadPage, the same
// function that reads a saved .html file: package extract finds the
// story and its metadata in the HTML, and this package shapes the text
// into paragraphs and gives the ID, as for every other input. So ingest
// imports extract, and extract, which works on HTML alone, imports no
// package of byline's.
package ingest

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/byline-news/byline/retrieval"
)

// Item is one result of Walk: an article, a skipped input, or an error.
type Item struct {
	Source  string            // "path", "path:line" for JSONL, or "stdin"
	Article retrieval.Article // valid when Err == nil && Skip == ""
	Skip    string            // non-empty: not an error, a reason ("empty file", "binary file")
	Err     error             // a real problem (malformed line, unreadable file); Walk continues
}

// Options bound the resources Walk uses. Zero values mean the defaults.
type Options struct {
	MaxFileSize int64     // largest non-JSONL input read; default DefaultMaxFileSize
	MaxLineSize int       // longest JSONL line read; default DefaultMaxLineSize
	Stdin       io.Reader // read for the path "-"; default os.Stdin
}

// Defaults for Options. A news article is never 8 MiB; a file that big
// is a dump or a mistake, and reading it whole would cost memory for
// nothing. JSONL files are streamed and may be any size.
const (
	DefaultMaxFileSize = 8 << 20
	DefaultMaxLineSize = 8 << 20
)

// Errors carried by Item.Err, for errors.Is.
var (
	ErrMalformed   = errors.New("malformed record")
	ErrLineTooLong = errors.New("line too long")
)

func (o Options) withDefaults() Options {
	if o.MaxFileSize <= 0 {
		o.MaxFileSize = DefaultMaxFileSize
	}
	if o.MaxLineSize <= 0 {
		o.MaxLineSize = DefaultMaxLineSize
	}
	if o.Stdin == nil {
		o.Stdin = os.Stdin
	}
	return o
}

// Walk reads every path in order and calls fn once per article, skipped
// input or error. A path is a file, a directory (walked recursively in
// lexical order, skipping hidden entries such as .git), or "-" for
// stdin. Files are dispatched by extension: .txt .text .md .markdown,
// .html .htm, .jsonl .ndjson; a file named explicitly without an
// extension, and stdin, are sniffed ('{' means JSONL, '<' HTML, else
// text). Walk stops early only when ctx is done or fn returns an error,
// and returns that error.
func Walk(ctx context.Context, paths []string, opt Options, fn func(Item) error) error {
	w := &walker{ctx: ctx, opt: opt.withDefaults(), fn: fn}
	for _, p := range paths {
		if err := ctx.Err(); err != nil {
			return err
		}
		if err := w.arg(p); err != nil {
			return err
		}
	}
	return nil
}

type walker struct {
	ctx context.Context
	opt Options
	fn  func(Item) error
}

func (w *walker) emit(it Item) error { return w.fn(it) }

func (w *walker) skip(source, reason string) error {
	return w.fn(Item{Source: source, Skip: reason})
}

func (w *walker) fail(source string, err error) error {
	return w.fn(Item{Source: source, Err: err})
}

// arg handles one path given by the caller.
func (w *walker) arg(p string) error {
	if p == "-" {
		return w.stdin()
	}
	info, err := os.Stat(p)
	if err != nil {
		return w.fail(p, pathError("stat", p, err))
	}
	if info.IsDir() {
		return w.dir(p)
	}
	return w.file(p, info, true)
}

// dir walks root recursively. Symbolic links to files are followed;
// links to directories are not, so a link loop cannot trap the walk.
func (w *walker) dir(root string) error {
	return filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if cerr := w.ctx.Err(); cerr != nil {
			return cerr
		}
		if err != nil {
			return w.fail(path, pathError("read", path, err))
		}
		if path != root && strings.HasPrefix(d.Name(), ".") {
			if d.IsDir() {
				return filepath.SkipDir
			}
			return nil
		}
		if d.IsDir() {
			return nil
		}
		info, err := os.Stat(path)
		if err != nil {
			return w.fail(path, pathError("stat", path, err))
		}
		if info.IsDir() {
			return w.skip(path, "symbolic link to a directory")
		}
		return w.file(path, info, false)
	})
}

// Read parses one input that is not a file on disk, such as an embedded
// sample article. name gives the format by its extension (sniffed when
// it has none) and appears in Item.Source; an article without an ID of
// its own gets one from its text.
func Read(ctx context.Context, name string, r io.Reader, opt Options, fn func(Item) error) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	w := &walker{ctx: ctx, opt: opt.withDefaults(), fn: fn}
	k := kindByExt[strings.ToLower(filepath.Ext(name))]
	return w.read(r, source{name: name, kind: k, size: -1, idFunc: textID})
}

// pathError is err about name, which op failed on, said once: an
// *fs.PathError already reads "stat /x: no such file or directory", and
// wrapping it again would print the path twice.
func pathError(op, name string, err error) error {
	if pe := (*fs.PathError)(nil); errors.As(err, &pe) {
		return err
	}
	return fmt.Errorf("%s %s: %w", op, name, err)
}
