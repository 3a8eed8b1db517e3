package fetch

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
)

// target parses and vets raw before anything else happens: a wrong scheme
// or a forbidden IP literal is refused without waiting for a turn at the
// host, resolving or dialing.
func (f *Fetcher) target(raw string) (*url.URL, error) {
	raw = strings.TrimSpace(raw)
	if raw == "" {
		return nil, errors.New("fetch: empty URL")
	}
	u, err := url.Parse(raw)
	if err != nil {
		var ue *url.Error
		if errors.As(err, &ue) {
			err = ue.Err
		}
		if strings.Contains(raw, "@") {
			// It may hold a password, and it cannot be parsed to remove it.
			return nil, fmt.Errorf("fetch: invalid URL: %w", err)
		}
		return nil, fmt.Errorf("fetch %q: invalid URL: %w", raw, err)
	}
	u.User = nil // never send credentials, not even the caller's own
	if err := checkScheme(u); err != nil {
		return nil, fmt.Errorf("fetch %s: %w", u, err)
	}
	if u.Host == "" {
		return nil, fmt.Errorf("fetch %s: URL has no host", u)
	}
	if err := f.policy.checkLiteral(u); err != nil {
		return nil, fmt.Errorf("fetch %s: %w", u, err)
	}
	return u, nil
}

func newRequest(ctx context.Context, u *url.URL, r Request, userAgent string) (*http.Request, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u.String(), nil)
	if err != nil {
		return nil, err
	}
	req.Header.Set("User-Agent", userAgent)
	req.Header.Set("Accept", accept)
	if r.ETag != "" {
		req.Header.Set("If-None-Match", r.ETag)
	}
	if r.LastModified != "" {
		req.Header.Set("If-Modified-Since", r.LastModified)
	}
	return req, nil
}

// checkRedirect vets each redirect hop as Fetch vets the first URL; the
// dialer then checks the address it connects to, as for every hop.
func (f *Fetcher) checkRedirect(req *http.Request, via []*http.Request) error {
	if len(via) > f.opt.MaxRedirects {
		return &kindError{ErrTooManyRedirects, fmt.Sprintf("stopped after %d redirects (the next was to %s)",
			f.opt.MaxRedirects, req.URL.Redacted())}
	}
	// A Location may carry user info; the client would turn it into an
	// Authorization header. Headers copied from the first request never
	// include credentials, but make sure.
	req.URL.User = nil
	req.Header.Del("Authorization")
	req.Header.Del("Cookie")
	if err := checkScheme(req.URL); err != nil {
		return fmt.Errorf("redirect to %s: %w", req.URL, err)
	}
	if err := f.policy.checkLiteral(req.URL); err != nil {
		return fmt.Errorf("redirect to %s: %w", req.URL, err)
	}
	return nil
}

// response turns resp into a Response, reading and converting the body.
func (f *Fetcher) response(resp *http.Response, r Request) (*Response, error) {
	out := &Response{
		URL:          resp.Request.URL.String(),
		Status:       resp.StatusCode,
		ETag:         resp.Header.Get("ETag"),
		LastModified: resp.Header.Get("Last-Modified"),
	}
	switch {
	case resp.StatusCode == http.StatusNotModified:
		out.NotModified = true
		out.ETag = cmpOr(out.ETag, r.ETag)
		out.LastModified = cmpOr(out.LastModified, r.LastModified)
		return out, nil
	case resp.StatusCode < 200 || resp.StatusCode > 299:
		return nil, &StatusError{Code: resp.StatusCode}
	}
	body, err := readCapped(resp, f.opt.MaxBytes)
	if err != nil {
		return nil, err
	}
	out.ContentType, out.Body = decode(resp.Header.Get("Content-Type"), body)
	return out, nil
}

func cmpOr(a, b string) string {
	if a != "" {
		return a
	}
	return b
}
