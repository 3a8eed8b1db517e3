// Package discord connects byline to Discord. It answers the /news slash
// command, messages that mention the bot, direct messages and 👍/👎
// button clicks, hands each question to the conversation core and
// renders the reply as a message with one embed listing the sources. It
// is the only package that imports discordgo.
//
// Two transports, usable together:
//
//   - Gateway (Options.BotToken): a websocket connection to Discord. It
//     receives mentions and direct messages, and interactions unless the
//     application has an Interactions Endpoint URL. On start the /news
//     command is registered with one bulk overwrite, globally or, with
//     Options.GuildID, in one server (instant; for testing).
//   - HTTP interactions (Options.PublicKey and AppID): Discord posts
//     interactions to /discord/interactions (see Routes). Every request's
//     Ed25519 signature is verified, requests more than five minutes old
//     are refused, and each interaction ID is answered once, whichever
//     transport brought it. Small-order public keys, under which
//     signatures can be forged, are refused by New. No bot token is
//     needed to answer; one is needed to register the command and for
//     mentions.
//
// Interactions are answered within Discord's three seconds: directly when
// the answer is ready within two, otherwise with a deferral at once and
// an edit of the original response when the answer is ready.
//
// Answers a language model writes (bot.Reply.Generated) are streamed:
// the core calls bot.Message.Partial with the text so far, at most once
// per its edit interval (a second by default), and the first partial
// answer becomes the interaction's initial response (or edits the
// deferral), or, for a mention, the reply; later ones, and then the
// final answer, edit that message. Should the final edit fail, the
// answer is sent anew (a follow-up, or a new reply). A generated answer
// is shown in an embed, where Discord renders masked links in every
// kind of message: each citation [n] links to source n, and a footer says
// a language model wrote it from the cited sources.
//
// Intents: guilds, guild messages and direct messages. Messages that
// mention the bot, and direct messages, carry their text without the
// privileged Message Content intent, and so do the bot's own messages and
// earlier mentions fetched as thread history. Only follow-ups without a
// mention in a thread the bot answered in need it: set
// Options.MessageContent and enable "Message Content Intent" in the
// Developer Portal (Bot → Privileged Gateway Intents); without it they
// arrive empty and are ignored.
//
// Every message, interaction response and edit carries
// allowed_mentions {"parse": []}, so article text quoting @everyone,
// @here or <@123> pings nobody.
package discord

import (
	"cmp"
	"context"
	"crypto/ed25519"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"strings"
	"sync/atomic"
	"time"

	"github.com/bwmarrin/discordgo"

	"github.com/byline-news/byline/bot"
)

// Handler is the conversation core; *bot.Bot implements it.
type Handler interface {
	Handle(ctx context.Context, m bot.Message) bot.Reply
	SaveFeedback(ctx context.Context, f bot.Feedback) error
}

// Defaults and fixed timings.
const (
	DefaultMaxInFlight = 16

	// ShutdownGrace is how long Run waits for in-flight answers once its
	// context is done before it cancels them.
	ShutdownGrace = 5 * time.Second

	// directWait is how long an interaction waits for its answer before
	// it is deferred: Discord invalidates it after 3 s.
	directWait    = 2 * time.Second
	answerTimeout = time.Minute // interaction tokens last 15 minutes
)

var (
	// ErrInvalidOptions is wrapped by every error New returns for bad Options.
	ErrInvalidOptions = errors.New("invalid discord options")
	// ErrInvalidToken is wrapped by the error Run returns when Discord
	// rejects the bot token; Run does not retry then.
	ErrInvalidToken = errors.New("discord rejected the bot token")
	// ErrWeakPublicKey is wrapped by the error New returns for a public
	// key that is a small-order point: no application has one, and
	// signatures that verify under it can be forged without a private key.
	ErrWeakPublicKey = errors.New("the public key is a small-order point, which anyone can forge signatures for: " +
		"copy the application's Public Key from the Developer Portal (General Information)")
)

// Options configures an Adapter: BotToken for the gateway, PublicKey and
// AppID for HTTP interactions, or all three.
type Options struct {
	BotToken  string // gateway, command registration ("Bot " prefix optional)
	PublicKey string // the application's Ed25519 public key, hex: HTTP interactions
	AppID     string // application ID; looked up with the bot token when empty
	GuildID   string // register /news in this server only, not globally

	// APIBase overrides Discord's REST base URL (tests, proxies), e.g.
	// http://127.0.0.1:1234/api/v9/. The gateway URL is what
	// GET {APIBase}gateway returns.
	APIBase string

	Ephemeral      bool // /news answers visible to the asker only
	MessageContent bool // request the privileged intent: follow-ups without a mention

	ShardID, ShardCount int // gateway sharding; ShardCount 0 means one shard

	// Admins are the user IDs who may add articles and feeds ("/news add
	// <url>", "/news feeds …"); in a server, members with Manage Server
	// may too when they use /news (messages carry no permissions).
	Admins []string

	// Settings names the operator's settings in errors that ask for a
	// fix ("check DISCORD_BOT_TOKEN").
	Settings SettingNames

	Logger      *slog.Logger // default slog.Default()
	MaxInFlight int          // concurrent answers, default DefaultMaxInFlight

	// State, when set, keeps the threads answered in, the answers behind
	// buttons, the votes on them and reply chains in its Store, so they
	// outlive a restart; its Run must be running. Nil keeps them in
	// memory only.
	State *bot.StateWriter

	// Claims, when set, is the database that replicas of this
	// application share: each interaction and message is claimed there
	// before it is answered, so that replicas answer it once, whichever
	// gets it (gateway sessions of one shard all receive it). Nil dedups
	// in this process only.
	Claims bot.Claims
}

// Adapter serves one Discord application. Create it with New, then call
// Run, and for HTTP interactions also mount Routes.
type Adapter struct {
	h    Handler
	opt  Options
	log  *slog.Logger
	key  ed25519.PublicKey  // nil without PublicKey
	sess *discordgo.Session // nil without BotToken
	api  *restClient        // interaction callbacks and edits
	now  func() time.Time
	self atomic.Pointer[identity]

	ready     atomic.Bool
	seen      *bot.Dedup             // interaction and message IDs handled
	threads   *bot.Threads           // thread channels the bot answered in
	answers   *bot.Cache[stored]     // answers with buttons, by short ID
	votes     *bot.Cache[struct{}]   // "answer:user:helpful" recorded
	convos    *bot.Cache[[]bot.Turn] // the bot's replies → conversation so far
	kinds     *bot.Cache[chanKind]   // channel ID → whether a thread, and of which channel
	dropped   chan struct{}          // a gateway connection ended
	handshook func()                 // clears the handshake deadline (gateway.go)

	direct  time.Duration // tests shorten these
	backoff time.Duration
	grace   time.Duration

	work *bot.Workers // runs answers, at most MaxInFlight at once
}

// identity is the bot's own user and application.
type identity struct{ userID, appID, name string }

// Cache sizes and lifetimes.
const (
	answerTTL = 24 * time.Hour
	answerMax = 5_000
	voteMax   = 50_000
	convoTTL  = 24 * time.Hour
	convoMax  = 5_000
	kindTTL   = time.Hour
	kindMax   = 10_000
)

// New checks opt and returns an adapter that answers with h.
func New(h Handler, opt Options) (*Adapter, error) {
	if h == nil {
		return nil, fmt.Errorf("%w: handler is nil", ErrInvalidOptions)
	}
	opt, key, err := opt.validate()
	if err != nil {
		return nil, err
	}
	lg := opt.Logger.With(logPlatform, "discord")
	a := &Adapter{
		h: h, opt: opt, log: lg, key: key, now: time.Now,
		api:     newRESTClient(opt.APIBase, lg),
		seen:    bot.NewSharedDedup("discord", 0, nil, opt.Claims, lg),
		threads: bot.NewPersistentThreads("discord.threads", 0, 0, nil, opt.State),
		answers: bot.NewPersistentCache[stored]("discord.answers", answerTTL, answerMax, time.Now, opt.State),
		votes:   bot.NewPersistentCache[struct{}]("discord.votes", answerTTL, voteMax, time.Now, opt.State),
		convos:  bot.NewPersistentCache[[]bot.Turn]("discord.convos", convoTTL, convoMax, time.Now, opt.State),
		kinds:   bot.NewCache[chanKind](kindTTL, kindMax, time.Now), // cheap to ask again
		dropped: make(chan struct{}, 1),
		direct:  directWait, backoff: time.Second, grace: ShutdownGrace,
		work: bot.NewWorkers(bot.WorkersOptions{Platform: "discord", Logger: lg, TaskKey: logTask,
			MaxInFlight: opt.MaxInFlight, Timeout: answerTimeout, RunCancelled: true}),
	}
	if opt.BotToken != "" {
		a.sess = a.newSession()
	}
	if opt.AppID != "" {
		a.self.Store(&identity{appID: opt.AppID})
	}
	return a, nil
}

// validate checks o, normalises its token and base URL, fills defaults
// and decodes the public key.
func (o Options) validate() (Options, ed25519.PublicKey, error) {
	var probs []string
	o.BotToken = strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(o.BotToken), "Bot "))
	if strings.ContainsAny(o.BotToken, " \t\r\n") {
		probs = append(probs, "bot token must not contain spaces")
	}
	key, err := publicKey(o.PublicKey)
	if errors.Is(err, ErrWeakPublicKey) {
		return o, nil, fmt.Errorf("%w: %w", ErrInvalidOptions, err)
	}
	if err != nil {
		probs = append(probs, err.Error())
	}
	if o.BotToken == "" && o.PublicKey == "" {
		probs = append(probs, "set a bot token (gateway) or a public key and application ID (HTTP interactions)")
	}
	if o.PublicKey != "" && o.AppID == "" {
		probs = append(probs, "an application ID is required with a public key")
	}
	for name, id := range map[string]string{"application ID": o.AppID, "guild ID": o.GuildID} {
		if id != "" && !isSnowflake(id) {
			probs = append(probs, fmt.Sprintf("%s %q must be numeric", name, id))
		}
	}
	if o.ShardCount < 0 || o.ShardID < 0 || o.ShardID >= max(o.ShardCount, 1) {
		probs = append(probs, fmt.Sprintf("shard ID %d must be below shard count %d (both non-negative)", o.ShardID, o.ShardCount))
	}
	if o.APIBase, err = apiBase(o.APIBase); err != nil {
		probs = append(probs, err.Error())
	}
	if len(probs) > 0 {
		return o, nil, fmt.Errorf("%w: %s", ErrInvalidOptions, strings.Join(probs, "; "))
	}
	if o.Logger == nil {
		o.Logger = slog.Default()
	}
	if o.MaxInFlight <= 0 {
		o.MaxInFlight = DefaultMaxInFlight
	}
	return o, key, nil
}

// publicKey decodes a hex Ed25519 public key; "" gives nil. A
// small-order key is refused with ErrWeakPublicKey.
func publicKey(s string) (ed25519.PublicKey, error) {
	if s == "" {
		return nil, nil
	}
	b, err := hex.DecodeString(strings.TrimSpace(s))
	if err != nil || len(b) != ed25519.PublicKeySize {
		return nil, errors.New("public key must be 64 hex characters (General Information → Public Key)")
	}
	if smallOrder(b) {
		return nil, ErrWeakPublicKey
	}
	return ed25519.PublicKey(b), nil
}

// smallOrderY are the y coordinates, little-endian, of the eight points
// of small order on edwards25519 (the identity, the point of order 2,
// two of order 4 and four of order 8), with the non-canonical encodings
// p and p+1 of 0 and 1: the list libsodium refuses in
// crypto_sign_verify_detached. For a key A among them, [k]A takes at
// most eight values whatever the message, so a signature (R, S=0) with
// R = -[k]A verifies for any message about one time in eight, and
// always for the identity: Go's ed25519.Verify accepts them (RFC 8032
// does not forbid them).
var smallOrderY = [...][32]byte{
	{0x00}, // order 4 (x = ±sqrt(-1))
	{0x01}, // order 1: the identity
	{0x26, 0xe8, 0x95, 0x8f, 0xc2, 0xb2, 0x27, 0xb0, 0x45, 0xc3, 0xf4, 0x89, 0xf2, 0xef, 0x98, 0xf0, // order 8
		0xd5, 0xdf, 0xac, 0x05, 0xd3, 0xc6, 0x33, 0x39, 0xb1, 0x38, 0x02, 0x88, 0x6d, 0x53, 0xfc, 0x05},
	{0xc7, 0x17, 0x6a, 0x70, 0x3d, 0x4d, 0xd8, 0x4f, 0xba, 0x3c, 0x0b, 0x76, 0x0d, 0x10, 0x67, 0x0f, // order 8
		0x2a, 0x20, 0x53, 0xfa, 0x2c, 0x39, 0xcc, 0xc6, 0x4e, 0xc7, 0xfd, 0x77, 0x92, 0xac, 0x03, 0x7a},
	{0xec, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, // p-1 = -1: order 2
		0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f},
	{0xed, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, // p ≡ 0
		0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f},
	{0xee, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, // p+1 ≡ 1
		0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f},
}

// smallOrder reports whether key encodes a point of small order. The
// top bit is x's sign, which does not change the order, so it is
// ignored.
func smallOrder(key []byte) bool {
	var y [32]byte
	copy(y[:], key)
	y[31] &= 0x7f
	for _, bad := range smallOrderY {
		if y == bad {
			return true
		}
	}
	return false
}

// apiBase validates a REST base URL override and gives it a trailing
// slash; "" gives discordgo's.
func apiBase(s string) (string, error) {
	if s == "" {
		return discordgo.EndpointAPI, nil
	}
	u, err := url.Parse(s)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return "", fmt.Errorf("API base %q must be an absolute http(s) URL", s)
	}
	if !strings.HasSuffix(s, "/") {
		s += "/"
	}
	return s, nil
}

func isSnowflake(s string) bool {
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return s != ""
}

// Ready reports whether the adapter can serve: with a bot token, whether
// the gateway is connected; for HTTP interactions only, whether Run is
// running.
func (a *Adapter) Ready() bool { return a.ready.Load() }

// me returns what is known of the bot's identity.
func (a *Adapter) me() identity {
	if id := a.self.Load(); id != nil {
		return *id
	}
	return identity{}
}

// setMe records the bot's user ID and, when known, its application ID
// and user name.
func (a *Adapter) setMe(userID, appID, name string) {
	cur := a.me()
	a.self.Store(&identity{userID: cmp.Or(userID, cur.userID), appID: cmp.Or(appID, cur.appID), name: cmp.Or(name, cur.name)})
}
