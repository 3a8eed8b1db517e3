package fetch

import (
	"bytes"
	"fmt"
	"io"
	"mime"
	"net/http"
	"regexp"
	"strings"
	"unicode/utf8"

	"golang.org/x/net/html/charset"
)

// readCapped reads resp's body, refusing more than limit bytes. A declared
// Content-Length over the limit is refused before reading; otherwise
// reading stops at limit+1 bytes, so memory stays bounded whatever the
// server sends. The limit applies after gzip decompression, which also
// defuses a compressed bomb.
func readCapped(resp *http.Response, limit int64) ([]byte, error) {
	host := resp.Request.URL.Hostname()
	if resp.ContentLength > limit {
		return nil, tooLarge(host, limit)
	}
	body, over, err := readAtMost(resp.Body, limit, resp.ContentLength)
	if err != nil {
		return nil, fmt.Errorf("read body: %w", err)
	}
	if over {
		return nil, tooLarge(host, limit)
	}
	return body, nil
}

// readChunk is the unit readAtMost reads in when the size is unknown.
const readChunk = 64 << 10

// readAtMost reads r, or reports over if it has more than limit bytes.
// With the size declared (hint ≥ 0) it reads into one buffer of that size;
// otherwise into fixed chunks joined once at the end, rather than into a
// slice that keeps doubling, so a body cut off at the cap costs about the
// cap in memory.
func readAtMost(r io.Reader, limit, hint int64) (body []byte, over bool, err error) {
	r = io.LimitReader(r, limit+1)
	if hint >= 0 {
		b := bytes.NewBuffer(make([]byte, 0, hint+1)) // +1: room to see a body longer than declared
		_, err := b.ReadFrom(r)
		return b.Bytes(), int64(b.Len()) > limit, err
	}
	var chunks [][]byte
	var total int64
	for {
		c := make([]byte, readChunk)
		n, err := io.ReadFull(r, c)
		chunks, total = append(chunks, c[:n]), total+int64(n)
		switch {
		case total > limit:
			return nil, true, nil
		case err == io.EOF || err == io.ErrUnexpectedEOF:
			return bytes.Join(chunks, nil), false, nil
		case err != nil:
			return nil, false, err
		}
	}
}

// decode returns the media type of a body served with Content-Type
// header, and the body itself, converted to UTF-8 if it is text.
func decode(header string, body []byte) (mediaType string, out []byte) {
	if strings.TrimSpace(header) == "" {
		// The server said nothing: sniff the type, but not the charset,
		// which DetectContentType guesses and toUTF8 should not trust.
		header = parseMediaType(http.DetectContentType(body))
	}
	mt := parseMediaType(header)
	if !isText(mt) {
		return mt, body
	}
	return mt, toUTF8(header, mt, body)
}

func parseMediaType(header string) string {
	mt, _, err := mime.ParseMediaType(header)
	if err != nil {
		mt, _, _ = strings.Cut(header, ";")
	}
	return strings.ToLower(strings.TrimSpace(mt))
}

// isText reports whether bodies of media type mt are text to convert.
func isText(mt string) bool {
	return strings.HasPrefix(mt, "text/") || isXML(mt) ||
		mt == "application/json" || strings.HasSuffix(mt, "+json")
}

func isXML(mt string) bool {
	return mt == "application/xml" || mt == "text/xml" || strings.HasSuffix(mt, "+xml")
}

var utf8BOM = []byte("\xef\xbb\xbf")

// toUTF8 converts body to UTF-8. The charset comes from, in order: a
// byte-order mark, the Content-Type header, an XML declaration or HTML
// <meta> tag, and else a guess. Declarations are often wrong, so a body
// whose charset was not stated by a BOM or the header and that is valid
// UTF-8 throughout is taken as UTF-8 (charset.DetermineEncoding looks only
// at the first 1,024 bytes, and would call a page that is ASCII there
// windows-1252). Invalid bytes become U+FFFD, so the result is always
// valid UTF-8.
func toUTF8(header, mt string, body []byte) []byte {
	if isXML(mt) {
		header = withXMLCharset(header, mt, body)
	}
	enc, name, certain := charset.DetermineEncoding(body, header)
	if name == "utf-8" || !certain && utf8.Valid(body) {
		return fixXMLDecl(mt, bytes.ToValidUTF8(bytes.TrimPrefix(body, utf8BOM), []byte("\uFFFD")))
	}
	out, err := enc.NewDecoder().Bytes(body)
	if err != nil {
		out = bytes.ToValidUTF8(body, []byte("\uFFFD"))
	}
	return fixXMLDecl(mt, bytes.TrimPrefix(out, utf8BOM))
}

// xmlEncoding finds the encoding in an XML declaration at the start of a
// document: <?xml version="1.0" encoding="windows-1252"?>.
var xmlEncoding = regexp.MustCompile(`^\s*<\?xml\s[^>]*?\bencoding\s*=\s*["']([A-Za-z0-9._:-]+)["']`)

// withXMLCharset adds the XML declaration's encoding to a Content-Type
// header without a charset, since charset.DetermineEncoding knows HTML's
// <meta> but not XML's declaration. A charset in the header wins, as RFC
// 7303 says.
func withXMLCharset(header, mt string, body []byte) string {
	if _, params, err := mime.ParseMediaType(header); err == nil && params["charset"] != "" {
		return header
	}
	head := body[:min(len(body), 1024)]
	m := xmlEncoding.FindSubmatch(bytes.TrimPrefix(head, utf8BOM))
	if m == nil {
		return header
	}
	return mt + "; charset=" + string(m[1])
}

// fixXMLDecl rewrites the encoding an XML declaration names to UTF-8, which
// the body now is; otherwise a parser honouring it would decode twice.
func fixXMLDecl(mt string, body []byte) []byte {
	if !isXML(mt) {
		return body
	}
	loc := xmlEncoding.FindSubmatchIndex(body)
	if loc == nil || strings.EqualFold(string(body[loc[2]:loc[3]]), "utf-8") {
		return body
	}
	out := make([]byte, 0, len(body))
	out = append(out, body[:loc[2]]...)
	out = append(out, "UTF-8"...)
	return append(out, body[loc[3]:]...)
}
