package llm

import (
	"io"
	"net/http"
	"strconv"
	"strings"
	"sync/atomic"
	"time"
)

// Retry policy for 429 and 5xx responses.
const (
	maxAttempts   = 3
	maxRetryAfter = 30 * time.Second // a longer Retry-After is not waited for
)

// retrier wraps the HTTP client to retry 429 and 5xx responses. It sits
// below go-openai because go-openai drops the Retry-After header. For a
// stream it sees only the response head, so only the start is retried.
type retrier struct {
	doer interface {
		Do(*http.Request) (*http.Response, error)
	}
	backoff func(attempt int) time.Duration // wait before retry attempt (1-based) when there is no Retry-After
	retries *atomic.Int64                   // counts the requests sent again
}

func (r *retrier) Do(req *http.Request) (*http.Response, error) {
	ctx := req.Context()
	for attempt := 1; ; attempt++ {
		resp, err := r.doer.Do(req)
		if err != nil || !retryable(resp.StatusCode) || attempt >= maxAttempts {
			return resp, err
		}
		wait, ok := retryAfter(resp.Header.Get("Retry-After"), time.Now())
		if !ok {
			wait = r.backoff(attempt)
		}
		if wait > maxRetryAfter {
			return resp, nil
		}
		if dl, ok := ctx.Deadline(); ok && time.Until(dl) < wait {
			return resp, nil // the wait would outlast the deadline: fail now
		}
		if req.GetBody == nil && req.Body != nil {
			return resp, nil // the body cannot be sent again
		}
		io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
		resp.Body.Close()
		t := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			t.Stop()
			return nil, ctx.Err()
		case <-t.C:
		}
		next := req.Clone(ctx)
		if req.GetBody != nil {
			if next.Body, err = req.GetBody(); err != nil {
				return nil, err
			}
		}
		req = next
		if r.retries != nil {
			r.retries.Add(1)
		}
	}
}

func retryable(code int) bool {
	return code == http.StatusTooManyRequests || code >= 500 && code <= 599
}

// backoff is the wait before retry attempt n when the server gives no
// Retry-After: 500ms, then 1s.
func backoff(n int) time.Duration {
	return 500 * time.Millisecond << (n - 1)
}

// retryAfter parses a Retry-After value: seconds or an HTTP date.
func retryAfter(v string, now time.Time) (time.Duration, bool) {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0, false
	}
	if s, err := strconv.Atoi(v); err == nil {
		if s < 0 {
			return 0, false
		}
		return time.Duration(s) * time.Second, true
	}
	if t, err := http.ParseTime(v); err == nil {
		return max(t.Sub(now), 0), true
	}
	return 0, false
}
