package ingest

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/byline-news/byline/retrieval"
)

// record is one line of the news JSONL format:
// {"id","title","body","url","source","published","category"}, with
// optional "author" and "outlet", and "text" accepted for "body" so that
// context files such as SQuAD's can be indexed too.
type record struct {
	ID        flexString `json:"id"`
	Title     string     `json:"title"`
	Body      string     `json:"body"`
	Text      string     `json:"text"`
	URL       string     `json:"url"`
	Source    string     `json:"source"`
	Outlet    string     `json:"outlet"`
	Author    flexString `json:"author"`
	Category  string     `json:"category"`
	Published flexString `json:"published"`
}

// jsonl streams JSON Lines from br, emitting one Item per non-blank line.
// A bad line is reported as "name:line" and reading goes on; a read
// error ends this input only.
func (w *walker) jsonl(br *bufio.Reader, name string) error {
	lr := lineReader{br: br, limit: w.opt.MaxLineSize}
	seen := false // any non-blank line
	for n := 1; ; n++ {
		if err := w.ctx.Err(); err != nil {
			return err
		}
		line, tooLong, err := lr.next()
		if err == io.EOF && !seen {
			return w.skip(name, "empty file")
		}
		if err == io.EOF {
			return nil
		}
		src := name + ":" + strconv.Itoa(n)
		if err != nil {
			return w.fail(src, pathError("read", src, err))
		}
		if !tooLong && len(bytes.TrimSpace(line)) == 0 {
			continue
		}
		seen = true
		if err := w.emit(lineItem(src, line, tooLong, lr.limit)); err != nil {
			return err
		}
	}
}

// lineItem turns one JSONL line into an article or an error.
func lineItem(src string, line []byte, tooLong bool, limit int) Item {
	if tooLong {
		return Item{Source: src, Err: fmt.Errorf("%s: %w (over %d bytes), skipped", src, ErrLineTooLong, limit)}
	}
	a, err := parseRecord(line)
	if err != nil {
		return Item{Source: src, Err: fmt.Errorf("%s: %w", src, err)}
	}
	return Item{Source: src, Article: a}
}

// parseRecord turns one JSON line into an article.
func parseRecord(line []byte) (retrieval.Article, error) {
	if !utf8.Valid(line) {
		line = []byte(toUTF8(line))
	}
	var r record
	if err := json.Unmarshal(line, &r); err != nil {
		return retrieval.Article{}, fmt.Errorf("%w: %w", ErrMalformed, err)
	}
	body := r.Body
	if strings.TrimSpace(body) == "" {
		body = r.Text
	}
	a := retrieval.Article{
		ID:         strings.TrimSpace(string(r.ID)),
		Title:      field(r.Title),
		URL:        webURL(r.URL),
		Outlet:     field(r.Outlet),
		Author:     field(string(r.Author)),
		Category:   field(r.Category),
		Published:  ParseDate(string(r.Published)),
		Paragraphs: Paragraphs(body),
	}
	if err := checkID(a.ID); err != nil {
		return a, fmt.Errorf("%w: %w", ErrMalformed, err)
	}
	if a.Outlet == "" {
		a.Outlet = field(r.Source)
	}
	if len(a.Paragraphs) == 0 {
		return a, fmt.Errorf("%w: empty body", ErrMalformed)
	}
	if a.Title == "" {
		a.Title = deriveTitle(a.Paragraphs)
	}
	switch {
	case a.ID != "":
	case a.URL != "":
		a.ID = retrieval.URLID(a.URL)
	default:
		a.ID = textID(r.Title + "\n" + body)
	}
	return a, nil
}

// field is a one-line metadata value: invisible characters removed and
// white space collapsed.
func field(s string) string { return strings.Join(strings.Fields(cleanText(s)), " ") }

// flexString accepts a JSON string, number, null, or array of strings
// (joined with ", "), because exporters disagree on ids, dates and
// author lists.
type flexString string

func (f *flexString) UnmarshalJSON(b []byte) error {
	var v any
	if err := json.Unmarshal(b, &v); err != nil {
		return err
	}
	switch x := v.(type) {
	case nil:
		*f = ""
	case string:
		*f = flexString(x)
	case float64:
		*f = flexString(strconv.FormatFloat(x, 'f', -1, 64))
	case []any:
		var parts []string
		for _, e := range x {
			if s, ok := e.(string); ok {
				parts = append(parts, s)
			}
		}
		*f = flexString(strings.Join(parts, ", "))
	default:
		return errors.New("want a string, number or list of strings")
	}
	return nil
}

// lineReader reads lines of at most limit bytes (line ending excluded).
// A longer line is read through and reported, never held in memory, so
// one runaway line cannot exhaust memory or stop the file.
type lineReader struct {
	br    *bufio.Reader
	limit int
	buf   []byte
}

// next returns the next line without its line ending, or tooLong for a
// line over the limit. It returns io.EOF after the last line.
func (lr *lineReader) next() (line []byte, tooLong bool, err error) {
	lr.buf = lr.buf[:0]
	read := 0
	for {
		chunk, err := lr.br.ReadSlice('\n')
		read += len(chunk)
		content := len(lr.buf) + len(bytes.TrimRight(chunk, "\r\n"))
		if !tooLong && content > lr.limit {
			tooLong, lr.buf = true, lr.buf[:0]
		}
		if !tooLong {
			lr.buf = append(lr.buf, chunk...)
		}
		switch {
		case err == bufio.ErrBufferFull:
			continue
		case err == io.EOF && read == 0:
			return nil, false, io.EOF
		case err != nil && err != io.EOF:
			return nil, false, err
		}
		return bytes.TrimRight(lr.buf, "\r\n"), tooLong, nil
	}
}
