package main

import (
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// sharedData is the shared data directory, next to the repository.
var sharedData = filepath.Join("..", "..", "..", "shared", "data")

// needShared skips t, saying what it skips, when one of the files of
// sharedData it reads is absent: a plain clone has no ../shared.
func needShared(t *testing.T, what string, files ...string) {
	t.Helper()
	for _, f := range files {
		if _, err := os.Stat(filepath.Join(sharedData, f)); err != nil {
			t.Skipf("shared data absent (%v): skipping %s", err, what)
		}
	}
}

// TestEvalNews runs "byline eval" on the two sets of news questions,
// through the same question path as ask and the chat bot, and holds the
// quality floors. The answer model was fitted on these sets among
// others, so the floors guard against regressions; the leave-one-set-out
// numbers in BENCHMARKS.md are the ones that say how it generalises.
func TestEvalNews(t *testing.T) {
	needShared(t, "the news evaluation", "qa/bbc-dev.jsonl", "qa/bbc-chat-dev.jsonl", "news/articles.jsonl")
	t.Parallel()
	e := newEnv(t)
	dump := filepath.Join(t.TempDir(), "dump.jsonl")
	r := e.mustRun(0, "eval", "--only", "bbc-dev,bbc-chat-dev", "--json", "--data", sharedData, "--embed", "fake", "--chat", "fake", "--dump", dump)
	var rep evalReport
	if err := json.Unmarshal([]byte(r.out), &rep); err != nil {
		t.Fatalf("eval --json output is not JSON: %v\n%s", err, r.out)
	}
	if len(rep.Sets) != 2 || rep.Sets[0].Name != "bbc-dev" || rep.Sets[1].Name != "bbc-chat-dev" {
		t.Fatalf("sets = %+v, want bbc-dev and bbc-chat-dev", rep.Sets)
	}
	// Floors per set: a little under what the committed model measures,
	// so that a real regression fails and rounding does not.
	floors := map[string]struct{ recall5, contained, cited, falseAbst, abstain float64 }{
		"bbc-dev":      {recall5: 0.95, contained: 0.68, cited: 0.87, falseAbst: 0.05, abstain: 0.40},
		"bbc-chat-dev": {recall5: 0.85, contained: 0.33, cited: 0.72, falseAbst: 0.05, abstain: 0.25},
	}
	for _, s := range rep.Sets {
		f, a := floors[s.Name], s.Answers
		t.Logf("%s: R@1 %.4f R@5 %.4f; answer in short answer %.4f, in reply %.4f, gold cited %.4f, false abstain %.4f, unanswerable abstained %.4f",
			s.Name, s.Retrieval.Recall1, s.Retrieval.Recall5, a.Contained, a.InReply, a.GoldCited, a.FalseAbstain, a.AbstainCorrect)
		if s.Retrieval.Recall5 < f.recall5 || a.Contained < f.contained || a.GoldCited < f.cited {
			t.Errorf("%s: R@5 %.4f (floor %.2f), answer in short answer %.4f (floor %.2f), gold cited %.4f (floor %.2f)",
				s.Name, s.Retrieval.Recall5, f.recall5, a.Contained, f.contained, a.GoldCited, f.cited)
		}
		if a.FalseAbstain > f.falseAbst || a.AbstainCorrect < f.abstain {
			t.Errorf("%s: false abstentions %.4f (at most %.2f), unanswerable abstained %.4f (at least %.2f)",
				s.Name, a.FalseAbstain, f.falseAbst, a.AbstainCorrect, f.abstain)
		}
		// Hybrid retrieval through the fake embedder: the plumbing works,
		// and int8 vectors keep recall@5 within 1% of float32.
		if h, f32 := s.Hybrid, s.HybridF32; h == nil || f32 == nil || h.Recall5 < f32.Recall5-0.01 {
			t.Errorf("%s: hybrid recall@5 int8 %+v, float32 %+v; want both, int8 within 0.01", s.Name, h, f32)
		}
		// Generated answers through the fake model, which cites the first
		// sentence of the top passage word for word: byline's checks must
		// never refuse such an answer.
		if s.LLMGenerated < 0.95 || len(s.LLMFallbacks) != 0 {
			t.Errorf("%s: generated answers: %.4f written by the model, fallbacks %v; want nearly all, none", s.Name, s.LLMGenerated, s.LLMFallbacks)
		}
	}
	checkDump(t, dump, rep)
}

// checkDump checks that --dump wrote a line per question with the gold
// article's rank in retrieval, agreeing with the R@1 of the report.
func checkDump(t *testing.T, path string, rep evalReport) {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	type line struct {
		Set, Gold string
		GoldRank  *int `json:"gold_rank"`
	}
	lines, first := map[string]int{}, map[string]int{}
	for _, l := range strings.Split(strings.TrimSpace(string(data)), "\n") {
		var d line
		if err := json.Unmarshal([]byte(l), &d); err != nil || d.GoldRank == nil {
			t.Fatalf("dump line %q: %v, or no gold_rank", l, err)
		}
		lines[d.Set]++
		if *d.GoldRank < 0 || *d.GoldRank > 10 || (d.Gold == "" && *d.GoldRank != 0) {
			t.Errorf("dump line %q: gold_rank out of range", l)
		}
		if *d.GoldRank == 1 {
			first[d.Set]++
		}
	}
	for _, s := range rep.Sets {
		if lines[s.Name] != s.Answers.Questions {
			t.Errorf("%s: %d dump lines, want one per question (%d)", s.Name, lines[s.Name], s.Answers.Questions)
		}
		if got := float64(first[s.Name]) / float64(s.Retrieval.Questions); math.Abs(got-s.Retrieval.Recall1) > 1e-9 {
			t.Errorf("%s: gold_rank 1 for %.4f of the answerable questions, R@1 %.4f", s.Name, got, s.Retrieval.Recall1)
		}
	}
}

// TestEvalAsTyped asks questions as people type them in chat, and holds
// floors on the answers. With a typing slip in each (--typos), the
// casual news questions must still be answered, not refused for a word
// no article has (before spelling correction, 27% of the answerable ones
// were). Wrapped in chat framing (--chatter: "hey, … thx!"), SQuAD's
// questions were refused over its small corpora, which lack words such
// as "hey" and "lol" (false abstain 0.068 on these 1,500 questions,
// against 0.046 now and 0.045 bare). In chat shorthand (--shorthand:
// "govt", "PM", "yrs"), the casual news questions are answered as well
// as written out (0.3857, false abstain 0.0143); read as typed, "PM"
// and "CEO" found other stories and "ppl" was a word no article has
// (0.3714 and 0.0286).
func TestEvalAsTyped(t *testing.T) {
	for _, tt := range []struct {
		flag, set, data string
		args            []string
		contained       float64 // floor of answer in short answer
		falseAbstain    float64 // at most
		recall1         float64 // floor of R@1: recall is measured on the question as Ask reads it
	}{
		{"--typos", "bbc-chat-dev", "qa/bbc-chat-dev.jsonl", nil, 0.33, 0.05, 0.62},
		{"--chatter", "squad-1.1", "qa/squad-v1.1-dev.jsonl", []string{"--max", "1500"}, 0.72, 0.055, 0.81},
		{"--shorthand", "bbc-chat-dev", "qa/bbc-chat-dev.jsonl", nil, 0.38, 0.02, 0.64},
	} {
		t.Run(tt.flag, func(t *testing.T) {
			needShared(t, "eval "+tt.flag, tt.data)
			t.Parallel()
			rep := evalOneSet(t, append([]string{"--only", tt.set, tt.flag}, tt.args...)...)
			if rep.Typos != (tt.flag == "--typos") || rep.Chatter != (tt.flag == "--chatter") || rep.Shorthand != (tt.flag == "--shorthand") {
				t.Fatalf("eval %s --json: typos %v, chatter %v, shorthand %v", tt.flag, rep.Typos, rep.Chatter, rep.Shorthand)
			}
			a := rep.Sets[0].Answers
			t.Logf("%s %s: answer in short answer %.4f, false abstain %.4f, R@1 %.4f", tt.set, tt.flag, a.Contained, a.FalseAbstain, rep.Sets[0].Retrieval.Recall1)
			if a.Contained < tt.contained || a.FalseAbstain > tt.falseAbstain {
				t.Errorf("%s %s: answer in short answer %.4f (floor %.2f), false abstain %.4f (at most %.3f)",
					tt.set, tt.flag, a.Contained, tt.contained, a.FalseAbstain, tt.falseAbstain)
			}
			if r := rep.Sets[0].Retrieval.Recall1; r < tt.recall1 {
				t.Errorf("%s %s: R@1 %.4f, floor %.2f", tt.set, tt.flag, r, tt.recall1)
			}
		})
	}
}

// evalOneSet runs byline eval --json on the shared data with args,
// which name one set, and returns its report.
func evalOneSet(t *testing.T, args ...string) evalReport {
	t.Helper()
	r := newEnv(t).mustRun(0, append(append([]string{"eval"}, args...), "--json", "--data", sharedData)...)
	var rep evalReport
	if err := json.Unmarshal([]byte(r.out), &rep); err != nil || len(rep.Sets) != 1 {
		t.Fatalf("eval %s --json: %v, want one set\n%s", strings.Join(args, " "), err, r.out)
	}
	return rep
}

// TestEvalSQuAD2 holds the abstention floors on SQuAD 2.0's half of the
// dev set, where half the questions are unanswerable by design. The
// abstention floor is 0.19, not 0.20: the seventh round read more
// questions right (accents, the kind of answer asked for) and so lost
// refusals made for the wrong reason, a name typed without its accent or
// a figure the question never asked for (0.2027 → 0.1960; BENCHMARKS.md).
func TestEvalSQuAD2(t *testing.T) {
	needShared(t, "the SQuAD 2.0 evaluation", "qa/squad-v2.0-dev-half.jsonl")
	t.Parallel()
	a := evalOneSet(t, "--only", "squad-2.0-half").Sets[0].Answers
	t.Logf("squad-2.0-half: answer in short answer %.4f, false abstain %.4f, unanswerable abstained %.4f", a.Contained, a.FalseAbstain, a.AbstainCorrect)
	if a.Contained < 0.72 || a.FalseAbstain > 0.10 || a.AbstainCorrect < 0.19 {
		t.Errorf("answer in short answer %.4f (floor 0.72), false abstain %.4f (at most 0.10), unanswerable abstained %.4f (floor 0.19)",
			a.Contained, a.FalseAbstain, a.AbstainCorrect)
	}
}

// TestEvalMissingData: without the shared data, eval says where it looked.
func TestEvalMissingData(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	dir := e.path("no-data")
	r := e.run("eval", "--only", "bbc", "--data", dir)
	if r.code != 2 {
		t.Fatalf("exit %d, want 2\nstderr:\n%s", r.code, r.err)
	}
	if want := "no QA data at " + dir; !strings.Contains(r.err, want) {
		t.Errorf("stderr lacks %q:\n%s", want, r.err)
	}
}
