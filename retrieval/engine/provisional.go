package engine

import (
	"fmt"
	"sort"
)

// settleProvisional runs at the end of an index call: a provisional call
// marks what it leaves; any other call that added or replaced an article
// removes the provisional ones, which real articles now supersede. An
// article this call wrote under a provisional one's ID has replaced it
// already and stays.
func (w *Writer) settleProvisional() error {
	if w.provisional {
		ids := make([]string, 0, len(w.mine))
		for id := range w.mine {
			ids = append(ids, id)
		}
		sort.Strings(ids)
		if err := w.tx.MarkProvisional(w.ctx, ids); err != nil {
			return fmt.Errorf("mark provisional articles: %w", err)
		}
		return nil
	}
	if w.res.Added+w.res.Replaced == 0 {
		return nil
	}
	ids, err := w.tx.ProvisionalIDs(w.ctx)
	if err != nil || len(ids) == 0 {
		return err
	}
	keys := make([]ArticleKey, 0, len(ids))
	for _, id := range ids {
		if _, ok := w.mine[id]; !ok {
			keys = append(keys, ArticleKey{ID: id})
		}
	}
	found, err := w.tx.Lookup(w.ctx, keys)
	if err != nil {
		return fmt.Errorf("look up provisional articles: %w", err)
	}
	var rows []int64
	for i, k := range keys {
		for _, s := range found[i] {
			if s.ID == k.ID {
				rows = append(rows, s.Row)
			}
		}
	}
	if len(rows) > 0 {
		if err := w.tx.RemoveArticles(w.ctx, rows); err != nil {
			return fmt.Errorf("remove provisional articles: %w", err)
		}
	}
	if err := w.tx.UnmarkProvisional(w.ctx, nil); err != nil {
		return fmt.Errorf("remove provisional articles: %w", err)
	}
	return nil
}
