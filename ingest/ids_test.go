package ingest

import (
	"testing"
	"time"

	"github.com/byline-news/byline/retrieval"
)

func TestIDs(t *testing.T) {
	tests := []struct{ name, got, want string }{
		{"file id shape", fileID("/tmp/a.txt")[:2], "f-"},
		{"text id normalizes", textID("  Pier  REOPENS\n\tToday "), textID("pier reopens today")},
	}
	for _, tt := range tests {
		if tt.got != tt.want {
			t.Errorf("%s: %q != %q", tt.name, tt.got, tt.want)
		}
	}
}

func TestNormalizedHash(t *testing.T) {
	base := retrieval.Article{ID: "a", Title: "Pier reopens", Paragraphs: []string{"The pier reopened.", "Crowds came."}}
	same := retrieval.Article{ID: "b", URL: "https://x.example", Title: " PIER  reopens",
		Published: time.Now(), Paragraphs: []string{"the pier\nreopened.", "Crowds   came."}}
	edited := base
	edited.Paragraphs = []string{"The pier reopened.", "Few came."}
	regrouped := base
	regrouped.Paragraphs = []string{"The pier reopened. Crowds came."}
	h := NormalizedHash(base)
	if len(h) != 64 {
		t.Errorf("hash %q is not 64 hex digits", h)
	}
	if NormalizedHash(same) != h {
		t.Error("case, spacing, ID, URL and date changed the hash")
	}
	if NormalizedHash(edited) == h || NormalizedHash(regrouped) == h {
		t.Error("an edit or a different paragraph split kept the hash")
	}
}

func TestParseDate(t *testing.T) {
	want := time.Date(2005, 2, 14, 10, 30, 0, 0, time.UTC)
	day := time.Date(2005, 2, 14, 0, 0, 0, 0, time.UTC)
	utc := func(y int, mo time.Month, d, h, mi int) time.Time { return time.Date(y, mo, d, h, mi, 0, 0, time.UTC) }
	tests := []struct {
		in   string
		want time.Time
	}{
		{"2005-02-14T10:30:00Z", want},
		{"2005-02-14T11:30:00+01:00", want},
		{"2005-02-14T10:30:00.000+0000", want},
		{"2005-02-14T10:30:00", want},
		{"2005-02-14 10:30:00", want},
		{"Mon, 14 Feb 2005 10:30:00 GMT", want},
		{"Mon, 14 Feb 2005 05:30:00 -0500", want},
		{"1108377000", want},
		{"1108377000000", want},
		{"2005-02-14", day},
		{"February 14, 2005", day},
		{"14 Feb 2005", day},
		{"2024-03-05T18:40:00+01:00", utc(2024, 3, 5, 17, 40)},
		{"2024-03-05T17:40:00.123Z", time.Date(2024, 3, 5, 17, 40, 0, 123e6, time.UTC)},
		{"2024-03-05T18:40:00+0100", utc(2024, 3, 5, 17, 40)},
		{"2024-03-05T17:40", utc(2024, 3, 5, 17, 40)},
		{"2024-03-05 17:40", utc(2024, 3, 5, 17, 40)},
		{"2024-03-05", utc(2024, 3, 5, 0, 0)},
		{"20240305", utc(2024, 3, 5, 0, 0)},
		{"Tue, 05 Mar 2024 12:40:00 -0500", utc(2024, 3, 5, 17, 40)},
		{"Tue, 05 Mar 2024 12:40:00 EST", utc(2024, 3, 5, 17, 40)},
		{"Tue, 5 Mar 2024 18:40:00 CET", utc(2024, 3, 5, 17, 40)},
		{"Tuesday, March 5, 2024 5:40 PM", utc(2024, 3, 5, 17, 40)},
		{"March 5, 2024", utc(2024, 3, 5, 0, 0)},
		{"5 March 2024", utc(2024, 3, 5, 0, 0)},
		{"1709660400", utc(2024, 3, 5, 17, 40)},
		{" ", time.Time{}},
		{"yesterday", time.Time{}},
		{"0001-01-01T00:00:00Z", time.Time{}},
	}
	for _, tt := range tests {
		got := ParseDate(tt.in)
		if !got.Equal(tt.want) || got.Location() != time.UTC {
			t.Errorf("ParseDate(%q) = %v, want %v", tt.in, got, tt.want)
		}
	}
}

func TestDecode(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"utf8 kept", "café “x”", "café “x”"},
		{"bom dropped", "\xef\xbb\xbfhi", "hi"},
		{"cp1252", "caf\xe9 \x93x\x94 \x80 \x85 \x81", "café “x” € … \u0081"},
		{"mostly utf8 repaired", "café naïve \xff", "café naïve \uFFFD"},
	}
	for _, tt := range tests {
		if got := toUTF8([]byte(tt.in)); got != tt.want {
			t.Errorf("%s: toUTF8 = %q, want %q", tt.name, got, tt.want)
		}
	}
	binary := []struct {
		in   string
		want bool
	}{
		{"plain text\n", false},
		{"caf\xe9 latin-1", false},
		{"a\x00b", true},
		{"\x01\x02\x03\x04 abc", true},
	}
	for _, tt := range binary {
		if got := isBinary([]byte(tt.in)); got != tt.want {
			t.Errorf("isBinary(%q) = %v, want %v", tt.in, got, tt.want)
		}
	}
}
