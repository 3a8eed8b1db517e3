package bot

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/byline-news/byline/retrieval"
)

// scheduleDaily saves the channel's daily briefing, replacing any.
func (b *Bot) scheduleDaily(ctx context.Context, m Message, op briefOp) Reply {
	minute, err := parseClock(op.clock)
	if err != nil {
		return Reply{Kind: KindRejected, Question: op.typed, Text: "Couldn't schedule the briefing: " + err.Error() + "."}
	}
	loc, err := loadZone(op.zone)
	if err != nil {
		return Reply{Kind: KindRejected, Question: op.typed,
			Text: fmt.Sprintf("Couldn't schedule the briefing: I don't know the time zone “%s”: %s.", op.zone, zoneExampleText)}
	}
	now := b.opt.Now()
	br := retrieval.Briefing{Platform: m.Platform, Workspace: m.Workspace, Channel: m.Channel, Topic: op.topic,
		Minute: minute, Zone: loc.String(), Next: nextDaily(now, minute, loc), By: m.User, Created: now}
	if err := b.opt.Briefings.SaveBriefing(ctx, br); err != nil {
		return b.fail(m, "schedule briefing", err)
	}
	b.lg.Info("daily briefing scheduled", logPlatform, m.Platform, logWorkspace, m.Workspace, logChannel, m.Channel,
		logUser, m.User, "at", formatClock(minute), "zone", br.Zone, "topic", br.Topic)
	return Reply{Kind: KindAdmin, Question: op.typed, Text: "Daily briefing scheduled: " + describeDaily(br, loc) + "."}
}

func (b *Bot) showDaily(ctx context.Context, m Message, ch Channel) Reply {
	br, err := b.opt.Briefings.Briefing(ctx, ch.Platform, ch.Workspace, ch.ID)
	if errors.Is(err, retrieval.ErrNotFound) {
		return Reply{Kind: KindAdmin, Question: "brief daily", Text: noDailyText}
	}
	if err != nil {
		return b.fail(m, "read briefing", err)
	}
	loc, err := loadZone(br.Zone)
	if err != nil {
		loc = time.UTC
	}
	return Reply{Kind: KindAdmin, Question: "brief daily", Text: "Daily briefing: " + describeDaily(br, loc) + "."}
}

func (b *Bot) stopDaily(ctx context.Context, m Message, ch Channel) Reply {
	err := b.opt.Briefings.DeleteBriefing(ctx, ch.Platform, ch.Workspace, ch.ID)
	if errors.Is(err, retrieval.ErrNotFound) {
		return Reply{Kind: KindAdmin, Question: "brief off", Text: noDailyText}
	}
	if err != nil {
		return b.fail(m, "stop briefing", err)
	}
	b.lg.Info("daily briefing stopped", logPlatform, m.Platform, logWorkspace, m.Workspace, logChannel, m.Channel, logUser, m.User)
	return Reply{Kind: KindAdmin, Question: "brief off", Text: dailyStoppedText}
}

// describeDaily words a schedule: "08:00 Europe/London, on “grain”;
// the next one Tue 8 Dec 2026 at 08:00 GMT".
func describeDaily(br retrieval.Briefing, loc *time.Location) string {
	s := formatClock(br.Minute) + " " + br.Zone
	if br.Topic != "" {
		s += ", on “" + br.Topic + "”"
	}
	next := br.Next.In(loc)
	return s + "; the next one " + next.Format("Mon "+dateLayout+" at 15:04 MST")
}
