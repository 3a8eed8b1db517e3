package fetch

import (
	"compress/gzip"
	"context"
	"errors"
	"io"
	"net/http"
	"runtime"
	"strconv"
	"strings"
	"testing"
)

// stream writes n bytes of 'x' in chunks from one small buffer, stopping
// when the client goes away, so the test itself never holds n bytes.
func stream(w io.Writer, n int) {
	chunk := []byte(strings.Repeat("x", 32<<10))
	for n > 0 {
		c := chunk[:min(n, len(chunk))]
		if _, err := w.Write(c); err != nil {
			return
		}
		n -= len(c)
	}
}

const twentyMB = 20_000_000

// bigServer serves 20 MB bodies: chunked, with a Content-Length, or as a
// gzip bomb of a few kilobytes. /small/N serves N bytes.
func bigServer(t *testing.T) string {
	srv := newServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain")
		switch r.URL.Path {
		case "/chunked":
			stream(w, twentyMB)
		case "/length":
			w.Header().Set("Content-Length", strconv.Itoa(twentyMB))
			stream(w, twentyMB)
		case "/gzip":
			w.Header().Set("Content-Encoding", "gzip")
			zw, _ := gzip.NewWriterLevel(w, gzip.BestSpeed)
			stream(zw, twentyMB)
			zw.Close()
		default:
			n, _ := strconv.Atoi(strings.TrimPrefix(r.URL.Path, "/small/"))
			stream(w, n)
		}
	}))
	return srv.URL
}

func TestFetchTooLarge(t *testing.T) {
	t.Parallel()
	base := bigServer(t)
	tests := []struct {
		name    string
		path    string
		max     int64
		wantErr error
		wantMsg string
	}{
		{"streamed 20 MB", "/chunked", 0, ErrTooLarge, "response from 127.0.0.1 is larger than 5 MB"},
		{"declared 20 MB", "/length", 0, ErrTooLarge, "larger than 5 MB"},
		{"gzip bomb", "/gzip", 0, ErrTooLarge, "larger than 5 MB"},
		{"one byte over", "/small/1001", 1000, ErrTooLarge, "larger than 1 kB"},
		{"exactly the cap", "/small/1000", 1000, nil, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFetcher(t, Options{Allow: local, MaxBytes: tt.max})
			url := base + tt.path
			resp, err := f.Fetch(context.Background(), Request{URL: url})
			if !errors.Is(err, tt.wantErr) {
				t.Fatalf("err=%v, want %v", err, tt.wantErr)
			}
			if err == nil {
				if got := len(resp.Body); int64(got) != tt.max {
					t.Errorf("len(Body)=%d, want %d", got, tt.max)
				}
				return
			}
			if want := "fetch " + url + ": "; !strings.HasPrefix(err.Error(), want) || !strings.Contains(err.Error(), tt.wantMsg) {
				t.Errorf("err=%q, want %q…%q", err, want, tt.wantMsg)
			}
		})
	}
}

// TestTooLargeMemory checks that a 20 MB body is not buffered whole: the
// fetch allocates about the cap in total. It does not run in parallel,
// so other tests' allocations do not count.
func TestTooLargeMemory(t *testing.T) {
	base := bigServer(t)
	f := newFetcher(t, Options{Allow: local})
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	_, err := f.Fetch(context.Background(), Request{URL: base + "/chunked"})
	runtime.ReadMemStats(&after)
	if !errors.Is(err, ErrTooLarge) {
		t.Fatalf("err=%v, want ErrTooLarge", err)
	}
	// About the 5 MB cap is expected; twice that leaves room for noise.
	if got := after.TotalAlloc - before.TotalAlloc; got >= 2*DefaultMaxBytes {
		t.Errorf("allocated %d bytes fetching a 20 MB body capped at 5 MB, want < %d", got, 2*DefaultMaxBytes)
	}
}

func TestFetchWindows1252(t *testing.T) {
	t.Parallel()
	srv := newServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=windows-1252")
		w.Write([]byte("<p>Le caf\xe9 \x93Chez Paul\x94 \x96 ferm\xe9.</p>"))
	}))
	f := newFetcher(t, Options{Allow: local})
	resp := mustFetch(t, f, Request{URL: srv.URL})
	if got, want := string(resp.Body), "<p>Le café “Chez Paul” – fermé.</p>"; got != want {
		t.Errorf("Body=%q, want %q", got, want)
	}
	if got, want := resp.ContentType, "text/html"; got != want {
		t.Errorf("ContentType=%q, want %q", got, want)
	}
}

func TestDecode(t *testing.T) {
	t.Parallel()
	asciiHead := strings.Repeat("<!-- padding -->", 100) // 1,600 bytes
	tests := []struct {
		name     string
		header   string
		body     string
		wantType string
		wantBody string
	}{
		{"header charset", "text/html; charset=windows-1252", "caf\xe9 \x93q\x94", "text/html", "café “q”"},
		{"latin-1 label means windows-1252", "text/html; charset=ISO-8859-1", "\x93q\x94 \x80", "text/html", "“q” €"},
		{"meta charset", "text/html", `<meta charset="windows-1252"><p>caf` + "\xe9", "text/html",
			`<meta charset="windows-1252"><p>café`},
		{"meta http-equiv", "text/html", `<meta http-equiv="Content-Type" content="text/html; charset=iso-8859-15"><p>` + "\xa4",
			"text/html", `<meta http-equiv="Content-Type" content="text/html; charset=iso-8859-15"><p>€`},
		{"undeclared UTF-8 past 1 kB", "text/html", asciiHead + "<p>café</p>", "text/html", asciiHead + "<p>café</p>"},
		{"meta says 1252 but all UTF-8", "text/html", `<meta charset="windows-1252"><p>café`, "text/html", `<meta charset="windows-1252"><p>café`},
		{"undeclared legacy bytes", "text/html", "<p>caf\xe9</p>", "text/html", "<p>café</p>"},
		{"invalid UTF-8 repaired", "text/plain; charset=utf-8", "ok \xff ok", "text/plain", "ok \uFFFD ok"},
		{"UTF-8 BOM dropped", "text/plain", "\xef\xbb\xbfcafé", "text/plain", "café"},
		{"UTF-16LE BOM", "text/plain", "\xff\xfec\x00a\x00f\x00\xe9\x00", "text/plain", "café"},
		{"XML declaration", "application/rss+xml", `<?xml version="1.0" encoding="windows-1252"?><title>caf` + "\xe9</title>",
			"application/rss+xml", `<?xml version="1.0" encoding="UTF-8"?><title>café</title>`},
		{"XML header beats declaration", "application/atom+xml; charset=utf-8", `<?xml version='1.0' encoding='ISO-8859-1'?><t>café</t>`,
			"application/atom+xml", `<?xml version='1.0' encoding='UTF-8'?><t>café</t>`},
		{"XML UTF-8 untouched", "text/xml", `<?xml version="1.0" encoding="utf-8"?><t>café</t>`, "text/xml", `<?xml version="1.0" encoding="utf-8"?><t>café</t>`},
		{"JSON", "application/feed+json", `{"title":"café"}`, "application/feed+json", `{"title":"café"}`},
		{"binary untouched", "image/png", "\x89PNG\r\n\x1a\n\xe9\xff", "image/png", "\x89PNG\r\n\x1a\n\xe9\xff"},
		{"no header: sniffed", "", "<!DOCTYPE html><p>caf\xe9</p>", "text/html", "<!DOCTYPE html><p>café</p>"},
		{"params and case", `Text/HTML; Charset="UTF-8"; foo=bar`, "café", "text/html", "café"},
		{"unparsable header", "text/html; charset", "café", "text/html", "café"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			gotType, gotBody := decode(tt.header, []byte(tt.body))
			if gotType != tt.wantType {
				t.Errorf("type=%q, want %q", gotType, tt.wantType)
			}
			if string(gotBody) != tt.wantBody {
				t.Errorf("body=%q, want %q", gotBody, tt.wantBody)
			}
		})
	}
}
