package main

import (
	"context"
	"fmt"
	"text/tabwriter"

	"github.com/byline-news/byline/bot/discord"
	"github.com/byline-news/byline/config"
)

// discordSettings are the names Discord's errors give the operator's
// settings ("check DISCORD_BOT_TOKEN"): the adapter never spells them.
var discordSettings = discord.SettingNames{
	BotToken:       config.VarDiscordToken,
	AppID:          config.VarDiscordAppID,
	ShardID:        config.VarDiscordShardID,
	ShardCount:     config.VarDiscordShardCount,
	MessageContent: config.VarDiscordMessageContent,
}

func runConfig(_ context.Context, a *app, args []string) error {
	var asJSON bool
	fs := a.flags("config", "", `
Prints the settings this process would use: every environment variable
byline reads, its effective value, and where the value came from (the
variable itself, a secret's _FILE variable, or the default). Run it where
byline runs (the same shell, container or service unit) to see what
"byline serve" will use.

Secrets (tokens, signing secret, API key) show as `+config.Masked+` when set,
whether from the variable or its _FILE twin, and a password in a URL is
masked too, so the output is safe to paste into a bug report. A value in
parentheses is a default that applies because the variable is unset.

An invalid setting makes every command, this one included, exit with
status 2 and a message naming each bad variable.

Examples:
  byline config
  SLACK_BOT_TOKEN_FILE=/run/secrets/slack byline config
  byline config --json | jq -r '.[] | select(.source != "default") | .name'`)
	fs.BoolVar(&asJSON, "json", false, "print a JSON array of {name, value, source, secret}")
	rest, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(rest) > 0 {
		return fmt.Errorf("%w: config takes no arguments, got %q", errUsage, rest)
	}
	settings := a.cfg.Redacted()
	if asJSON {
		return writeJSON(a.out, settings)
	}
	tw := tabwriter.NewWriter(a.out, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "VARIABLE\tVALUE\tFROM")
	for _, s := range settings {
		fmt.Fprintf(tw, "%s\t%s\t%s\n", s.Name, s.Value, s.Source)
	}
	return tw.Flush()
}
