package sentence

import (
	"os"
	"reflect"
	"strings"
	"testing"
	"unicode"
)

func TestSplit(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want []string
	}{
		{"empty", "", nil},
		{"spaces only", "  \n\t ", nil},
		{"no terminal punctuation", "  Shares fell sharply on Monday  ", []string{"Shares fell sharply on Monday"}},
		{"two plain", "It rained. It stopped.", []string{"It rained.", "It stopped."}},
		{"question and exclamation", "Why now? Because! Then calm.", []string{"Why now?", "Because!", "Then calm."}},
		{"question inside quote runs on", `"Why now?" she asked. He shrugged.`, []string{`"Why now?" she asked.`, "He shrugged."}},
		{"closing quote stays", `He said: "It is over." Next came the vote.`, []string{`He said: "It is over."`, "Next came the vote."}},
		{"closing bracket stays", "Profits rose (as expected.) The board met.", []string{"Profits rose (as expected.)", "The board met."}},
		{"curly quotes", "She said: “We won.” Then she left.", []string{"She said: “We won.”", "Then she left."}},
		{"curly single quotes", "It was ‘a disaster.’ Few agreed.", []string{"It was ‘a disaster.’", "Few agreed."}},
		{"titles", "Mr. Lee met Mrs. Diaz and Prof. Kahn. Sen. Ortiz and Rep. Wu came.", []string{"Mr. Lee met Mrs. Diaz and Prof. Kahn.", "Sen. Ortiz and Rep. Wu came."}},
		{"more titles", "Gen. Adeyemi and Dr. Moss toured St. Albans.", []string{"Gen. Adeyemi and Dr. Moss toured St. Albans."}},
		{"company suffix mid sentence", "Acme Inc. said sales of Zed Ltd. and Bolt Co. rose.", []string{"Acme Inc. said sales of Zed Ltd. and Bolt Co. rose."}},
		{"company suffix ends", "He joined Acme Inc. The move surprised staff.", []string{"He joined Acme Inc.", "The move surprised staff."}},
		{"Corp then name", "Shares in Rivet Corp. Holdings fell.", []string{"Shares in Rivet Corp. Holdings fell."}},
		{"vs", "It was Leeds vs. Hull at home.", []string{"It was Leeds vs. Hull at home."}},
		{"etc ends", "They sold pens, paper, etc. The shop closed.", []string{"They sold pens, paper, etc.", "The shop closed."}},
		{"etc runs on", "They sold pens, paper, etc. and more.", []string{"They sold pens, paper, etc. and more."}},
		{"US secretary", "He met the U.S. Secretary of State.", []string{"He met the U.S. Secretary of State."}},
		{"US ends", "He lived in the U.S. The next day he left.", []string{"He lived in the U.S.", "The next day he left."}},
		{"UK lower-case next", "The U.K. economy grew.", []string{"The U.K. economy grew."}},
		{"UK quote next", `Talks in the U.K. "We are close," he said.`, []string{"Talks in the U.K.", `"We are close," he said.`}},
		{"months", "It opens Jan. 5 and closes Sept. 12 this year.", []string{"It opens Jan. 5 and closes Sept. 12 this year."}},
		{"decimals and money", "Growth was 3.5% and profit $1.13bn. Costs hit £2.4m.", []string{"Growth was 3.5% and profit $1.13bn.", "Costs hit £2.4m."}},
		{"initials", "It was by J. R. R. Tolkien. George W. Bush read it.", []string{"It was by J. R. R. Tolkien.", "George W. Bush read it."}},
		{"joined initials", "A tale by J.R.R. Tolkien and E. B. White.", []string{"A tale by J.R.R. Tolkien and E. B. White."}},
		{"initial ends before starter", "They chose plan B. The vote was close.", []string{"They chose plan B.", "The vote was close."}},
		{"ellipsis lower runs on", "Well... maybe not. Fine.", []string{"Well... maybe not.", "Fine."}},
		{"ellipsis upper splits", "He paused... Then he spoke.", []string{"He paused...", "Then he spoke."}},
		{"unicode ellipsis", "He paused… Then he spoke… softly.", []string{"He paused…", "Then he spoke… softly."}},
		{"digit starts sentence", "Sales fell. 2004 was worse.", []string{"Sales fell.", "2004 was worse."}},
		{"quote starts sentence", `Sales fell. "Awful," he said.`, []string{"Sales fell.", `"Awful," he said.`}},
		{"lower-case word runs on", "The firm earned approx. five times more.", []string{"The firm earned approx. five times more."}},
		{"camel case starts", "Apple gained. iPod sales doubled. eBay slid.", []string{"Apple gained.", "iPod sales doubled.", "eBay slid."}},
		{"numbered abbreviation", "He lives at No. 10 and cited Fig. 3 twice.", []string{"He lives at No. 10 and cited Fig. 3 twice."}},
		{"times", "Polls close at 10 p.m. Thursday. Counting starts at once.", []string{"Polls close at 10 p.m. Thursday.", "Counting starts at once."}},
		{"interrobang", "Really?! Yes.", []string{"Really?!", "Yes."}},
		{"no space after stop", "Visit bbc.co.uk.Today only.", []string{"Visit bbc.co.uk.Today only."}},
		{"accented word", "Ils ont mangé. Après, rien.", []string{"Ils ont mangé.", "Après, rien."}},
		{"no-break space", "It rained.\u00a0It stopped.", []string{"It rained.", "It stopped."}},
		{"numbered list", "Steps:\n1. Open it.\n2. Shut it.", []string{"Steps:", "1. Open it.", "2. Shut it."}},
		{"blank line", "First part\n\nSecond part", []string{"First part", "Second part"}},
		{"soft wrap runs on", "A line that\nwraps here.", []string{"A line that\nwraps here."}},
		{"closing bracket after space", "Films (Ae Fond Kiss... ). Then more.", []string{"Films (Ae Fond Kiss... ).", "Then more."}},
		{"accented capital", "It ended. Élodie won.", []string{"It ended.", "Élodie won."}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Split(tt.in); !reflect.DeepEqual(got, tt.want) {
				t.Errorf("Split(%q)\n got %q\nwant %q", tt.in, got, tt.want)
			}
			checkSpans(t, tt.in)
		})
	}
}

// TestSplitFile runs the longer cases in testdata/split.txt.
func TestSplitFile(t *testing.T) {
	data, err := os.ReadFile("testdata/split.txt")
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range parseCases(t, string(data)) {
		t.Run(c.name, func(t *testing.T) {
			if got := Split(c.in); !reflect.DeepEqual(got, c.want) {
				t.Errorf("Split\n got %q\nwant %q", got, c.want)
			}
			checkSpans(t, c.in)
		})
	}
}

type fileCase struct {
	name string
	in   string
	want []string
}

// parseCases reads "=== name", input lines, "---", expected lines.
func parseCases(t *testing.T, data string) []fileCase {
	t.Helper()
	var cases []fileCase
	for _, block := range strings.Split(data, "\n=== ")[1:] {
		head, body, ok := strings.Cut(block, "\n")
		in, out, ok2 := strings.Cut(body, "\n---\n")
		if !ok || !ok2 {
			t.Fatalf("bad case %q", head)
		}
		c := fileCase{name: head, in: in}
		for _, line := range strings.Split(strings.TrimSpace(out), "\n") {
			c.want = append(c.want, line)
		}
		cases = append(cases, c)
	}
	if len(cases) == 0 {
		t.Fatal("no cases in testdata/split.txt")
	}
	return cases
}

// checkSpans verifies the invariants every split must keep: spans are
// trimmed, ordered, and cover every word of the input.
func checkSpans(t *testing.T, in string) {
	t.Helper()
	spans := Spans(in)
	prev := 0
	var joined []string
	for _, s := range spans {
		if s[0] < prev || s[1] <= s[0] || s[1] > len(in) {
			t.Fatalf("bad span %v after %d in %q", s, prev, in)
		}
		if gap := in[prev:s[0]]; strings.TrimSpace(gap) != "" {
			t.Fatalf("span %v skips %q", s, gap)
		}
		text := in[s[0]:s[1]]
		if text != strings.TrimFunc(text, unicode.IsSpace) {
			t.Fatalf("span %v not trimmed: %q", s, text)
		}
		joined = append(joined, text)
		prev = s[1]
	}
	if rest := in[prev:]; strings.TrimSpace(rest) != "" {
		t.Fatalf("tail %q not covered", rest)
	}
	if got, want := strings.Fields(strings.Join(joined, " ")), strings.Fields(in); !reflect.DeepEqual(got, want) {
		t.Fatalf("words changed:\n got %q\nwant %q", got, want)
	}
}

func TestSpansAllocs(t *testing.T) {
	text := strings.Repeat("Mr. Lee said the U.S. economy grew 3.5% in Jan. 2005. Sales rose! ", 20)
	allocs := testing.AllocsPerRun(20, func() { Spans(text) })
	if allocs > 10 {
		t.Errorf("Spans allocated %v times for 40 sentences, want <= 10", allocs)
	}
}

func FuzzSpans(f *testing.F) {
	f.Add("It rained. It stopped.")
	f.Add("He met the U.S. Secretary... “Why?” he said.\n- item")
	f.Fuzz(func(t *testing.T, in string) {
		checkSpans(t, in)
	})
}

func BenchmarkSplit(b *testing.B) {
	text := strings.Repeat("Mr. Lee said the U.S. economy grew 3.5% in Jan. 2005. Sales rose! ", 20)
	b.SetBytes(int64(len(text)))
	for b.Loop() {
		Split(text)
	}
}
