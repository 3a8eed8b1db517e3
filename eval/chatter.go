package eval

import "math/rand/v2"

// Chatter returns qs with each question wrapped as people wrap one in
// team chat: a greeting or lead-in before it and thanks, laughter or an
// emoji after it, drawn from seed so a run can be repeated (a fifth of
// the lead-ins and of the sign-offs are empty). Half the framings
// are stop words ("hey", "thx", "lol"); the other half are ordinary
// words ("morning!", "sorry to bother, but", "cheers"), which answer.Ask
// sets aside by their place in the message (an opening, a sign-off
// after the question) but which retrieval alone would search.
func Chatter(qs []Question, seed uint64) []Question {
	r := rand.New(rand.NewPCG(seed, 2))
	out := make([]Question, len(qs))
	for i, q := range qs {
		out[i] = q
		out[i].Question = leadIns[r.IntN(len(leadIns))] + q.Question + signOffs[r.IntN(len(signOffs))]
	}
	return out
}

var (
	leadIns = []string{"", "", "hey, ", "hi all - ", "ok so ", "quick question: ", "does anyone know ",
		"morning! ", "sorry to bother, but ", "random one: "}
	signOffs = []string{"", "", " thanks", " thx!", " lol", " pls", " 🙏", " cheers", " :)", "??"}
)
