package main

import (
	"fmt"
	"io"
	"os"
	"strings"
	"unicode/utf8"

	"golang.org/x/term"
)

// draft shows a generated answer on a terminal while the model writes
// it, dimmed, and clears it before the checked answer is printed in its
// place: the answer shown while writing is not validated yet, so the
// final one may differ (or be the extractive fallback).
type draft struct {
	w     io.Writer
	width int    // terminal columns
	text  string // what is on screen
}

func newDraft(w io.Writer, width int) *draft {
	if width <= 0 {
		width = 80
	}
	return &draft{w: w, width: width}
}

// show puts text on screen: only the new part when text extends what is
// shown (no flicker), else the whole text again.
func (d *draft) show(text string) {
	text = termSafe(text)
	if d.text != "" && strings.HasPrefix(text, d.text) {
		fmt.Fprintf(d.w, "\x1b[2m%s\x1b[0m", text[len(d.text):])
		d.text = text
		return
	}
	d.clear()
	fmt.Fprintf(d.w, "\x1b[2m%s\x1b[0m", text)
	d.text = text
}

// clear erases the draft, leaving the cursor where it began. A nil draft
// does nothing, so callers need not check.
func (d *draft) clear() {
	if d == nil || d.text == "" {
		return
	}
	fmt.Fprint(d.w, "\r")
	if up := d.rows() - 1; up > 0 {
		fmt.Fprintf(d.w, "\x1b[%dA", up)
	}
	fmt.Fprint(d.w, "\x1b[J")
	d.text = ""
}

// rows is how many terminal rows the draft takes, counting one column
// per character (wide characters make it an underestimate).
func (d *draft) rows() int {
	n := utf8.RuneCountInString(d.text)
	return max(1, (n+d.width-1)/d.width)
}

// terminalWidth returns w's width in columns, 0 when unknown.
func terminalWidth(w io.Writer) int {
	f, ok := w.(*os.File)
	if !ok {
		return 0
	}
	width, _, err := term.GetSize(int(f.Fd()))
	if err != nil {
		return 0
	}
	return width
}
