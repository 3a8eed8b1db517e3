package engine

// NearCopies reports whether two articles' SimHash fingerprints (as
// stored with them, see simhash) make them copies of one story: the
// watch loop posts a syndicated story once by it, as search shows it
// once.
func NearCopies(a, b uint64) bool { return nearCopies(a, b) }
