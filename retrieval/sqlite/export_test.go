package sqlite

// SchemaVersion is the version the migrations bring a file to, for the
// tests that rebuild older files.
var SchemaVersion = len(migrations)
