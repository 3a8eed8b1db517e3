package engine

import (
	"context"
	"fmt"
	"math"
	"time"

	"github.com/byline-news/byline/retrieval"
)

// Rarity returns how rare each of terms (analysed terms, as
// analysis.Terms gives them) is among the indexed paragraphs, from 0
// (in every paragraph) to 1 (in none); see retrieval.Rarity. The
// document frequency is the one search's IDF uses: the sum over all
// segments, against the live paragraphs of the same committed state.
// Answers use it to tell which of a question's words matter.
func (ix *Index) Rarity(ctx context.Context, terms []string) (map[string]float64, error) {
	out, err := ix.rarity(ctx, terms)
	if err != nil {
		return nil, fmt.Errorf("rarity: %w", err)
	}
	return out, nil
}

func (ix *Index) rarity(ctx context.Context, terms []string) (map[string]float64, error) {
	out := make(map[string]float64, len(terms))
	if len(terms) == 0 {
		return out, nil
	}
	snap, err := ix.b.Snapshot(ctx)
	if err != nil {
		return nil, err
	}
	defer snap.Close()
	gen, _, err := snap.Counters(ctx)
	if err != nil {
		return nil, err
	}
	st, err := ix.current(ctx, snap, gen)
	if err != nil {
		return nil, err
	}
	var distinct []string
	for _, t := range terms {
		if _, ok := out[t]; !ok {
			out[t] = 0
			distinct = append(distinct, t)
		}
	}
	dfs, err := snap.DocFreqs(ctx, distinct)
	if err != nil {
		return nil, err
	}
	for _, t := range distinct {
		out[t] = retrieval.Rarity(dfs[t], st.docs)
	}
	return out, nil
}

// Recent returns the newest articles published in [since, until) (a zero
// bound is open), at most n stories, newest first, each as a hit on its
// first paragraph: the lead, with the second paragraph as After.
// Syndicated copies are folded as Search folds them, the story shown by
// its earliest copy at the place of its newest. Undated articles are
// left out: they have no place in a "what's new" list.
func (ix *Index) Recent(ctx context.Context, since, until time.Time, n int) ([]retrieval.Hit, error) {
	return ix.RecentIn(ctx, retrieval.Scope{}, since, until, n)
}

// RecentIn is Recent within scope: the newest stories of a channel's
// sources. The scope is applied by the query itself, so a small outlet's
// stories are found however many others are newer.
func (ix *Index) RecentIn(ctx context.Context, scope retrieval.Scope, since, until time.Time, n int) ([]retrieval.Hit, error) {
	if n <= 0 {
		return nil, nil
	}
	hits, err := ix.recent(ctx, scope, since, until, n)
	if err != nil {
		return nil, fmt.Errorf("recent articles: %w", err)
	}
	return hits, nil
}

// recentRead is how many articles Recent reads per story it returns:
// room for copies of one story from other outlets, which fold into one.
const recentRead = 3

func (ix *Index) recent(ctx context.Context, scope retrieval.Scope, since, until time.Time, n int) ([]retrieval.Hit, error) {
	from, to := int64(math.MinInt64), int64(math.MaxInt64)
	if !since.IsZero() {
		from = ceilUnix(since)
	}
	if !until.IsZero() {
		to = ceilUnix(until)
	}
	if from >= to {
		return nil, nil
	}
	snap, err := ix.b.Snapshot(ctx)
	if err != nil {
		return nil, err
	}
	defer snap.Close()
	only, ok, err := ix.resolveScope(ctx, snap, scope)
	if err != nil || !ok {
		return nil, err
	}
	var hits []retrieval.Hit
	sims := map[string]uint64{}
	err = snap.Newest(ctx, from, to, recentRead*n, only, func(d DocRow) {
		hits = append(hits, retrieval.Hit{Paragraph: d.N, Text: d.Text, Article: retrieval.Article{
			ID: d.ArticleID, URL: d.URL, Title: d.Title, Outlet: d.Outlet, Author: d.Author, Category: d.Category, Feed: d.Feed,
			Published: d.Published, Updated: d.Updated, Indexed: d.Indexed}})
		sims[d.ArticleID] = d.Simhash
	})
	if err != nil {
		return nil, err
	}
	return finish(ctx, snap, retrieval.Query{K: n}, hits, sims)
}

// ceilUnix is the first whole second at or after t: publication times
// are stored to the second, so pub >= t exactly when its second is
// >= ceilUnix(t), and pub < t when it is < ceilUnix(t).
func ceilUnix(t time.Time) int64 {
	s := t.Unix()
	if t.Nanosecond() > 0 {
		s++
	}
	return s
}

// resolveScope turns scope into the exact spellings Reader.Newest
// compares; ok is false when the scope holds no stored article.
func (ix *Index) resolveScope(ctx context.Context, snap Reader, scope retrieval.Scope) (retrieval.Scope, bool, error) {
	if scope.IsZero() {
		return scope, true, nil
	}
	gen, _, err := snap.Counters(ctx)
	if err != nil {
		return scope, false, err
	}
	st, err := ix.current(ctx, snap, gen)
	if err != nil {
		return scope, false, err
	}
	return ix.exactScope(ctx, snap, st, scope)
}
