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

// loadDatabaseURL reads BYLINE_DATABASE_URL. Setting it with BYLINE_DB
// is an error: which database would a command use?
func loadDatabaseURL(getenv func(string) string) (string, error) {
	v := strings.TrimSpace(getenv(envDatabaseURL))
	if v == "" {
		return "", nil
	}
	if getenv(envDB) != "" {
		return "", fmt.Errorf("both %s and %s are set: set only one (%s for PostgreSQL, %s for a SQLite file)", envDB, envDatabaseURL, envDatabaseURL, envDB)
	}
	u, err := url.Parse(v)
	if err != nil || !IsPostgresURL(v) || u.Host == "" {
		return "", fmt.Errorf("invalid %s: want postgres://user:password@host:port/database", envDatabaseURL)
	}
	return v, nil
}

// redactURL hides a URL's password, for printing.
func redactURL(s string) string {
	if s == "" {
		return ""
	}
	u, err := url.Parse(s)
	if err != nil {
		return "(invalid URL)"
	}
	return u.Redacted()
}
