package bot

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/byline-news/byline/retrieval"
)

// BriefingQueue is what the scheduler needs of the stored briefings;
// both storage backends implement it.
type BriefingQueue interface {
	// DueBriefings returns the briefings due at or before now.
	DueBriefings(ctx context.Context, now time.Time) ([]retrieval.Briefing, error)
	// AdvanceBriefing moves br's next time to next and reports whether
	// it did: only if br is still stored as read, so one caller wins.
	AdvanceBriefing(ctx context.Context, br retrieval.Briefing, next time.Time) (bool, error)
	// DeleteBriefing stops a channel's briefing: the channel is gone.
	DeleteBriefing(ctx context.Context, platform, workspace, channel string) error
}

// Defaults of SchedulerOptions.
const (
	// DefaultScheduleEvery is how often the scheduler looks for due
	// briefings: a briefing comes at most this late.
	DefaultScheduleEvery = 20 * time.Second
	// DefaultMaxLate is how late a briefing may still be posted (after
	// the process was down at its time); later, that day's is skipped.
	DefaultMaxLate = 2 * time.Hour
	postTimeout    = 30 * time.Second
)

// SchedulerOptions configure a Scheduler. Zero fields take the defaults.
type SchedulerOptions struct {
	Queue   BriefingQueue // required
	Poster  Poster        // required
	Every   time.Duration
	MaxLate time.Duration
}

// Scheduler posts the channels' daily briefings at their times, read
// from the Bot's clock. Each firing is claimed in the database by
// advancing the briefing's next time before posting, so that of several
// replicas one posts, and a restart never posts the same day's twice;
// a post that fails is not retried (a briefing late by hours is worse
// than none), and a channel the bot can no longer post in loses its
// briefing.
type Scheduler struct {
	b     *Bot
	opt   SchedulerOptions
	fired *prometheus.CounterVec // by result
}

// Results counted by byline_briefings_total.
var briefingResults = []string{"posted", "skipped_late", "failed", "channel_gone"}

// NewScheduler returns the Scheduler of b's daily briefings.
func NewScheduler(b *Bot, opt SchedulerOptions) (*Scheduler, error) {
	if opt.Queue == nil || opt.Poster == nil {
		return nil, errors.New("bot: scheduler needs a Queue and a Poster")
	}
	if !b.briefingsOn() {
		return nil, errors.New("bot: scheduler needs a Searcher that lists recent stories (RecentIn)")
	}
	if opt.Every <= 0 {
		opt.Every = DefaultScheduleEvery
	}
	if opt.MaxLate <= 0 {
		opt.MaxLate = DefaultMaxLate
	}
	fired := prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "byline_briefings_total",
		Help: "Daily briefings due, by result: posted, skipped_late (due while no process ran), failed (see the log) " +
			"or channel_gone (the bot can no longer post there: the schedule was deleted).",
	}, []string{"result"})
	for _, r := range briefingResults {
		fired.WithLabelValues(r)
	}
	return &Scheduler{b: b, opt: opt, fired: fired}, nil
}

// Describe implements prometheus.Collector.
func (s *Scheduler) Describe(ch chan<- *prometheus.Desc) { s.fired.Describe(ch) }

// Collect implements prometheus.Collector.
func (s *Scheduler) Collect(ch chan<- prometheus.Metric) { s.fired.Collect(ch) }

// Run fires due briefings every Every until ctx is done.
func (s *Scheduler) Run(ctx context.Context) error {
	tick := time.NewTicker(s.opt.Every)
	defer tick.Stop()
	for {
		if _, err := s.Fire(ctx); err != nil && ctx.Err() == nil {
			s.b.lg.Warn("briefings: reading the schedule failed", logErr, err)
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-tick.C:
		}
	}
}

// Fire posts every briefing due now that no other process fired, and
// returns how many it posted.
func (s *Scheduler) Fire(ctx context.Context) (int, error) {
	now := s.b.opt.Now()
	due, err := s.opt.Queue.DueBriefings(ctx, now)
	if err != nil {
		return 0, fmt.Errorf("due briefings: %w", err)
	}
	posted := 0
	for _, br := range due {
		if s.fire(ctx, br, now) {
			posted++
		}
	}
	return posted, nil
}

// fire claims br's firing and posts it, reporting whether it posted.
func (s *Scheduler) fire(ctx context.Context, br retrieval.Briefing, now time.Time) bool {
	ch := Channel{Platform: br.Platform, Workspace: br.Workspace, ID: br.Channel}
	lg := s.b.lg.With(logPlatform, br.Platform, logWorkspace, br.Workspace, logChannel, br.Channel)
	loc, err := loadZone(br.Zone)
	if err != nil {
		lg.Error("briefing: stored zone unknown; using UTC", logErr, err)
		loc = time.UTC
	}
	won, err := s.opt.Queue.AdvanceBriefing(ctx, br, nextDaily(now, br.Minute, loc))
	if err != nil || !won {
		if err != nil {
			lg.Warn("briefing: claiming the firing failed", logErr, err)
		}
		return false
	}
	if late := now.Sub(br.Next); late > s.opt.MaxLate {
		lg.Warn("briefing skipped: too late", "due", br.Next, "late", late.Round(time.Minute))
		s.fired.WithLabelValues("skipped_late").Inc()
		return false
	}
	bctx, cancel := context.WithTimeout(ctx, s.b.opt.AnswerTimeout+postTimeout)
	defer cancel()
	r, err := s.b.briefing(bctx, ch, br.Topic)
	if err != nil {
		lg.Error("briefing failed", logErr, err)
		s.fired.WithLabelValues("failed").Inc()
		return false
	}
	r.Text = "Daily briefing, " + br.Next.In(loc).Format("Mon "+dateLayout) + ": " + lowerFirst(r.Text)
	if err := s.opt.Poster.Post(bctx, ch, r); err != nil {
		if errors.Is(err, ErrChannelGone) {
			s.dropGone(ctx, ch, lg, err)
			return false
		}
		lg.Error("briefing: posting failed", logErr, err)
		s.fired.WithLabelValues("failed").Inc()
		return false
	}
	lg.Info("briefing posted", "stories", len(r.Sources), "due", br.Next)
	s.fired.WithLabelValues("posted").Inc()
	return true
}

// dropGone deletes the briefing of a channel the bot can no longer post
// in: each later day's post would fail as this one did.
func (s *Scheduler) dropGone(ctx context.Context, ch Channel, lg *slog.Logger, cause error) {
	err := s.opt.Queue.DeleteBriefing(ctx, ch.Platform, ch.Workspace, ch.ID)
	if err != nil && !errors.Is(err, retrieval.ErrNotFound) { // not found: stopped meanwhile
		lg.Error("briefing: channel gone, deleting its schedule failed", logErr, err, "cause", cause)
		s.fired.WithLabelValues("failed").Inc()
		return
	}
	lg.Warn("channel gone: its daily briefing removed", logErr, cause)
	s.fired.WithLabelValues("channel_gone").Inc()
}

// lowerFirst lowers a heading's first letter to follow a colon.
func lowerFirst(s string) string {
	if s == "" || s[0] < 'A' || s[0] > 'Z' {
		return s
	}
	return string(s[0]+'a'-'A') + s[1:]
}
