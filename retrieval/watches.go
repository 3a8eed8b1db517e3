package retrieval

import "time"

// Watch is a channel's standing question: when an article indexed after
// it was set matches Topic, the bot posts the story in the channel.
type Watch struct {
	ID                           int64
	Platform, Workspace, Channel string
	Topic                        string // as the user typed it
	AddedBy                      string // the user's ID
	Created                      time.Time
	// FromDoc is the newest article's first document number when the
	// watch was set: only articles above it are news to the watch.
	FromDoc int64
}

// WatchHit is a story found for a watch, kept so that each story is
// posted once per watch (syndicated copies too: Simhash) and so that
// what the channel's rate limit held back goes out later in a digest.
// The story's title, link and sentence are kept with it, so a digest
// needs no lookup and survives the article's replacement.
type WatchHit struct {
	ID        int64
	Watch     int64
	Article   string // the article's ID
	Simhash   uint64 // the article's fingerprint, 0 when too short
	Title     string
	URL       string
	Outlet    string
	Published time.Time // zero when unknown
	Sentence  string    // the extractive sentence to quote
	Found     time.Time
	// Post is 0 while the hit waits to be posted, then the ID of the
	// first hit of the message that carried it (a digest carries many).
	Post int64
	Sent time.Time // when it was posted; zero while pending

	// Filled by PendingWatchHits from the hit's watch.
	Platform, Workspace, Channel, Topic string
}

// NewArticle is an article as the watch loop reads it after indexing:
// Doc, its first document number, orders articles by when they were
// committed, whichever process indexed them.
type NewArticle struct {
	Doc     int64
	Article Article // with Paragraphs
	Simhash uint64
}
