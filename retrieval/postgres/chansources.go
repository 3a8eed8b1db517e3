package postgres

import (
	"context"
	"fmt"
	"time"

	"github.com/byline-news/byline/retrieval"
	"github.com/jackc/pgx/v5"
)

// AddChannelSource adds a source to a channel's list; added is false when
// the list had it already (in any spelling that compares the same).
func (ix *Index) AddChannelSource(ctx context.Context, ch retrieval.ChannelKey, kind retrieval.SourceKind, value string, now time.Time) (bool, error) {
	tag, err := ix.pool.Exec(ctx, `
		INSERT INTO channel_sources(platform, workspace, channel, kind, norm, value, added) VALUES ($1, $2, $3, $4, $5, $6, $7)
		ON CONFLICT DO NOTHING`,
		ch.Platform, ch.Workspace, ch.Channel, string(kind), retrieval.SourceNorm(kind, value), value, now.Unix())
	if err != nil {
		return false, fmt.Errorf("add channel source: %w", explain(err))
	}
	return tag.RowsAffected() > 0, nil
}

// RemoveChannelSource removes a source from a channel's list; removed is
// false when the list did not have it.
func (ix *Index) RemoveChannelSource(ctx context.Context, ch retrieval.ChannelKey, kind retrieval.SourceKind, value string) (bool, error) {
	tag, err := ix.pool.Exec(ctx, `
		DELETE FROM channel_sources WHERE platform = $1 AND workspace = $2 AND channel = $3 AND kind = $4 AND norm = $5`,
		ch.Platform, ch.Workspace, ch.Channel, string(kind), retrieval.SourceNorm(kind, value))
	if err != nil {
		return false, fmt.Errorf("remove channel source: %w", explain(err))
	}
	return tag.RowsAffected() > 0, nil
}

// ResetChannelSources empties a channel's list, returning how many
// sources it had.
func (ix *Index) ResetChannelSources(ctx context.Context, ch retrieval.ChannelKey) (int, error) {
	tag, err := ix.pool.Exec(ctx, `DELETE FROM channel_sources WHERE platform = $1 AND workspace = $2 AND channel = $3`,
		ch.Platform, ch.Workspace, ch.Channel)
	if err != nil {
		return 0, fmt.Errorf("reset channel sources: %w", explain(err))
	}
	return int(tag.RowsAffected()), nil
}

// ChannelSources returns a channel's own list, in the order added; the
// zero Scope when it has none.
func (ix *Index) ChannelSources(ctx context.Context, ch retrieval.ChannelKey) (retrieval.Scope, error) {
	rows, err := ix.pool.Query(ctx, `SELECT kind, value FROM channel_sources
		WHERE platform = $1 AND workspace = $2 AND channel = $3 ORDER BY added, kind COLLATE "C", norm COLLATE "C"`,
		ch.Platform, ch.Workspace, ch.Channel)
	if err != nil {
		return retrieval.Scope{}, fmt.Errorf("channel sources: %w", explain(err))
	}
	var s retrieval.Scope
	var kind, value string
	_, err = pgx.ForEachRow(rows, []any{&kind, &value}, func() error {
		s = s.With(retrieval.SourceKind(kind), value)
		return nil
	})
	if err != nil {
		return retrieval.Scope{}, fmt.Errorf("channel sources: %w", explain(err))
	}
	return s, nil
}
