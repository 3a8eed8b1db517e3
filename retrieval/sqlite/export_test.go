package sqlite

// SchemaVersion is the schema version a migrated file has.
var SchemaVersion = len(migrations)
