package answer

import (
	"fmt"
	"os"
	"strings"
	"testing"
)

func TestZZParse(t *testing.T) {
	for _, s := range strings.Split(os.Getenv("ZZQ"), "|") {
		q := parseQuestion(asTyped(s))
		fmt.Printf("%q kind=%v unit=%v when=%v speech=%q terms=%v typed=%v\n", s, q.kind, q.unit, q.when, q.speech, q.terms, q.typed)
	}
}
