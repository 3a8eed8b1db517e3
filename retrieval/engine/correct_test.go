package engine

import (
	"strings"
	"testing"
)

// TestKeyNeighboursSymmetric checks the keyboard table: each letter's
// neighbours have it as a neighbour too.
func TestKeyNeighboursSymmetric(t *testing.T) {
	for i, ns := range keyNeighbours {
		a := byte('a' + i)
		for j := 0; j < len(ns); j++ {
			if !strings.Contains(keyNeighbours[ns[j]-'a'], string(a)) {
				t.Errorf("%c is next to %c, but not %c next to %c", ns[j], a, a, ns[j])
			}
		}
	}
	for _, tc := range []struct {
		a, b byte
		want bool
	}{{'b', 'v', true}, {'e', 'i', true}, {'c', 's', true}, {'b', 's', false}, {'j', 'g', false}} {
		if got := slip(tc.a, tc.b); got != tc.want {
			t.Errorf("slip(%c, %c) = %v, want %v", tc.a, tc.b, got, tc.want)
		}
	}
}
