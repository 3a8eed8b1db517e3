package config

import (
	"fmt"
	"net/url"
	"strings"
)

// envDatabaseURL selects PostgreSQL: postgres://user:password@host:port/db
// (optionally ?search_path=schema and pgx pool settings). It is for
// teams running several byline processes over one database; without it
// byline keeps one SQLite file (BYLINE_DB).
const envDatabaseURL = "BYLINE_DATABASE_URL"

// IsPostgresURL reports whether s names a PostgreSQL database rather
// than a file: it starts with postgres:// or postgresql://.
func IsPostgresURL(s string) bool {
	return strings.HasPrefix(s, "postgres://") || strings.HasPrefix(s, "postgresql://")
}

// loadDatabaseURL reads BYLINE_DATABASE_URL. When set it wins over
// BYLINE_DB, which images set as their default (the Dockerfile does), so
// that adding the URL to a container's environment is enough; "byline
// config" shows BYLINE_DB as not used.
func loadDatabaseURL(getenv func(string) string) (string, error) {
	v := strings.TrimSpace(getenv(envDatabaseURL))
	if v == "" {
		return "", nil
	}
	u, err := url.Parse(v)
	if err != nil || !IsPostgresURL(v) || u.Host == "" {
		return "", fmt.Errorf("invalid %s: want postgres://user:password@host:port/database", envDatabaseURL)
	}
	return v, nil
}
