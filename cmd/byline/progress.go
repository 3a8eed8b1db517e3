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
	return &progress{w: w, tty: tty, start: now, last: now, every: redrawEvery(tty)}
}

// redrawEvery is how often progress is shown: smoothly on a terminal, a
// line every few seconds in a log.
func redrawEvery(tty bool) time.Duration {
	if tty {
		return 200 * time.Millisecond
	}
	return 5 * time.Second
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
	line := fmt.Sprintf("indexing: %s, %s, %s paragraphs/s, %s",
		count(p.articles, "article"), count(p.paragraphs, "paragraph"), answer.Thousands(int(rate)), now.Sub(p.start).Round(time.Second))
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

// percent reports work of a known size, such as embedding every
// paragraph: a bar with the share done, the rate and the time left.
type percent struct {
	w           io.Writer
	tty         bool
	what        string
	start, last time.Time
	every       time.Duration
	drawn       bool
}

func newPercent(w io.Writer, tty bool, what string) *percent {
	now := time.Now()
	every := redrawEvery(tty)
	return &percent{w: w, tty: tty, what: what, start: now, last: now.Add(-every), every: every}
}

// set records that done of total items are finished.
func (p *percent) set(done, total int) {
	now := time.Now()
	if total <= 0 || (now.Sub(p.last) < p.every && done < total) {
		return
	}
	p.last = now
	secs := now.Sub(p.start).Seconds()
	rate := float64(done) / max(secs, 1e-9)
	left := "?"
	if done > 0 {
		left = (time.Duration(float64(total-done)/rate) * time.Second).Round(time.Second).String()
	}
	frac := float64(done) / float64(total)
	line := fmt.Sprintf("%s: %s %3.0f%% %s/%s paragraphs, %s/s, %s left", p.what, bar(frac, 20), frac*100,
		answer.Thousands(done), answer.Thousands(total), answer.Thousands(int(rate)), left)
	if p.tty {
		fmt.Fprintf(p.w, "\r%s\x1b[K", line)
		p.drawn = true
		return
	}
	fmt.Fprintln(p.w, line)
}

func bar(frac float64, width int) string {
	n := int(frac*float64(width) + 0.5)
	return "[" + strings.Repeat("#", n) + strings.Repeat(".", width-n) + "]"
}

// done ends the progress line.
func (p *percent) done() {
	if p.tty && p.drawn {
		fmt.Fprintln(p.w)
	}
}
