package eval

import (
	"fmt"
	"path/filepath"
	"slices"
	"strings"
)

// The corpora the question sets are asked over.
const (
	CorpusBBC     = "bbc"            // DATA/news/articles.jsonl
	CorpusSQuAD11 = "squad-1.1"      // DATA/qa/squad-v1.1-dev-contexts.jsonl
	CorpusSQuAD20 = "squad-2.0-half" // DATA/qa/squad-v2.0-dev-half-contexts.jsonl
)

// Set is one question set, asked over one corpus.
type Set struct {
	Name      string
	Corpus    string
	Questions []Question
}

// setFiles lists every question set in DATA/qa, in the order reports
// show them: the two sets of news questions first.
var setFiles = []struct {
	name, corpus, file string
	load               func(string) ([]Question, error)
}{
	{"bbc-dev", CorpusBBC, "bbc-dev.jsonl", BBCQuestions},
	{"bbc-chat-dev", CorpusBBC, "bbc-chat-dev.jsonl", BBCQuestions},
	{"squad-1.1", CorpusSQuAD11, "squad-v1.1-dev.jsonl", SQuADQuestions},
	{"squad-2.0-half", CorpusSQuAD20, "squad-v2.0-dev-half.jsonl", SQuAD2Questions},
}

// SetNames are the names of every set, in report order.
func SetNames() []string {
	var out []string
	for _, f := range setFiles {
		out = append(out, f.name)
	}
	return out
}

// LoadSets loads the named sets from dir (DATA), every set when names is
// empty.
func LoadSets(dir string, names []string) ([]Set, error) {
	for _, n := range names {
		if !slices.Contains(SetNames(), n) {
			return nil, fmt.Errorf("no question set %q: the sets are %s", n, strings.Join(SetNames(), ", "))
		}
	}
	var out []Set
	for _, f := range setFiles {
		if len(names) > 0 && !slices.Contains(names, f.name) {
			continue
		}
		qs, err := f.load(filepath.Join(dir, "qa", f.file))
		if err != nil {
			return nil, err
		}
		out = append(out, Set{Name: f.name, Corpus: f.corpus, Questions: qs})
	}
	return out, nil
}

// CorpusPath is the file a corpus is read from, under dir (DATA).
func CorpusPath(dir, corpus string) string {
	switch corpus {
	case CorpusBBC:
		return filepath.Join(dir, "news", "articles.jsonl")
	case CorpusSQuAD11:
		return filepath.Join(dir, "qa", "squad-v1.1-dev-contexts.jsonl")
	}
	return filepath.Join(dir, "qa", "squad-v2.0-dev-half-contexts.jsonl")
}
