package answer

import (
	"slices"
	"testing"
)

// TestCutLinks checks that links, bare or wrapped as Slack and Discord
// send them, are taken out of a question and kept.
func TestCutLinks(t *testing.T) {
	for _, tt := range []struct {
		in, want string
		links    []string
	}{
		{"what does https://example.org/a say about the fine?", "what does say about the fine?", []string{"https://example.org/a"}},
		{"any news on the fine? <https://example.org/a|example.org/a>", "any news on the fine?", []string{"https://example.org/a"}},
		{"<https://example.org/a?id=3> who paid?", "who paid?", []string{"https://example.org/a?id=3"}},
		{"who paid, in http://example.org/a?", "who paid, in ?", []string{"http://example.org/a"}},
		{"who paid the fine?", "who paid the fine?", nil},
	} {
		got, links := CutLinks(tt.in)
		if got != tt.want || !slices.Equal(links, tt.links) {
			t.Errorf("CutLinks(%q) = %q, %q; want %q, %q", tt.in, got, links, tt.want, tt.links)
		}
	}
}
