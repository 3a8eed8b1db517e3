package analysis

import (
	"slices"
	"testing"
)

func TestTerms(t *testing.T) {
	tests := []struct {
		text string
		want []string
	}{
		{"What did Liang deny?", []string{"liang", "deni"}},
		{"Liang denied it", []string{"liang", "deni"}},
		{"The US economy grew", []string{"us", "economi", "grew"}}, // capitals: a name, not "us"
		{"let us know", []string{"let", "know"}},                   // lower-case "us" is a stop word
		{"WHAT DID LIANG DENY?", []string{"liang", "deni"}},        // all in capitals: no acronyms
		{"THE US ECONOMY GREW", []string{"economi", "grew"}},       // shouted, "US" too
		{"US GDP", []string{"us", "gdp"}},                          // two words may be acronyms
		{"the U.S. economy", []string{"us", "economi"}},            // dotted initials are the acronym
		{"U.S.-led talks", []string{"us", "led", "talk"}},
		{"sales in the u.s.", []string{"sale", "us"}},
		{"THE U.S. AND THE U.K. AGREE", []string{"us", "uk", "agre"}},
		{"at 10 a.m. on Monday", []string{"10", "am", "monday"}},
		{"J. K. Rowling", []string{"j", "k", "rowl"}}, // initials apart are words apart
		{"a.b", []string{"ab"}},
		{"version 3.5.1", []string{"version", "3.5.1"}},
		{"hey, what did the WHO say?", []string{"who", "say"}}, // an acronym among lower-case words
		{"Growth of 3.5% and 1,200 jobs", []string{"growth", "3.5", "1200", "job"}},
		{"Panetta's view; Panetta’s talks", []string{"panetta", "view", "panetta", "talk"}},
		{"Don't stop", []string{"stop"}},
		{"what happened to the harbour bridge?", []string{"harbour", "bridg"}}, // framing: no article says "happened" of what it reports
		{"Café São Paulo", []string{"cafe", "sao", "paulo"}},
		{"Gospić, Erdoğan, Wałęsa, Dvořák", []string{"gospic", "erdogan", "walesa", "dvorak"}}, // every Latin accent
		{"in the 1950's and the 90's", []string{"1950s", "90s"}},
		{"Re\u0301sume\u0301 が", []string{"resum", "が"}}, // an accent written apart; other scripts keep their marks                               // a decade, as "1950s" is written
		{"the 1950s", []string{"1950s"}},
		{"Apple's 2004's results", []string{"appl", "2004", "result"}}, // a year's possessive is the year
		{"Half-Life 2", []string{"half", "life", "2"}},
		{"who is against the tunnel?", []string{"against", "tunnel"}}, // opposition, or a team's opponent: a word
		{"", nil},
		{"?!", nil},
	}
	for _, tt := range tests {
		if got := Terms(tt.text); !slices.Equal(got, tt.want) {
			t.Errorf("Terms(%q) = %q, want %q", tt.text, got, tt.want)
		}
	}
}

func TestJoined(t *testing.T) {
	tests := []struct {
		text string
		want []string // the Joined of each token that has one
	}{
		{"the buy-back plan", []string{"buyback"}},
		{"Wi-Fi and e-mails", []string{"wifi", "email"}},
		{"an up-to-date list", []string{"uptod"}}, // only the whole run: not "upto"
		{"won 3-0 in 2004-05", nil},               // numbers are not compounds
		{"Half-Life 2", []string{"halflif"}},
		{"a - b", nil}, // a dash between words joins nothing
		{"well--known", nil},
		{"buy back", nil},
	}
	for _, tt := range tests {
		var got []string
		for _, tok := range Tokens(tt.text) {
			if tok.Joined != "" {
				got = append(got, tok.Joined)
			}
		}
		if !slices.Equal(got, tt.want) {
			t.Errorf("Joined of %q = %q, want %q", tt.text, got, tt.want)
		}
	}
}

func TestTokenOffsets(t *testing.T) {
	text := "Mr. Okafor’s plan, costing $1.2bn in the U.S., at 10 a.m."
	for _, tok := range Tokens(text) {
		got := text[tok.Start:tok.End]
		if fold(got) != tok.Word {
			t.Errorf("token %+v: text[%d:%d] = %q folds to %q", tok, tok.Start, tok.End, got, fold(got))
		}
	}
	toks := Tokens(text)
	if len(toks) == 0 || !toks[0].Cap || toks[0].Word != "mr" {
		t.Errorf("first token = %+v, want capitalised mr", toks[0])
	}
}

func TestStemIsCachedAndStable(t *testing.T) {
	for _, w := range []string{"running", "denied", "companies", "2005"} {
		if a, b := Stem(w), Stem(w); a != b {
			t.Errorf("Stem(%q) unstable: %q then %q", w, a, b)
		}
	}
	if got := Stem("2005"); got != "2005" {
		t.Errorf("Stem(2005) = %q, numbers are not stemmed", got)
	}
}

func BenchmarkEach(b *testing.B) {
	text := "Harbour City council on Tuesday approved the South Harbour Tunnel, a $1.2bn project that Mayor Mara Okafor said would cut journey times by a third."
	b.SetBytes(int64(len(text)))
	for b.Loop() {
		Each(text, func(Token) {})
	}
}

// TestVerbForms checks the forms of irregular verbs that the index keeps
// apart: each form gives the others, and words that are no such form,
// or whose forms Snowball already joins, give none.
func TestVerbForms(t *testing.T) {
	for _, c := range []struct {
		term string
		want []string
	}{
		{"sell", []string{"sold"}},
		{"sold", []string{"sell"}},
		{"hide", []string{"hid", "hidden"}},
		{"hidden", []string{"hid", "hide"}},
		{"quit", nil},  // one form
		{"add", nil},   // "added" is a stem fix, not another form
		{"table", nil}, // no verb of the table
	} {
		if got := VerbForms(c.term); !slices.Equal(got, c.want) {
			t.Errorf("VerbForms(%q) = %q, want %q", c.term, got, c.want)
		}
	}
	VerbForms("sell")[0] = "buy" // a caller's slice is its own
	if got := VerbForms("sell"); got[0] != "sold" {
		t.Errorf(`VerbForms("sell") = %q after a caller changed its slice`, got)
	}
	if base, ok := IrregularBase("added"); !ok || base != "add" {
		t.Errorf(`IrregularBase("added") = %q, %v; want "add"`, base, ok)
	}
}
