package slack

import (
	"cmp"
	"context"
	"crypto/rand"
	"encoding/base64"

	slackgo "github.com/slack-go/slack"

	"github.com/byline-news/byline/bot"
)

// stored is an answer kept server-side for its buttons: a button's value
// holds only the short ID (values are limited to 2,000 characters). It
// is saved as JSON (Options.State), so its fields are exported.
type stored struct {
	// Where and by whom it was asked.
	Team    string `json:"team"`
	Channel string `json:"channel"`
	User    string `json:"user"`

	Reply bot.Reply `json:"reply"`
}

// Replies to button clicks.
const (
	thanksText      = "Thanks for the feedback!"
	expiredText     = "Thanks! That answer is too old for me to record feedback on it."
	feedbackErrText = "Sorry, I couldn't record your feedback just now."
	shareGoneText   = "That answer is too old to share. Please ask again."
	shareFailText   = "I couldn't post in this channel. Invite me with /invite and try again."
)

// remember stores r for its buttons and returns its ID.
func (a *Adapter) remember(d dest, r bot.Reply) string {
	id := newID()
	a.answers.Put(id, stored{Team: d.team, Channel: d.channel, User: d.user, Reply: r})
	return id
}

// newID is a short random ID, safe in action values.
func newID() string {
	var b [12]byte
	rand.Read(b[:]) // never fails (crypto/rand, Go 1.24+)
	return base64.RawURLEncoding.EncodeToString(b[:])
}

// onFeedback saves a 👍 or 👎 on the answer with ID id and thanks the
// user privately.
func (a *Adapter) onFeedback(ctx context.Context, cb slackgo.InteractionCallback, id string, helpful bool) {
	rec, ok := a.answers.Get(id)
	if !ok {
		a.tell(ctx, cb, expiredText)
		return
	}
	f := bot.Feedback{
		Platform:  "slack",
		Workspace: cmp.Or(cb.Team.ID, rec.Team),
		Channel:   cmp.Or(cb.Channel.ID, cb.Container.ChannelID, rec.Channel),
		User:      cb.User.ID,
		Question:  rec.Reply.Question,
		Answer:    rec.Reply.Text,
		Sources:   articleIDs(rec.Reply),
		Helpful:   helpful,
		At:        a.now().UTC(),
	}
	if err := a.h.SaveFeedback(ctx, f); err != nil {
		a.log.Error("slack feedback not saved", logKeyChannel, f.Channel, logKeyUser, f.User, logKeyErr, err)
		a.tell(ctx, cb, feedbackErrText)
		return
	}
	a.log.Info("slack feedback saved", logKeyChannel, f.Channel, logKeyUser, f.User, logKeyHelpful, helpful)
	a.tell(ctx, cb, thanksText)
}

// articleIDs lists the IDs of r's cited articles, in order.
func articleIDs(r bot.Reply) []string {
	ids := make([]string, 0, len(r.Sources))
	for _, s := range r.Sources {
		ids = append(ids, s.Hit.Article.ID)
	}
	return ids
}

// tell shows text to the user who clicked, and to nobody else.
func (a *Adapter) tell(ctx context.Context, cb slackgo.InteractionCallback, text string) {
	m := message{text: escape(text), blocks: nil}
	var err error
	if cb.ResponseURL != "" {
		err = a.respond(ctx, cb.ResponseURL, true, false, m)
	} else {
		err = a.postEphemeral(ctx, cmp.Or(cb.Channel.ID, cb.Container.ChannelID), cb.User.ID, "", m)
	}
	if err != nil {
		a.log.Warn("slack private notice failed", logKeyUser, cb.User.ID, logKeyErr, err)
	}
}
