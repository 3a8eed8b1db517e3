package slack

import (
	"encoding/json"
	"testing"
)

// blocksOf decodes the blocks a call carried (form field or JSON body).
func blocksOf(t testing.TB, c apiCall) []map[string]any {
	t.Helper()
	var raw []byte
	if c.Form != nil {
		raw = []byte(c.Form.Get("blocks"))
	} else if b, ok := c.JSON["blocks"]; ok {
		raw, _ = json.Marshal(b)
	}
	if len(raw) == 0 {
		return nil
	}
	var blocks []map[string]any
	if err := json.Unmarshal(raw, &blocks); err != nil {
		t.Fatalf("blocks are not JSON: %v\n%s", err, raw)
	}
	return blocks
}

// textOf is the call's fallback text.
func textOf(c apiCall) string {
	if c.Form != nil {
		return c.Form.Get("text")
	}
	s, _ := c.JSON["text"].(string)
	return s
}

// strs collects every string inside a decoded JSON value.
func strs(v any) []string {
	switch v := v.(type) {
	case string:
		return []string{v}
	case []any:
		var out []string
		for _, e := range v {
			out = append(out, strs(e)...)
		}
		return out
	case map[string]any:
		var out []string
		for _, e := range v {
			out = append(out, strs(e)...)
		}
		return out
	case []map[string]any:
		var out []string
		for _, e := range v {
			out = append(out, strs(e)...)
		}
		return out
	}
	return nil
}

// blockTexts returns the mrkdwn texts of blocks of type kind, in order.
func blockTexts(blocks []map[string]any, kind string) []string {
	var out []string
	for _, b := range blocks {
		if b["type"] != kind {
			continue
		}
		if txt, ok := b["text"].(map[string]any); ok {
			out = append(out, txt["text"].(string))
		}
		for _, e := range asSlice(b["elements"]) {
			if m, ok := e.(map[string]any); ok && kind == "context" {
				out = append(out, m["text"].(string))
			}
		}
	}
	return out
}

// buttons maps action IDs to values in the message's actions blocks.
func buttons(blocks []map[string]any) map[string]string {
	out := map[string]string{}
	for _, b := range blocks {
		if b["type"] != "actions" {
			continue
		}
		for _, e := range asSlice(b["elements"]) {
			m := e.(map[string]any)
			out[m["action_id"].(string)], _ = m["value"].(string)
		}
	}
	return out
}

func asSlice(v any) []any {
	s, _ := v.([]any)
	return s
}
