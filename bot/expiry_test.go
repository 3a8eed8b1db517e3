package bot

import (
	"testing"
	"time"
)

func TestDedup(t *testing.T) {
	clk := &clock{t: testNow}
	d := NewDedup(time.Hour, clk.Now)
	steps := []struct {
		advance time.Duration
		key     string
		want    bool
	}{
		{0, "Ev1", false},
		{0, "Ev1", true},
		{0, "C1/1336.1", false},
		{59 * time.Minute, "Ev1", true}, // a repeat does not renew it
		{time.Minute, "Ev1", false},     // an hour after the first sighting
		{0, "Ev1", true},
	}
	for i, s := range steps {
		clk.Add(s.advance)
		if got := d.Seen(s.key); got != s.want {
			t.Fatalf("step %d: Seen(%q) = %v, want %v", i, s.key, got, s.want)
		}
	}
	if got := d.set.len(); got != 1 {
		t.Errorf("%d keys kept, want 1 (the expired one dropped)", got)
	}
}

func TestThreads(t *testing.T) {
	clk := &clock{t: testNow}
	th := NewThreads(time.Hour, 2, clk.Now)
	th.Mark("a")
	th.Mark("b")
	if !th.Active("a") || !th.Active("b") || th.Active("c") {
		t.Fatal("want a and b active, c not")
	}
	th.Mark("a") // renews a, so b is now the least recently answered
	th.Mark("c")
	if !th.Active("a") || th.Active("b") || !th.Active("c") {
		t.Fatal("over max: want b dropped, a and c kept")
	}
	clk.Add(59 * time.Minute)
	th.Mark("c")
	clk.Add(time.Minute)
	if th.Active("a") || !th.Active("c") {
		t.Fatal("after an hour: want a expired, c (renewed) active")
	}
	if got := th.set.len(); got != 1 {
		t.Errorf("%d threads kept, want 1", got)
	}
}

func TestExpiringDefaults(t *testing.T) {
	if d := NewDedup(0, nil); d.set.ttl != DefaultDedupTTL || d.Seen("x") || !d.Seen("x") {
		t.Error("NewDedup(0, nil) should use the default TTL and time.Now")
	}
	if th := NewThreads(0, 0, nil); th.set.ttl != DefaultThreadTTL || th.set.max != DefaultMaxThreads {
		t.Error("NewThreads(0, 0, nil) should use the defaults")
	}
}
