package answer

import "unicode/utf8"

// Token budgeting. Counting tokens exactly needs the model's tokenizer,
// which differs between OpenAI, Llama and the rest; three characters per
// token over-counts English (about four) and stays safe for other
// languages, so the prompt fits whichever model is behind the endpoint.
const (
	charsPerToken   = 3
	passageOverhead = 24  // tokens of a passage's title, outlet and date lines, beyond their text
	minPassageChars = 200 // a passage cut shorter than this says too little to cite
)

// estimateTokens is a safe upper estimate of s's length in tokens.
func estimateTokens(s string) int {
	return (utf8.RuneCountInString(s) + charsPerToken - 1) / charsPerToken
}

// budgetPrompt builds the user prompt from as many passages, cut as
// short, as fit the context window with room for the system prompt and
// the reply. It returns the prompt and the passages it holds, in order;
// the first passage is always kept, cut if need be.
func budgetPrompt(question string, passages []passage, gen GenOptions) (string, []passage) {
	left := gen.ContextTokens - answerTokens - estimateTokens(systemPrompt) - estimateTokens(userPrompt(question, nil, nil, gen.Now))
	var limits []int
	for i, h := range passages {
		left -= passageOverhead + estimateTokens(h.Article.Title) + estimateTokens(h.Article.Outlet) + estimateTokens(h.context)
		chars := min(maxPassageLen, utf8.RuneCountInString(h.Text), max(left, 0)*charsPerToken)
		if chars < minPassageChars && chars < utf8.RuneCountInString(h.Text) {
			if i > 0 {
				passages = passages[:i]
				break
			}
			chars = minPassageChars
		}
		limits = append(limits, chars)
		left -= (chars + charsPerToken - 1) / charsPerToken
	}
	return userPrompt(question, passages, limits, gen.Now), passages
}
