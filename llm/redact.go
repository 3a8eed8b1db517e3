package llm

import (
	"errors"
	"strings"
)

// minSecret is the shortest API key redacted from errors: a key of a few
// characters (local servers accept anything) would garble every message
// it happens to occur in, and protects nothing.
const minSecret = 6

// redacted is what an API key is replaced with in errors and logs.
const redacted = "[redacted API key]"

// redactedError is an error whose message had the API key in it (an
// endpoint that echoes the Authorization header in its error text). It
// has no Unwrap, so the original message cannot be reached through it;
// errors.Is still matches what the original matched (timeouts,
// cancellation, ErrUnavailable).
type redactedError struct {
	msg string
	err error
}

func (e *redactedError) Error() string        { return e.msg }
func (e *redactedError) Is(target error) bool { return errors.Is(e.err, target) }

// redact returns err with every occurrence of secret replaced in its
// message, or err itself when the message does not hold it.
func redact(err error, secret string) error {
	if err == nil || len(secret) < minSecret {
		return err
	}
	msg := err.Error()
	if !strings.Contains(msg, secret) {
		return err
	}
	return &redactedError{msg: strings.ReplaceAll(msg, secret, redacted), err: err}
}
