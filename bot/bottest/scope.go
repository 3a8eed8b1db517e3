package bottest

import (
	"time"

	"github.com/byline-news/byline/retrieval"
)

// Fares are two outlets' reports of one story that differ in a fact, so
// two channels answering from different outlets give different answers
// to the same question (Fares4 from the Estuary Post, Fares9 from the
// Harbour Herald).
var (
	Fares4 = retrieval.Article{
		ID: "r-fares-post", URL: "https://example.com/post/fares", Outlet: "Estuary Post",
		Title:     "Marrowby ferry fares rise by 4 percent",
		Published: time.Date(2025, time.February, 3, 9, 0, 0, 0, time.UTC),
		Paragraphs: []string{
			"The Marrowby ferry company raised its fares by 4 percent on Monday, blaming the price of diesel.",
		},
	}
	Fares9 = retrieval.Article{
		ID: "r-fares-herald", URL: "https://example.com/herald/fares", Outlet: "Harbour Herald",
		Title:     "Ferry fares in Marrowby up 9 percent",
		Published: time.Date(2025, time.February, 4, 9, 0, 0, 0, time.UTC),
		Paragraphs: []string{
			"The Marrowby ferry company raised its fares by 9 percent this week, citing new crew rules and the price of diesel.",
		},
	}
)

// FaresQuestion is answered by either Fares article.
const FaresQuestion = "how much did the Marrowby ferry company raise its fares?"
