package answer

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strings"

	"github.com/byline-news/byline/retrieval"
)

// link matches a web link in a question: bare ("https://…"), or wrapped
// as Slack sends links (<https://…>, <https://…|label>) and as Discord
// users suppress a link's preview (<https://…>).
var link = regexp.MustCompile(`<(https?://[^\s<>|]+)(?:\|[^<>]*)?>|https?://[^\s<>]+`)

// CutLinks returns question without its links, and the links. A link's
// parts ("www", "co", "uk", "4166231") are no words of the question, and
// would count against any answer as words no article has; the link
// itself says which story is meant ("what does this say about the
// fine? https://…").
func CutLinks(question string) (string, []string) {
	var links []string
	rest := link.ReplaceAllStringFunc(question, func(m string) string {
		if sub := link.FindStringSubmatch(m); sub[1] != "" {
			links = append(links, sub[1])
			return " "
		}
		// A bare link may end the sentence: "… in https://x.com/a?"
		u := strings.TrimRight(m, ".,;:!?)'\"")
		links = append(links, u)
		return " " + m[len(u):]
	})
	if len(links) == 0 {
		return question, nil
	}
	return strings.Join(strings.Fields(rest), " "), links
}

// linkedK is how many paragraphs a question with a link searches, so
// that the linked story's are found even when others match its words
// better.
const linkedK = 30

// fromLinked returns the best k of hits: those of the stories the
// question links to when any of them was found, else the best of all.
func fromLinked(hits []retrieval.Hit, links []string, k int) []retrieval.Hit {
	if len(links) > 0 {
		want := make(map[string]bool, len(links))
		for _, l := range links {
			want[retrieval.CanonicalURL(l)] = true
		}
		var linked []retrieval.Hit
		for _, h := range hits {
			if h.Article.URL != "" && want[retrieval.CanonicalURL(h.Article.URL)] {
				linked = append(linked, h)
			}
		}
		if len(linked) > 0 {
			hits = linked
		}
	}
	return hits[:min(k, len(hits))]
}

// storyReader is the optional part of a Searcher that reads a story by
// its link (sqlite.Index.ArticleByURL).
type storyReader interface {
	ArticleByURL(ctx context.Context, link string) (retrieval.Article, error)
}

// maxLinks bounds the links of one question that are looked up.
const maxLinks = 3

// linkedStories looks up the stories that links point to: found are
// those indexed, missing the links of none. A Searcher that cannot read
// by link finds nothing missing.
func linkedStories(ctx context.Context, s Searcher, links []string) (found []retrieval.Article, missing []string, err error) {
	r, ok := s.(storyReader)
	if !ok {
		return nil, nil, nil
	}
	for _, l := range links[:min(len(links), maxLinks)] {
		a, err := r.ArticleByURL(ctx, l)
		switch {
		case err == nil:
			found = append(found, a)
		case errors.Is(err, retrieval.ErrNotFound):
			missing = append(missing, l)
		default:
			return nil, nil, fmt.Errorf("linked story: %w", err)
		}
	}
	return found, missing, nil
}

// notAmong returns the links of missing that no hit's story has: a
// story stored under another spelling of its link is found by the
// search all the same (fromLinked).
func notAmong(missing []string, hits []retrieval.Hit) []string {
	var out []string
	for _, l := range missing {
		c := retrieval.CanonicalURL(l)
		if !slices.ContainsFunc(hits, func(h retrieval.Hit) bool { return retrieval.CanonicalURL(h.Article.URL) == c }) {
			out = append(out, l)
		}
	}
	return out
}

// aboutStory reports whether what a question says besides its links
// asks about the linked story as a whole: "tl;dr", "what's this
// about?", "summarise this pls", or nothing at all.
func aboutStory(rest string) bool {
	for _, t := range parseQuestion(rest).terms {
		if !storyWords[t] {
			return false
		}
	}
	return true
}

// storyWords are the stems of words that ask about a story without
// asking anything in particular.
var storyWords = stems("tl", "dr", "tldr", "summary", "summarise", "summarize", "sum", "recap", "rundown",
	"overview", "gist", "explain", "describe", "story", "article", "piece", "link", "post", "read", "say",
	"mean", "thoughts", "key", "point", "main", "takeaway", "brief", "quick", "short", "news", "pls", "please")

// storyReply answers a question that asks about its linked story as a
// whole (aboutStory): with the story's opening paragraph, or, when byline
// lacks the story, by saying so. ok is false for any other question.
func storyReply(question string, found []retrieval.Article, missing []string) (Answer, bool) {
	if len(found)+len(missing) == 0 || !aboutStory(question) {
		return Answer{}, false
	}
	if len(found) > 0 {
		return storyAnswer(found[0]), true
	}
	return Answer{Abstained: true,
		Reason: unindexedNote(missing) + ", so I can't say what it says. Add it to byline, then ask again."}, true
}

// storyAnswer answers a request about a linked story with its opening
// paragraph: news writes its first paragraph as the story in brief.
func storyAnswer(a retrieval.Article) Answer {
	hit := leadHit(a)
	return Answer{Text: cut(strings.Join(strings.Fields(hit.Text), " "), MaxLen), Sources: []Source{{N: 1, Hit: hit}}, Confidence: 1}
}

// unindexedNote tells the asker that byline has none of the stories
// missing links to, so that an answer is not taken for what they say.
func unindexedNote(missing []string) string {
	return "I haven't indexed " + strings.Join(missing, " or ")
}
