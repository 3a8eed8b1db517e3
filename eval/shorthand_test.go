package eval

import "testing"

// TestShorthand checks the words shortened, capitals kept, and that
// other words are left alone.
func TestShorthand(t *testing.T) {
	for _, tt := range []struct{ in, want string }{
		{"what did the government say?", "what did the govt say?"},
		{"how worried is Italy's Prime Minister?", "how worried is Italy's PM?"},
		{"who are the chief executives of the firms?", "who are the CEOs of the firms?"},
		{"Government plans for 20 years", "Govt plans for 20 yrs"},
		{"how many people governed the nation?", "how many ppl governed the nation?"},
		{"who won the cup?", "who won the cup?"},
	} {
		got := Shorthand([]Question{{Question: tt.in}})[0].Question
		if got != tt.want {
			t.Errorf("Shorthand(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}
