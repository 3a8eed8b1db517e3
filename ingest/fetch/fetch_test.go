package fetch

import (
	"compress/gzip"
	"context"
	"errors"
	"net/http"
	"strings"
	"sync"
	"testing"
)

func TestFetchConditionalGET(t *testing.T) {
	t.Parallel()
	const etag, modified = `"v1"`, "Mon, 02 Jan 2006 15:04:05 GMT"
	srv := newServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("If-None-Match") == etag || r.Header.Get("If-Modified-Since") == modified {
			w.WriteHeader(http.StatusNotModified)
			return
		}
		w.Header().Set("ETag", etag)
		w.Header().Set("Last-Modified", modified)
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Write([]byte("<p>story</p>"))
	}))
	f := newFetcher(t, Options{Allow: local})

	tests := []struct {
		name         string
		req          Request
		wantNotMod   bool
		wantBody     string
		wantETag     string
		wantModified string
	}{
		{"first fetch", Request{}, false, "<p>story</p>", etag, modified},
		{"matching ETag", Request{ETag: etag}, true, "", etag, ""},
		{"matching Last-Modified", Request{LastModified: modified}, true, "", "", modified},
		{"both validators", Request{ETag: etag, LastModified: modified}, true, "", etag, modified},
		{"stale ETag", Request{ETag: `"v0"`}, false, "<p>story</p>", etag, modified},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.req.URL = srv.URL + "/story"
			resp := mustFetch(t, f, tt.req)
			if got, want := resp.NotModified, tt.wantNotMod; got != want {
				t.Errorf("NotModified=%v, want %v", got, want)
			}
			wantStatus := http.StatusOK
			if tt.wantNotMod {
				wantStatus = http.StatusNotModified
			}
			if got := resp.Status; got != wantStatus {
				t.Errorf("Status=%d, want %d", got, wantStatus)
			}
			if got := string(resp.Body); got != tt.wantBody {
				t.Errorf("Body=%q, want %q", got, tt.wantBody)
			}
			if resp.ETag != tt.wantETag || resp.LastModified != tt.wantModified {
				t.Errorf("validators=(%q, %q), want (%q, %q)", resp.ETag, resp.LastModified, tt.wantETag, tt.wantModified)
			}
		})
	}
}

func TestFetchGzip(t *testing.T) {
	t.Parallel()
	const text = "<p>Ministers met on Tuesday.</p>"
	var gotEncoding string
	srv := newServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		gotEncoding = r.Header.Get("Accept-Encoding")
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Header().Set("Content-Encoding", "gzip")
		zw := gzip.NewWriter(w)
		zw.Write([]byte(strings.Repeat(text, 100)))
		zw.Close()
	}))
	f := newFetcher(t, Options{Allow: local})
	resp := mustFetch(t, f, Request{URL: srv.URL})
	if got, want := gotEncoding, "gzip"; got != want {
		t.Errorf("Accept-Encoding=%q, want %q", got, want)
	}
	if got, want := string(resp.Body), strings.Repeat(text, 100); got != want {
		t.Errorf("Body=%.60q…, want the decompressed text", got)
	}
}

func TestFetchSendsHeaders(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		ua     string
		wantUA string
	}{
		{"default", "", DefaultUserAgent},
		{"custom", "byline-test/2", "byline-test/2"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got http.Header
			srv := newServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				got = r.Header.Clone()
			}))
			f := newFetcher(t, Options{Allow: local, UserAgent: tt.ua})
			mustFetch(t, f, Request{URL: srv.URL})
			if ua := got.Get("User-Agent"); ua != tt.wantUA {
				t.Errorf("User-Agent=%q, want %q", ua, tt.wantUA)
			}
			if !strings.Contains(got.Get("Accept"), "application/rss+xml") {
				t.Errorf("Accept=%q, want feeds listed", got.Get("Accept"))
			}
			for _, h := range []string{"Cookie", "Authorization", "If-None-Match", "If-Modified-Since"} {
				if v := got.Get(h); v != "" {
					t.Errorf("%s=%q, want none", h, v)
				}
			}
		})
	}
}

func TestFetchStatusError(t *testing.T) {
	t.Parallel()
	srv := newServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/gone":
			w.WriteHeader(http.StatusGone)
		case "/busy":
			w.WriteHeader(http.StatusTooManyRequests)
		case "/broken":
			w.WriteHeader(http.StatusInternalServerError)
		default:
			http.NotFound(w, r)
		}
	}))
	f := newFetcher(t, Options{Allow: local})
	tests := []struct {
		path    string
		code    int
		wantMsg string
	}{
		{"/missing", 404, "fetch " + srv.URL + "/missing: 404 Not Found"},
		{"/gone", 410, "fetch " + srv.URL + "/gone: 410 Gone"},
		{"/busy", 429, "fetch " + srv.URL + "/busy: 429 Too Many Requests"},
		{"/broken", 500, "fetch " + srv.URL + "/broken: 500 Internal Server Error"},
	}
	for _, tt := range tests {
		t.Run(tt.path, func(t *testing.T) {
			_, err := f.Fetch(context.Background(), Request{URL: srv.URL + tt.path})
			if err == nil || err.Error() != tt.wantMsg {
				t.Fatalf("err=%v, want %q", err, tt.wantMsg)
			}
			var se *StatusError
			if !errors.As(err, &se) || se.Code != tt.code {
				t.Errorf("StatusError=%v, want code %d", se, tt.code)
			}
		})
	}
}

func TestFetchSendsNoCookies(t *testing.T) {
	t.Parallel()
	var mu sync.Mutex
	var cookies []string
	srv := newServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		cookies = append(cookies, r.Header.Get("Cookie"))
		mu.Unlock()
		http.SetCookie(w, &http.Cookie{Name: "session", Value: "secret", Path: "/"})
		if r.URL.Path == "/login" {
			http.Redirect(w, r, "/check", http.StatusFound)
		}
	}))
	f := newFetcher(t, Options{Allow: local})
	mustFetch(t, f, Request{URL: srv.URL + "/set"})
	mustFetch(t, f, Request{URL: srv.URL + "/login"}) // cookie set, then a redirect
	mustFetch(t, f, Request{URL: srv.URL + "/check"})
	mu.Lock()
	defer mu.Unlock()
	if got, want := len(cookies), 4; got != want {
		t.Fatalf("server saw %d requests, want %d", got, want)
	}
	for i, c := range cookies {
		if c != "" {
			t.Errorf("request %d sent Cookie %q, want none", i, c)
		}
	}
}

func TestFetchStripsUserinfo(t *testing.T) {
	t.Parallel()
	var mu sync.Mutex
	var auth []string
	srv := newServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		auth = append(auth, r.Header.Get("Authorization"))
		mu.Unlock()
		if r.URL.Path == "/hop" {
			http.Redirect(w, r, "http://bob:hunter2@"+r.Host+"/end", http.StatusFound)
		}
	}))
	f := newFetcher(t, Options{Allow: local})
	host := strings.TrimPrefix(srv.URL, "http://")
	tests := []struct{ name, url, wantURL string }{
		{"in the URL", "http://alice:secret@" + host + "/page", srv.URL + "/page"},
		{"in a redirect", srv.URL + "/hop", srv.URL + "/end"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp := mustFetch(t, f, Request{URL: tt.url})
			if resp.URL != tt.wantURL {
				t.Errorf("URL=%q, want %q", resp.URL, tt.wantURL)
			}
		})
	}
	mu.Lock()
	defer mu.Unlock()
	for i, a := range auth {
		if a != "" {
			t.Errorf("request %d sent Authorization %q, want none", i, a)
		}
	}
}

func TestFetchScheme(t *testing.T) {
	t.Parallel()
	f := newFetcher(t, Options{Allow: local})
	tests := []string{
		"file:///etc/passwd",
		"ftp://example.org/pub/file.txt",
		"gopher://example.org/1/",
		"data:text/html,<p>hi</p>",
		"javascript:alert(1)",
		"example.org/news", // no scheme
	}
	for _, raw := range tests {
		t.Run(raw, func(t *testing.T) {
			_, err := f.Fetch(context.Background(), Request{URL: raw})
			if !errors.Is(err, ErrScheme) {
				t.Fatalf("err=%v, want ErrScheme", err)
			}
			if !strings.Contains(err.Error(), "only http and https") {
				t.Errorf("err=%q, want it to say only http and https", err)
			}
		})
	}
	if n := f.dns.total() + f.dials.total(); n != 0 {
		t.Errorf("%d lookups and dials, want none", n)
	}
}

func TestFetchInvalidURL(t *testing.T) {
	t.Parallel()
	f := newFetcher(t, Options{Allow: local})
	for _, raw := range []string{"", " ", "http://[::1", "http:// bad host/", "http:///no-host", "http://u:hunter2@[::1"} {
		_, err := f.Fetch(context.Background(), Request{URL: raw})
		if err == nil || !strings.HasPrefix(err.Error(), "fetch") {
			t.Errorf("Fetch(%q) err=%v, want a fetch error", raw, err)
		} else if strings.Contains(err.Error(), "hunter2") {
			t.Errorf("Fetch(%q) err=%q shows the password", raw, err)
		}
	}
	if n := f.dials.total(); n != 0 {
		t.Errorf("%d dials, want none", n)
	}
}
