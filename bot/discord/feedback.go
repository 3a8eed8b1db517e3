package discord

import (
	"cmp"
	"context"
	"crypto/rand"
	"encoding/base64"
	"strconv"
	"strings"

	"github.com/bwmarrin/discordgo"

	"github.com/byline-news/byline/bot"
)

// dest is where a question was asked, and by whom.
type dest struct {
	Guild   string `json:"guild"`
	Channel string `json:"channel"`
	User    string `json:"user"`
}

// stored is an answer kept server-side for its buttons: a custom_id
// holds at most 100 characters, so it carries only the short ID. It is
// saved as JSON (Options.State), so its fields are exported.
type stored struct {
	To    dest      `json:"to"`
	Reply bot.Reply `json:"reply"`
}

// Replies to button clicks, shown to the clicker only.
const (
	thanksText      = "Thanks for the feedback!"
	againText       = "Thanks, I had already noted that."
	expiredText     = "Thanks! That answer is too old for me to record feedback on it."
	feedbackErrText = "Sorry, I couldn't record your feedback just now."
)

// remember stores an answer for its 👍/👎 buttons and returns its ID;
// other replies get no buttons and "".
func (a *Adapter) remember(to dest, r bot.Reply) string {
	if r.Kind != bot.KindAnswer {
		return ""
	}
	id := newID()
	a.answers.Put(id, stored{To: to, Reply: r})
	return id
}

// newID is a short random ID, safe in a custom_id.
func newID() string {
	var b [12]byte
	rand.Read(b[:]) // never fails (crypto/rand, Go 1.24+)
	return base64.RawURLEncoding.EncodeToString(b[:])
}

// parseFeedbackID reads a 👍/👎 button's custom_id.
func parseFeedbackID(customID string) (id string, helpful, ok bool) {
	if id, ok := strings.CutPrefix(customID, helpfulPrefix); ok && id != "" {
		return id, true, true
	}
	if id, ok := strings.CutPrefix(customID, unhelpfulPrefix); ok && id != "" {
		return id, false, true
	}
	return "", false, false
}

// feedbackJob records a click on 👍 or 👎 and thanks the clicker
// privately.
func (a *Adapter) feedbackJob(ia *discordgo.Interaction, id string, helpful bool) job {
	return job{task: "feedback", ephemeral: true, run: func(ctx context.Context, _ func(string)) message {
		return message{content: a.saveFeedback(ctx, ia, id, helpful), private: true}
	}}
}

// saveFeedback stores the click through the handler, once per user,
// answer and button, and returns what to tell the clicker.
func (a *Adapter) saveFeedback(ctx context.Context, ia *discordgo.Interaction, id string, helpful bool) string {
	rec, ok := a.answers.Get(id)
	if !ok {
		return expiredText
	}
	user := userOf(ia)
	vote := id + ":" + user + ":" + strconv.FormatBool(helpful)
	if _, again := a.votes.Get(vote); again {
		return againText
	}
	f := bot.Feedback{
		Platform:  "discord",
		Workspace: cmp.Or(ia.GuildID, rec.To.Guild),
		Channel:   cmp.Or(ia.ChannelID, rec.To.Channel),
		User:      user,
		Question:  rec.Reply.Question,
		Answer:    rec.Reply.Text,
		Sources:   articleIDs(rec.Reply),
		Helpful:   helpful,
		At:        a.now().UTC(),
	}
	if err := a.h.SaveFeedback(ctx, f); err != nil {
		a.log.Error("discord feedback not saved", logChannel, f.Channel, logUser, user, logErr, err)
		return feedbackErrText
	}
	a.votes.Put(vote, struct{}{})
	a.log.Info("discord feedback saved", logChannel, f.Channel, logUser, user, logHelpful, helpful)
	return thanksText
}

// articleIDs lists the IDs of r's cited articles, in order.
func articleIDs(r bot.Reply) []string {
	ids := make([]string, 0, len(r.Sources))
	for _, s := range r.Sources {
		ids = append(ids, s.Hit.Article.ID)
	}
	return ids
}
