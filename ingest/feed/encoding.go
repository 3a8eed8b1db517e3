package feed

import (
	"bytes"
	"regexp"
	"unicode/utf8"
)

// xmlEncoding matches the encoding in an XML declaration.
var xmlEncoding = regexp.MustCompile(`^(\x{FEFF}?\s*<\?xml[^>]*?encoding\s*=\s*["'])([A-Za-z0-9._-]+)(["'])`)

// fixEncoding handles a feed that declares a legacy encoding but whose
// bytes are already UTF-8, because a fetcher or proxy converted them:
// gofeed would decode them a second time ("café" becoming "cafÃ©"). Text
// in Latin-1 or Windows-1252 with any accented letter is almost never
// valid UTF-8, so valid UTF-8 with non-ASCII bytes means converted, and
// the declaration is rewritten to say so. Other input is left alone.
func fixEncoding(data []byte) []byte {
	m := xmlEncoding.FindSubmatchIndex(data[:min(len(data), 512)])
	if m == nil {
		return data
	}
	enc := bytes.ToLower(data[m[4]:m[5]])
	if bytes.HasPrefix(enc, []byte("utf")) || !hasNonASCII(data) || !utf8.Valid(data) {
		return data
	}
	out := make([]byte, 0, len(data))
	out = append(out, data[:m[4]]...)
	out = append(out, "UTF-8"...)
	return append(out, data[m[5]:]...)
}

func hasNonASCII(data []byte) bool {
	for _, c := range data {
		if c >= utf8.RuneSelf {
			return true
		}
	}
	return false
}
