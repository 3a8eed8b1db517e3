package bot

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/byline-news/byline/retrieval"
)

// deliver posts the pending stories, channel by channel.
func (w *Watcher) deliver(ctx context.Context) error {
	pending, err := w.opt.Store.PendingWatchHits(ctx)
	if err != nil || len(pending) == 0 {
		return err
	}
	var order []Channel
	byChannel := map[Channel][]retrieval.WatchHit{}
	for _, h := range pending {
		ch := Channel{Platform: h.Platform, Workspace: h.Workspace, ID: h.Channel}
		if _, ok := byChannel[ch]; !ok {
			order = append(order, ch)
		}
		byChannel[ch] = append(byChannel[ch], h)
	}
	var errs []error
	now := w.opt.Now()
	for _, ch := range order {
		if now.Before(w.failing[ch]) {
			continue
		}
		delete(w.failing, ch)
		err := w.deliverTo(ctx, ch, byChannel[ch])
		if errors.Is(err, ErrChannelGone) {
			err = w.giveUp(ctx, ch, err)
		}
		if err != nil {
			w.failing[ch] = now.Add(failedChannelWait)
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

// giveUp removes the watches of a channel the bot can no longer post
// in, and with them its pending stories: retrying them would fail
// forever, a log line a minute.
func (w *Watcher) giveUp(ctx context.Context, ch Channel, cause error) error {
	n, err := w.opt.Store.RemoveChannelWatches(ctx, ch.Platform, ch.Workspace, ch.ID)
	if err != nil {
		return fmt.Errorf("removing the watches of %s, which is gone: %w", ch, err)
	}
	w.metrics.gone.Inc()
	w.lg.Warn("channel gone: its watches removed", logPlatform, ch.Platform, logWorkspace, ch.Workspace, logChannel, ch.ID,
		"watches", n, logErr, cause)
	return nil
}

// deliverTo posts a channel's pending stories within its rate limit:
// one post each while they fit, else as many as fit less one, and the
// rest in one digest. With no room left they wait for the window to
// move, and then go out in one digest. A story that several of the
// channel's watches found is one post.
func (w *Watcher) deliverTo(ctx context.Context, ch Channel, hits []retrieval.WatchHit) error {
	now := w.opt.Now()
	sent, err := w.opt.Store.ChannelPostsSince(ctx, ch.Platform, ch.Workspace, ch.ID, now.Add(-watchWindow))
	if err != nil {
		return err
	}
	room := w.opt.Rate - sent
	if room <= 0 {
		return nil
	}
	singles := stories(hits)
	var rest [][]retrieval.WatchHit
	if len(singles) > room {
		singles, rest = singles[:room-1], singles[room-1:]
	}
	for _, s := range singles {
		if err := w.post(ctx, ch, watchReply(s), hitIDs(s)); err != nil {
			return err
		}
	}
	if len(rest) == 0 {
		return nil
	}
	var ids []int64
	for _, s := range rest {
		ids = append(ids, hitIDs(s)...)
	}
	return w.post(ctx, ch, digestReply(rest, w.opt.Rate), ids)
}

// stories groups a channel's hits by story, in order of first hit.
func stories(hits []retrieval.WatchHit) [][]retrieval.WatchHit {
	var out [][]retrieval.WatchHit
	for _, h := range hits {
		n := retrieval.NewArticle{Article: retrieval.Article{ID: h.Article}, Simhash: h.Simhash}
		i := slices.IndexFunc(out, func(s []retrieval.WatchHit) bool { return sameStory(s[0], n) })
		if i < 0 {
			out = append(out, []retrieval.WatchHit{h})
			continue
		}
		out[i] = append(out[i], h)
	}
	return out
}

func hitIDs(hits []retrieval.WatchHit) []int64 {
	ids := make([]int64, len(hits))
	for i, h := range hits {
		ids[i] = h.ID
	}
	return ids
}

// post sends r and records that it carried the hits ids. Should the
// record fail after the post, the stories would go out again: the
// record is tried with a context of its own.
func (w *Watcher) post(ctx context.Context, ch Channel, r Reply, ids []int64) error {
	if err := w.opt.Poster.Post(ctx, ch, r); err != nil {
		if !errors.Is(err, ErrChannelGone) {
			w.metrics.failures.Inc() // to be tried again
		}
		return fmt.Errorf("post to %s: %w", ch, err)
	}
	w.metrics.posts.WithLabelValues(r.Kind.String()).Inc()
	w.lg.Info("watch posted", logPlatform, ch.Platform, logChannel, ch.ID, logKind, r.Kind.String(), "stories", len(ids))
	return w.record(ctx, ids)
}

// Recording a post is retried for up to markPatience, markEvery apart:
// a story posted but not recorded would go out again, and the likely
// cause is a busy database (another process indexing into SQLite holds
// its write lock for as long as its transaction takes).
var (
	markPatience = 2 * time.Minute
	markEvery    = time.Second
)

// record marks the hits ids sent, retrying while the database refuses
// until markPatience has passed or ctx ends; it tries once even when ctx
// has ended (shutdown), as the post has gone out.
func (w *Watcher) record(ctx context.Context, ids []int64) error {
	deadline := time.Now().Add(markPatience)
	for {
		rctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
		err := w.opt.Store.MarkWatchHitsSent(rctx, ids, w.opt.Now())
		cancel()
		if err == nil || ctx.Err() != nil || time.Now().After(deadline) {
			return err
		}
		w.lg.Warn("recording a watch post failed; trying again", "stories", len(ids), logErr, err)
		select {
		case <-ctx.Done():
		case <-time.After(markEvery):
		}
	}
}

// storySource is a found story as a Reply's source.
func storySource(n int, h retrieval.WatchHit) Source {
	return Source{N: n, Hit: retrieval.Hit{Text: h.Sentence, Article: retrieval.Article{
		ID: h.Article, Title: h.Title, URL: h.URL, Outlet: h.Outlet, Published: h.Published}}}
}

// watchReply is one story, for the watches that found it.
func watchReply(story []retrieval.WatchHit) Reply {
	topics := make([]string, len(story))
	for i, h := range story {
		topics[i] = "“" + h.Topic + "”"
	}
	return Reply{Kind: KindWatch, Question: story[0].Topic, Text: "New on " + strings.Join(topics, " and ") + ":",
		Sources: []Source{storySource(1, story[0])}}
}

// digestReply gathers the stories the rate limit held back.
func digestReply(stories [][]retrieval.WatchHit, rate int) Reply {
	srcs := make([]Source, len(stories))
	for i, s := range stories {
		srcs[i] = storySource(i+1, s[0])
	}
	text := fmt.Sprintf("%d more stories on this channel's watches (more than the %d posts an hour I make here):", len(stories), rate)
	return Reply{Kind: KindDigest, Text: text, Sources: srcs}
}

// Posters routes each post to the Poster of its channel's platform.
type Posters map[string]Poster

// Post posts r through the poster of ch.Platform.
func (p Posters) Post(ctx context.Context, ch Channel, r Reply) error {
	if to, ok := p[ch.Platform]; ok {
		return to.Post(ctx, ch, r)
	}
	return fmt.Errorf("no chat platform %q to post to %s", ch.Platform, ch)
}
