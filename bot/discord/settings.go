package discord

import "cmp"

// SettingNames spells, in errors that ask the operator to fix something,
// the settings those errors are about, as the operator sets them: for
// byline, environment variables such as DISCORD_BOT_TOKEN. The wiring
// fills it in from its configuration, so this package never spells a
// setting; empty fields read as plain words ("the bot token").
type SettingNames struct {
	BotToken, AppID, ShardID, ShardCount, MessageContent string
}

// orWords fills empty names with plain descriptions.
func (n SettingNames) orWords() SettingNames {
	return SettingNames{
		BotToken:       cmp.Or(n.BotToken, "the bot token"),
		AppID:          cmp.Or(n.AppID, "the application ID"),
		ShardID:        cmp.Or(n.ShardID, "the shard ID"),
		ShardCount:     cmp.Or(n.ShardCount, "the shard count"),
		MessageContent: cmp.Or(n.MessageContent, "the Message Content option"),
	}
}
