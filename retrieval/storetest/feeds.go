package storetest

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/byline-news/byline/retrieval"
)

func testFeedsLifecycle(t *testing.T, b Backend) {
	ctx := context.Background()
	ix := b.open(t)
	now := time.Date(2026, 11, 26, 8, 0, 0, 0, time.UTC)
	for _, u := range []string{"https://b.example/rss", "https://a.example/atom"} {
		if err := ix.AddFeed(ctx, u, 15*time.Minute, now); err != nil {
			t.Fatal(err)
		}
	}
	if err := ix.AddFeed(ctx, "https://a.example/atom", time.Hour, now.Add(time.Minute)); err != nil {
		t.Fatal(err)
	}
	all, err := ix.Feeds(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(all) != 2 || all[0].URL != "https://a.example/atom" || all[0].Every != time.Hour || !all[0].Added.Equal(now) {
		t.Fatalf("feeds = %+v, want 2 by URL, re-adding a changing only the interval", all)
	}
	due, err := ix.DueFeeds(ctx, now)
	if err != nil || len(due) != 2 {
		t.Fatalf("due at start = %d (%v), want both", len(due), err)
	}
	f := all[0]
	f.Title, f.ETag, f.LastPolled, f.NextPoll, f.Articles = "A News", `"v1"`, now, now.Add(time.Hour), 3
	if err := ix.SaveFeedState(ctx, f); err != nil {
		t.Fatal(err)
	}
	due, _ = ix.DueFeeds(ctx, now.Add(30*time.Minute))
	if len(due) != 1 || due[0].URL != "https://b.example/rss" {
		t.Errorf("due after polling a = %+v, want only b", due)
	}
	got, err := ix.Feed(ctx, "https://a.example/atom")
	if err != nil || got.Title != "A News" || got.ETag != `"v1"` || got.Articles != 3 || !got.LastPolled.Equal(now) {
		t.Errorf("Feed = %+v, %v", got, err)
	}
	if err := ix.RemoveFeed(ctx, "https://a.example/atom"); err != nil {
		t.Fatal(err)
	}
	if err := ix.RemoveFeed(ctx, "https://a.example/atom"); !errors.Is(err, retrieval.ErrNotFound) {
		t.Errorf("second remove: %v, want ErrNotFound", err)
	}
	if err := ix.SaveFeedState(ctx, f); !errors.Is(err, retrieval.ErrNotFound) {
		t.Errorf("saving a removed feed: %v, want ErrNotFound (a removed feed stays removed)", err)
	}
}
