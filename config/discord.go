package config

import (
	"encoding/hex"
	"fmt"
	"strconv"
	"strings"
)

// Environment variables for Discord.
const (
	envDiscordToken   = "DISCORD_BOT_TOKEN"
	envDiscordAppID   = "DISCORD_APP_ID"
	envDiscordKey     = "DISCORD_PUBLIC_KEY"
	envDiscordGuild   = "DISCORD_GUILD_ID"
	envDiscordEphem   = "DISCORD_EPHEMERAL"
	envDiscordContent = "DISCORD_MESSAGE_CONTENT"
	envDiscordShard   = "DISCORD_SHARD_ID"
	envDiscordShards  = "DISCORD_SHARD_COUNT"
	envDiscordAdmins  = "DISCORD_ADMINS"
	envDiscordAPIURL  = "DISCORD_API_URL"
)

// Discord is the Discord application's configuration; Discord is off
// when neither a bot token nor a public key is set.
type Discord struct {
	BotToken       string // gateway mode, and command registration
	AppID          string // application ID (HTTP interactions, registration)
	PublicKey      string // hex Ed25519 key: HTTP interactions endpoint
	GuildID        string // register commands in this guild only (instant; for testing)
	Ephemeral      bool   // /news answers visible to the asker only
	MessageContent bool   // request the privileged intent (follow-ups without a mention)
	ShardID        int
	ShardCount     int
	// Admins (DISCORD_ADMINS) are user IDs who may add articles and feeds
	// from chat, besides members with Manage Server.
	Admins []string
	// APIURL (DISCORD_API_URL) overrides the REST base URL, ending in
	// "/", e.g. a proxy's https://proxy.example/api/v9/; the gateway is
	// wherever its GET gateway says. "" means Discord's own.
	APIURL string
}

// Enabled reports whether Discord is configured.
func (d Discord) Enabled() bool { return d.BotToken != "" || d.PublicKey != "" }

func loadDiscord(getenv func(string) string, d *Discord) []error {
	var errs []error
	var err error
	if d.BotToken, err = secret(getenv, envDiscordToken); err != nil {
		errs = append(errs, err)
	}
	d.AppID = strings.TrimSpace(getenv(envDiscordAppID))
	d.PublicKey = strings.TrimSpace(getenv(envDiscordKey))
	d.GuildID = strings.TrimSpace(getenv(envDiscordGuild))
	for key, dst := range map[string]*bool{envDiscordEphem: &d.Ephemeral, envDiscordContent: &d.MessageContent} {
		if *dst, err = loadBool(getenv, key); err != nil {
			errs = append(errs, err)
		}
	}
	for key, dst := range map[string]*int{envDiscordShard: &d.ShardID, envDiscordShards: &d.ShardCount} {
		if *dst, err = loadInt(getenv, key); err != nil {
			errs = append(errs, err)
		}
	}
	d.Admins = loadList(getenv, envDiscordAdmins)
	if d.APIURL, err = loadBaseURL(getenv, envDiscordAPIURL, "https://discord.com/api/v9/"); err != nil {
		errs = append(errs, err)
	}
	return append(errs, d.validate()...)
}

func (d Discord) validate() []error {
	var errs []error
	if d.PublicKey != "" {
		if k, err := hex.DecodeString(d.PublicKey); err != nil || len(k) != 32 {
			errs = append(errs, fmt.Errorf("%s must be the application's public key: 64 hex characters", envDiscordKey))
		}
		if d.AppID == "" {
			errs = append(errs, fmt.Errorf("%s is required with %s (HTTP interactions)", envDiscordAppID, envDiscordKey))
		}
	}
	if d.AppID != "" && !isDigits(d.AppID) {
		errs = append(errs, fmt.Errorf("%s must be a numeric application ID", envDiscordAppID))
	}
	if d.GuildID != "" && !isDigits(d.GuildID) {
		errs = append(errs, fmt.Errorf("%s must be a numeric server (guild) ID", envDiscordGuild))
	}
	for _, id := range d.Admins {
		if !isDigits(id) {
			errs = append(errs, fmt.Errorf("invalid %s entry %q: want numeric Discord user IDs, comma-separated", envDiscordAdmins, id))
		}
	}
	if d.ShardCount < 0 || d.ShardID < 0 || (d.ShardCount > 0 && d.ShardID >= d.ShardCount) || (d.ShardCount == 0 && d.ShardID > 0) {
		errs = append(errs, fmt.Errorf("%s must be below %s (both non-negative)", envDiscordShard, envDiscordShards))
	}
	return errs
}

func isDigits(s string) bool {
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return s != ""
}

func loadBool(getenv func(string) string, key string) (bool, error) {
	v := strings.TrimSpace(getenv(key))
	if v == "" {
		return false, nil
	}
	b, err := strconv.ParseBool(v)
	if err != nil {
		return false, fmt.Errorf("invalid %s %q: want true or false", key, v)
	}
	return b, nil
}

func loadInt(getenv func(string) string, key string) (int, error) {
	v := strings.TrimSpace(getenv(key))
	if v == "" {
		return 0, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil {
		return 0, fmt.Errorf("invalid %s %q: want a whole number", key, v)
	}
	return n, nil
}
