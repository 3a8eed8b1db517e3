package bot

import (
	"context"
	"errors"
)

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

// ErrChannelGone is wrapped by a Poster's error when the platform says
// the bot can never post in the channel again: it was deleted or
// archived, or the bot was removed from it or lost access. The loops
// that post unasked then give the channel up rather than retry it; any
// other error (rate limits, outages) is taken as passing.
var ErrChannelGone = errors.New("channel gone: deleted, archived, or the bot lost access")
