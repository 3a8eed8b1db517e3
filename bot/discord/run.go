package discord

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"time"

	"github.com/bwmarrin/discordgo"

	"github.com/byline-news/byline/bot"
)

// Startup retries: the first waits a.backoff, each later one twice as
// long, up to maxBackoff; command registration gives up after
// registerAttempts.
const (
	maxBackoff       = time.Minute
	registerAttempts = 3
)

// CommandName is the slash command byline registers.
const CommandName = "news"

// Run serves until ctx is done. With a bot token it checks the token
// (GET /users/@me), registers /news and holds the gateway connection,
// reconnecting with backoff; an unreachable Discord is retried, never
// fatal, while Routes keep serving. It returns an error only when Discord
// refuses the configuration for good: a rejected token (ErrInvalidToken),
// a bad shard, or intents the application may not use. On return no new
// work is accepted and in-flight answers have finished or were cancelled
// after ShutdownGrace.
func (a *Adapter) Run(ctx context.Context) error {
	defer a.shutdown()
	if a.sess == nil {
		a.ready.Store(true)
		a.log.Info("discord ready", logMode, "http")
		<-ctx.Done()
		return nil
	}
	err := a.identify(ctx)
	if err == nil {
		a.register(ctx)
		err = a.runGateway(ctx)
	}
	if ctx.Err() != nil {
		return nil
	}
	return err
}

// identify checks the bot token and learns the bot's user ID, retrying
// with backoff while Discord cannot be reached.
func (a *Adapter) identify(ctx context.Context) error {
	for attempt := 0; ; attempt++ {
		u, err := a.sess.User("@me", discordgo.WithContext(ctx))
		if err == nil {
			a.setMe(u.ID, "", u.Username)
			a.log.Info("discord authenticated", logUser, u.ID)
			return nil
		}
		if err := a.refused(err, "GET /users/@me"); err != nil {
			return err
		}
		if err := a.pause(ctx, attempt, "GET /users/@me", err); err != nil {
			return err
		}
	}
}

// refused turns an answer that retrying cannot fix into a clear error;
// it returns nil for errors worth retrying (no answer, 429, 5xx).
func (a *Adapter) refused(err error, what string) error {
	switch st := httpStatus(err); {
	case st == http.StatusUnauthorized:
		return fmt.Errorf("%w: %s answered 401 Unauthorized: check %s (Bot → Reset Token in the Developer Portal)",
			ErrInvalidToken, what, a.opt.Settings.orWords().BotToken)
	case st >= 400 && st < 500 && st != http.StatusTooManyRequests:
		return fmt.Errorf("discord %s: %w", what, err)
	}
	return nil
}

// pause logs a failed startup step and waits before the next attempt.
func (a *Adapter) pause(ctx context.Context, attempt int, what string, err error) error {
	wait := min(a.backoff<<min(attempt, 10), maxBackoff)
	a.log.Warn("discord unreachable, retrying", logRoute, what, logWait, wait, logAttempt, attempt+1, logErr, err)
	return bot.Sleep(ctx, wait)
}

// register overwrites the application's commands with /news, globally or
// in Options.GuildID. Only shard 0 does it, so shards do not race. A
// failure is logged: the bot still answers mentions, and commands
// registered earlier keep working.
func (a *Adapter) register(ctx context.Context) {
	if a.opt.ShardID != 0 {
		return
	}
	for attempt := 0; attempt < registerAttempts; attempt++ {
		err := a.registerOnce(ctx)
		if err == nil {
			return
		}
		if a.refused(err, "register commands") != nil || attempt == registerAttempts-1 {
			a.log.Error("discord commands not registered: /news may be missing or outdated", logGuild, a.opt.GuildID, logErr, err)
			return
		}
		if a.pause(ctx, attempt, "register commands", err) != nil {
			return
		}
	}
}

func (a *Adapter) registerOnce(ctx context.Context) error {
	appID, err := a.appID(ctx)
	if err != nil {
		return err
	}
	err = a.retry(ctx, "register commands", func() error {
		_, err := a.sess.ApplicationCommandBulkOverwrite(appID, a.opt.GuildID, commands(a.opt.GuildID == ""), discordgo.WithContext(ctx))
		return err
	})
	if err != nil {
		return fmt.Errorf("bulk overwrite of commands: %w", err)
	}
	a.log.Info("discord commands registered", logGuild, a.opt.GuildID)
	return nil
}

// appID is Options.AppID, or the bot token's application.
func (a *Adapter) appID(ctx context.Context) (string, error) {
	if id := a.me().appID; id != "" {
		return id, nil
	}
	var app discordgo.Application
	url := discordgo.EndpointOAuth2Application("@me")
	err := a.retry(ctx, "GET /oauth2/applications/@me", func() error {
		body, err := a.sess.RequestWithBucketID("GET", url, nil, url, discordgo.WithContext(ctx))
		if err != nil {
			return err
		}
		return json.Unmarshal(body, &app)
	})
	if err != nil || app.ID == "" {
		return "", fmt.Errorf("looking up the application ID (set %s to skip this): %w",
			a.opt.Settings.orWords().AppID, cmp.Or(err, errors.New("no ID in the answer")))
	}
	a.setMe("", app.ID, "")
	return app.ID, nil
}

// commands is /news with its one option. Global commands also work in
// direct messages with the bot.
func commands(global bool) []*discordgo.ApplicationCommand {
	cmd := &discordgo.ApplicationCommand{
		Name:        CommandName,
		Type:        discordgo.ChatApplicationCommand,
		Description: "Ask about the news: a short answer quoting its sources",
		Options: []*discordgo.ApplicationCommandOption{{
			Type:        discordgo.ApplicationCommandOptionString,
			Name:        optionQuestion,
			Description: `Your question, e.g. "what did Liang deny?", or "help"`,
			Required:    true,
			MaxLength:   bot.DefaultMaxQuestion,
		}},
	}
	if global {
		cmd.Contexts = &[]discordgo.InteractionContextType{discordgo.InteractionContextGuild, discordgo.InteractionContextBotDM}
		cmd.IntegrationTypes = &[]discordgo.ApplicationIntegrationType{discordgo.ApplicationIntegrationGuildInstall}
	}
	return []*discordgo.ApplicationCommand{cmd}
}

// optionQuestion is /news's option.
const optionQuestion = "question"
