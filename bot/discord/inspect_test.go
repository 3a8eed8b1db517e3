package discord

import (
	"strings"
	"testing"
)

// dataOf is the "data" object of an interaction response.
func dataOf(t testing.TB, resp map[string]any) map[string]any {
	t.Helper()
	d, ok := resp["data"].(map[string]any)
	if !ok {
		t.Fatalf("response %v has no data", resp)
	}
	return d
}

// checkAnswer checks a message payload (response data, edit or channel
// message) for the Liang answer: its text, one sources embed with the
// linked title, outlet and date, 👍/👎 buttons, and mentions off.
func checkAnswer(t testing.TB, m map[string]any) {
	t.Helper()
	if c, _ := m["content"].(string); !strings.Contains(c, "denied") {
		t.Errorf("content = %q, want Liang's denial", c)
	}
	embeds, _ := m["embeds"].([]any)
	if len(embeds) != 1 {
		t.Fatalf("embeds = %v, want one listing the sources", m["embeds"])
	}
	e := embeds[0].(map[string]any)
	desc, _ := e["description"].(string)
	want := "**\\[1\\]** [China's defence minister rejects blame for cyber attacks](https://example.com/world/pentagon-cyber-talks) · Test Wire · as of 7 May 2012\n> "
	if e["title"] != sourcesTitle || !strings.HasPrefix(desc, want) {
		t.Errorf("embed %v, want title %q and description starting %q", e, sourcesTitle, want)
	}
	if b := buttons(t, m); len(b) != 2 || !strings.HasPrefix(b[0], helpfulPrefix) || !strings.HasPrefix(b[1], unhelpfulPrefix) {
		t.Errorf("buttons %v, want 👍 and 👎", b)
	}
	checkNoMentions(t, m)
}

// checkNoMentions fails unless m carries allowed_mentions with an empty
// parse list, so nothing in it can ping anyone.
func checkNoMentions(t testing.TB, m map[string]any) {
	t.Helper()
	am, _ := m["allowed_mentions"].(map[string]any)
	parse, ok := am["parse"].([]any)
	if !ok || len(parse) != 0 || am["replied_user"] == true || am["users"] != nil || am["roles"] != nil {
		t.Errorf("allowed_mentions = %v, want {\"parse\": []}", m["allowed_mentions"])
	}
}

// buttons lists the custom IDs of a message's buttons.
func buttons(t testing.TB, m map[string]any) []string {
	t.Helper()
	var ids []string
	rows, _ := m["components"].([]any)
	for _, r := range rows {
		cs, _ := r.(map[string]any)["components"].([]any)
		for _, c := range cs {
			if id, ok := c.(map[string]any)["custom_id"].(string); ok {
				ids = append(ids, id)
			}
		}
	}
	return ids
}
