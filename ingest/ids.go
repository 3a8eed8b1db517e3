package ingest

import (
	"crypto/sha256"
	"encoding/hex"
	"strings"

	"github.com/byline-news/byline/retrieval"
)

// Derived IDs are a one-letter kind, a dash and 16 hex digits (64 bits)
// of a SHA-256, which is plenty to keep a news archive collision-free.
//
//	u-…  the canonical URL (retrieval.URLID): the same story fetched twice gets one ID
//	f-…  the absolute file path: re-indexing an edited file replaces it
//	t-…  the normalized text, for stdin, which has neither
func fileID(absPath string) string { return "f-" + shortHash(absPath) }
func textID(text string) string    { return "t-" + shortHash(normalize(text)) }

func shortHash(s string) string {
	sum := sha256.Sum256([]byte(s))
	return hex.EncodeToString(sum[:8])
}

// NormalizedHash returns the SHA-256 (hex) of the article's title and
// paragraphs after lower-casing and collapsing white space, so the index
// can tell "same text, different ID or whitespace" from a real edit.
func NormalizedHash(a retrieval.Article) string {
	h := sha256.New()
	h.Write([]byte(normalize(a.Title)))
	for _, p := range a.Paragraphs {
		h.Write([]byte{0x1f}) // unit separator: "a b"+"c" differs from "a"+"b c"
		h.Write([]byte(normalize(p)))
	}
	return hex.EncodeToString(h.Sum(nil))
}

// normalize lower-cases s and collapses white space to single spaces.
func normalize(s string) string {
	return strings.ToLower(strings.Join(strings.Fields(s), " "))
}
