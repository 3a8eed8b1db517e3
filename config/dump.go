package config

import (
	"cmp"
	"net/url"
	"strconv"
	"strings"
)

// Setting is one environment variable as "byline config" shows it.
type Setting struct {
	Name string `json:"name"` // the environment variable
	// Value is the value the process uses, as it would be written. A
	// secret that is set shows as Masked. Where another package supplies
	// the default, an unset setting shows it in parentheses, e.g.
	// "(30s per model call; chat answers get 20s)"; "(off)" and "(none)"
	// say that the feature or list is empty.
	Value string `json:"value"`
	// Source is the variable that supplied the value (Name, or Name_FILE
	// for a secret read from a file), or "default".
	Source string `json:"source"`
	Secret bool   `json:"secret,omitempty"`
}

// Masked stands for a secret's value in Redacted.
const Masked = "********"

// SourceDefault is Setting.Source for a variable that was not set.
const SourceDefault = "default"

// Defaults that other packages own (llm, retrieval/sqlite, answer, the
// Slack client); they are repeated here only to show them, and a test in
// cmd/byline checks that they agree.
const (
	shownOpenAIBaseURL = "(OpenAI's: https://api.openai.com/v1)"
	shownLLMTimeout    = "(30s per model call; chat answers get 20s)"
	shownEmbedBatch    = "(64)"
	shownChatContext   = "(8192)"
	shownSlackAPIURL   = "(Slack's: https://slack.com/api/)"
	shownDiscordAppID  = "(looked up with the bot token)"
)

// setting describes one variable for Redacted.
type setting struct {
	name   string
	secret bool // masked, and may come from name_FILE
	value  func(c *Config) string
}

// settings lists every variable Load reads, in the order "byline config"
// prints them. A field of Config without an entry here fails
// TestRedactedCoversEveryField.
var settings = []setting{
	{envDB, false, func(c *Config) string {
		if c.DatabaseURL != "" {
			return "(not used: " + envDatabaseURL + " is set)"
		}
		return c.DBPath
	}},
	{envDatabaseURL, false, func(c *Config) string { return cmp.Or(c.DatabaseURL, "(off: SQLite at BYLINE_DB)") }},
	{envLogLevel, false, func(c *Config) string { return strings.ToLower(c.LogLevel.String()) }},
	{envHTTPAddr, false, func(c *Config) string { return c.HTTPAddr }},
	{envMetricsAddr, false, func(c *Config) string { return cmp.Or(c.MetricsAddr, "(on BYLINE_HTTP_ADDR)") }},
	{envFetchAllow, false, func(c *Config) string { return list(c.FetchAllow) }},
	{envRetain, false, func(c *Config) string { return retainString(c.Retain) }},
	{envWatchRate, false, func(c *Config) string { return cmp.Or(intString(c.WatchRate), shownWatchRate) }},

	{envOpenAIBaseURL, false, func(c *Config) string { return cmp.Or(c.LLM.BaseURL, shownOpenAIBaseURL) }},
	{envOpenAIKey, true, func(c *Config) string { return c.LLM.APIKey }},
	{envChatModel, false, func(c *Config) string { return cmp.Or(c.LLM.ChatModel, "(off)") }},
	{envLLMTimeout, false, func(c *Config) string { return cmp.Or(durationString(c.LLM.Timeout), shownLLMTimeout) }},
	{envChatContext, false, func(c *Config) string { return cmp.Or(intString(c.LLM.ChatContext), shownChatContext) }},
	{envEmbedModel, false, func(c *Config) string { return cmp.Or(c.LLM.EmbedModel, "(off)") }},
	{envEmbedBatch, false, func(c *Config) string { return cmp.Or(intString(c.LLM.EmbedBatch), shownEmbedBatch) }},

	{envSlackBot, true, func(c *Config) string { return c.Slack.BotToken }},
	{envSlackApp, true, func(c *Config) string { return c.Slack.AppToken }},
	{envSlackSecret, true, func(c *Config) string { return c.Slack.SigningSecret }},
	{envSlackAPIURL, false, func(c *Config) string { return cmp.Or(c.Slack.APIURL, shownSlackAPIURL) }},
	{envSlackCommand, false, func(c *Config) string { return c.Slack.Command }},
	{envSlackAdmins, false, func(c *Config) string { return list(c.Slack.Admins) }},
	{envSlackEphem, false, func(c *Config) string { return strconv.FormatBool(!c.Slack.Public) }},

	{envDiscordToken, true, func(c *Config) string { return c.Discord.BotToken }},
	{envDiscordAppID, false, func(c *Config) string { return cmp.Or(c.Discord.AppID, shownDiscordAppID) }},
	{envDiscordKey, false, func(c *Config) string { return cmp.Or(c.Discord.PublicKey, "(off)") }},
	{envDiscordGuild, false, func(c *Config) string { return cmp.Or(c.Discord.GuildID, "(none: /news is registered globally)") }},
	{envDiscordEphem, false, func(c *Config) string { return strconv.FormatBool(c.Discord.Ephemeral) }},
	{envDiscordContent, false, func(c *Config) string { return strconv.FormatBool(c.Discord.MessageContent) }},
	{envDiscordShard, false, func(c *Config) string { return strconv.Itoa(c.Discord.ShardID) }},
	{envDiscordShards, false, func(c *Config) string { return strconv.Itoa(max(c.Discord.ShardCount, 1)) }},
	{envDiscordAdmins, false, func(c *Config) string { return list(c.Discord.Admins) }},
	{envDiscordAPIURL, false, func(c *Config) string { return cmp.Or(c.Discord.APIURL, "(Discord's)") }},
}

// Redacted returns every setting with its effective value and where it
// came from, in a fixed order, for "byline config". Secrets are Masked,
// and so is the password of any URL, so the result is safe to print or
// paste into a bug report.
func (c Config) Redacted() []Setting {
	out := make([]Setting, len(settings))
	for i, s := range settings {
		v := s.value(&c)
		switch {
		case s.secret && v != "":
			v = Masked
		case s.secret:
			v = "(unset)"
		default:
			v = redactURL(v)
		}
		out[i] = Setting{Name: s.name, Value: v, Source: cmp.Or(c.from[s.name], SourceDefault), Secret: s.secret}
	}
	return out
}

// sources records which variable supplied each setting: the variable
// itself, or for a secret its _FILE twin. It uses the rules of the
// loaders: surrounding space alone counts as unset.
func sources(getenv func(string) string) map[string]string {
	from := map[string]string{}
	for _, s := range settings {
		switch {
		case strings.TrimSpace(getenv(s.name)) != "":
			from[s.name] = s.name
		case s.secret && strings.TrimSpace(getenv(s.name+"_FILE")) != "":
			from[s.name] = s.name + "_FILE"
		}
	}
	return from
}

// redactURL masks the password of a URL such as
// https://user:pass@proxy.example/v1; other values pass unchanged.
func redactURL(v string) string {
	u, err := url.Parse(v)
	if err != nil || u.User == nil {
		return v
	}
	if _, ok := u.User.Password(); !ok {
		return v
	}
	return u.Redacted()
}

func list(items []string) string { return cmp.Or(strings.Join(items, ","), "(none)") }
