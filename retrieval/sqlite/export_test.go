package sqlite

// SchemaVersion is the user_version a migrated file has: tests compare
// to it rather than to a number that each new migration changes.
var SchemaVersion = len(migrations)
