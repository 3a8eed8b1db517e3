package main

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"go.yaml.in/yaml/v3"

	"github.com/byline-news/byline/config"
)

// composeFile is the part of deploy/compose.yaml this test reads.
type composeFile struct {
	Services map[string]struct {
		Command     []string          `yaml:"command"`
		Environment map[string]string `yaml:"environment"`
		Secrets     []string          `yaml:"secrets"`
		Ports       []string          `yaml:"ports"`
		DependsOn   map[string]struct {
			Condition string `yaml:"condition"`
		} `yaml:"depends_on"`
		Healthcheck struct {
			Test []string `yaml:"test"`
		} `yaml:"healthcheck"`
		StopGrace string `yaml:"stop_grace_period"`
	} `yaml:"services"`
	Secrets map[string]struct {
		File string `yaml:"file"`
	} `yaml:"secrets"`
}

// TestComposeFile checks deploy/compose.yaml, which cannot be run here
// (no Docker engine): each replica's settings load as byline's own
// config would, both share one PostgreSQL database, start once it is
// healthy, check their health with the binary, get the time serve needs
// to stop, and use only declared secrets.
func TestComposeFile(t *testing.T) {
	data, err := os.ReadFile("../../deploy/compose.yaml")
	if err != nil {
		t.Fatal(err)
	}
	var c composeFile
	if err := yaml.Unmarshal(data, &c); err != nil {
		t.Fatalf("deploy/compose.yaml: %v", err)
	}
	if db, ok := c.Services["db"]; !ok || !slices.Contains(db.Healthcheck.Test, "pg_isready") {
		t.Errorf("no db service checked with pg_isready: %+v", db)
	}
	urls, ports := map[string]bool{}, map[string]bool{}
	for _, name := range []string{"replica-a", "replica-b"} {
		s, ok := c.Services[name]
		if !ok {
			t.Fatalf("no service %s", name)
		}
		if !slices.Equal(s.Command, []string{"serve"}) || s.DependsOn["db"].Condition != "service_healthy" {
			t.Errorf("%s: command %v, depends on %+v; want serve once db is healthy", name, s.Command, s.DependsOn)
		}
		if !slices.Equal(s.Healthcheck.Test, []string{"CMD", "/usr/local/bin/byline", "healthcheck"}) {
			t.Errorf("%s: healthcheck %v", name, s.Healthcheck.Test)
		}
		if d, err := time.ParseDuration(s.StopGrace); err != nil || d <= shutdownGrace {
			t.Errorf("%s: stop_grace_period %q; want more than serve's %s", name, s.StopGrace, shutdownGrace)
		}
		for _, sec := range s.Secrets {
			if _, ok := c.Secrets[sec]; !ok {
				t.Errorf("%s: secret %s is not declared", name, sec)
			}
		}
		cfg, err := config.Load(composeEnv(t, s.Environment))
		if err != nil {
			t.Errorf("%s: its settings do not load: %v", name, err)
			continue
		}
		if !config.IsPostgresURL(cfg.DatabaseURL) || !strings.Contains(cfg.DatabaseURL, "search_path=") || !cfg.Slack.Enabled() {
			t.Errorf("%s: database %q, Slack on %v; want PostgreSQL in a named schema, and Slack", name, cfg.DatabaseURL, cfg.Slack.Enabled())
		}
		urls[cfg.DatabaseURL] = true
		for _, p := range s.Ports {
			ports[strings.SplitN(p, ":", 2)[0]] = true
		}
	}
	if len(urls) != 1 || len(ports) != 2 {
		t.Errorf("database URLs %v, host ports %v; want one database, a port each", urls, ports)
	}
}

// composeEnv is a service's environment as the container sees it: the
// image's own (the Dockerfile's ENV) under it, and each secret file it
// names holding a well-formed value.
func composeEnv(t *testing.T, env map[string]string) func(string) string {
	dir := t.TempDir()
	out := map[string]string{"BYLINE_DB": "/data/byline.db", "BYLINE_HTTP_ADDR": ":8080"}
	for k, v := range env {
		if strings.HasSuffix(k, "_FILE") && strings.HasPrefix(v, "/run/secrets/") {
			value := map[string]string{"SLACK_BOT_TOKEN_FILE": "xoxb-1", "SLACK_APP_TOKEN_FILE": "xapp-1"}[k]
			v = filepath.Join(dir, filepath.Base(v))
			if err := os.WriteFile(v, []byte(value+"\n"), 0o600); err != nil {
				t.Fatal(err)
			}
		}
		out[k] = v
	}
	return func(k string) string { return out[k] }
}
