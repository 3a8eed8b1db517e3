package answer

import "testing"

func TestExpands(t *testing.T) {
	tests := []struct {
		text, letters string
		want          bool
	}{
		{"The Department of Work and Pensions shredded files.", "dwp", true},
		{"The Freedom of Information Act starts in January.", "foi", true},
		{"The Freedom of Information Act starts in January.", "fi", true},
		{"Qwest paid the Securities and Exchange Commission $250m.", "sec", true},
		{"The Bank of England held rates.", "boe", true},
		{"Los Angeles Lakers won again.", "la", true},
		{"United Methodist Church leaders met.", "umc", true},
		{"Honda, Toyota and Nissan opened plants.", "ht", false},
		{"The department of work and pensions shredded files.", "dwp", false},
		{"The Department of Work shredded files.", "dwp", false},
		{"Work and Pensions staff shredded files.", "dwp", false},
	}
	for _, tt := range tests {
		s := splitSents(tt.text)[0]
		got := false
		for i := range s.toks {
			if _, ok := expands(s, i, tt.letters); ok {
				got = true
			}
		}
		if got != tt.want {
			t.Errorf("%q spells out %q: %v, want %v", tt.text, tt.letters, got, tt.want)
		}
	}
}
