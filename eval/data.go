// Package eval measures byline on question sets with gold answers: the
// SQuAD v1.1 dev set (gold paragraph) and bbc-dev over the BBC news
// corpus (gold article and answer strings). See ../shared/data/README.md.
// It also measures web extraction on the test pages of Mozilla
// Readability (see RunExtract).
package eval

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"strings"

	"github.com/byline-news/byline/retrieval"
)

// Question is one evaluation question.
type Question struct {
	ID       string   `json:"id"`
	Question string   `json:"question"`
	Answers  []string `json:"answers"`
	Gold     string   // gold paragraph (SQuAD context_id) or article id (BBC); "" when unanswerable
}

// readJSONL decodes every line of path into a new T.
func readJSONL[T any](path string, fn func(T) error) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 64<<20)
	line := 0
	for sc.Scan() {
		line++
		if strings.TrimSpace(sc.Text()) == "" {
			continue
		}
		var v T
		if err := json.Unmarshal(sc.Bytes(), &v); err != nil {
			return fmt.Errorf("%s:%d: %w", path, line, err)
		}
		if err := fn(v); err != nil {
			return fmt.Errorf("%s:%d: %w", path, line, err)
		}
	}
	if err := sc.Err(); err != nil {
		if pe := (*fs.PathError)(nil); errors.As(err, &pe) {
			return err // "read /x: is a directory" names the path already
		}
		return fmt.Errorf("read %s: %w", path, err)
	}
	return nil
}

// SQuADContexts loads the SQuAD dev paragraphs as one-paragraph articles
// whose ID is the context id.
func SQuADContexts(path string) ([]retrieval.Article, error) {
	var out []retrieval.Article
	err := readJSONL(path, func(c struct{ ID, Title, Text string }) error {
		out = append(out, retrieval.Article{ID: c.ID, Title: c.Title, Paragraphs: []string{c.Text}})
		return nil
	})
	return out, err
}

// SQuADQuestions loads SQuAD dev questions; Gold is the context id.
func SQuADQuestions(path string) ([]Question, error) {
	var out []Question
	err := readJSONL(path, func(q struct {
		ID, Question string
		Answers      []string
		ContextID    string `json:"context_id"`
	}) error {
		out = append(out, Question{ID: q.ID, Question: q.Question, Answers: q.Answers, Gold: q.ContextID})
		return nil
	})
	return out, err
}

// BBCQuestions loads bbc-dev questions; Gold is the article id.
func BBCQuestions(path string) ([]Question, error) {
	var out []Question
	err := readJSONL(path, func(q struct {
		ID, Question string
		Answers      []string
		ArticleID    string `json:"article_id"`
	}) error {
		out = append(out, Question{ID: q.ID, Question: q.Question, Answers: q.Answers, Gold: q.ArticleID})
		return nil
	})
	return out, err
}
