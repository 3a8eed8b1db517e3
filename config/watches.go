package config

// envWatchRate bounds the posts of the watch loop in "byline serve".
const (
	envWatchRate   = "BYLINE_WATCH_RATE"
	maxWatchRate   = 600 // ten a minute: beyond that a channel is flooded anyway
	shownWatchRate = "(6 posts a channel an hour)"
)

// loadWatches reads BYLINE_WATCH_RATE: the posts a channel's watches
// make at most per hour, before the rest go into one digest.
func loadWatches(getenv func(string) string, c *Config) error {
	return positiveInt(getenv, envWatchRate, 1, maxWatchRate, &c.WatchRate)
}
