package sqlite

import (
	"context"
	"encoding/json"
	"fmt"
)

// SaveFeedback stores f.
func (ix *Index) SaveFeedback(ctx context.Context, f Feedback) error {
	sources, err := json.Marshal(f.Sources)
	if err != nil {
		return fmt.Errorf("save feedback: %w", err)
	}
	if f.Sources == nil {
		sources = []byte("[]")
	}
	_, err = ix.db.ExecContext(ctx, `
		INSERT INTO feedback(at, platform, workspace, channel, user, question, answer, sources, helpful)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		f.At.Unix(), f.Platform, f.Workspace, f.Channel, f.User, f.Question, f.Answer, string(sources), f.Helpful)
	if err != nil {
		return fmt.Errorf("save feedback: %w", explain(err))
	}
	return nil
}

// ListFeedback calls fn for each stored feedback, newest first.
func (ix *Index) ListFeedback(ctx context.Context, fn func(Feedback) error) error {
	rows, err := ix.db.QueryContext(ctx, `
		SELECT at, platform, workspace, channel, user, question, answer, sources, helpful
		FROM feedback ORDER BY at DESC, id DESC`)
	if err != nil {
		return fmt.Errorf("list feedback: %w", explain(err))
	}
	defer rows.Close()
	for rows.Next() {
		var f Feedback
		var at int64
		var sources string
		if err := rows.Scan(&at, &f.Platform, &f.Workspace, &f.Channel, &f.User, &f.Question, &f.Answer, &sources, &f.Helpful); err != nil {
			return fmt.Errorf("list feedback: %w", err)
		}
		f.At = timeUnix(at)
		if err := json.Unmarshal([]byte(sources), &f.Sources); err != nil {
			return fmt.Errorf("list feedback: sources of %v: %w", f.At, err)
		}
		if err := fn(f); err != nil {
			return err
		}
	}
	return rows.Err()
}
