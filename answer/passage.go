package answer

import "github.com/byline-news/byline/retrieval"

// passage is a hit as the model is shown it: the hit, and context, the
// paragraph before it (cut to maxContextLen) when its text refers back,
// else "". Worked out once per answer, it serves the token budget, the
// prompt and the support check alike.
type passage struct {
	retrieval.Hit
	context string
}

func passagesOf(hits []retrieval.Hit) []passage {
	out := make([]passage, len(hits))
	for i, h := range hits {
		out[i] = passage{Hit: h, context: cut(leadContext(h), maxContextLen)}
	}
	return out
}

// published is an article's date as the model is shown it.
func published(a retrieval.Article) string {
	if a.Published.IsZero() {
		return "unknown"
	}
	return a.Published.UTC().Format("2 January 2006")
}

// maxContextLen bounds the paragraph before a passage, in characters.
const maxContextLen = 400

// leadContext is the paragraph before h when h's first sentence refers
// back to it ("He said…", "But that is something…"): without it, a model
// cannot tell who "he" is. It is "" otherwise, to spend no tokens.
func leadContext(h retrieval.Hit) string {
	if h.Before == "" {
		return ""
	}
	p := newPara(&h, 0)
	if len(p.sents) == 0 {
		return ""
	}
	if first := p.sents[0]; !leansBack(first) && !hasPronoun(first.toks) {
		return ""
	}
	return h.Before
}
