package postgres

// SchemaVersion is the version a migrated schema has: tests compare to
// it rather than to a number that each new migration changes.
var SchemaVersion = len(migrations)
