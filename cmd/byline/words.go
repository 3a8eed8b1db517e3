package main

import "github.com/byline-news/byline/answer"

// count words a number of things: "1 article", "2,127 articles".
func count(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return answer.Thousands(n) + " " + plurals(noun)
}

// plurals is the plural of the nouns byline counts.
func plurals(noun string) string {
	switch noun {
	case "entry":
		return "entries"
	case "":
		return ""
	}
	return noun + "s"
}
