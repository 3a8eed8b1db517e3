package retrieval

import (
	"slices"
	"strings"
)

// Scope is a set of sources: an article is in it when its outlet, its
// feed or its category is one of those listed. The zero Scope holds
// everything. Outlets and categories compare without regard to case or
// spacing; feeds are URLs and compare exactly.
type Scope struct {
	Outlets    []string
	Feeds      []string
	Categories []string
}

// SourceKind says what a channel's source names.
type SourceKind string

// The kinds of source a scope lists.
const (
	SourceOutlet   SourceKind = "outlet"
	SourceFeed     SourceKind = "feed"
	SourceCategory SourceKind = "category"
)

// IsZero reports whether s lists nothing, and so holds everything.
func (s Scope) IsZero() bool {
	return len(s.Outlets) == 0 && len(s.Feeds) == 0 && len(s.Categories) == 0
}

// Holds reports whether an article with this outlet, feed and category
// is in s.
func (s Scope) Holds(outlet, feed, category string) bool {
	if s.IsZero() {
		return true
	}
	return containsFold(s.Outlets, outlet) || (feed != "" && slices.Contains(s.Feeds, feed)) ||
		containsFold(s.Categories, category)
}

// Key is a canonical form of s, equal for scopes that hold the same
// sources: a cache key.
func (s Scope) Key() string {
	norm := func(l []string, fold bool) string {
		c := make([]string, len(l))
		for i, v := range l {
			if fold {
				v = FoldSource(v)
			}
			c[i] = v
		}
		slices.Sort(c)
		return strings.Join(slices.Compact(c), "\x1f")
	}
	return norm(s.Outlets, true) + "\x1e" + norm(s.Feeds, false) + "\x1e" + norm(s.Categories, true)
}

// With returns s with value added to the list of kind (once).
func (s Scope) With(kind SourceKind, value string) Scope {
	l := s.list(kind)
	if !s.Has(kind, value) {
		*l = append(slices.Clip(*l), value)
	}
	return s
}

// Has reports whether the list of kind names value.
func (s Scope) Has(kind SourceKind, value string) bool {
	l := *s.list(kind)
	if kind == SourceFeed {
		return slices.Contains(l, value)
	}
	return containsFold(l, value)
}

func (s *Scope) list(kind SourceKind) *[]string {
	switch kind {
	case SourceFeed:
		return &s.Feeds
	case SourceCategory:
		return &s.Categories
	}
	return &s.Outlets
}

// FoldSource is the form in which outlet and category names compare:
// lower case, inner spaces single, none at the ends.
func FoldSource(s string) string {
	return strings.ToLower(strings.Join(strings.Fields(s), " "))
}

func containsFold(l []string, v string) bool {
	if v == "" {
		return false
	}
	v = FoldSource(v)
	return slices.ContainsFunc(l, func(x string) bool { return FoldSource(x) == v })
}
