package answer

import (
	"fmt"
	"os"
	"testing"

	"github.com/byline-news/byline/retrieval"
)

func TestZZCue(t *testing.T) {
	q := parseQuestion(asTyped(os.Getenv("ZZQ")))
	p := newPara(&retrieval.Hit{Text: os.Getenv("ZZS")}, 0)
	sc := &scorer{q: q}
	for _, st := range p.sents {
		for i, tk := range st.toks {
			if sc.cueAt(st, i) {
				fmt.Println("cue", tk.Word, "pastTime", pastTime(st, i), "isTime", isTime(st.toks, i))
			}
		}
	}
	fmt.Println("future", q.future)
}
