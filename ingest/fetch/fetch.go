// Package fetch downloads article pages and feeds from the web politely
// and safely.
//
// Politely: a clear User-Agent, conditional GET, gzip, at most one request
// at a time per host with a pause between them, and bounded time and size.
//
// Safely: byline fetches URLs that strangers paste into chat, so a URL must
// never become a way to reach the machine's own network (server-side request
// forgery). Only http and https are fetched, and every connection, including
// each redirect hop, is checked at connect time against the address that is
// actually dialed: loopback, private, link-local, CGNAT, multicast and cloud
// metadata addresses are refused unless the operator allows them
// (Options.Allow). No cookies or credentials are ever sent.
package fetch

import (
	"context"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"time"
)

// Defaults for Options fields left at zero.
const (
	DefaultUserAgent       = "byline/1.0 (+https://github.com/byline-news/byline)"
	DefaultTimeout         = 20 * time.Second
	DefaultMaxBytes        = 5_000_000
	DefaultMaxRedirects    = 5
	DefaultPerHostInterval = time.Second
)

// accept lists what byline can use, so servers doing content negotiation
// send the page or feed rather than, say, an image.
const accept = "text/html, application/xhtml+xml, application/rss+xml, application/atom+xml, " +
	"application/feed+json, application/xml;q=0.9, application/json;q=0.9, text/*;q=0.8, */*;q=0.5"

// Log attribute keys, kept stable so log queries keep working.
const (
	logURL    = "url"
	logStatus = "status"
	logBytes  = "bytes"
	logType   = "content_type"
	logErr    = "err"
)

// Options configures a Fetcher. Zero fields take the defaults above.
type Options struct {
	UserAgent    string        // default DefaultUserAgent
	Timeout      time.Duration // whole request including the body, default DefaultTimeout
	MaxBytes     int64         // body cap after decompression, default DefaultMaxBytes
	MaxRedirects int           // default DefaultMaxRedirects; negative follows none

	// PerHostInterval is the least time between the starts of two requests
	// to one host (default DefaultPerHostInterval). Requests to a host are
	// also serialized: one at a time. Negative means no pause, only
	// serialization.
	PerHostInterval time.Duration

	// Allow lists host names, IP addresses and CIDRs that may be fetched
	// even though they are private (see ParseAllow). Invalid entries are
	// logged and ignored: validate with ParseAllow first. Cloud metadata
	// addresses are reachable only when listed exactly, as an address or
	// a /32 or /128.
	Allow []string

	// AllowSetting is the name under which the operator sets Allow, such
	// as an environment variable. A refusal then says how to allow the
	// address ("refusing to connect (NAME can allow it)"); empty leaves
	// the hint out. The caller supplies it so that this package never
	// spells a setting.
	AllowSetting string

	// Resolver looks up a host's addresses; default
	// net.DefaultResolver.LookupIPAddr. Tests inject one.
	Resolver func(ctx context.Context, host string) ([]net.IPAddr, error)

	Logger *slog.Logger // default slog.Default()
}

// Request is one GET. ETag and LastModified are the validators from the
// previous fetch of the same URL; when set, a 304 answer comes back as
// Response.NotModified without a body.
type Request struct {
	URL          string
	ETag         string
	LastModified string
}

// Response is a successful fetch: a 2xx with its body, or a 304.
type Response struct {
	URL         string // final URL after redirects, without user info
	Status      int
	NotModified bool // 304: the caller's copy is current; Body is empty

	// Body is UTF-8 for text types (HTML, XML, JSON, text/*), without a
	// byte-order mark, whatever charset the server or a <meta> tag
	// declared; an XML declaration's encoding is rewritten to UTF-8 so that
	// XML parsers do not decode it a second time. Other types are as sent.
	Body        []byte
	ContentType string // media type without parameters, e.g. "text/html"

	// ETag and LastModified are the validators to send next time. On a 304
	// without them, the request's values are kept.
	ETag, LastModified string

	// Truncated is never true: a body over MaxBytes is an ErrTooLarge
	// error, because half an article indexed as if whole is worse than none.
	Truncated bool
}

// Fetcher fetches URLs. It is safe for concurrent use; share one so that
// per-host politeness and connection reuse work across callers.
type Fetcher struct {
	opt    Options
	policy *policy
	dialer *dialer
	gate   *hostGate
	client *http.Client
	log    *slog.Logger

	// afterFunc starts the Timeout clock; tests replace it to observe
	// when the clock starts.
	afterFunc func(time.Duration, func()) (stop func() bool)
}

// New returns a Fetcher with opt's zero fields set to the defaults.
func New(opt Options) *Fetcher {
	opt = withDefaults(opt)
	f := &Fetcher{
		opt:       opt,
		log:       opt.Logger,
		gate:      newHostGate(opt.PerHostInterval),
		afterFunc: func(d time.Duration, fn func()) func() bool { return time.AfterFunc(d, fn).Stop },
	}
	f.policy = newPolicy(opt.Allow, opt.AllowSetting, f.log)
	f.dialer = newDialer(f.policy, opt.Resolver)
	f.client = &http.Client{
		Transport:     &politeTransport{next: newTransport(f.dialer), gate: f.gate},
		CheckRedirect: f.checkRedirect,
		// No Jar: cookies set by one site are never sent anywhere.
	}
	return f
}

func withDefaults(opt Options) Options {
	if opt.UserAgent == "" {
		opt.UserAgent = DefaultUserAgent
	}
	if opt.Timeout <= 0 {
		opt.Timeout = DefaultTimeout
	}
	if opt.MaxBytes <= 0 {
		opt.MaxBytes = DefaultMaxBytes
	}
	switch {
	case opt.MaxRedirects == 0:
		opt.MaxRedirects = DefaultMaxRedirects
	case opt.MaxRedirects < 0:
		opt.MaxRedirects = 0
	}
	switch {
	case opt.PerHostInterval == 0:
		opt.PerHostInterval = DefaultPerHostInterval
	case opt.PerHostInterval < 0:
		opt.PerHostInterval = 0
	}
	if opt.Resolver == nil {
		opt.Resolver = net.DefaultResolver.LookupIPAddr
	}
	if opt.Logger == nil {
		opt.Logger = slog.Default()
	}
	return opt
}

// newTransport returns a transport that connects only through d.
func newTransport(d *dialer) *http.Transport {
	return &http.Transport{
		// No proxy, whatever HTTP_PROXY says: through a proxy the address
		// check would vet the proxy, not the site.
		Proxy:                  nil,
		DialContext:            d.DialContext,
		ForceAttemptHTTP2:      true,
		TLSHandshakeTimeout:    10 * time.Second,
		MaxIdleConns:           100,
		MaxIdleConnsPerHost:    2,
		IdleConnTimeout:        90 * time.Second,
		MaxResponseHeaderBytes: 1 << 20,
		// DisableCompression stays false and Accept-Encoding is never set
		// by us: the transport then asks for gzip and decompresses it.
	}
}

// Fetch GETs r.URL. Errors name the URL and match ErrScheme, ErrBlocked,
// ErrTooManyRedirects, ErrTooLarge, ErrTimeout or *StatusError where they
// apply. Time spent queueing for the first request's turn at a busy host
// does not count against Options.Timeout (the caller's ctx bounds it);
// from then on, redirect hops and the body included, it does.
func (f *Fetcher) Fetch(ctx context.Context, r Request) (*Response, error) {
	u, err := f.target(r.URL)
	if err != nil {
		f.logFailure(err)
		return nil, err
	}
	ctx, dl := f.withDeadline(ctx)
	defer dl.stop()
	req, err := newRequest(ctx, u, r, f.opt.UserAgent)
	if err != nil {
		return nil, fmt.Errorf("fetch %s: %w", u, err)
	}
	resp, err := f.client.Do(req)
	if err != nil {
		return nil, f.failed(ctx, u, err)
	}
	defer resp.Body.Close()
	out, err := f.response(resp, r)
	if err != nil {
		return nil, f.failed(ctx, u, err)
	}
	f.log.Debug("fetched", logURL, out.URL, logStatus, out.Status, logBytes, len(out.Body), logType, out.ContentType)
	return out, nil
}
