package answer

import "testing"

// TestUnframe checks which openings are taken for a lead-in that asks
// whether the reader knows, and that questions about knowing are kept.
func TestUnframe(t *testing.T) {
	for _, tt := range []struct{ in, want string }{
		{"does anyone know who won the cup?", "who won the cup?"},
		{"Do you remember when the bridge reopened?", "when the bridge reopened?"},
		{"hey, anybody know if the ferry runs today?", "the ferry runs today?"},
		{"any idea what Liang denied?", "what Liang denied?"},
		{"I was wondering whether the mill was sold", "the mill was sold"},
		{"what did Blair know about the dossier?", "what did Blair know about the dossier?"},
		{"whose idea was the tunnel?", "whose idea was the tunnel?"},
		{"summarise the kelp story", "the kelp story"},
		{"can you pls explain why the tunnel costs more?", "why the tunnel costs more?"},
		{"tl;dr the Spector case", "the Spector case"},
		{"hey, give me a quick rundown of the Yukos sale", "the Yukos sale"},
		{"what's the gist of the EMI warning?", "the EMI warning?"},
		{"how did Hoffman describe film culture?", "how did Hoffman describe film culture?"},
		{"sorry to bother, but what did Liang deny?", "what did Liang deny?"},
		{"Sorry, who won the cup? cheers", "who won the cup? cheers"},
		{"hi all, sorry to bother you all but does anyone know who won the cup?", "who won the cup?"},
		{"apologies for asking again - when does the ferry run?", "when does the ferry run?"},
		{"sorry for the delay", "sorry for the delay"},
		{"sorry if this is a dumb q but how much did the tunnel cost", "how much did the tunnel cost"},
		{"sorry if I missed it", "sorry if I missed it"},
		{"quick question: what did Liang deny?", "what did Liang deny?"},
		{"hey team, sorry to bother you, but quick question: does anyone know what Liang denied?", "what Liang denied?"},
		{"Morning! who won the cup?", "who won the cup?"},
		{"hey team, random one - when does the ferry run?", "when does the ferry run?"},
		{"good afternoon all, does anyone know who won the cup?", "who won the cup?"},
		{"morning trains: when do they start?", "morning trains: when do they start?"},
		{"what was asked at question time?", "what was asked at question time?"},
		{"why did Blair say sorry?", "why did Blair say sorry?"},
		{"sorry?", "sorry?"},
		{"does anyone know?", "does anyone know?"},
		{"do you know", "do you know"},
	} {
		if got := unframe(tt.in); got != tt.want {
			t.Errorf("unframe(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

// TestUnsign checks that thanks after a question are dropped, and that
// a question about cheering is kept.
func TestUnsign(t *testing.T) {
	for _, tt := range []struct{ in, want string }{
		{"when do the trains run? cheers", "when do the trains run?"},
		{"who won the cup? Cheers all!", "who won the cup?"},
		{"who won the cup, much appreciated 🙏", "who won the cup,"},
		{"what did Liang deny? thank you so much :)", "what did Liang deny?"},
		{"why did Wall Street cheers Bush victory?", "why did Wall Street cheers Bush victory?"},
		{"who cheers loudest? the fans", "who cheers loudest? the fans"},
		{"cheers", "cheers"},
	} {
		if got := unsign(tt.in); got != tt.want {
			t.Errorf("unsign(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

// TestUnabbreviate checks that chat shorthand is written out, and that
// a time and words that merely contain a short form are kept.
func TestUnabbreviate(t *testing.T) {
	for _, tt := range []struct{ in, want string }{
		{"what did the govt say?", "what did the government say?"},
		{"what did gov't ministers say?", "what did government ministers say?"},
		{"how worried is Italy's PM?", "how worried is Italy's prime minister?"},
		{"what did the PM's office say about the ex-execs?", "what did the prime minister's office say about the former executives?"},
		{"how much are the Ex-WorldCom directors paying?", "how much are the former WorldCom directors paying?"},
		{"what did the index say?", "what did the index say?"},
		{"how many yrs did Lee spend at Marvel?", "how many years did Lee spend at Marvel?"},
		{"what happened at 3 pm?", "what happened at 3 pm?"},
		{"what happened at 3pm?", "what happened at 3pm?"},
		{"which unique university?", "which unique university?"},
		{"how much did Shanda shell out for Sina?", "how much did Shanda pay for Sina?"},
		{"what has Orbis shelled out so far?", "what has Orbis paid so far?"},
		{"who's coughing up for the tunnel?", "who's paying for the tunnel?"},
		{"what are shoppers splashing out on?", "what are shoppers spending on?"},
		{"is Shell out of the deal?", "is Shell out of the deal?"},
		{"how many ops did Walker have?", "how many operations did Walker have?"},
	} {
		if got := unabbreviate(tt.in); got != tt.want {
			t.Errorf("unabbreviate(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

// TestAsksSummary checks which messages ask for a summary of a topic
// rather than a question.
func TestAsksSummary(t *testing.T) {
	for in, want := range map[string]bool{
		"tl;dr the Spector case":                   true,
		"hey, can you summarise the kelp story?":   true,
		"sorry, can you summarise the kelp story?": true,
		"give me a rundown of the Yukos sale":      true,
		"explain why the tunnel costs more":        false,
		"can you explain how the vote works?":      false,
		"what did the report summarise?":           false,
		"how did Hoffman describe film culture?":   false,
		"summarise":                                false,
	} {
		if got := asksSummary(in); got != want {
			t.Errorf("asksSummary(%q) = %v, want %v", in, got, want)
		}
	}
}

func TestReaction(t *testing.T) {
	for in, want := range map[string]bool{
		"thanks!":                     true,
		"sorry?":                      true,
		"Sorry, what?":                true,
		"nice one :)":                 true,
		"that's great, cheers":        true,
		"much appreciated 🙏":          true,
		"ok":                          true,
		"sorry, what did Liang deny?": false,
		"thanks, and the tunnel?":     false,
		"what's nice?":                false,
		"Nice harbour":                false,
		"great barrier reef":          false,
	} {
		if got := Reaction(in); got != want {
			t.Errorf("Reaction(%q) = %v, want %v", in, got, want)
		}
	}
}
