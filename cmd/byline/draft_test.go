package main

import (
	"strings"
	"testing"
)

func TestDraft(t *testing.T) {
	t.Parallel()
	var b strings.Builder
	d := newDraft(&b, 10)
	steps := []struct {
		do   func()
		want string
	}{
		{func() { d.show("Liang") }, "\x1b[2mLiang\x1b[0m"},
		{func() { d.show("Liang denied") }, "\x1b[2m denied\x1b[0m"}, // only the new part
		{func() { d.show("Liang denied it [1]. Then") }, "\x1b[2m it [1]. Then\x1b[0m"},
		{func() { d.show("Other text") }, "\r\x1b[2A\x1b[J\x1b[2mOther text\x1b[0m"}, // 25 characters in 10 columns: 3 rows
		{func() { d.clear() }, "\r\x1b[J"},
		{func() { d.clear() }, ""}, // nothing left to clear
	}
	for i, s := range steps {
		b.Reset()
		s.do()
		if got := b.String(); got != s.want {
			t.Errorf("step %d wrote %q, want %q", i, got, s.want)
		}
	}
	var none *draft
	none.clear() // a nil draft is a no-op
}
