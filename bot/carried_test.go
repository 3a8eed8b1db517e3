package bot

import "testing"

func TestAlsoCarried(t *testing.T) {
	tests := []struct {
		in   []string
		want string
	}{
		{nil, ""},
		{[]string{"Coast Post"}, "also carried by 1 outlet (Coast Post)"},
		{[]string{"Coast Post", "Valley Times"}, "also carried by 2 outlets (Coast Post, Valley Times)"},
	}
	for _, tt := range tests {
		if got := AlsoCarried(tt.in); got != tt.want {
			t.Errorf("AlsoCarried(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}
