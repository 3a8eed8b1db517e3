package bot

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/byline-news/byline/retrieval"
)

// ScopeStore keeps what each channel answers from (see "sources"); both
// storage backends implement it.
type ScopeStore interface {
	ChannelSources(ctx context.Context, ch retrieval.ChannelKey) (retrieval.Scope, error)
	AddChannelSource(ctx context.Context, ch retrieval.ChannelKey, kind retrieval.SourceKind, value string, now time.Time) (bool, error)
	RemoveChannelSource(ctx context.Context, ch retrieval.ChannelKey, kind retrieval.SourceKind, value string) (bool, error)
	ResetChannelSources(ctx context.Context, ch retrieval.ChannelKey) (int, error)
	// Sources lists the outlets, feeds and categories indexed, which
	// tells an outlet from a category in "sources add".
	Sources(ctx context.Context) (retrieval.Scope, error)
}

// Scope returns what questions asked in ch search: the channel's own
// sources, else its workspace's default, else everything (the zero
// Scope). Briefings and watches use it to stay within a channel's
// sources.
func (b *Bot) Scope(ctx context.Context, ch Channel) (retrieval.Scope, error) {
	s := b.opt.Scopes
	if s == nil {
		return retrieval.Scope{}, nil
	}
	own, err := s.ChannelSources(ctx, channelKey(ch, false))
	if err != nil || !own.IsZero() {
		return own, err
	}
	return s.ChannelSources(ctx, channelKey(ch, true))
}

// channelKey is ch's key in the store, or its workspace default's.
func channelKey(ch Channel, workspace bool) retrieval.ChannelKey {
	k := retrieval.ChannelKey{Platform: ch.Platform, Workspace: ch.Workspace, Channel: ch.ID}
	if workspace {
		k.Channel = ""
	}
	return k
}

// scopeOp is a parsed sources command.
type scopeOp struct {
	verb      string // "show", "add", "remove", "reset"
	workspace bool   // "sources default …": the workspace's default
	kind      retrieval.SourceKind
	value     string
	bad       bool
}

// parseScope recognises, case-insensitively: "sources", "sources add
// <outlet|feed URL|category>", "sources remove <…>", "sources reset",
// each also after "sources default" for the workspace's default. The
// value may be preceded by "outlet", "feed" or "category" to say which.
// Anything else starting with "sources" is a question.
func parseScope(text string) (scopeOp, bool) {
	f := strings.Fields(text)
	if len(f) == 0 || strings.ToLower(f[0]) != "sources" {
		return scopeOp{}, false
	}
	op := scopeOp{verb: "show"}
	f = f[1:]
	if len(f) > 0 && strings.ToLower(f[0]) == "default" {
		op.workspace, f = true, f[1:]
	}
	if len(f) == 0 {
		return op, true
	}
	op.verb = strings.ToLower(f[0])
	switch op.verb {
	case "reset":
		op.bad = len(f) != 1
		return op, true
	case "add", "remove":
	default:
		return scopeOp{}, false
	}
	f = f[1:]
	if len(f) > 1 {
		switch k := retrieval.SourceKind(strings.ToLower(f[0])); k {
		case retrieval.SourceOutlet, retrieval.SourceFeed, retrieval.SourceCategory:
			op.kind, f = k, f[1:]
		}
	}
	op.value = strings.Join(f, " ")
	if len(f) == 1 {
		op.value = unwrapURL(f[0])
	}
	op.bad = op.value == ""
	if op.kind == "" && isURL(op.value) {
		op.kind = retrieval.SourceFeed
	}
	return op, true
}

func isURL(s string) bool { return checkURL(s) == "" }

// Texts of the sources commands.
const (
	scopeUsageText    = "Usage: sources · sources add <outlet, feed URL or category> · sources remove <…> · sources reset (and the same after sources default, for the whole workspace)"
	scopeNotAdminText = "Only byline admins can change the sources a channel answers from."
	scopeOffText      = "Per-channel sources are not enabled here."
	scopeHelpText     = "sources shows which outlets, feeds and categories this channel answers from; admins change them with sources add|remove <outlet, feed URL or category> and sources reset."
)

// scope runs a sources command for m.
func (b *Bot) scope(ctx context.Context, m Message, op scopeOp) Reply {
	q := clean(m.Text)
	switch {
	case b.opt.Scopes == nil:
		return Reply{Kind: KindRejected, Question: q, Text: scopeOffText}
	case op.bad:
		return Reply{Kind: KindRejected, Question: q, Text: scopeUsageText}
	case op.verb != "show" && !m.Admin:
		b.lg.Info("sources command refused: not an admin", logPlatform, m.Platform, logWorkspace, m.Workspace, logUser, m.User)
		return Reply{Kind: KindRejected, Question: q, Text: scopeNotAdminText}
	}
	if r, limited := b.rateLimit(m); limited {
		return r
	}
	ctx, cancel := context.WithTimeout(ctx, b.opt.AnswerTimeout)
	defer cancel()
	text, err := b.runScope(ctx, ChannelOf(m), op)
	if err != nil {
		return b.fail(m, "sources", err)
	}
	if op.verb != "show" {
		b.lg.Info("sources changed", logPlatform, m.Platform, logWorkspace, m.Workspace, logChannel, m.Channel,
			logUser, m.User, "op", op.verb, "kind", string(op.kind), "value", op.value, "default", op.workspace)
	}
	return Reply{Kind: KindAdmin, Question: q, Text: text}
}

// errUnknownSource is a value that names no indexed outlet or category.
var errUnknownSource = errors.New("unknown source")

func (b *Bot) runScope(ctx context.Context, ch Channel, op scopeOp) (string, error) {
	s, key := b.opt.Scopes, channelKey(ch, op.workspace)
	switch op.verb {
	case "show":
		return b.showScope(ctx, ch, op.workspace)
	case "reset":
		if _, err := s.ResetChannelSources(ctx, key); err != nil {
			return "", err
		}
		return whose(op.workspace) + " now answers from " + b.fallbackWords(ctx, ch, op.workspace) + ".", nil
	case "add":
		kind, err := b.kindOf(ctx, op)
		if errors.Is(err, errUnknownSource) {
			return fmt.Sprintf("I have no articles from an outlet or in a category called “%s”. To add it anyway, say sources add outlet %s (or category, or feed <URL>).", op.value, op.value), nil
		}
		if err != nil {
			return "", err
		}
		added, err := s.AddChannelSource(ctx, key, kind, op.value, b.opt.Now())
		if err != nil {
			return "", err
		}
		if !added {
			return fmt.Sprintf("%s already answers from the %s %s.", whose(op.workspace), kind, op.value), nil
		}
		return fmt.Sprintf("Added the %s %s. %s", kind, op.value, b.mustShow(ctx, ch, op.workspace)), nil
	case "remove":
		return b.removeSource(ctx, ch, op)
	}
	return "", fmt.Errorf("unknown sources command %q", op.verb)
}

func (b *Bot) removeSource(ctx context.Context, ch Channel, op scopeOp) (string, error) {
	s, key := b.opt.Scopes, channelKey(ch, op.workspace)
	kinds := []retrieval.SourceKind{op.kind}
	if op.kind == "" {
		kinds = []retrieval.SourceKind{retrieval.SourceOutlet, retrieval.SourceCategory, retrieval.SourceFeed}
	}
	for _, k := range kinds {
		ok, err := s.RemoveChannelSource(ctx, key, k, op.value)
		if err != nil {
			return "", err
		}
		if ok {
			return fmt.Sprintf("Removed the %s %s. %s", k, op.value, b.mustShow(ctx, ch, op.workspace)), nil
		}
	}
	return fmt.Sprintf("%s does not list %s. %s", whose(op.workspace), op.value, b.mustShow(ctx, ch, op.workspace)), nil
}

// kindOf is what op.value names: as said, else a feed for a URL, else
// an indexed outlet, else an indexed category.
func (b *Bot) kindOf(ctx context.Context, op scopeOp) (retrieval.SourceKind, error) {
	if op.kind != "" {
		return op.kind, nil
	}
	known, err := b.opt.Scopes.Sources(ctx)
	if err != nil {
		return "", err
	}
	switch {
	case known.Has(retrieval.SourceOutlet, op.value):
		return retrieval.SourceOutlet, nil
	case known.Has(retrieval.SourceCategory, op.value):
		return retrieval.SourceCategory, nil
	}
	return "", errUnknownSource
}

// showScope words what the channel (or the workspace default) answers
// from.
func (b *Bot) showScope(ctx context.Context, ch Channel, workspace bool) (string, error) {
	own, err := b.opt.Scopes.ChannelSources(ctx, channelKey(ch, workspace))
	if err != nil {
		return "", err
	}
	if !own.IsZero() {
		return whose(workspace) + " answers only from " + scopeWords(own) + ".", nil
	}
	return whose(workspace) + " answers from " + b.fallbackWords(ctx, ch, workspace) + ".", nil
}

func (b *Bot) mustShow(ctx context.Context, ch Channel, workspace bool) string {
	s, err := b.showScope(ctx, ch, workspace)
	if err != nil {
		return ""
	}
	return s
}

// fallbackWords is what a channel without sources of its own follows.
func (b *Bot) fallbackWords(ctx context.Context, ch Channel, workspace bool) string {
	if !workspace {
		def, err := b.opt.Scopes.ChannelSources(ctx, channelKey(ch, true))
		if err == nil && !def.IsZero() {
			return "the workspace default: " + scopeWords(def)
		}
	}
	return "everything I have indexed"
}

func whose(workspace bool) string {
	if workspace {
		return "The workspace default"
	}
	return "This channel"
}

// scopeWords lists a scope: "the outlets BBC News and Reuters, the feed
// https://… and the category business".
func scopeWords(s retrieval.Scope) string {
	var parts []string
	for _, l := range []struct {
		one, many string
		vals      []string
	}{{"the outlet ", "the outlets ", s.Outlets}, {"the feed ", "the feeds ", s.Feeds}, {"the category ", "the categories ", s.Categories}} {
		switch len(l.vals) {
		case 0:
		case 1:
			parts = append(parts, l.one+l.vals[0])
		default:
			parts = append(parts, l.many+andList(l.vals))
		}
	}
	return andList(parts)
}

func andList(l []string) string {
	if len(l) <= 1 {
		return strings.Join(l, "")
	}
	return strings.Join(l[:len(l)-1], ", ") + " and " + l[len(l)-1]
}
