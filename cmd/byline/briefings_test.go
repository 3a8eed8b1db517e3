package main

import (
	"context"
	"testing"

	"github.com/byline-news/byline/bot"
)

// postingPlatform is a platform that can post, recording where.
type postingPlatform struct{ posted []bot.Channel }

func (p *postingPlatform) Run(context.Context) error { return nil }
func (p *postingPlatform) Ready() bool               { return true }
func (p *postingPlatform) Post(_ context.Context, ch bot.Channel, _ bot.Reply) error {
	p.posted = append(p.posted, ch)
	return nil
}

// silentPlatform cannot post.
type silentPlatform struct{}

func (silentPlatform) Run(context.Context) error { return nil }
func (silentPlatform) Ready() bool               { return true }

func TestPostersRouteByPlatform(t *testing.T) {
	slackP, discordP := &postingPlatform{}, &postingPlatform{}
	p := postersOf(map[string]platform{"slack": slackP, "discord": discordP, "other": silentPlatform{}})
	if len(p) != 2 {
		t.Fatalf("posters = %v, want slack and discord", p)
	}
	ctx := context.Background()
	for _, ch := range []bot.Channel{{Platform: "slack", ID: "C1"}, {Platform: "discord", ID: "4000"}, {Platform: "slack", ID: "C2"}} {
		if err := p.Post(ctx, ch, bot.Reply{Kind: bot.KindBriefing}); err != nil {
			t.Fatal(err)
		}
	}
	if len(slackP.posted) != 2 || len(discordP.posted) != 1 || discordP.posted[0].ID != "4000" {
		t.Errorf("slack got %v, discord %v", slackP.posted, discordP.posted)
	}
	for _, platform := range []string{"other", "teams"} {
		if err := p.Post(ctx, bot.Channel{Platform: platform, ID: "x"}, bot.Reply{}); err == nil {
			t.Errorf("post to %s: no error", platform)
		}
	}
}
