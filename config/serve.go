package config

import (
	"fmt"
	"net"
	"net/url"
	"strings"
)

// Environment variables for "byline serve".
const (
	envHTTPAddr      = "BYLINE_HTTP_ADDR"
	envMetricsAddr   = "BYLINE_METRICS_ADDR"
	envSlackBot      = "SLACK_BOT_TOKEN"
	envSlackApp      = "SLACK_APP_TOKEN"
	envSlackSecret   = "SLACK_SIGNING_SECRET"
	envSlackAPIURL   = "SLACK_API_URL"
	envSlackCommand  = "SLACK_COMMAND"
	envSlackAdmins   = "SLACK_ADMINS"
	envSlackEphem    = "SLACK_EPHEMERAL"
	defaultHTTPAddr  = ":8080"
	defaultSlashName = "/news"
)

// Slack is the Slack app's configuration; empty BotToken means Slack is off.
type Slack struct {
	BotToken      string // xoxb-…
	AppToken      string // xapp-…: Socket Mode; else HTTP mode with SigningSecret
	SigningSecret string
	APIURL        string   // Web API base URL override, ending in "/"
	Command       string   // slash command, default "/news"
	Admins        []string // SLACK_ADMINS: user IDs who may add articles and feeds from chat
	// Public is set by SLACK_EPHEMERAL=false: /news answers are posted in
	// the channel instead of privately with a Share button (the default).
	Public bool
}

// Enabled reports whether any Slack setting is present.
func (s Slack) Enabled() bool { return s.BotToken != "" || s.AppToken != "" || s.SigningSecret != "" }

// loadServe reads the HTTP listener and the platforms' settings.
func loadServe(getenv func(string) string, c *Config) []error {
	var errs []error
	c.HTTPAddr = strings.TrimSpace(getenv(envHTTPAddr))
	if c.HTTPAddr == "" {
		c.HTTPAddr = defaultHTTPAddr
	}
	if _, _, err := net.SplitHostPort(c.HTTPAddr); err != nil {
		errs = append(errs, fmt.Errorf("invalid %s %q: want host:port or :port", envHTTPAddr, c.HTTPAddr))
	}
	if err := loadMetricsAddr(getenv, c); err != nil {
		errs = append(errs, err)
	}
	var err error
	for key, dst := range map[string]*string{envSlackBot: &c.Slack.BotToken, envSlackApp: &c.Slack.AppToken, envSlackSecret: &c.Slack.SigningSecret} {
		if *dst, err = secret(getenv, key); err != nil {
			errs = append(errs, err)
		}
	}
	c.Slack.APIURL = strings.TrimSpace(getenv(envSlackAPIURL))
	if c.Slack.APIURL != "" {
		u, err := url.Parse(c.Slack.APIURL)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			errs = append(errs, fmt.Errorf("invalid %s %q: want an http(s) URL such as https://slack.com/api/", envSlackAPIURL, c.Slack.APIURL))
		} else if !strings.HasSuffix(c.Slack.APIURL, "/") {
			c.Slack.APIURL += "/"
		}
	}
	c.Slack.Command = strings.TrimSpace(getenv(envSlackCommand))
	if c.Slack.Command == "" {
		c.Slack.Command = defaultSlashName
	}
	if !strings.HasPrefix(c.Slack.Command, "/") || strings.ContainsAny(c.Slack.Command, " \t") {
		errs = append(errs, fmt.Errorf("invalid %s %q: want a slash command such as /news", envSlackCommand, c.Slack.Command))
	}
	if strings.TrimSpace(getenv(envSlackEphem)) != "" {
		ephemeral, err := loadBool(getenv, envSlackEphem)
		if err != nil {
			errs = append(errs, err)
		}
		c.Slack.Public = err == nil && !ephemeral
	}
	c.Slack.Admins = loadList(getenv, envSlackAdmins)
	for _, id := range c.Slack.Admins {
		if !isSlackUserID(id) {
			errs = append(errs, fmt.Errorf("invalid %s entry %q: want Slack user IDs such as U024BE7LH (starting with U or W), comma-separated", envSlackAdmins, id))
		}
	}
	return append(errs, c.Slack.validate()...)
}

// loadMetricsAddr reads BYLINE_METRICS_ADDR, which must differ from
// BYLINE_HTTP_ADDR: the point is to keep /metrics off the public
// listener.
func loadMetricsAddr(getenv func(string) string, c *Config) error {
	c.MetricsAddr = strings.TrimSpace(getenv(envMetricsAddr))
	if c.MetricsAddr == "" {
		return nil
	}
	if _, _, err := net.SplitHostPort(c.MetricsAddr); err != nil {
		return fmt.Errorf("invalid %s %q: want host:port, such as 127.0.0.1:9090", envMetricsAddr, c.MetricsAddr)
	}
	if c.MetricsAddr == c.HTTPAddr {
		return fmt.Errorf("%s %q is %s too: unset it to serve /metrics there, or choose another port", envMetricsAddr, c.MetricsAddr, envHTTPAddr)
	}
	return nil
}

// loadBaseURL reads an API base URL override: an absolute http(s) URL,
// given a trailing slash (clients append method paths to it); "" when
// unset. example shows the expected form in the error.
func loadBaseURL(getenv func(string) string, key, example string) (string, error) {
	v := strings.TrimSpace(getenv(key))
	if v == "" {
		return "", nil
	}
	u, err := url.Parse(v)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return "", fmt.Errorf("invalid %s %q: want an http(s) URL such as %s", key, v, example)
	}
	if !strings.HasSuffix(v, "/") {
		v += "/"
	}
	return v, nil
}

// loadList reads a comma-separated list, dropping empty entries and
// surrounding space; nil when the variable is unset.
func loadList(getenv func(string) string, key string) []string {
	var out []string
	for _, f := range strings.Split(getenv(key), ",") {
		if f = strings.TrimSpace(f); f != "" {
			out = append(out, f)
		}
	}
	return out
}

// isSlackUserID reports whether id looks like a Slack user ID: U or W
// (Enterprise Grid) followed by upper-case letters and digits.
func isSlackUserID(id string) bool {
	if len(id) < 3 || (id[0] != 'U' && id[0] != 'W') {
		return false
	}
	for _, r := range id[1:] {
		if (r < 'A' || r > 'Z') && (r < '0' || r > '9') {
			return false
		}
	}
	return true
}

// validate checks the Slack settings together, so a half-configured app
// fails at start-up with advice instead of silently never answering.
func (s Slack) validate() []error {
	if !s.Enabled() {
		return nil
	}
	var errs []error
	if s.BotToken == "" {
		errs = append(errs, fmt.Errorf("%s is required for Slack (the bot token, xoxb-…)", envSlackBot))
	} else if !strings.HasPrefix(s.BotToken, "xoxb-") {
		errs = append(errs, fmt.Errorf("%s must be a bot token starting with xoxb-", envSlackBot))
	}
	if s.AppToken != "" && !strings.HasPrefix(s.AppToken, "xapp-") {
		errs = append(errs, fmt.Errorf("%s must be an app-level token starting with xapp- (Socket Mode)", envSlackApp))
	}
	if s.AppToken == "" && s.SigningSecret == "" {
		errs = append(errs, fmt.Errorf("set %s for Socket Mode, or %s for HTTP mode", envSlackApp, envSlackSecret))
	}
	return errs
}
