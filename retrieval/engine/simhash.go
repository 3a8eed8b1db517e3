package engine

import (
	"math/bits"
	"unicode"
)

// Syndicated copies of one story (a wire report carried by several
// outlets with small edits) are found by SimHash: a 64-bit fingerprint
// of an article's word 3-shingles, where near-identical texts differ in
// few bits. Stop words are kept: copying is about wording. Shingles run
// across paragraph breaks.
const (
	simhashMinWords = 50 // shorter texts are not fingerprinted: too little to tell copies apart
	// simhashThreshold is the largest distance in bits between copies. A
	// one-word edit of a 90-word story measures 8; independent write-ups
	// of one event about 30; random texts 32 on average, and only search
	// candidates are compared, so 12 leaves a wide margin both ways.
	simhashThreshold = 12
)

// simhash fingerprints an article body; 0 means "too short to compare".
// It runs for every article indexed, so words are hashed in place
// (lower-cased FNV-1a, no allocation) and shingles combine word hashes.
func simhash(paragraphs []string) uint64 {
	var counts [64]int32
	var w1, w2 uint64
	words := 0
	for _, p := range paragraphs {
		eachWordHash(p, func(h uint64) {
			words++
			if words >= 3 {
				vote(&counts, mix(w1, w2, h))
			}
			w1, w2 = w2, h
		})
	}
	if words < simhashMinWords {
		return 0
	}
	var sh uint64
	for b, c := range counts {
		if c > 0 {
			sh |= 1 << b
		}
	}
	return max(sh, 1) // keep 0 for "not fingerprinted"
}

// eachWordHash calls fn with the FNV-1a hash of each lower-cased word
// (runs of letters and digits) of s.
func eachWordHash(s string, fn func(uint64)) {
	const offset, prime = 14695981039346656037, 1099511628211
	h, in := uint64(offset), false
	for _, r := range s {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			r = unicode.ToLower(r)
			for ; r > 0; r >>= 8 {
				h = (h ^ uint64(r&0xff)) * prime
			}
			in = true
			continue
		}
		if in {
			fn(h)
			h, in = offset, false
		}
	}
	if in {
		fn(h)
	}
}

// mix hashes a 3-word shingle from its words' hashes (order matters).
func mix(a, b, c uint64) uint64 {
	h := a*0x9e3779b97f4a7c15 ^ bits.RotateLeft64(b, 21)*0xbf58476d1ce4e5b9 ^ bits.RotateLeft64(c, 42)*0x94d049bb133111eb
	h ^= h >> 31
	h *= 0xd6e8feb86659fd93
	return h ^ h>>32
}

func vote(counts *[64]int32, h uint64) {
	for b := range counts {
		counts[b] += int32(h>>b&1)*2 - 1
	}
}

// nearCopies reports whether two fingerprints are copies of one text.
func nearCopies(a, b uint64) bool {
	return a != 0 && b != 0 && bits.OnesCount64(a^b) <= simhashThreshold
}
