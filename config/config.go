// Package config reads byline's settings from environment variables.
//
// Environment variables suit both a newcomer's shell and a container, and
// need no configuration library. Only cmd/byline imports this
// package: it calls Load(os.Getenv) once and hands plain values to the
// packages it wires together, so no other package reads the environment
// or depends on how settings are spelled. Where another package's message
// should point the operator at a setting ("check DISCORD_BOT_TOKEN"), the
// wiring passes the name in from the Var* constants below.
//
// To add a setting, add a field to Config, a load function that reads and
// checks one variable and returns an error naming it, a line in Load, and
// an entry in settings (dump.go), which "byline config" prints; a test
// fails for a field without one. Secrets (tokens, API keys) go through
// secret, which also accepts a *_FILE variable, and are masked there.
package config

import (
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/byline-news/byline/ingest/fetch"
)

// Environment variables read by Load.
const (
	envDB         = "BYLINE_DB"
	envLogLevel   = "BYLINE_LOG_LEVEL"
	envFetchAllow = "BYLINE_FETCH_ALLOW"
)

// Names of the variables that other packages' messages point the operator
// to. The wiring hands them over (fetch.Options.AllowSetting,
// discord.Options.Settings), so that only this package spells a setting.
const (
	VarFetchAllow            = envFetchAllow
	VarDiscordToken          = envDiscordToken
	VarDiscordAppID          = envDiscordAppID
	VarDiscordShardID        = envDiscordShard
	VarDiscordShardCount     = envDiscordShards
	VarDiscordMessageContent = envDiscordContent
	VarDiscordPublicKey      = envDiscordKey
)

// Config is byline's configuration, as read from the environment.
type Config struct {
	DBPath string // resolved database path: BYLINE_DB, else DefaultDBPath
	// DatabaseURL is BYLINE_DATABASE_URL: PostgreSQL instead of the
	// SQLite file, "" when unset.
	DatabaseURL string
	LogLevel    slog.Level // BYLINE_LOG_LEVEL; slog.LevelInfo by default
	HTTPAddr    string     // BYLINE_HTTP_ADDR for "byline serve", default ":8080"
	// MetricsAddr (BYLINE_METRICS_ADDR) is where "byline serve" serves
	// /metrics instead of on HTTPAddr, e.g. 127.0.0.1:9090; "" keeps it on
	// HTTPAddr.
	MetricsAddr string

	// FetchAllow (BYLINE_FETCH_ALLOW) lists the private hosts, addresses
	// and CIDRs that add, feeds and serve may fetch from, in the canonical
	// form fetch.Options.Allow takes.
	FetchAllow []string

	// Retain (BYLINE_RETAIN) is how long "byline serve" keeps articles:
	// older ones are deleted in the background; 0 keeps them all.
	Retain time.Duration
	// WatchRate (BYLINE_WATCH_RATE) is how many posts a channel's
	// watches make at most per hour; 0 means the bot's default, 6.
	WatchRate int

	Slack   Slack
	Discord Discord
	LLM     LLM

	// from maps each variable that was set to the variable that supplied
	// it (itself, or its _FILE twin), for Redacted and DBExplicit.
	from map[string]string
}

// Load reads configuration from getenv, which is os.Getenv in main and a
// map lookup in tests, so that tests never touch the process environment.
// It reports every invalid variable at once, rather than one per run.
func Load(getenv func(string) string) (Config, error) {
	var c Config
	var errs []error
	var err error
	if c.DBPath, err = loadDBPath(getenv); err != nil {
		errs = append(errs, err)
	}
	if c.DatabaseURL, err = loadDatabaseURL(getenv); err != nil {
		errs = append(errs, err)
	}
	if c.LogLevel, err = loadLogLevel(getenv); err != nil {
		errs = append(errs, err)
	}
	if c.FetchAllow, err = loadFetchAllow(getenv); err != nil {
		errs = append(errs, err)
	}
	if c.Retain, err = loadRetain(getenv); err != nil {
		errs = append(errs, err)
	}
	if err := loadWatches(getenv, &c); err != nil {
		errs = append(errs, err)
	}
	errs = append(errs, loadServe(getenv, &c)...)
	errs = append(errs, loadDiscord(getenv, &c.Discord)...)
	errs = append(errs, loadLLM(getenv, &c.LLM)...)
	if err := errors.Join(errs...); err != nil {
		return Config{}, err
	}
	c.from = sources(getenv)
	return c, nil
}

// DBExplicit reports whether DBPath came from BYLINE_DB. The CLI indexes
// the built-in samples only into a default database, never into one the
// user named.
func (c Config) DBExplicit() bool { return c.from[envDB] != "" }

// loadDBPath returns BYLINE_DB if it is set, and the default path otherwise.
// The value is used as given (less surrounding space), not made absolute:
// SQLite resolves a relative path against the same working directory, and
// a value such as ":memory:" must pass through unchanged.
func loadDBPath(getenv func(string) string) (string, error) {
	if p := strings.TrimSpace(getenv(envDB)); p != "" {
		return p, nil
	}
	return DefaultDBPath(getenv)
}

// DefaultDBPath returns $XDG_DATA_HOME/byline/byline.db, falling back to
// $HOME/.local/share/byline/byline.db, which is where the XDG Base
// Directory spec puts user data when XDG_DATA_HOME is unset. As the spec
// requires, a relative XDG_DATA_HOME is ignored. The directory may not
// exist yet; whoever opens the database creates it.
func DefaultDBPath(getenv func(string) string) (string, error) {
	if dir := getenv("XDG_DATA_HOME"); filepath.IsAbs(dir) {
		return filepath.Join(dir, "byline", "byline.db"), nil
	}
	home := getenv("HOME")
	if home == "" {
		return "", fmt.Errorf("cannot choose a database path: HOME is unset and XDG_DATA_HOME is not an absolute path; set %s", envDB)
	}
	return filepath.Join(home, ".local", "share", "byline", "byline.db"), nil
}

// logLevels are the accepted BYLINE_LOG_LEVEL values, in the order the
// error message lists them. slog.Level.UnmarshalText would also accept
// forms like "info+2"; a short closed list is easier to document.
var logLevels = []struct {
	name  string
	level slog.Level
}{
	{"debug", slog.LevelDebug},
	{"info", slog.LevelInfo},
	{"warn", slog.LevelWarn},
	{"error", slog.LevelError},
}

// loadFetchAllow parses BYLINE_FETCH_ALLOW with fetch's own parser, so
// that a typo fails at start-up, with every other problem, rather than
// when the first URL is fetched.
func loadFetchAllow(getenv func(string) string) ([]string, error) {
	allow, err := fetch.ParseAllow(getenv(envFetchAllow))
	if err != nil {
		return nil, fmt.Errorf("invalid %s: %w", envFetchAllow, err)
	}
	return allow, nil
}

// loadLogLevel parses BYLINE_LOG_LEVEL, ignoring case and surrounding space.
func loadLogLevel(getenv func(string) string) (slog.Level, error) {
	v := strings.ToLower(strings.TrimSpace(getenv(envLogLevel)))
	if v == "" {
		return slog.LevelInfo, nil
	}
	names := make([]string, len(logLevels))
	for i, l := range logLevels {
		if v == l.name {
			return l.level, nil
		}
		names[i] = l.name
	}
	return 0, fmt.Errorf("invalid %s %q: want one of %s", envLogLevel, getenv(envLogLevel), strings.Join(names, ", "))
}

// secret returns the value of the variable key, or else the contents of the
// file named by key_FILE with surrounding white space trimmed. The _FILE form
// lets container platforms mount tokens as files instead of exposing them in
// the environment. It returns "" with no error when neither is set.
//
// Setting both is an error rather than a silent preference, because the
// two would likely disagree after a rotation. An empty file is an error too:
// it usually means a mount went wrong, and "" would quietly disable the
// feature that needs the secret.
func secret(getenv func(string) string, key string) (string, error) {
	fileKey := key + "_FILE"
	// Trimmed: a token pasted with a trailing newline is still the token.
	val, file := strings.TrimSpace(getenv(key)), strings.TrimSpace(getenv(fileKey))
	switch {
	case val != "" && file != "":
		return "", fmt.Errorf("both %s and %s are set: set only one", key, fileKey)
	case file == "":
		return val, nil
	}
	b, err := os.ReadFile(file)
	if err != nil {
		// The error names the file; it never contains the secret.
		return "", fmt.Errorf("read %s: %w", fileKey, err)
	}
	s := strings.TrimSpace(string(b))
	if s == "" {
		return "", fmt.Errorf("%s: file %s is empty", fileKey, file)
	}
	return s, nil
}
