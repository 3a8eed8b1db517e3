package engine

import (
	"slices"

	"github.com/byline-news/byline/retrieval"
)

// collapseCopies shows a story syndicated by several outlets once. A hit
// (best first) whose article is a near copy of an earlier hit's article
// from another outlet is folded into that hit; the story is represented
// by its earliest published copy, with the best score of the group, and
// the other outlets are listed in AlsoCarriedBy. An outlet's own reposts
// are left alone: citing either is as good, and they are not syndication.
func collapseCopies(hits []retrieval.Hit, sims map[string]uint64) []retrieval.Hit {
	out := hits[:0:0]
	for _, h := range hits {
		i := slices.IndexFunc(out, func(k retrieval.Hit) bool { return isCopy(k, h, sims) })
		if i < 0 {
			out = append(out, h)
			continue
		}
		out[i] = fold(out[i], h)
	}
	return out
}

func isCopy(a, b retrieval.Hit, sims map[string]uint64) bool {
	return a.Article.ID != b.Article.ID && a.Article.Outlet != b.Article.Outlet &&
		nearCopies(sims[a.Article.ID], sims[b.Article.ID])
}

// fold merges the copy c into rep, making the earlier published one the
// representative.
func fold(rep, c retrieval.Hit) retrieval.Hit {
	outlets := append(slices.Clone(rep.AlsoCarriedBy), rep.Article.Outlet, c.Article.Outlet)
	if earlier(c.Article, rep.Article) {
		c.Score = max(c.Score, rep.Score)
		rep = c
	}
	rep.AlsoCarriedBy = nil
	for _, o := range outlets {
		if o != "" && o != rep.Article.Outlet && !slices.Contains(rep.AlsoCarriedBy, o) {
			rep.AlsoCarriedBy = append(rep.AlsoCarriedBy, o)
		}
	}
	return rep
}

// earlier reports whether a was published before b; undated counts as
// later than any date.
func earlier(a, b retrieval.Article) bool {
	switch {
	case a.Published.IsZero():
		return false
	case b.Published.IsZero():
		return true
	}
	return a.Published.Before(b.Published)
}
