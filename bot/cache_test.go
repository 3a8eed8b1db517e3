package bot

import (
	"testing"
	"time"
)

func TestCache(t *testing.T) {
	now := time.Unix(1_700_000_000, 0)
	c := NewCache[int](time.Hour, 3, func() time.Time { return now })
	if !c.Claim("a") || c.Claim("a") {
		t.Fatalf("claim: first should win, second lose")
	}
	c.Put("b", 2)
	c.Put("c", 3)
	c.Put("d", 4) // over max: "a", the oldest, goes
	if c.Has("a") || !c.Has("d") || c.len() != 3 {
		t.Errorf("after overflow: has(a)=%v has(d)=%v len=%d", c.Has("a"), c.Has("d"), c.len())
	}
	now = now.Add(30 * time.Minute)
	c.Put("b", 20) // renewed
	now = now.Add(45 * time.Minute)
	if v, ok := c.Get("b"); !ok || v != 20 || c.Has("c") {
		t.Errorf("after 75 min: b=%v,%v (want 20,true), has(c)=%v (want false)", v, ok, c.Has("c"))
	}
	if !c.Claim("c") {
		t.Errorf("an expired key cannot be claimed again")
	}
}
