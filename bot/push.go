package bot

import "context"

// Channel names a chat channel across platforms: channel IDs are only
// unique within one workspace (Slack team, Discord guild).
type Channel struct {
	Platform  string // "slack", "discord"
	Workspace string // Slack team ID, Discord guild ID
	ID        string // the channel's ID
}

// ChannelOf returns the channel m was asked in.
func ChannelOf(m Message) Channel {
	return Channel{Platform: m.Platform, Workspace: m.Workspace, ID: m.Channel}
}

// String is the channel as logs show it.
func (c Channel) String() string { return c.Platform + ":" + c.Workspace + ":" + c.ID }

// Poster posts a message nobody asked for in a channel: a watched story
// that moved, a digest of those held back by the rate limit, a scheduled
// briefing. Each chat adapter implements it over its platform's API;
// serve routes each post to the adapter of its Channel.Platform.
type Poster interface {
	Post(ctx context.Context, ch Channel, r Reply) error
}
