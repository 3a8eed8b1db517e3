package discord

import (
	"context"
	"errors"
	"fmt"
	"net"
	"sync/atomic"
	"time"

	"github.com/bwmarrin/discordgo"
	"github.com/gorilla/websocket"
)

// handshakeTimeout bounds connecting to the gateway through READY:
// discordgo's Open has no deadline of its own and would wait forever on
// a gateway that accepts the connection and says nothing.
const handshakeTimeout = 30 * time.Second

// Intents the bot asks for: guilds (thread channels in the state), guild
// messages (mentions) and direct messages; MESSAGE_CONTENT only on request.
const baseIntents = discordgo.IntentsGuilds | discordgo.IntentsGuildMessages | discordgo.IntentsDirectMessages

// fatalCloses are gateway close codes that reconnecting cannot fix, with
// advice that names the operator's settings.
var fatalCloses = map[int]func(n SettingNames) string{
	4004: func(n SettingNames) string { return "authentication failed: check " + n.BotToken },
	4010: func(n SettingNames) string { return "invalid shard: check " + n.ShardID + " and " + n.ShardCount },
	4011: func(n SettingNames) string {
		return "sharding required: set " + n.ShardCount + " (and run one process per " + n.ShardID + ")"
	},
	4012: func(SettingNames) string { return "invalid API version" },
	4013: func(SettingNames) string { return "invalid intents" },
	4014: func(n SettingNames) string {
		return "disallowed intents: enable Message Content Intent (Developer Portal → Bot) or unset " + n.MessageContent
	},
}

// newSession configures discordgo: our HTTP client (redirected to
// Options.APIBase), no endless 429 retries, our own reconnect loop, a
// small state (channels and threads only) and our event handlers.
func (a *Adapter) newSession() *discordgo.Session {
	s, _ := discordgo.New("Bot " + a.opt.BotToken) // New never fails
	s.Client = newHTTPClient()
	if a.opt.APIBase != discordgo.EndpointAPI {
		s.Client.Transport = rewrite{base: a.opt.APIBase, next: s.Client.Transport}
	}
	s.UserAgent = userAgent
	s.ShouldRetryOnRateLimit = false
	s.ShouldReconnectOnError = false
	s.Identify.Intents = baseIntents
	if a.opt.MessageContent {
		s.Identify.Intents |= discordgo.IntentMessageContent
	}
	s.ShardID, s.ShardCount = a.opt.ShardID, max(a.opt.ShardCount, 1)
	s.Dialer, a.handshook = dialer()
	st := s.State
	st.TrackEmojis, st.TrackStickers, st.TrackMembers, st.TrackThreadMembers = false, false, false, false
	st.TrackRoles, st.TrackVoice, st.TrackPresences = false, false, false
	s.AddHandler(a.onReady)
	s.AddHandler(a.onDisconnect)
	s.AddHandler(a.onMessageCreate)
	s.AddHandler(a.onInteractionCreate)
	return s
}

// dialer is websocket.DefaultDialer whose connections time out unless
// the handshake finishes in time; call handshook once it has.
func dialer() (d *websocket.Dialer, handshook func()) {
	dd := *websocket.DefaultDialer
	var last atomic.Pointer[net.Conn]
	dd.NetDialContext = func(ctx context.Context, network, addr string) (net.Conn, error) {
		c, err := (&net.Dialer{Timeout: handshakeTimeout}).DialContext(ctx, network, addr)
		if err != nil {
			return nil, err
		}
		c.SetDeadline(time.Now().Add(handshakeTimeout))
		last.Store(&c)
		return c, nil
	}
	handshook = func() {
		if c := last.Swap(nil); c != nil {
			(*c).SetDeadline(time.Time{})
		}
	}
	return &dd, handshook
}

// runGateway holds the gateway connection until ctx is done, opening it
// again with backoff whenever it drops (discordgo resumes the session).
func (a *Adapter) runGateway(ctx context.Context) error {
	defer a.sess.Close()
	for attempt := 0; ; {
		err := a.open(ctx)
		if err == nil || errors.Is(err, discordgo.ErrWSAlreadyOpen) {
			attempt = 0
			if !a.connectedUntilDropped(ctx) {
				return nil
			}
			continue
		}
		if ctx.Err() != nil {
			return nil
		}
		if err := a.fatalGateway(err); err != nil {
			return err
		}
		if err := a.pause(ctx, attempt, "gateway", err); err != nil {
			return nil
		}
		attempt++
	}
}

// connectedUntilDropped reports the connection ready until it drops
// (true) or ctx is done (false).
func (a *Adapter) connectedUntilDropped(ctx context.Context) bool {
	a.ready.Store(true)
	a.log.Info("discord ready", logMode, "gateway", logShard, a.opt.ShardID)
	select {
	case <-ctx.Done():
		a.ready.Store(false)
		return false
	case <-a.dropped:
		a.ready.Store(false)
		a.log.Warn("discord gateway connection lost, reconnecting", logShard, a.opt.ShardID)
		return true
	}
}

// open connects to the gateway; ctx abandons the wait, not the attempt.
func (a *Adapter) open(ctx context.Context) error {
	select { // a drop reported before this connection is stale
	case <-a.dropped:
	default:
	}
	done := make(chan error, 1)
	go func() { done <- a.sess.Open() }()
	select {
	case err := <-done:
		if err == nil {
			a.handshook()
		}
		return err
	case <-ctx.Done():
		go func() {
			if <-done == nil {
				a.sess.Close()
			}
		}()
		return ctx.Err()
	}
}

// fatalGateway returns a clear error for a gateway refusal that
// reconnecting cannot fix, and nil for anything worth retrying.
func (a *Adapter) fatalGateway(err error) error {
	if errors.Is(err, discordgo.ErrWSShardBounds) {
		return fmt.Errorf("discord gateway: %w", err)
	}
	if ce, ok := errors.AsType[*websocket.CloseError](err); ok {
		if why, fatal := fatalCloses[ce.Code]; fatal {
			err = fmt.Errorf("discord gateway closed the connection with %d, %s: %w", ce.Code, why(a.opt.Settings.orWords()), err)
			if ce.Code == 4004 {
				return fmt.Errorf("%w: %w", ErrInvalidToken, err)
			}
			return err
		}
	}
	return a.refused(err, "GET /gateway")
}

// onReady records the bot's identity from READY.
func (a *Adapter) onReady(_ *discordgo.Session, r *discordgo.Ready) {
	var appID string
	if r.Application != nil {
		appID = r.Application.ID
	}
	if r.User != nil {
		a.setMe(r.User.ID, appID, r.User.Username)
	}
}

// onDisconnect tells runGateway that the connection ended.
func (a *Adapter) onDisconnect(*discordgo.Session, *discordgo.Disconnect) {
	select {
	case a.dropped <- struct{}{}:
	default:
	}
}
