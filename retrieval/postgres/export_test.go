package postgres

// SchemaVersion is the schema version a migrated schema has.
var SchemaVersion = int64(len(migrations))
