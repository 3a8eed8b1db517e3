package sqlite

import (
	"context"
	"database/sql"
	"fmt"
)

// applicationID marks a SQLite file as a byline index ("BYLN"), so byline
// never writes its schema into somebody else's database.
const applicationID = 0x42594c4e

// migrations are applied in order; migrations[i] takes the schema from
// user_version i to i+1. Never edit a released migration: append one.
var migrations = []string{
	// 1: articles, paragraphs and the inverted index in segments.
	`
CREATE TABLE meta (
	key   TEXT PRIMARY KEY,
	value INTEGER NOT NULL
) WITHOUT ROWID;
INSERT INTO meta(key, value) VALUES ('next_doc', 1), ('generation', 0);

CREATE TABLE articles (
	id         INTEGER PRIMARY KEY,
	ext_id     TEXT NOT NULL UNIQUE,
	url        TEXT NOT NULL DEFAULT '',
	hash       TEXT NOT NULL,
	title      TEXT NOT NULL DEFAULT '',
	outlet     TEXT NOT NULL DEFAULT '',
	author     TEXT NOT NULL DEFAULT '',
	category   TEXT NOT NULL DEFAULT '',
	published  INTEGER,            -- unix seconds, NULL when unknown
	indexed    INTEGER NOT NULL,   -- unix seconds
	first_doc  INTEGER NOT NULL,
	paragraphs INTEGER NOT NULL
);
CREATE INDEX articles_url ON articles(url) WHERE url <> '';
CREATE INDEX articles_hash ON articles(hash);
CREATE INDEX articles_published ON articles(published);

-- doc is the paragraph's document number in the inverted index; the
-- paragraphs of one article have consecutive numbers from first_doc.
CREATE TABLE paragraphs (
	doc     INTEGER PRIMARY KEY,
	article INTEGER NOT NULL,
	n       INTEGER NOT NULL,
	text    TEXT NOT NULL
);
CREATE INDEX paragraphs_article ON paragraphs(article, n);

-- A segment is an immutable slice of the inverted index written by one
-- index call (or a merge). Per-document arrays are stored as blobs in
-- document order (see segment.go for the encodings).
CREATE TABLE segments (
	id        INTEGER PRIMARY KEY,
	ndocs     INTEGER NOT NULL,
	docs      BLOB NOT NULL,
	lens      BLOB NOT NULL,
	pubs      BLOB NOT NULL,
	total_len INTEGER NOT NULL,
	title_len INTEGER NOT NULL
);

CREATE TABLE postings (
	id      INTEGER PRIMARY KEY,
	term    TEXT NOT NULL,
	segment INTEGER NOT NULL,
	df      INTEGER NOT NULL,
	data    BLOB NOT NULL
);
CREATE UNIQUE INDEX postings_term ON postings(term, segment);
CREATE INDEX postings_segment ON postings(segment);

-- Documents deleted or replaced but still present in some segment's
-- postings; merges drop them.
CREATE TABLE tombstones (doc INTEGER PRIMARY KEY);
`,
	// 2: readers' 👍/👎 on answers.
	`
CREATE TABLE feedback (
	id        INTEGER PRIMARY KEY,
	at        INTEGER NOT NULL,  -- unix seconds
	platform  TEXT NOT NULL,
	workspace TEXT NOT NULL,
	channel   TEXT NOT NULL,
	user      TEXT NOT NULL,
	question  TEXT NOT NULL,
	answer    TEXT NOT NULL,
	sources   TEXT NOT NULL,     -- JSON array of article IDs
	helpful   INTEGER NOT NULL
);
CREATE INDEX feedback_at ON feedback(at);
`,
	// 3: web feeds polled on a schedule.
	`
CREATE TABLE feeds (
	url           TEXT PRIMARY KEY,
	title         TEXT NOT NULL DEFAULT '',
	every_s       INTEGER NOT NULL,   -- poll interval, seconds
	etag          TEXT NOT NULL DEFAULT '',
	last_modified TEXT NOT NULL DEFAULT '',
	added         INTEGER NOT NULL,   -- unix seconds
	last_polled   INTEGER,            -- NULL until the first poll
	next_poll     INTEGER NOT NULL,
	failures      INTEGER NOT NULL DEFAULT 0,
	last_error    TEXT NOT NULL DEFAULT '',
	articles      INTEGER NOT NULL DEFAULT 0 -- articles indexed from it so far
) WITHOUT ROWID;
`,
	// 4: a SimHash fingerprint per article (see simhash.go), so search can
	// show a story syndicated by several outlets once. 0: not computed.
	`
ALTER TABLE articles ADD COLUMN simhash INTEGER NOT NULL DEFAULT 0;
`,
	// 5: when the publisher last updated an article (unix seconds).
	`
ALTER TABLE articles ADD COLUMN updated INTEGER;
`,
	// 6: paragraph embeddings (see vectors.go). hash is the first 16 bytes
	// of SHA-256 of the paragraph text, NULL for paragraphs written before
	// this migration until Embed fills it. embeddings caches one vector per
	// model and text, so unchanged or repeated text is embedded once; vec
	// is float32 little-endian. meta 'embeddings' counts changes to the
	// vectors, so searchers reload them. paragraphs_nohash holds only the
	// paragraphs still to hash, so finding them costs nothing once done.
	`
ALTER TABLE paragraphs ADD COLUMN hash BLOB;
CREATE INDEX paragraphs_nohash ON paragraphs(doc) WHERE hash IS NULL;
CREATE TABLE embeddings (
	model TEXT NOT NULL,
	hash  BLOB NOT NULL,
	vec   BLOB NOT NULL,
	PRIMARY KEY (model, hash)
) WITHOUT ROWID;
INSERT INTO meta(key, value) VALUES ('embeddings', 0);
`,
	// 7: what the chat adapters remember for a while (threads answered
	// in, answers behind buttons), so a restart forgets none of it (see
	// chatstate.go). expires is unix milliseconds; its index lets saves
	// delete expired rows cheaply.
	`
CREATE TABLE chat_state (
	ns      TEXT NOT NULL,
	key     TEXT NOT NULL,
	value   BLOB NOT NULL,
	expires INTEGER NOT NULL,
	PRIMARY KEY (ns, key)
) WITHOUT ROWID;
CREATE INDEX chat_state_expires ON chat_state(expires);
`,
	// 8: q8 is the vector as VectorInt8 holds it in memory (see encodeQ8),
	// so loading skips the conversion from vec. It is NULL for vectors
	// stored before this migration until Embed fills it; embeddings_noq8
	// holds only those, so finding them costs nothing once done.
	// The table is rebuilt as an ordinary rowid table: in a WITHOUT ROWID
	// table a row over about 1,000 bytes (a 256-dimension vector is 1,024)
	// spills onto an overflow page of its own, which made the file 4.5
	// times the vectors' size and made every scan read those pages. The
	// (model, hash) key becomes a unique index, which also answers "which
	// hashes have vectors" without reading a vector.
	`
CREATE TABLE embeddings_v8 (
	id    INTEGER PRIMARY KEY,
	model TEXT NOT NULL,
	hash  BLOB NOT NULL,
	vec   BLOB NOT NULL,
	q8    BLOB
);
INSERT INTO embeddings_v8(model, hash, vec) SELECT model, hash, vec FROM embeddings;
DROP TABLE embeddings;
ALTER TABLE embeddings_v8 RENAME TO embeddings;
CREATE UNIQUE INDEX embeddings_key ON embeddings(model, hash);
CREATE INDEX embeddings_noq8 ON embeddings(model, hash) WHERE q8 IS NULL;
`,
	// 9: what replicas of one database coordinate with (see claims.go):
	// claims, so that an event delivered twice is handled once, and
	// leases, so that one holder at a time does a job such as polling a
	// feed. expires is unix milliseconds.
	`
CREATE TABLE claims (
	ns      TEXT NOT NULL,
	key     TEXT NOT NULL,
	expires INTEGER NOT NULL,
	PRIMARY KEY (ns, key)
) WITHOUT ROWID;
CREATE INDEX claims_expires ON claims(expires);
CREATE TABLE leases (
	name    TEXT PRIMARY KEY,
	holder  TEXT NOT NULL,
	expires INTEGER NOT NULL
) WITHOUT ROWID;
`,
	// 10: per-channel sources. articles.feed is the feed an article came
	// from; articles_first_doc finds a segment's articles, so a scoped
	// search learns each document's source (see engine/scope.go).
	// channel_sources lists what a chat channel answers from (channel ''
	// is its workspace's default): kind is 'outlet', 'feed' or
	// 'category', norm the value as compared (outlets and categories
	// folded, feeds exact), value as the admin wrote it.
	`
ALTER TABLE articles ADD COLUMN feed TEXT NOT NULL DEFAULT '';
CREATE INDEX articles_first_doc ON articles(first_doc);
CREATE TABLE channel_sources (
	platform  TEXT NOT NULL,
	workspace TEXT NOT NULL,
	channel   TEXT NOT NULL,
	kind      TEXT NOT NULL,
	norm      TEXT NOT NULL,
	value     TEXT NOT NULL,
	added     INTEGER NOT NULL,  -- unix seconds
	PRIMARY KEY (platform, workspace, channel, kind, norm)
) WITHOUT ROWID;
`,
	// 11: daily briefings, one per channel (see briefings.go). next is
	// unix seconds; advancing it claims a firing.
	`
CREATE TABLE briefings (
	platform  TEXT NOT NULL,
	workspace TEXT NOT NULL,
	channel   TEXT NOT NULL,
	topic     TEXT NOT NULL DEFAULT '',
	minute    INTEGER NOT NULL,
	zone      TEXT NOT NULL,
	next      INTEGER NOT NULL,
	by_user   TEXT NOT NULL DEFAULT '',
	created   INTEGER NOT NULL,
	PRIMARY KEY (platform, workspace, channel)
) WITHOUT ROWID;
CREATE INDEX briefings_next ON briefings(next);
`,
	// 12: what channels watch for (see watches.go): a watch is a
	// topic; watch_hits are the stories found for it, pending until
	// posted (post 0), then the ID of the hit that opened their message,
	// so each story goes out once per watch and a channel's posts can be
	// counted for its rate limit. found and sent are unix milliseconds.
	// articles_first_doc (migration 10) lets the watch loop read what was
	// indexed since
	// its cursor (meta 'watch_cursor'); meta 'watches' counts changes to
	// the watches, so every process reloads its percolator.
	`
CREATE TABLE watches (
	id        INTEGER PRIMARY KEY,
	platform  TEXT NOT NULL,
	workspace TEXT NOT NULL,
	channel   TEXT NOT NULL,
	topic     TEXT NOT NULL,
	added_by  TEXT NOT NULL,
	created   INTEGER NOT NULL,
	from_doc  INTEGER NOT NULL
);
CREATE INDEX watches_channel ON watches(platform, workspace, channel);
CREATE TABLE watch_hits (
	id        INTEGER PRIMARY KEY,
	watch     INTEGER NOT NULL,
	article   TEXT NOT NULL,
	simhash   INTEGER NOT NULL,
	title     TEXT NOT NULL,
	url       TEXT NOT NULL,
	outlet    TEXT NOT NULL,
	published INTEGER,
	sentence  TEXT NOT NULL,
	found     INTEGER NOT NULL,
	post      INTEGER NOT NULL DEFAULT 0,
	sent      INTEGER
);
CREATE UNIQUE INDEX watch_hits_key ON watch_hits(watch, article);
CREATE INDEX watch_hits_pending ON watch_hits(id) WHERE post = 0;
CREATE INDEX watch_hits_sent ON watch_hits(watch, sent) WHERE post <> 0;
INSERT INTO meta(key, value) VALUES ('watches', 0);
`,
}

// migrate brings the schema up to date in one transaction.
func migrate(ctx context.Context, db *sql.DB) error {
	// An up-to-date index needs no write lock, so it opens while another
	// process is indexing into it.
	var version, appID int
	if err := db.QueryRowContext(ctx, "PRAGMA user_version").Scan(&version); err != nil {
		return err
	}
	if err := db.QueryRowContext(ctx, "PRAGMA application_id").Scan(&appID); err != nil {
		return err
	}
	if appID == applicationID && version == len(migrations) {
		return nil
	}
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if err := tx.QueryRowContext(ctx, "PRAGMA user_version").Scan(&version); err != nil {
		return err
	}
	if err := tx.QueryRowContext(ctx, "PRAGMA application_id").Scan(&appID); err != nil {
		return err
	}
	if err := checkOwnership(ctx, tx, version, appID); err != nil {
		return err
	}
	if version > len(migrations) {
		return fmt.Errorf("schema version %d is newer than this byline understands (%d): upgrade byline", version, len(migrations))
	}
	if version == len(migrations) {
		return nil
	}
	for i := version; i < len(migrations); i++ {
		if _, err := tx.ExecContext(ctx, migrations[i]); err != nil {
			return fmt.Errorf("migration %d: %w", i+1, err)
		}
	}
	if _, err := tx.ExecContext(ctx, fmt.Sprintf("PRAGMA user_version = %d", len(migrations))); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, fmt.Sprintf("PRAGMA application_id = %d", applicationID)); err != nil {
		return err
	}
	return tx.Commit()
}

// checkOwnership refuses a database that some other program created.
func checkOwnership(ctx context.Context, tx *sql.Tx, version, appID int) error {
	if appID == applicationID {
		return nil
	}
	if appID != 0 {
		return errForeign
	}
	var tables int
	if err := tx.QueryRowContext(ctx, "SELECT count(*) FROM sqlite_schema").Scan(&tables); err != nil {
		return err
	}
	if tables > 0 || version != 0 {
		return errForeign
	}
	return nil
}
