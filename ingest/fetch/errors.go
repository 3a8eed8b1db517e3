package fetch

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
)

// Kinds of failure, for errors.Is. The errors Fetch returns carry a
// message for users ("fetch https://…: response from example.org is larger
// than 5 MB") and match one of these.
var (
	ErrScheme           = errors.New("only http and https URLs can be fetched")
	ErrBlocked          = errors.New("address not allowed")
	ErrTooManyRedirects = errors.New("too many redirects")
	ErrTooLarge         = errors.New("response too large")
	ErrTimeout          = errors.New("timed out") // also matches context.DeadlineExceeded
)

// StatusError is an answer other than 2xx or 304. Callers use Code to tell
// a gone page (404, 410) from a struggling server (429, 5xx).
type StatusError struct {
	Code int
}

func (e *StatusError) Error() string {
	return fmt.Sprintf("%d %s", e.Code, http.StatusText(e.Code))
}

// kindError is an error with a message of its own that still matches its
// kinds with errors.Is, so the message need not repeat the sentinel's.
type kindError struct {
	kind error
	msg  string
}

func (e *kindError) Error() string { return e.msg }
func (e *kindError) Unwrap() error { return e.kind }

// timeoutError is Options.Timeout running out.
type timeoutError struct{ msg string }

func (e *timeoutError) Error() string   { return e.msg }
func (e *timeoutError) Unwrap() []error { return []error{ErrTimeout, context.DeadlineExceeded} }
func (e *timeoutError) Timeout() bool   { return true }

// errTimedOut is the cancellation cause set when Options.Timeout runs out,
// which tells it apart from the caller cancelling.
var errTimedOut = errors.New("fetch timeout")

// failed wraps err, a failure while fetching u, with the URL and a message
// users can act on.
func (f *Fetcher) failed(ctx context.Context, u *url.URL, err error) error {
	if errors.Is(context.Cause(ctx), errTimedOut) {
		err = &timeoutError{fmt.Sprintf("timed out after %s", f.opt.Timeout)}
	} else if ue := (*url.Error)(nil); errors.As(err, &ue) {
		err = ue.Err // its message repeats the method and URL
	}
	err = fmt.Errorf("fetch %s: %w", u, err)
	f.logFailure(err)
	return err
}

// logFailure logs refusals as warnings, since they may be probes of the
// internal network, and leaves other failures to the caller. The error
// names the URL, user info removed.
func (f *Fetcher) logFailure(err error) {
	if errors.Is(err, ErrBlocked) || errors.Is(err, ErrScheme) {
		f.log.Warn("fetch refused", logErr, err)
		return
	}
	f.log.Debug("fetch failed", logErr, err)
}

// tooLarge is the error for a body over limit bytes from host.
func tooLarge(host string, limit int64) error {
	return &kindError{ErrTooLarge, fmt.Sprintf("response from %s is larger than %s", host, formatBytes(limit))}
}

// formatBytes renders n in decimal units as users read them: "5 MB",
// "2.5 MB", "800 kB".
func formatBytes(n int64) string {
	unit := func(div float64, name string) string {
		s := strconv.FormatFloat(float64(n)/div, 'f', 1, 64)
		return strings.TrimSuffix(s, ".0") + " " + name
	}
	switch {
	case n >= 1e9:
		return unit(1e9, "GB")
	case n >= 1e6:
		return unit(1e6, "MB")
	case n >= 1e3:
		return unit(1e3, "kB")
	}
	return strconv.FormatInt(n, 10) + " bytes"
}

// checkScheme refuses anything but http and https: file:, ftp:, gopher:,
// data: and friends reach things a news fetcher must not.
func checkScheme(u *url.URL) error {
	switch strings.ToLower(u.Scheme) {
	case "http", "https":
		return nil
	case "":
		return &kindError{ErrScheme, "URL has no scheme: " + ErrScheme.Error()}
	}
	return &kindError{ErrScheme, fmt.Sprintf("unsupported scheme %q: %s", u.Scheme, ErrScheme)}
}
