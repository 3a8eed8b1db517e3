package llm

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

const testSecret = "sk-proj-Secret1234567890abcdef"

// echoEndpoint is an OpenAI-compatible endpoint that refuses every call
// with an error message echoing the Authorization header, as some
// proxies and self-hosted servers do.
func echoEndpoint(t *testing.T, status int) *httptest.Server {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(status)
		json.NewEncoder(w).Encode(map[string]any{"error": map[string]any{
			"message": "invalid credentials: " + r.Header.Get("Authorization") + " (key " + strings.TrimPrefix(r.Header.Get("Authorization"), "Bearer ") + ")",
			"type":    "invalid_request_error",
		}})
	}))
	t.Cleanup(srv.Close)
	return srv
}

// TestErrorsNeverHoldTheKey: the key is gone from the errors of every
// call kind and from the log, and the message still says what failed.
func TestErrorsNeverHoldTheKey(t *testing.T) {
	for _, status := range []int{http.StatusUnauthorized, http.StatusForbidden} {
		srv := echoEndpoint(t, status)
		var logs bytes.Buffer
		c := mustNew(t, Options{BaseURL: srv.URL, APIKey: testSecret, Model: "m", EmbedModel: "e", BreakerThreshold: -1,
			Logger: slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))})
		ctx := context.Background()
		_, err1 := c.Complete(ctx, "system", "user")
		_, err2 := c.Stream(ctx, "system", "user", func(string) {})
		_, err3 := c.Embed(ctx, []string{"text"})
		for i, err := range []error{err1, err2, err3} {
			if err == nil {
				t.Fatalf("status %d, call %d: no error", status, i)
			}
			msg := err.Error()
			if strings.Contains(msg, testSecret) {
				t.Errorf("status %d, call %d: the key is in the error: %s", status, i, msg)
			}
			if !strings.Contains(msg, redacted) || !strings.Contains(msg, "invalid credentials") {
				t.Errorf("status %d, call %d: error %q should keep the message with the key redacted", status, i, msg)
			}
		}
		if strings.Contains(logs.String(), testSecret) {
			t.Errorf("status %d: the key is in the log:\n%s", status, logs.String())
		}
	}
}

func TestRedact(t *testing.T) {
	base := errors.New("HTTP 401: bad key " + testSecret)
	err := redact(base, testSecret)
	if strings.Contains(err.Error(), testSecret) || errors.Unwrap(err) != nil {
		t.Errorf("redact = %q (unwraps to %v)", err, errors.Unwrap(err))
	}
	timeout := redact(fmtErr("timed out with "+testSecret, context.DeadlineExceeded), testSecret)
	if !errors.Is(timeout, context.DeadlineExceeded) {
		t.Errorf("errors.Is lost the deadline: %v", timeout)
	}
	plain := errors.New("HTTP 500: down")
	if redact(plain, testSecret) != plain || redact(base, "x") != base || redact(nil, testSecret) != nil {
		t.Error("redact changed an error that holds no (redactable) key")
	}
}

type wrapped struct {
	msg string
	err error
}

func (w wrapped) Error() string { return w.msg }
func (w wrapped) Unwrap() error { return w.err }

func fmtErr(msg string, err error) error { return wrapped{msg, err} }
