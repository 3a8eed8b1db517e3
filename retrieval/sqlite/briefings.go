package sqlite

import (
	"context"
	"fmt"
	"time"

	"github.com/byline-news/byline/retrieval"
)

// SaveBriefing schedules a channel's daily briefing, replacing the one
// it had.
func (ix *Index) SaveBriefing(ctx context.Context, b retrieval.Briefing) error {
	_, err := ix.db.ExecContext(ctx, `
		INSERT INTO briefings(platform, workspace, channel, topic, minute, zone, next, by_user, created)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT(platform, workspace, channel) DO UPDATE SET topic = excluded.topic, minute = excluded.minute,
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
	res, err := ix.db.ExecContext(ctx, `DELETE FROM briefings WHERE platform = ? AND workspace = ? AND channel = ?`,
		platform, workspace, channel)
	if err != nil {
		return fmt.Errorf("delete briefing of %s: %w", channel, explain(err))
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return fmt.Errorf("delete briefing of %s: %w", channel, retrieval.ErrNotFound)
	}
	return nil
}

const briefingColumns = `platform, workspace, channel, topic, minute, zone, next, by_user, created`

// Briefing returns a channel's daily briefing; ErrNotFound when none.
func (ix *Index) Briefing(ctx context.Context, platform, workspace, channel string) (retrieval.Briefing, error) {
	bs, err := ix.queryBriefings(ctx, `SELECT `+briefingColumns+` FROM briefings
		WHERE platform = ? AND workspace = ? AND channel = ?`, platform, workspace, channel)
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
	return ix.queryBriefings(ctx, `SELECT `+briefingColumns+` FROM briefings WHERE next <= ?
		ORDER BY next, platform, workspace, channel`, now.Unix())
}

// AdvanceBriefing moves b's next firing to next, and reports whether it
// did: only when b is still stored as it was read (the same Next), so
// that of the processes that found it due, one fires it.
func (ix *Index) AdvanceBriefing(ctx context.Context, b retrieval.Briefing, next time.Time) (bool, error) {
	res, err := ix.db.ExecContext(ctx, `UPDATE briefings SET next = ?
		WHERE platform = ? AND workspace = ? AND channel = ? AND next = ?`,
		next.Unix(), b.Platform, b.Workspace, b.Channel, b.Next.Unix())
	if err != nil {
		return false, fmt.Errorf("advance briefing of %s: %w", b.Channel, explain(err))
	}
	n, err := res.RowsAffected()
	if err != nil {
		return false, fmt.Errorf("advance briefing of %s: %w", b.Channel, explain(err))
	}
	return n == 1, nil
}

func (ix *Index) queryBriefings(ctx context.Context, q string, args ...any) ([]retrieval.Briefing, error) {
	rows, err := ix.db.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("read briefings: %w", explain(err))
	}
	defer rows.Close()
	var out []retrieval.Briefing
	for rows.Next() {
		var b retrieval.Briefing
		var next, created int64
		if err := rows.Scan(&b.Platform, &b.Workspace, &b.Channel, &b.Topic, &b.Minute, &b.Zone, &next, &b.By, &created); err != nil {
			return nil, fmt.Errorf("read briefings: %w", explain(err))
		}
		b.Next, b.Created = timeUnix(next), timeUnix(created)
		out = append(out, b)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("read briefings: %w", explain(err))
	}
	return out, nil
}
