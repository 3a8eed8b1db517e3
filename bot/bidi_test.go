package bot

import "testing"

func TestNeutraliseBidi(t *testing.T) {
	tests := map[string]string{
		"plain":                                   "plain",
		"access\u202e\u2066level\u2069\u2066":     "accesslevel",
		"\u202aembedded\u202c \u202bright\u202c":  "embedded right",
		"\u2067isolate\u2069 \u2068first\u2069":   "isolate first",
		"שלום\u200f world \u200e and \u061c kept": "שלום\u200f world \u200e and \u061c kept",
	}
	for in, want := range tests {
		if got := NeutraliseBidi(in); got != want {
			t.Errorf("NeutraliseBidi(%q) = %q, want %q", in, got, want)
		}
	}
}
