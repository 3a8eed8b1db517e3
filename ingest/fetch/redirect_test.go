package fetch

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"testing"
)

// hopServer redirects /hop/N to /hop/N-1, and answers /hop/0.
func hopServer(t *testing.T) string {
	srv := newServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n, err := strconv.Atoi(strings.TrimPrefix(r.URL.Path, "/hop/"))
		if err != nil {
			http.NotFound(w, r)
			return
		}
		if n > 0 {
			http.Redirect(w, r, fmt.Sprintf("/hop/%d", n-1), http.StatusMovedPermanently)
			return
		}
		w.Write([]byte("arrived"))
	}))
	return srv.URL
}

func TestFetchRedirects(t *testing.T) {
	t.Parallel()
	base := hopServer(t)
	tests := []struct {
		name    string
		max     int
		hops    int
		wantErr error
	}{
		{"none", 0, 0, nil},
		{"one", 0, 1, nil},
		{"at the default limit", 0, 5, nil},
		{"over the default limit", 0, 6, ErrTooManyRedirects},
		{"at a set limit", 2, 2, nil},
		{"over a set limit", 2, 3, ErrTooManyRedirects},
		{"redirects off", -1, 1, ErrTooManyRedirects},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFetcher(t, Options{Allow: local, MaxRedirects: tt.max})
			url := fmt.Sprintf("%s/hop/%d", base, tt.hops)
			resp, err := f.Fetch(context.Background(), Request{URL: url})
			if !errors.Is(err, tt.wantErr) {
				t.Fatalf("err=%v, want %v", err, tt.wantErr)
			}
			if err != nil {
				if !strings.HasPrefix(err.Error(), "fetch "+url+": stopped after") {
					t.Errorf("err=%q, want it to name the URL and the limit", err)
				}
				return
			}
			if got, want := resp.URL, base+"/hop/0"; got != want {
				t.Errorf("URL=%q, want %q", got, want)
			}
			if got := string(resp.Body); got != "arrived" {
				t.Errorf("Body=%q, want arrived", got)
			}
		})
	}
}

// TestRedirectRefused sends the fetcher from an allowed server to places
// it must not go; each must be refused without connecting there.
func TestRedirectRefused(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		location string
		wantErr  error
		wantMsg  string
	}{
		{"name of a private address", "http://intranet.test/admin", ErrBlocked, "intranet.test resolves to 10.1.2.3, a private address"},
		{"name of the metadata address", "http://metadata.test/latest/meta-data/", ErrBlocked, "169.254.169.254, a cloud metadata address"},
		{"private literal", "http://10.0.0.1/", ErrBlocked, "10.0.0.1 is a private address"},
		{"metadata literal", "http://169.254.169.254/latest/meta-data/iam/", ErrBlocked, "cloud metadata"},
		{"mapped IPv6 metadata", "http://[::ffff:169.254.169.254]/", ErrBlocked, "cloud metadata"},
		{"file scheme", "file:///etc/passwd", ErrScheme, `unsupported scheme "file"`},
		{"ftp scheme", "ftp://ftp.example.org/", ErrScheme, `unsupported scheme "ftp"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			srv := newServer(t, http.RedirectHandler(tt.location, http.StatusFound))
			f := newFetcher(t, Options{Allow: local})
			f.dns.set("intranet.test", "10.1.2.3")
			f.dns.set("metadata.test", "169.254.169.254")
			_, err := f.Fetch(context.Background(), Request{URL: srv.URL + "/story"})
			if !errors.Is(err, tt.wantErr) {
				t.Fatalf("err=%v, want %v", err, tt.wantErr)
			}
			if !strings.Contains(err.Error(), tt.wantMsg) || !strings.HasPrefix(err.Error(), "fetch "+srv.URL+"/story: ") {
				t.Errorf("err=%q, want it to name the URL and say %q", err, tt.wantMsg)
			}
			// One connection, to the test server; none to the target.
			if got, want := f.dials.total(), 1; got != want {
				t.Errorf("%d dials, want %d", got, want)
			}
			if got := f.dials.to("127.0.0.1"); got != 1 {
				t.Errorf("%d dials to 127.0.0.1, want 1", got)
			}
		})
	}
}
