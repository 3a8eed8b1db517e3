package discord

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"github.com/byline-news/byline/bot"
	"io"
	"log/slog"
	"math"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/bwmarrin/discordgo"
)

// REST limits: a 429 is waited out at most maxRetries times, for at most
// maxRetryWait each; 5xx answers get the same bounded retries.
const (
	maxRetries    = 3
	minRetryWait  = 10 * time.Millisecond
	maxRetryWait  = 30 * time.Second
	serverBackoff = 250 * time.Millisecond
	httpTimeout   = 20 * time.Second
	idleConnsMax  = 32
	userAgent     = "DiscordBot (https://github.com/byline-news/byline, 1)"
)

// restClient calls the interaction endpoints (callbacks and edits of the
// original response) itself: they need no token and are not bound by
// the global rate limit, and discordgo would lock one rate-limit bucket
// for every edit of every interaction, serialising them all.
type restClient struct {
	base string // ends in /
	http *http.Client
	log  *slog.Logger
}

func newRESTClient(base string, lg *slog.Logger) *restClient {
	return &restClient{base: base, http: newHTTPClient(), log: lg}
}

// newHTTPClient is the client for all REST calls.
func newHTTPClient() *http.Client {
	tr := http.DefaultTransport.(*http.Transport).Clone()
	tr.MaxIdleConnsPerHost = idleConnsMax
	return &http.Client{Timeout: httpTimeout, Transport: tr}
}

// apiError is a non-2xx answer from Discord.
type apiError struct {
	Method, Route string
	Status        int
	Code          int           // Discord's JSON error code, 0 if none
	Message       string        // Discord's message, or the body
	RetryAfter    time.Duration // for 429
}

func (e *apiError) Error() string {
	return fmt.Sprintf("%s %s: HTTP %d: %s (code %d)", e.Method, e.Route, e.Status, e.Message, e.Code)
}

// callback sends an interaction's initial response.
func (c *restClient) callback(ctx context.Context, ia *discordgo.Interaction, resp *discordgo.InteractionResponse) error {
	path := "interactions/" + url.PathEscape(ia.ID) + "/" + url.PathEscape(ia.Token) + "/callback"
	return c.do(ctx, http.MethodPost, path, "interactions/{id}/{token}/callback", resp)
}

// editOriginal replaces an interaction's original response.
func (c *restClient) editOriginal(ctx context.Context, appID, token string, edit *discordgo.WebhookEdit) error {
	return c.editOriginalTries(ctx, appID, token, edit, maxRetries)
}

// showOriginal edits an interaction's original response to show a
// partial answer: once, since a partial not shown is superseded by the
// next one or the final answer anyway, and waiting would hold them up.
func (c *restClient) showOriginal(ctx context.Context, appID, token string, edit *discordgo.WebhookEdit) error {
	return c.editOriginalTries(ctx, appID, token, edit, 0)
}

func (c *restClient) editOriginalTries(ctx context.Context, appID, token string, edit *discordgo.WebhookEdit, retries int) error {
	path := "webhooks/" + url.PathEscape(appID) + "/" + url.PathEscape(token) + "/messages/@original"
	return c.doTries(ctx, http.MethodPatch, path, "webhooks/{app}/{token}/messages/@original", edit, retries)
}

// followup sends a follow-up message to an interaction.
func (c *restClient) followup(ctx context.Context, appID, token string, params *discordgo.WebhookParams) error {
	path := "webhooks/" + url.PathEscape(appID) + "/" + url.PathEscape(token)
	return c.do(ctx, http.MethodPost, path, "webhooks/{app}/{token}", params)
}

// do sends body as JSON, waiting out 429s and 5xx answers a bounded
// number of times; route names the endpoint in logs without its token.
func (c *restClient) do(ctx context.Context, method, path, route string, body any) error {
	return c.doTries(ctx, method, path, route, body, maxRetries)
}

// doTries is do with at most retries retries.
func (c *restClient) doTries(ctx context.Context, method, path, route string, body any, retries int) error {
	payload, err := json.Marshal(body)
	if err != nil {
		return fmt.Errorf("encoding %s: %w", route, err)
	}
	for attempt := 1; ; attempt++ {
		err := c.once(ctx, method, path, route, payload)
		e, ok := errors.AsType[*apiError](err)
		if !ok || attempt > retries || (e.Status != http.StatusTooManyRequests && e.Status < 500) {
			return err
		}
		wait := serverBackoff * time.Duration(attempt)
		if e.Status == http.StatusTooManyRequests {
			wait = min(max(e.RetryAfter, minRetryWait), maxRetryWait)
		}
		c.log.Warn("discord request retried", logRoute, route, logStatus, e.Status, logWait, wait, logAttempt, attempt)
		if err := bot.Sleep(ctx, wait); err != nil {
			return fmt.Errorf("waiting to retry %s: %w", route, err)
		}
	}
}

// once makes one request.
func (c *restClient) once(ctx context.Context, method, path, route string, payload []byte) error {
	req, err := http.NewRequestWithContext(ctx, method, c.base+path, bytes.NewReader(payload))
	if err != nil {
		return fmt.Errorf("%s %s: %w", method, route, err)
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("User-Agent", userAgent)
	res, err := c.http.Do(req)
	if err != nil {
		return fmt.Errorf("%s %s: %w", method, route, err)
	}
	defer res.Body.Close()
	body, _ := io.ReadAll(io.LimitReader(res.Body, 64<<10))
	if res.StatusCode/100 == 2 {
		return nil
	}
	return newAPIError(method, route, res, body)
}

// newAPIError decodes Discord's error body: {"message","code"} and, for
// 429, "retry_after" in seconds (or the Retry-After header).
func newAPIError(method, route string, res *http.Response, body []byte) *apiError {
	e := &apiError{Method: method, Route: route, Status: res.StatusCode, Message: strings.TrimSpace(string(body))}
	var v struct {
		Message    string   `json:"message"`
		Code       int      `json:"code"`
		RetryAfter *float64 `json:"retry_after"`
	}
	if json.Unmarshal(body, &v) == nil {
		e.Message, e.Code = v.Message, v.Code
		if v.RetryAfter != nil {
			e.RetryAfter = seconds(*v.RetryAfter)
		}
	}
	if e.RetryAfter == 0 {
		if s, err := strconv.ParseFloat(res.Header.Get("Retry-After"), 64); err == nil {
			e.RetryAfter = seconds(s)
		}
	}
	return e
}

// seconds converts Discord's retry_after, capped at maxRetryWait.
func seconds(s float64) time.Duration {
	switch {
	case math.IsNaN(s) || s <= 0:
		return 0
	case s >= maxRetryWait.Seconds():
		return maxRetryWait
	}
	return time.Duration(s * float64(time.Second))
}

// retry runs a discordgo call, and again after the wait Discord asks for
// when it answers 429, at most maxRetries times. (The session's own
// retry on 429 is off: it would retry forever.)
func (a *Adapter) retry(ctx context.Context, what string, call func() error) error {
	for attempt := 1; ; attempt++ {
		err := call()
		rl, ok := errors.AsType[*discordgo.RateLimitError](err)
		if !ok || attempt > maxRetries {
			return err
		}
		wait := min(max(rl.RetryAfter, minRetryWait), maxRetryWait)
		a.log.Warn("discord rate limited", logRoute, what, logWait, wait, logAttempt, attempt)
		if err := bot.Sleep(ctx, wait); err != nil {
			return fmt.Errorf("waiting to retry %s: %w", what, err)
		}
	}
}

// httpStatus is the status of a failed discordgo or own REST call, 0 when
// the call got no answer.
func httpStatus(err error) int {
	if e, ok := errors.AsType[*discordgo.RESTError](err); ok && e.Response != nil {
		return e.Response.StatusCode
	}
	if e, ok := errors.AsType[*apiError](err); ok {
		return e.Status
	}
	if _, ok := errors.AsType[*discordgo.RateLimitError](err); ok {
		return http.StatusTooManyRequests
	}
	return 0
}

// rewrite sends requests for Discord's API to base instead (a proxy or a
// test server). discordgo's endpoints are package globals, so they are
// redirected here, per session, rather than reassigned.
type rewrite struct {
	base string // ends in /
	next http.RoundTripper
}

func (t rewrite) RoundTrip(r *http.Request) (*http.Response, error) {
	rest, ok := strings.CutPrefix(r.URL.String(), discordgo.EndpointAPI)
	if !ok {
		return t.next.RoundTrip(r)
	}
	u, err := url.Parse(t.base + rest)
	if err != nil {
		return nil, fmt.Errorf("redirecting %s: %w", r.URL.Path, err)
	}
	r2 := r.Clone(r.Context())
	r2.URL, r2.Host = u, u.Host
	return t.next.RoundTrip(r2)
}
