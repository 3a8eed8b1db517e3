package main

import (
	"fmt"

	"github.com/byline-news/byline/eval"
)

// evalExtract runs "byline eval --extract": extraction measured on
// Readability's test pages in dir, or in the module cache.
func (a *app) evalExtract(dir string, asJSON bool) error {
	if dir == "" {
		found, err := eval.ReadabilityTestPages()
		if err != nil {
			return fmt.Errorf("%w: %v; pass --pages DIR (the test-pages directory of %s)", errUsage, err, eval.ReadabilityModule)
		}
		dir = found
	}
	pages, err := eval.LoadExtractPages(dir)
	if err != nil {
		return err
	}
	if len(pages) == 0 {
		return fmt.Errorf("%w: no readerable test pages in %s", errUsage, dir)
	}
	results, err := eval.RunExtract(pages, eval.Extractors)
	if err != nil {
		return err
	}
	if asJSON {
		return writeJSON(a.out, results)
	}
	fmt.Fprintf(a.out, "Readerable test pages: %d, in %s\n\n%s\n%s", len(pages), dir, eval.SummaryTable(results), eval.PageTable(results[0]))
	return nil
}
