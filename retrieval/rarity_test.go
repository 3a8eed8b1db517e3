package retrieval

import (
	"math"
	"testing"
)

func TestRarity(t *testing.T) {
	tests := []struct {
		name    string
		df, n   int64
		want    float64
		epsilon float64
	}{
		{"in no document", 0, 1000, 1, 0},
		{"empty index", 0, 0, 1, 0},
		{"in every document", 1000, 1000, math.Log(1001/1000.5) / math.Log(1001/0.5), 1e-15},
		{"in half", 500, 1000, math.Log(1001/500.5) / math.Log(1001/0.5), 1e-15},
		{"df above n counts as n", 12, 10, Rarity(12, 12), 0},
	}
	for _, tt := range tests {
		if got := Rarity(tt.df, tt.n); math.Abs(got-tt.want) > tt.epsilon {
			t.Errorf("%s: Rarity(%d, %d) = %v, want %v", tt.name, tt.df, tt.n, got, tt.want)
		}
	}
	if r := Rarity(1000, 1000); r <= 0 || r > 0.001 {
		t.Errorf("a term in every one of 1,000 documents: %v, want just above 0", r)
	}
	// Rarer is higher, at any size.
	for _, n := range []int64{10, 1000, 1_000_000} {
		for df := int64(0); df < n; df = df*2 + 1 {
			if Rarity(df, n) <= Rarity(min(df*2+1, n), n) {
				t.Errorf("Rarity(%d, %d) = %v is not above Rarity(%d, %d) = %v", df, n, Rarity(df, n), df*2+1, n, Rarity(df*2+1, n))
			}
		}
	}
}
