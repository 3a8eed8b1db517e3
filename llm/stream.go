package llm

import (
	"context"
	"errors"
	"io"
	"strings"
	"unicode"

	openai "github.com/sashabaranov/go-openai"
)

// errStreamCutOff is a stream that ended before any finish_reason:
// go-openai reports a dropped connection as a plain io.EOF too.
var errStreamCutOff = errors.New("the stream was cut off before the model finished")

// Stream is Complete, streamed: onText (when not nil) is called with the
// reply so far, leading space trimmed, after each delta that adds text;
// throttling it is the caller's job. It returns the whole reply, trimmed.
// Only the start of a stream is retried; an error or a cut-off in the
// middle fails the call.
func (c *Client) Stream(ctx context.Context, system, user string, onText func(soFar string)) (string, error) {
	if c.model == "" {
		return "", errNoChatModel
	}
	var reply string
	err := c.call(ctx, "chat completion stream", c.model, c.timeout, func(ctx context.Context) (usage, error) {
		req := c.chatRequest(system, user)
		req.StreamOptions = &openai.StreamOptions{IncludeUsage: true}
		s, err := c.api.CreateChatCompletionStream(ctx, req)
		if err != nil {
			return usage{}, describe(err)
		}
		defer s.Close()
		text, u, err := readStream(s, onText)
		reply = strings.TrimSpace(text)
		return u, err
	})
	if err != nil {
		return "", err
	}
	return reply, nil
}

// readStream reads s to its end and checks that the model finished.
func readStream(s *openai.ChatCompletionStream, onText func(string)) (string, usage, error) {
	var (
		b      strings.Builder
		u      usage
		finish openai.FinishReason
	)
	for {
		chunk, err := s.Recv()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return "", u, describe(err)
		}
		if chunk.Usage != nil { // the last chunk, when usage was asked for
			u = chatUsage(*chunk.Usage)
		}
		for _, ch := range chunk.Choices {
			if ch.Index != 0 {
				continue // only one choice is asked for
			}
			if ch.FinishReason != "" {
				finish = ch.FinishReason
			}
			if ch.Delta.Content == "" {
				continue
			}
			b.WriteString(ch.Delta.Content)
			if soFar := strings.TrimLeftFunc(b.String(), unicode.IsSpace); soFar != "" && onText != nil {
				onText(soFar)
			}
		}
	}
	switch finish {
	case "":
		return "", u, errStreamCutOff
	case openai.FinishReasonLength:
		return "", u, errCutOff
	}
	return b.String(), u, nil
}
