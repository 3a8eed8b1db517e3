package main

import (
	"fmt"
	"github.com/byline-news/byline/answer"
	"io"
	"strings"
	"time"
)

// progress reports a long index run: a self-updating line on a terminal,
// a plain line every few seconds otherwise (logs, CI).
type progress struct {
	w                    io.Writer
	tty                  bool
	start, last          time.Time
	every                time.Duration
	articles, paragraphs int
	drawn                bool
}

func newProgress(w io.Writer, tty bool) *progress {
	now := time.Now()
	every := 5 * time.Second
	if tty {
		every = 200 * time.Millisecond
	}
	return &progress{w: w, tty: tty, start: now, last: now, every: every}
}

func (p *progress) add(paragraphs int) {
	p.articles++
	p.paragraphs += paragraphs
	if now := time.Now(); now.Sub(p.last) >= p.every {
		p.last = now
		p.draw(now)
	}
}

func (p *progress) draw(now time.Time) {
	secs := now.Sub(p.start).Seconds()
	rate := float64(p.paragraphs) / max(secs, 1e-9)
	line := fmt.Sprintf("indexing: %s articles, %s paragraphs, %s paragraphs/s, %s",
		answer.Thousands(p.articles), answer.Thousands(p.paragraphs), answer.Thousands(int(rate)), now.Sub(p.start).Round(time.Second))
	if p.tty {
		fmt.Fprintf(p.w, "\r%s %s\x1b[K", spinner(secs), line)
		p.drawn = true
		return
	}
	fmt.Fprintln(p.w, line)
}

func spinner(secs float64) string {
	frames := []string{"⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏"}
	return frames[int(secs*5)%len(frames)]
}

// done clears the progress line before the summary is printed.
func (p *progress) done() {
	if p.tty && p.drawn {
		fmt.Fprint(p.w, "\r\x1b[K")
	}
}

// note prints a message without garbling the progress line.
func (p *progress) note(format string, args ...any) {
	p.done()
	msg := fmt.Sprintf(format, args...)
	fmt.Fprintln(p.w, strings.TrimRight(msg, "\n"))
}
