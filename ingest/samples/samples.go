// Package samples ships a few short news articles inside the binary, so
// that "byline ask" on a fresh clone has something to answer from before
// any feed has been fetched. The articles are fiction written for byline;
// one paraphrases the public facts of a 2012 news event (see README.md).
//
// The package only hands out the files. Parsing front matter and
// paragraphs is the ingest package's job, so that byline has one parser
// for them rather than two that can drift apart.
package samples

import (
	"embed"
	"io/fs"
)

//go:embed articles/*.md
var files embed.FS

// dir is the embedded directory that holds the articles.
const dir = "articles"

// FS returns the sample articles as an fs.FS rooted at the articles
// directory, so callers open a name from Names directly, without knowing
// how the files are laid out inside this package.
func FS() fs.FS {
	sub, err := fs.Sub(files, dir)
	if err != nil {
		// fs.Sub fails only for an invalid path, and dir is a valid constant.
		panic("samples: " + err.Error())
	}
	return sub
}

// Names returns the sample file names, sorted, as they are opened in FS.
// Sorted order makes indexing and test output deterministic.
func Names() []string {
	// The go:embed pattern guarantees the directory exists and is non-empty,
	// so ReadDir cannot fail here.
	entries, err := fs.ReadDir(files, dir)
	if err != nil {
		panic("samples: " + err.Error())
	}
	names := make([]string, 0, len(entries))
	for _, e := range entries {
		names = append(names, e.Name()) // fs.ReadDir already sorts by name
	}
	return names
}
