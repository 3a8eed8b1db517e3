package bot

import (
	"testing"
	"time"

	"github.com/byline-news/byline/answer"
)

func TestPlan(t *testing.T) {
	user := func(s string) Turn { return Turn{User: "U1", Text: s} }
	bot := Turn{Text: "Liang Guanglie denied it.", FromBot: true}
	tests := []struct {
		name     string
		question string
		history  []Turn
		search   string
		extract  string
		shown    string
	}{
		{
			name:     "no thread",
			question: "what did Liang deny?",
			search:   "what did Liang deny?", extract: "what did Liang deny?", shown: "what did Liang deny?",
		},
		{
			name:     "pronoun takes the earlier name",
			question: "what did he deny?", history: []Turn{user("what did Liang say about cyber attacks?"), bot},
			search: "what did Liang deny? say cyber attacks", extract: "what did Liang deny?", shown: "what did Liang deny?",
		},
		{
			name:     "thanks is no earlier question",
			question: "what did he deny?", history: []Turn{user("what did Liang say about cyber attacks?"), bot, user("thanks, nice one!")},
			search: "what did Liang deny? say cyber attacks", extract: "what did Liang deny?", shown: "what did Liang deny?",
		},
		{
			name:     "new name drops the earlier one",
			question: "and what did Panetta say?", history: []Turn{user("what did Liang say about cyber attacks?"), bot},
			search: "and what did Panetta say? cyber attacks", extract: "and what did Panetta say?",
			shown: "and what did Panetta say? (cyber attacks)",
		},
		{
			name:     "short question borrows the words to answer",
			question: "what about Panetta?", history: []Turn{user("what did Liang deny?"), bot},
			search: "what about Panetta? deny", extract: "what about Panetta? deny", shown: "what about Panetta? (deny)",
		},
		{
			name:     "plural pronoun",
			question: "what did they discuss?", history: []Turn{user("what did Panetta tell Liang Guanglie?")},
			search: "what did Panetta and Liang Guanglie discuss?", extract: "what did Panetta and Liang Guanglie discuss?",
			shown: "what did Panetta and Liang Guanglie discuss?",
		},
		{
			name:     "pronoun skips a name the question has",
			question: "what did Panetta say about him?", history: []Turn{user("what did Panetta tell Liang?")},
			search: "what did Panetta say about Liang?", extract: "what did Panetta say about Liang?",
			shown: "what did Panetta say about Liang?",
		},
		{
			name:     "possessive",
			question: "what was his job?", history: []Turn{user("who is Leon Panetta?")},
			search: "what was Leon Panetta's job?", extract: "what was Leon Panetta's job?", shown: "what was Leon Panetta's job?",
		},
		{
			name:     "lower-case names are borrowed as words",
			question: "what did he deny?", history: []Turn{user("what did liang say?")},
			search: "what did he deny? liang say", extract: "what did he deny? liang say", shown: "what did he deny? (liang say)",
		},
		{
			name:     "standalone question in a thread",
			question: "what did Panetta say about Taiwan?", history: []Turn{user("what did Liang deny?"), bot},
			search: "what did Panetta say about Taiwan?", extract: "what did Panetta say about Taiwan?",
			shown: "what did Panetta say about Taiwan?",
		},
		{
			name:     "mentions, help and the current message are skipped",
			question: "what did he say?",
			history:  []Turn{user("<@U0BOT> what did Liang deny?"), bot, user("help"), bot, user("what did he say?")},
			search:   "what did Liang say? deny", extract: "what did Liang say?", shown: "what did Liang say?",
		},
		{
			name:     "a link in the earlier question is kept, and its parts are no words",
			question: "what did he deny?", history: []Turn{user("what did Liang say? https://example.com/world/liang-talks"), bot},
			search: "what did Liang deny? say https://example.com/world/liang-talks", extract: "what did Liang deny?",
			shown: "what did Liang deny?",
		},
		{
			name:     "the earlier question's chat framing is not borrowed",
			question: "and what did Panetta say?",
			history:  []Turn{user("sorry to bother, but quick question: what did Liang say about cyber attacks? cheers"), bot},
			search:   "and what did Panetta say? cyber attacks", extract: "and what did Panetta say?",
			shown: "and what did Panetta say? (cyber attacks)",
		},
		{
			name:     "only bot turns",
			question: "what did he say?", history: []Turn{bot},
			search: "what did he say?", extract: "what did he say?", shown: "what did he say?",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := plan(tt.question, tt.history, testNow)
			search := answer.Request{Question: a.question, Context: a.context, Now: testNow}.Query().Text
			if search != tt.search || a.question != tt.extract || a.shown != tt.shown {
				t.Errorf("plan(%q) =\n search  %q\n extract %q\n shown   %q\nwant\n search  %q\n extract %q\n shown   %q",
					tt.question, search, a.question, a.shown, tt.search, tt.extract, tt.shown)
			}
		})
	}
}

func TestPlanTime(t *testing.T) {
	yesterday, today := date(2012, 5, 7, 0), date(2012, 5, 8, 0)
	tests := []struct {
		name     string
		question string
		history  []Turn
		since    time.Time
		until    time.Time
	}{
		{name: "own time words", question: "what happened yesterday?", since: yesterday, until: today},
		{name: "none", question: "what did Liang deny?"},
		{name: "inherited by a follow-up", question: "and Panetta?", history: []Turn{{Text: "what did Liang say yesterday?"}},
			since: yesterday, until: today},
		{name: "own words win", question: "and in March?", history: []Turn{{Text: "what did Liang say yesterday?"}},
			since: date(2012, 3, 1, 0), until: date(2012, 4, 1, 0)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := plan(tt.question, tt.history, testNow)
			q := answer.Request{Question: a.question, Context: a.context, Now: testNow}.Query()
			if !q.Since.Equal(tt.since) || !q.Until.Equal(tt.until) || q.KeepUndated != !tt.since.IsZero() {
				t.Errorf("plan(%q): Since %v Until %v KeepUndated %v; want %v %v %v",
					tt.question, q.Since, q.Until, q.KeepUndated, tt.since, tt.until, !tt.since.IsZero())
			}
		})
	}
}
