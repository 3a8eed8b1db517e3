package sqlite

import (
	"context"
	"fmt"
	"time"

	"github.com/byline-news/byline/retrieval"
)

// AddChannelSource adds a source to a channel's list; added is false when
// the list had it already (in any spelling that compares the same).
func (ix *Index) AddChannelSource(ctx context.Context, ch retrieval.ChannelKey, kind retrieval.SourceKind, value string, now time.Time) (bool, error) {
	res, err := ix.db.ExecContext(ctx, `
		INSERT INTO channel_sources(platform, workspace, channel, kind, norm, value, added) VALUES (?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT DO NOTHING`,
		ch.Platform, ch.Workspace, ch.Channel, string(kind), retrieval.SourceNorm(kind, value), value, now.Unix())
	if err != nil {
		return false, fmt.Errorf("add channel source: %w", explain(err))
	}
	n, _ := res.RowsAffected()
	return n > 0, nil
}

// RemoveChannelSource removes a source from a channel's list; removed is
// false when the list did not have it.
func (ix *Index) RemoveChannelSource(ctx context.Context, ch retrieval.ChannelKey, kind retrieval.SourceKind, value string) (bool, error) {
	res, err := ix.db.ExecContext(ctx, `
		DELETE FROM channel_sources WHERE platform = ? AND workspace = ? AND channel = ? AND kind = ? AND norm = ?`,
		ch.Platform, ch.Workspace, ch.Channel, string(kind), retrieval.SourceNorm(kind, value))
	if err != nil {
		return false, fmt.Errorf("remove channel source: %w", explain(err))
	}
	n, _ := res.RowsAffected()
	return n > 0, nil
}

// ResetChannelSources empties a channel's list, returning how many
// sources it had.
func (ix *Index) ResetChannelSources(ctx context.Context, ch retrieval.ChannelKey) (int, error) {
	res, err := ix.db.ExecContext(ctx, `DELETE FROM channel_sources WHERE platform = ? AND workspace = ? AND channel = ?`,
		ch.Platform, ch.Workspace, ch.Channel)
	if err != nil {
		return 0, fmt.Errorf("reset channel sources: %w", explain(err))
	}
	n, _ := res.RowsAffected()
	return int(n), nil
}

// ChannelSources returns a channel's own list, in the order added; the
// zero Scope when it has none.
func (ix *Index) ChannelSources(ctx context.Context, ch retrieval.ChannelKey) (retrieval.Scope, error) {
	rows, err := ix.db.QueryContext(ctx, `SELECT kind, value FROM channel_sources
		WHERE platform = ? AND workspace = ? AND channel = ? ORDER BY added, kind, norm`,
		ch.Platform, ch.Workspace, ch.Channel)
	if err != nil {
		return retrieval.Scope{}, fmt.Errorf("channel sources: %w", explain(err))
	}
	defer rows.Close()
	var s retrieval.Scope
	for rows.Next() {
		var kind, value string
		if err := rows.Scan(&kind, &value); err != nil {
			return retrieval.Scope{}, fmt.Errorf("channel sources: %w", explain(err))
		}
		s = s.With(retrieval.SourceKind(kind), value)
	}
	return s, explain(rows.Err())
}
