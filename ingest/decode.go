package ingest

import (
	"bytes"
	"fmt"
	"strings"
	"unicode/utf8"
)

// sniffLen is how much of a file is looked at to tell text from binary
// and JSONL from HTML.
const sniffLen = 8 << 10

// isBinary reports whether head, the start of a file, looks like binary
// data: a NUL byte (also catches UTF-16), or more than 10% control
// characters other than common white space.
func isBinary(head []byte) bool {
	if bytes.IndexByte(head, 0) >= 0 {
		return true
	}
	ctrl := 0
	for _, c := range head {
		if c < 0x20 && c != '\t' && c != '\n' && c != '\r' && c != '\f' && c != '\v' || c == 0x7f {
			ctrl++
		}
	}
	return ctrl*10 > len(head)
}

// toUTF8 returns data as valid UTF-8 without a byte-order mark. Text that
// is not valid UTF-8 is usually Windows-1252 or Latin-1 (one file of the
// BBC set is), so it is decoded as Windows-1252; only text that is mostly
// valid UTF-8 with a few stray bytes is repaired with U+FFFD instead.
func toUTF8(data []byte) string {
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	if utf8.Valid(data) {
		return string(data)
	}
	if mostlyUTF8(data) {
		return strings.ToValidUTF8(string(data), "\uFFFD")
	}
	return decodeCP1252(data)
}

// mostlyUTF8 reports whether data has more valid multi-byte UTF-8
// sequences than invalid bytes.
func mostlyUTF8(data []byte) bool {
	valid, invalid := 0, 0
	for len(data) > 0 {
		if data[0] < utf8.RuneSelf {
			data = data[1:]
			continue
		}
		r, size := utf8.DecodeRune(data)
		if r == utf8.RuneError && size == 1 {
			invalid++
		} else {
			valid++
		}
		data = data[size:]
	}
	return valid > invalid
}

// cp1252 maps bytes 0x80–0x9F of Windows-1252 to Unicode. Zero entries
// are undefined there and fall back to Latin-1 (the C1 control code).
var cp1252 = [32]rune{
	0x20AC, 0, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021,
	0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0, 0x017D, 0,
	0, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
	0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0, 0x017E, 0x0178,
}

// decodeCP1252 decodes Windows-1252; bytes 0xA0–0xFF equal Latin-1.
func decodeCP1252(data []byte) string {
	var b strings.Builder
	b.Grow(len(data) + len(data)/8)
	for _, c := range data {
		switch {
		case c < 0x80:
			b.WriteByte(c)
		case c < 0xA0 && cp1252[c-0x80] != 0:
			b.WriteRune(cp1252[c-0x80])
		default:
			b.WriteRune(rune(c))
		}
	}
	return b.String()
}

// formatSize formats n bytes in decimal units for messages such as
// "file too large (52.4 MB > 8.4 MB limit)".
func formatSize(n int64) string {
	switch {
	case n < 1000:
		return fmt.Sprintf("%d bytes", n)
	case n < 1e6:
		return strings.TrimSuffix(fmt.Sprintf("%.1f", float64(n)/1e3), ".0") + " kB"
	}
	return strings.TrimSuffix(fmt.Sprintf("%.1f", float64(n)/1e6), ".0") + " MB"
}
