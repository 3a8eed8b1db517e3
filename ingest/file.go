package ingest

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/byline-news/byline/ingest/extract"
	"github.com/byline-news/byline/retrieval"
)

// kind is the format of an input.
type kind int

const (
	kindUnknown kind = iota // sniff the content
	kindText                // plain text or Markdown
	kindHTML
	kindJSONL
)

var kindByExt = map[string]kind{
	".txt": kindText, ".text": kindText, ".md": kindText, ".markdown": kindText,
	".html": kindHTML, ".htm": kindHTML,
	".jsonl": kindJSONL, ".ndjson": kindJSONL,
}

// source describes one input being read.
type source struct {
	name   string // for Item.Source and messages
	kind   kind
	size   int64                    // -1 when unknown (stdin)
	idFunc func(text string) string // ID when the content gives none
}

// file reads one regular file found by the walk or named explicitly.
func (w *walker) file(path string, info fs.FileInfo, explicit bool) error {
	if !info.Mode().IsRegular() {
		return w.skip(path, "not a regular file")
	}
	ext := strings.ToLower(filepath.Ext(path))
	k, ok := kindByExt[ext]
	switch {
	case ok:
	case ext == "" && explicit:
		k = kindUnknown
	case ext == "":
		return w.skip(path, "unsupported file type (no extension)")
	default:
		return w.skip(path, "unsupported file type "+ext)
	}
	if info.Size() == 0 {
		return w.skip(path, "empty file")
	}
	if k != kindJSONL && k != kindUnknown && info.Size() > w.opt.MaxFileSize {
		return w.skip(path, tooLarge(info.Size(), w.opt.MaxFileSize))
	}
	abs, err := filepath.Abs(path)
	if err != nil {
		return w.fail(path, fmt.Errorf("resolve %s: %w", path, err))
	}
	f, err := os.Open(path)
	if err != nil {
		return w.fail(path, pathError("open", path, err))
	}
	defer f.Close()
	src := source{name: path, kind: k, size: info.Size(),
		idFunc: func(string) string { return fileID(abs) }}
	return w.read(f, src)
}

// stdin reads the "-" argument. Its ID, when the content gives none,
// hashes the normalized text, so piping the same story twice is a no-op.
func (w *walker) stdin() error {
	return w.read(w.opt.Stdin, source{name: "stdin", kind: kindUnknown, size: -1, idFunc: textID})
}

// read sniffs, size-checks and parses one input. Only JSONL is streamed;
// anything else is read whole, through a limit, so memory stays bounded.
func (w *walker) read(r io.Reader, src source) error {
	br := bufio.NewReaderSize(r, 64<<10)
	head, err := br.Peek(sniffLen)
	if err != nil && err != io.EOF {
		return w.fail(src.name, pathError("read", src.name, err))
	}
	if len(head) == 0 {
		return w.skip(src.name, "empty file")
	}
	if isBinary(head) {
		return w.skip(src.name, "binary file")
	}
	if src.kind == kindUnknown {
		src.kind = sniff(head)
	}
	if src.kind == kindJSONL {
		return w.jsonl(br, src.name)
	}
	if src.size > w.opt.MaxFileSize {
		return w.skip(src.name, tooLarge(src.size, w.opt.MaxFileSize))
	}
	data, err := io.ReadAll(io.LimitReader(br, w.opt.MaxFileSize+1))
	if err != nil {
		return w.fail(src.name, pathError("read", src.name, err))
	}
	if int64(len(data)) > w.opt.MaxFileSize {
		return w.skip(src.name, fmt.Sprintf("input too large (over %s limit)", formatSize(w.opt.MaxFileSize)))
	}
	return w.document(toUTF8(data), src)
}

// document parses a whole text or HTML input and emits it.
func (w *walker) document(text string, src source) error {
	if strings.TrimSpace(text) == "" {
		return w.skip(src.name, "empty file")
	}
	var a retrieval.Article
	var err error
	if src.kind == kindHTML {
		a, err = readPage(Page{HTML: []byte(text)}) // the same extraction as a fetched page
	} else {
		var err error
		if a, err = parseText(text); err != nil {
			return w.fail(src.name, fmt.Errorf("%s: %w (nothing of it was indexed)", src.name, err))
		}
	}
	if errors.Is(err, extract.ErrNoArticle) || err == nil && len(a.Paragraphs) == 0 {
		return w.skip(src.name, "no article text")
	}
	if err != nil {
		return w.fail(src.name, fmt.Errorf("read %s: %w", src.name, err))
	}
	switch {
	case a.ID != "":
	case a.URL != "":
		a.ID = retrieval.URLID(a.URL)
	default:
		a.ID = src.idFunc(text)
	}
	return w.emit(Item{Source: src.name, Article: a})
}

// sniff guesses the format from the first non-space byte.
func sniff(head []byte) kind {
	head = bytes.TrimLeft(bytes.TrimPrefix(head, []byte("\xef\xbb\xbf")), " \t\r\n")
	switch {
	case len(head) > 0 && head[0] == '{':
		return kindJSONL
	case len(head) > 0 && head[0] == '<':
		return kindHTML
	}
	return kindText
}

func tooLarge(size, limit int64) string {
	return fmt.Sprintf("file too large (%s > %s limit)", formatSize(size), formatSize(limit))
}
