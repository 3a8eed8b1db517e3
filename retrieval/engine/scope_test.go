package engine

import (
	"context"
	"fmt"
	"testing"

	"github.com/byline-news/byline/retrieval"
)

// scopeState is a state of segs segments of n documents each, whose
// sources are loaded already: document d is from outlet d%outlets, and
// every seventh is deleted.
func scopeState(ix *Index, segs, n, outlets int) *state {
	st := &state{}
	ids := make([]uint32, outlets)
	for o := range outlets {
		ids[o] = ix.dict.id(source{outlet: fmt.Sprintf("Outlet %02d", o)})
	}
	doc := int64(1)
	for k := range segs {
		s := &segment{id: int64(k + 1), src: &segSources{ids: make([]uint32, n)}, deleted: make([]bool, n)}
		for i := range n {
			s.docs = append(s.docs, doc)
			s.src.ids[i] = ids[int(doc)%outlets]
			s.deleted[i] = doc%7 == 0
			doc++
		}
		st.segs = append(st.segs, s)
	}
	return st
}

func TestScopeDocs(t *testing.T) {
	ix := New(nil, Options{})
	st := scopeState(ix, 3, 50, 10)
	set, err := ix.scopeDocs(context.Background(), nil, st, retrieval.Scope{Outlets: []string{"outlet 03"}})
	if err != nil {
		t.Fatal(err)
	}
	for doc := int64(0); doc < 200; doc++ {
		want := doc >= 1 && doc <= 150 && doc%10 == 3 && doc%7 != 0
		if set.has(doc) != want {
			t.Errorf("doc %d in scope = %v, want %v", doc, set.has(doc), want)
		}
	}
	if again, _ := ix.scopeDocs(context.Background(), nil, st, retrieval.Scope{Outlets: []string{"Outlet  03"}}); &again[0] != &set[0] {
		t.Error("the same scope in another spelling was computed again, not reused")
	}
}

// BenchmarkScopeDocs times what a scoped search pays once per index
// generation: the scope's document set over 1M documents in 10
// segments, their sources already loaded.
func BenchmarkScopeDocs(b *testing.B) {
	ix := New(nil, Options{})
	st := scopeState(ix, 10, 100_000, 100)
	scope := retrieval.Scope{Outlets: []string{"Outlet 07"}}
	for b.Loop() {
		st.scopes = nil
		if _, err := ix.scopeDocs(context.Background(), nil, st, scope); err != nil {
			b.Fatal(err)
		}
	}
}
