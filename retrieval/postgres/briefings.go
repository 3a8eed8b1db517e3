package postgres

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/byline-news/byline/retrieval"
)

// SaveBriefing schedules a channel's daily briefing, replacing the one
// it had.
func (ix *Index) SaveBriefing(ctx context.Context, b retrieval.Briefing) error {
	_, err := ix.pool.Exec(ctx, `
		INSERT INTO briefings(platform, workspace, channel, topic, minute, zone, next, by_user, created)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
		ON CONFLICT (platform, workspace, channel) DO UPDATE SET topic = excluded.topic, minute = excluded.minute,
			zone = excluded.zone, next = excluded.next, by_user = excluded.by_user, created = excluded.created`,
		b.Platform, b.Workspace, b.Channel, b.Topic, b.Minute, b.Zone, b.Next.Unix(), b.By, b.Created.Unix())
	if err != nil {
		return fmt.Errorf("save briefing of %s: %w", b.Channel, explain(err))
	}
	return nil
}

// DeleteBriefing stops a channel's daily briefing; ErrNotFound when it
// had none.
func (ix *Index) DeleteBriefing(ctx context.Context, platform, workspace, channel string) error {
	tag, err := ix.pool.Exec(ctx, `DELETE FROM briefings WHERE platform = $1 AND workspace = $2 AND channel = $3`,
		platform, workspace, channel)
	if err != nil {
		return fmt.Errorf("delete briefing of %s: %w", channel, explain(err))
	}
	if tag.RowsAffected() == 0 {
		return fmt.Errorf("delete briefing of %s: %w", channel, retrieval.ErrNotFound)
	}
	return nil
}

const briefingColumns = `platform, workspace, channel, topic, minute, zone, next, by_user, created`

// Briefing returns a channel's daily briefing; ErrNotFound when none.
func (ix *Index) Briefing(ctx context.Context, platform, workspace, channel string) (retrieval.Briefing, error) {
	bs, err := ix.queryBriefings(ctx, `SELECT `+briefingColumns+` FROM briefings
		WHERE platform = $1 AND workspace = $2 AND channel = $3`, platform, workspace, channel)
	if err != nil {
		return retrieval.Briefing{}, err
	}
	if len(bs) == 0 {
		return retrieval.Briefing{}, fmt.Errorf("briefing of %s: %w", channel, retrieval.ErrNotFound)
	}
	return bs[0], nil
}

// DueBriefings returns the briefings due at or before now, earliest
// first.
func (ix *Index) DueBriefings(ctx context.Context, now time.Time) ([]retrieval.Briefing, error) {
	return ix.queryBriefings(ctx, `SELECT `+briefingColumns+` FROM briefings WHERE next <= $1
		ORDER BY next, platform COLLATE "C", workspace COLLATE "C", channel COLLATE "C"`, now.Unix())
}

// AdvanceBriefing moves b's next firing to next, and reports whether it
// did: only when b is still stored as it was read (the same Next), so
// that of the replicas that found it due, one fires it.
func (ix *Index) AdvanceBriefing(ctx context.Context, b retrieval.Briefing, next time.Time) (bool, error) {
	tag, err := ix.pool.Exec(ctx, `UPDATE briefings SET next = $1
		WHERE platform = $2 AND workspace = $3 AND channel = $4 AND next = $5`,
		next.Unix(), b.Platform, b.Workspace, b.Channel, b.Next.Unix())
	if err != nil {
		return false, fmt.Errorf("advance briefing of %s: %w", b.Channel, explain(err))
	}
	return tag.RowsAffected() == 1, nil
}

func (ix *Index) queryBriefings(ctx context.Context, q string, args ...any) ([]retrieval.Briefing, error) {
	rows, err := ix.pool.Query(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("read briefings: %w", explain(err))
	}
	var out []retrieval.Briefing
	var b retrieval.Briefing
	var next, created int64
	_, err = pgx.ForEachRow(rows, []any{&b.Platform, &b.Workspace, &b.Channel, &b.Topic, &b.Minute, &b.Zone, &next, &b.By, &created},
		func() error {
			b.Next, b.Created = unix(next), unix(created)
			out = append(out, b)
			return nil
		})
	if err != nil {
		return nil, fmt.Errorf("read briefings: %w", explain(err))
	}
	return out, nil
}
